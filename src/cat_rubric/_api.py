"""The public entry point that ties names to models: `assess`.

The engine (`cat_rubric._engine`) grades models it is given and reads no file; this
layer resolves a scale's id, the rubric's own scale included, with the one resolver.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from cat_rubric._engine import grade
from cat_rubric._evidence import EvidenceFile
from cat_rubric._load import bundled_scales, load_scale
from cat_rubric._model import Rubric
from cat_rubric._result import Assessment
from cat_rubric._rules import Settings
from cat_rubric._scales import Scale
from cat_rubric._text import display_name
from cat_rubric.exceptions import NotFoundError


def assess(
    rubric: Rubric,
    evidence: EvidenceFile | Iterable[EvidenceFile],
    *,
    scale: Scale | str | None = None,
    settings: Settings | None = None,
    as_of: dt.date | None = None,
) -> Assessment:
    """Grade the follow-up of *rubric* on *evidence*.

    Args:
        rubric: The rubric.
        evidence: One evidence file or several (their order does not matter).
        scale: A `Scale` (e.g. from `load_scale`), or the id of a bundled scale; if
            omitted, the bundled scale the rubric names. A scale file is loaded with
            `load_scale` and passed as a `Scale`.
        settings: Conflict policy and other settings; defaults follow treaty-body practice.
        as_of: Assess as of this date instead of the evidence files' ``as_of``.

    Raises:
        AssessmentError: the inputs cannot be assessed together (another rubric,
            disagreeing headers, an override naming a letter the scale lacks ...).
        NotFoundError: the scale is named by an id that no bundled scale has.
    """
    if not isinstance(scale, Scale):
        scale = _scale(rubric, scale)
    return grade(rubric, evidence, scale=scale, settings=settings, as_of=as_of)


def _scale(rubric: Rubric, name: str | None) -> Scale:
    if name is not None:
        return load_scale(name)
    try:
        return load_scale(rubric.scale)
    except NotFoundError:
        known = ", ".join(bundled_scales())
        raise NotFoundError(
            f"rubric {rubric.id} names the scale {display_name(rubric.scale)!r}, which is not "
            f"bundled (bundled: {known}); give the scale file when scoring: --scale "
            "./my-scale.yaml, or assess(..., scale=load_scale('my-scale.yaml'))"
        ) from None


__all__ = ["assess"]
