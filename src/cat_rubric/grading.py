"""Grading: scales and their letters, the settings of an assessment, and the part rule.

A `Scale` (what `cat_rubric.load_scale` returns) gives each `Outcome` a `Grade`
through its `Rules`; `Settings` (with a conflict `Policy` and a `Rollup`) are what
`cat_rubric.assess` takes; `decide` is the rule that draws a part's outcome from its
criteria's findings, a pure function (docs/grading.md §4)::

    from cat_rubric.grading import Outcome, decide
"""

from __future__ import annotations

from cat_rubric._rules import Policy, Rollup, Settings, decide
from cat_rubric._scales import Grade, Outcome, Rules, Scale

__all__ = [
    "Grade",
    "Outcome",
    "Policy",
    "Rollup",
    "Rules",
    "Scale",
    "Settings",
    "decide",
]
