"""cat_rubric: UN treaty-body recommendations as rubrics of verifiable criteria.

Load a rubric, load the evidence gathered on it, and assess follow-up on the
Committee against Torture's grading scale, with the reasons::

    import cat_rubric
    rubric = cat_rubric.load_rubric("cat-kaz-co-2")
"""

from __future__ import annotations

from cat_rubric._load import bundled_rubrics, load_rubric, parse_rubric
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
from cat_rubric._yaml import HAVE_LIBYAML, Limits
from cat_rubric.exceptions import (
    AssessmentError,
    CatRubricError,
    LimitError,
    LoadError,
    NotFoundError,
    OutputError,
    Problem,
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
    "AssessmentError",
    "CatRubricError",
    "Criterion",
    "FollowUp",
    "Indicator",
    "LegalReference",
    "LimitError",
    "Limits",
    "LoadError",
    "NotFoundError",
    "Origin",
    "OutputError",
    "Part",
    "Problem",
    "Recommendation",
    "Rubric",
    "SourceKind",
    "bundled_rubrics",
    "load_rubric",
    "parse_rubric",
]
