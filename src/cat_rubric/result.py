"""Assessments: the grades `cat_rubric.assess` gives, with their reasons, as data.

An `Assessment` holds one `RecommendationResult` per recommendation, one `PartResult`
per part and one `CriterionResult` per criterion, the fate of every evidence item
(`ItemUse`), the conflicts between sources and the overrides applied, and the `Record`
that reproduces it. All are immutable; `Assessment.to_json` writes the JSON of
docs/json.md and `Assessment.from_json` reads it back::

    from cat_rubric.result import PartResult, Status
"""

from __future__ import annotations

from cat_rubric._result import (
    Assessment,
    Conflict,
    CriterionResult,
    FileRecord,
    ItemUse,
    OverrideRecord,
    PartResult,
    RecommendationResult,
    Record,
    Score,
    Status,
    Use,
    WhatIf,
)

__all__ = [
    "Assessment",
    "Conflict",
    "CriterionResult",
    "FileRecord",
    "ItemUse",
    "OverrideRecord",
    "PartResult",
    "RecommendationResult",
    "Record",
    "Score",
    "Status",
    "Use",
    "WhatIf",
]
