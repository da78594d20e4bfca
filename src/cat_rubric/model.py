"""The rubric model: a rubric's recommendations, the parts graded and their criteria.

A `Rubric` is what `cat_rubric.load_rubric` returns; the classes here are what it
is made of. They are frozen attrs classes whose field names are the YAML keys
(docs/format.md)::

    from cat_rubric.model import Criterion, Part
"""

from __future__ import annotations

from cat_rubric._model import (
    Criterion,
    FollowUp,
    Indicator,
    LegalReference,
    Origin,
    Part,
    Recommendation,
    Rubric,
    SourceKind,
)

__all__ = [
    "Criterion",
    "FollowUp",
    "Indicator",
    "LegalReference",
    "Origin",
    "Part",
    "Recommendation",
    "Rubric",
    "SourceKind",
]
