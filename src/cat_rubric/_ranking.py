"""The scale an assessment was graded on, and how two assessments' grades rank.

An assessment records its scale by id, version and sha256 (`Record`). `scale_for`
finds that scale when it is at hand (given, or bundled with the same version), and
`ranking` says whether two assessments' grades can be ranked at all: only on one
scale, never by a guess. `compare`, `history` and the report use them.
"""

from __future__ import annotations

from collections.abc import Sequence

from cat_rubric._comparison import Change
from cat_rubric._result import Record, file_record
from cat_rubric._scales import Scale


def scale_digest(scale: Scale) -> str:
    """The sha256 an assessment records for *scale*: its file's, or its canonical JSON's."""
    return file_record(scale).sha256


def made_on(scale: Scale, record: Record) -> bool:
    """Whether *record* names *scale*: the same id, version and sha256."""
    return (scale.id, scale.version, scale_digest(scale)) == (
        record.scale,
        record.scale_version,
        record.scale_file.sha256,
    )


def scale_for(record: Record, scales: Sequence[Scale]) -> Scale | None:
    """The scale an assessment was made on, if it is at hand: given, or bundled."""
    for scale in scales:
        if made_on(scale, record):
            return scale
    if record.scale_file.bundled:
        from cat_rubric._load import bundled_scales, load_scale

        if record.scale in bundled_scales():
            # A bundled scale keeps its letters within a version (docs/grading.md).
            found = load_scale(record.scale)
            if found.version == record.scale_version:
                return found
    return None


def scale_name(record: Record) -> str:
    """The scale a record names, as ``id vN``."""
    return f"{record.scale} v{record.scale_version}"


def ranking(old: Record, new: Record, scales: Sequence[Scale]) -> tuple[Scale | None, str | None]:
    """The scale both sides' grades rank on, or None and why they cannot be ranked."""
    if (old.scale, old.scale_version) != (new.scale, new.scale_version):
        return None, (
            f"the old assessment is on scale {scale_name(old)} and the new one on "
            f"{scale_name(new)}: grades on different scales cannot be ranked"
        )
    a, b = scale_for(old, scales), scale_for(new, scales)
    if a is None or b is None:
        return None, (
            f"scale {scale_name(old)} is not bundled and was not given: pass the scale file "
            "(--scale FILE, or scales=[load_scale(...)]) to rank the grades"
        )
    if a.letters != b.letters:
        return None, (
            f"the two files of scale {scale_name(old)} have different letters: grades "
            "cannot be ranked"
        )
    return a, None


def grade_change(
    then: str | None, now: str | None, scale: Scale | None, same_scale: bool
) -> Change:
    """How a letter moved from *then* to *now*, ranked on *scale* (None: not ranked).

    A letter on one side only is new or dropped; equal letters on the same scale
    (*same_scale*) are unchanged even when they cannot be ranked.
    """
    if then is None:
        return Change.UNCHANGED if now is None else Change.NEW
    if now is None:
        return Change.DROPPED
    if scale is None or then not in scale.letters or now not in scale.letters:
        return Change.UNCHANGED if same_scale and then == now else Change.UNRANKED
    a, b = scale.rank(then), scale.rank(now)
    return Change.UNCHANGED if a == b else Change.IMPROVED if b > a else Change.WORSENED


__all__ = ["grade_change", "made_on", "ranking", "scale_digest", "scale_for", "scale_name"]
