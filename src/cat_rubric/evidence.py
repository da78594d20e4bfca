"""Evidence: what each source says about each criterion, with its citation.

An `EvidenceFile` is what `cat_rubric.load_evidence` returns; the classes here are
what it is made of, and what to build one from in code (docs/format.md)::

    from cat_rubric.evidence import EvidenceFile, Finding, Item, Reply, Source
"""

from __future__ import annotations

from cat_rubric._evidence import EvidenceFile, Finding, Item, Override, Reply, Source

__all__ = [
    "EvidenceFile",
    "Finding",
    "Item",
    "Override",
    "Reply",
    "Source",
]
