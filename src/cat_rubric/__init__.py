"""cat_rubric: UN treaty-body recommendations as rubrics of verifiable criteria.

Load a rubric, load the evidence gathered on it, and assess follow-up on the
Committee against Torture's grading scale, with the reasons::

    import cat_rubric
    rubric = cat_rubric.load_rubric("cat-kaz-co-2")
    reply = cat_rubric.load_evidence("examples/kaz-2010-state-reply.yaml", rubric=rubric)
    result = cat_rubric.assess(rubric, [reply])
    result.part("9b").grade, result.part("9b").reason
"""

from __future__ import annotations

from cat_rubric._api import assess
from cat_rubric._dump import to_yaml
from cat_rubric._evidence import EvidenceFile, Finding, Item, Override, Reply, Source
from cat_rubric._load import (
    bundled_rubrics,
    bundled_scales,
    load_evidence,
    load_rubric,
    load_scale,
    parse_evidence,
    parse_rubric,
    parse_scale,
)
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
from cat_rubric._rules import Policy, Rollup, Settings, decide
from cat_rubric._scales import Grade, Outcome, Rules, Scale
from cat_rubric._yaml import HAVE_LIBYAML, Limits
from cat_rubric.exceptions import (
    AssessmentError,
    CatRubricError,
    LimitError,
    LoadError,
    NotFoundError,
    OutputError,
    Problem,
    SettingsError,
)


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("cat_rubric")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0+unknown"
    raise AttributeError(f"module 'cat_rubric' has no attribute {name!r}")


__all__ = [
    "HAVE_LIBYAML",
    "Assessment",
    "AssessmentError",
    "CatRubricError",
    "Conflict",
    "Criterion",
    "CriterionResult",
    "EvidenceFile",
    "FileRecord",
    "Finding",
    "FollowUp",
    "Grade",
    "Indicator",
    "Item",
    "ItemUse",
    "LegalReference",
    "LimitError",
    "Limits",
    "LoadError",
    "NotFoundError",
    "Origin",
    "Outcome",
    "OutputError",
    "Override",
    "OverrideRecord",
    "Part",
    "PartResult",
    "Policy",
    "Problem",
    "Recommendation",
    "RecommendationResult",
    "Record",
    "Reply",
    "Rollup",
    "Rubric",
    "Rules",
    "Scale",
    "Score",
    "Settings",
    "SettingsError",
    "Source",
    "SourceKind",
    "Status",
    "Use",
    "WhatIf",
    "assess",
    "bundled_rubrics",
    "bundled_scales",
    "decide",
    "load_evidence",
    "load_rubric",
    "load_scale",
    "parse_evidence",
    "parse_rubric",
    "parse_scale",
    "to_yaml",
]
