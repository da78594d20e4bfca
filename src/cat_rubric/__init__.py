"""cat_rubric: UN treaty-body recommendations as rubrics of verifiable criteria.

Load a rubric, load the evidence gathered on it, and assess follow-up on the
Committee against Torture's grading scale, with the reasons::

    import cat_rubric
    rubric = cat_rubric.load_rubric("cat-kaz-co-2")
    reply = cat_rubric.load_evidence("examples/kaz-2010-state-reply.yaml", rubric=rubric)
    result = cat_rubric.assess(rubric, [reply])
    result.part("9b").grade, result.part("9b").reason

The top level holds what a notebook needs; the rest of the public API is in
submodules: `cat_rubric.model` (a rubric's parts), `cat_rubric.evidence` (an
evidence file's items), `cat_rubric.result` (an assessment's parts), `cat_rubric.grading`
(scales, settings and the part rule), `cat_rubric.limits`, `cat_rubric.exceptions` and
`cat_rubric.testing` (Hypothesis strategies). A name is imported on first use, so
``import cat_rubric`` is light and the command line's ``--help`` loads no engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cat_rubric._api import assess
    from cat_rubric._compare import compare
    from cat_rubric._comparison import Comparison
    from cat_rubric._draft import draft_rubric
    from cat_rubric._dump import to_yaml
    from cat_rubric._evidence import EvidenceFile, Finding
    from cat_rubric._evidence_csv import evidence_from_csv
    from cat_rubric._history import FOLLOW_UP_THEMES, History, history
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
    from cat_rubric._model import Rubric
    from cat_rubric._result import Assessment
    from cat_rubric._rubric_diff import RubricComparison, compare_rubrics
    from cat_rubric._rules import Policy, Rollup, Settings
    from cat_rubric._scales import Scale
    from cat_rubric.exceptions import (
        AssessmentError,
        CatRubricError,
        LoadError,
        NotFoundError,
    )

    __version__: str

#: The module that defines each top-level name, imported when the name is first used.
_HOMES: dict[str, str] = {
    "Assessment": "cat_rubric._result",
    "AssessmentError": "cat_rubric.exceptions",
    "CatRubricError": "cat_rubric.exceptions",
    "Comparison": "cat_rubric._comparison",
    "EvidenceFile": "cat_rubric._evidence",
    "FOLLOW_UP_THEMES": "cat_rubric._history",
    "Finding": "cat_rubric._evidence",
    "History": "cat_rubric._history",
    "LoadError": "cat_rubric.exceptions",
    "NotFoundError": "cat_rubric.exceptions",
    "Policy": "cat_rubric._rules",
    "Rollup": "cat_rubric._rules",
    "Rubric": "cat_rubric._model",
    "RubricComparison": "cat_rubric._rubric_diff",
    "Scale": "cat_rubric._scales",
    "Settings": "cat_rubric._rules",
    "assess": "cat_rubric._api",
    "bundled_rubrics": "cat_rubric._load",
    "bundled_scales": "cat_rubric._load",
    "compare": "cat_rubric._compare",
    "compare_rubrics": "cat_rubric._rubric_diff",
    "draft_rubric": "cat_rubric._draft",
    "evidence_from_csv": "cat_rubric._evidence_csv",
    "history": "cat_rubric._history",
    "load_evidence": "cat_rubric._load",
    "load_rubric": "cat_rubric._load",
    "load_scale": "cat_rubric._load",
    "parse_evidence": "cat_rubric._load",
    "parse_rubric": "cat_rubric._load",
    "parse_scale": "cat_rubric._load",
    "to_yaml": "cat_rubric._dump",
}

#: The public submodules, reachable as attributes of the package once it is imported.
_SUBMODULES = frozenset(
    {"evidence", "exceptions", "grading", "limits", "model", "render", "result", "testing"}
)


def _lazy(name: str) -> object:
    """The top-level attribute *name*, imported (and kept) on first use."""
    home = _HOMES.get(name)
    if home is not None:
        value: object = getattr(importlib.import_module(home), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"{__name__}.{name}")
    elif name == "__version__":
        from cat_rubric._version import VERSION

        value = VERSION
    else:
        raise AttributeError(f"module 'cat_rubric' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES, *_SUBMODULES, "__version__"})


if not TYPE_CHECKING:  # type checkers see the imports above; Python imports on first use
    __getattr__ = _lazy

__all__ = [
    "FOLLOW_UP_THEMES",
    "Assessment",
    "AssessmentError",
    "CatRubricError",
    "Comparison",
    "EvidenceFile",
    "Finding",
    "History",
    "LoadError",
    "NotFoundError",
    "Policy",
    "Rollup",
    "Rubric",
    "RubricComparison",
    "Scale",
    "Settings",
    "assess",
    "bundled_rubrics",
    "bundled_scales",
    "compare",
    "compare_rubrics",
    "draft_rubric",
    "evidence_from_csv",
    "history",
    "load_evidence",
    "load_rubric",
    "load_scale",
    "parse_evidence",
    "parse_rubric",
    "parse_scale",
    "to_yaml",
]
