"""What a comparison of two assessments is made of: plain data, for every rendering.

`cat_rubric.compare` (in `cat_rubric._compare`) fills a `Comparison`: each part's
state then and now (`PartChange`), the criteria whose counted finding changed and why
(`CriterionChange`, `Reason`), disputes opened or resolved, overrides and evidence
items that differ, and the facts of the two sides. Everything is frozen attrs classes
of text, numbers, dates and enums, so the terminal table, the Markdown, the JSON and
the report's section "Since the previous assessment" all read the same value.

`Edit` and the helpers at the end are shared with the rubric comparison
(`cat_rubric._rubric_diff`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Final, TypeVar

import attrs

from cat_rubric._evidence import Finding
from cat_rubric._model import SourceKind
from cat_rubric._result import FileRecord, Status, Use

#: The version of the JSON document `Comparison.to_json` writes (see docs/compare.md).
COMPARISON_FORMAT: Final = "cat-rubric-comparison/1"


class Change(enum.Enum):
    """How a part's (or a recommendation's) grade moved from the old assessment to the new."""

    IMPROVED = "improved"
    """A better letter on the scale both used."""
    WORSENED = "worsened"
    """A worse letter on the scale both used."""
    UNCHANGED = "unchanged"
    """The same letter on the same scale (or ungraded on both sides)."""
    NEW = "new"
    """Graded now, not then: the part is new to the rubric, or was not graded then."""
    DROPPED = "dropped"
    """Graded then, not now: the part left the rubric, or is not graded now."""
    UNRANKED = "unranked"
    """Graded on both sides, but the letters cannot be ranked: different scales (or a
    scale that is not available), and never guessed."""

    @property
    def mirror(self) -> Change:
        """The change seen the other way round (old and new swapped)."""
        return _CHANGE_MIRROR.get(self, self)


_CHANGE_MIRROR: Final = {
    Change.IMPROVED: Change.WORSENED,
    Change.WORSENED: Change.IMPROVED,
    Change.NEW: Change.DROPPED,
    Change.DROPPED: Change.NEW,
}


class Why(enum.Enum):
    """What changed a criterion's counted finding, or a part's grade."""

    NEW_EVIDENCE = "new-evidence"
    """An item counts now that was not in the old assessment."""
    SOURCE_DROPPED = "source-dropped"
    """An item that counted then is not in the new assessment."""
    EVIDENCE_CHANGED = "evidence-changed"
    """The same item (file and id) reports a different finding."""
    DATE_RULE = "date-rule"
    """The date rules treat the same item differently (another as-of date, a measure
    not yet in effect, a source dated after the as-of date)."""
    OVERRIDE_ADDED = "override-added"
    """An analyst override applies now that was not there."""
    OVERRIDE_REMOVED = "override-removed"
    """An analyst override that applied then is gone."""
    OVERRIDE_LAPSED = "override-lapsed"
    """An override that applied then is still there but no longer applies (its
    ``until`` has passed, or it is dated after the new as-of date)."""
    OVERRIDE_APPLIES = "override-applies"
    """An override that was there but did not apply then applies now."""
    OVERRIDE_CHANGED = "override-changed"
    """An override sets another value."""
    SETTINGS = "settings"
    """The conflict policy or another setting differs, and the same items are used
    differently."""
    CRITERION = "criterion"
    """(For a part) one of its criteria's counted finding changed."""
    CRITERION_ADDED = "criterion-added"
    """The criterion is in the new assessment's rubric only."""
    CRITERION_REMOVED = "criterion-removed"
    """The criterion is in the old assessment's rubric only."""
    PART_ADDED = "part-added"
    """(For a part) it is in the new assessment's rubric only."""
    PART_REMOVED = "part-removed"
    """(For a part) it is in the old assessment's rubric only."""
    STATUS = "follow-up-status"
    """The follow-up status differs: a reply arrived, a reminder was sent, it fell due."""
    SCALE = "scale"
    """The assessments used different scales."""
    RUBRIC = "rubric"
    """The rubric file differs (e.g. a criterion became essential): see `compare_rubrics`."""
    UNEXPLAINED = "unexplained"
    """Nothing recorded explains it (should not happen; reported rather than hidden)."""

    @property
    def mirror(self) -> Why:
        """The reason seen the other way round (old and new swapped)."""
        return _WHY_MIRROR.get(self, self)


_PAIRS: Final = (
    (Why.NEW_EVIDENCE, Why.SOURCE_DROPPED),
    (Why.OVERRIDE_ADDED, Why.OVERRIDE_REMOVED),
    (Why.OVERRIDE_LAPSED, Why.OVERRIDE_APPLIES),
    (Why.CRITERION_ADDED, Why.CRITERION_REMOVED),
    (Why.PART_ADDED, Why.PART_REMOVED),
)
_WHY_MIRROR: Final = dict(_PAIRS) | {b: a for a, b in _PAIRS}


class Edit(enum.Enum):
    """How an evidence item (or a dispute) differs between the two assessments."""

    ADDED = "added"
    """In the new assessment only (a dispute: opened)."""
    REMOVED = "removed"
    """In the old assessment only (a dispute: resolved)."""
    CHANGED = "changed"
    """In both, with another finding, citation, passage or criteria."""

    @property
    def mirror(self) -> Edit:
        """The edit seen the other way round."""
        return {Edit.ADDED: Edit.REMOVED, Edit.REMOVED: Edit.ADDED}.get(self, self)


@attrs.frozen(kw_only=True)
class ItemRef:
    """An evidence item as one assessment used it on one criterion.

    Attributes:
        file: The evidence file, as the assessment records it.
        item: The item's id.
        source_kind: Who it comes from.
        finding: Its finding after the date rules (`ItemUse.effective`).
        use: Counted, outweighed or ignored.
    """

    file: str
    item: str
    source_kind: SourceKind
    finding: Finding
    use: Use


@attrs.frozen(kw_only=True)
class Reason:
    """One reason a finding or a grade changed.

    Attributes:
        why: What kind of reason.
        text: The reason in plain words (ids and file names in it come from the inputs:
            escape them for the output they go into).
        criterion: The criterion it is about, if any.
        items: The evidence items behind it.
    """

    why: Why
    text: str
    criterion: str | None = None
    items: tuple[ItemRef, ...] = ()


@attrs.frozen(kw_only=True)
class PartState:
    """A part's result on one side of the comparison.

    Attributes:
        status: Graded, pending or awaiting a reminder.
        grade: The letter (after any override), or None.
        engine_grade: The letter the engine computed.
        rule: The rule that decided it.
        score: The numeric score (0 to 1).
        override: The letter an applied part override set, or None.
    """

    status: Status
    grade: str | None
    engine_grade: str | None
    rule: str
    score: float
    override: str | None


@attrs.frozen(kw_only=True)
class PartChange:
    """A part's grade then and now, how it moved and why.

    Attributes:
        part: The part's id.
        recommendation: Its recommendation's id (the new side's, if it has the part).
        paragraph: That recommendation's paragraph.
        title: The part's title.
        then: Its result in the old assessment; None if the old rubric lacks the part.
        now: Its result in the new assessment; None if the new rubric lacks it.
        change: How the grade moved.
        reasons: Why: the criteria whose finding changed, overrides, status, scale.
    """

    part: str
    recommendation: str
    paragraph: int
    title: str
    then: PartState | None
    now: PartState | None
    change: Change
    reasons: tuple[Reason, ...]

    @property
    def grade_then(self) -> str | None:
        """The old grade, or None (absent or not graded)."""
        return None if self.then is None else self.then.grade

    @property
    def grade_now(self) -> str | None:
        """The new grade, or None (absent or not graded)."""
        return None if self.now is None else self.now.grade


@attrs.frozen(kw_only=True)
class RecommendationChange:
    """A recommendation's roll-up letter then and now.

    Attributes:
        recommendation: Its id.
        paragraph: Its paragraph (the new side's, if it has it).
        title: Its title.
        then: The old roll-up letter, or None.
        now: The new roll-up letter, or None.
        present_then: Whether the old assessment has it.
        present_now: Whether the new assessment has it.
        change: How the letter moved.
    """

    recommendation: str
    paragraph: int
    title: str
    then: str | None
    now: str | None
    present_then: bool
    present_now: bool
    change: Change


@attrs.frozen(kw_only=True)
class CriterionChange:
    """A criterion whose counted finding changed, and why.

    Attributes:
        criterion: Its id.
        part: Its part (the new side's, if it has it).
        then: The finding that counted then; None if the old rubric lacks it.
        now: The finding that counts now; None if the new rubric lacks it.
        disputed_then: Whether it was disputed then.
        disputed_now: Whether it is disputed now.
        reasons: What changed it.
    """

    criterion: str
    part: str
    then: Finding | None
    now: Finding | None
    disputed_then: bool
    disputed_now: bool
    reasons: tuple[Reason, ...]


@attrs.frozen(kw_only=True)
class DisputeChange:
    """A dispute between the State and independent sources opened or resolved.

    Attributes:
        criterion: The criterion.
        part: Its part.
        edit: ``added`` (opened) or ``removed`` (resolved).
        state: The State party's items on it, where it is (or was) disputed.
        independent: The independent items that contradict the State's claim there.
        counted_then: The finding that counted then (None if absent).
        counted_now: The finding that counts now (None if absent).
    """

    criterion: str
    part: str
    edit: Edit
    state: tuple[ItemRef, ...]
    independent: tuple[ItemRef, ...]
    counted_then: Finding | None
    counted_now: Finding | None

    @property
    def opened(self) -> bool:
        """Whether the dispute is new (else it was resolved)."""
        return self.edit is Edit.ADDED


@attrs.frozen(kw_only=True)
class OverrideChange:
    """An analyst override that applies on one side and not the other, or sets another value.

    Attributes:
        target: ``criterion X`` or ``part Y``.
        why: Added, removed, lapsed, applies or changed.
        then: What it set then (None if it did not apply).
        now: What it sets now (None if it does not apply).
        by: Who made it (the newer record's, where both exist).
        reason: Its reason.
        file: The evidence file it is in.
    """

    target: str
    why: Why
    then: str | None
    now: str | None
    by: str
    reason: str
    file: str


@attrs.frozen(kw_only=True)
class ItemChange:
    """An evidence item added, removed or changed (by file and item id).

    Attributes:
        file: The evidence file.
        item: The item's id.
        edit: Added, removed or changed.
        source_kind: Who it comes from.
        criteria_then: The criteria it bore on then (empty if absent).
        criteria_now: The criteria it bears on now.
        finding_then: Its finding as written then (None if absent).
        finding_now: Its finding as written now.
        use_then: What the old assessment did with it (counted, if it counted on any
            criterion; else outweighed; else ignored), or None if absent.
        use_now: The same for the new assessment.
        reason: Why it was ignored on every criterion (e.g. dated after the as-of
            date), on the side that has it (the new one, if both); else empty.
        citation: Its citation (the new one, where it has one).
        illustrative: Whether it is invented example material.
    """

    file: str
    item: str
    edit: Edit
    source_kind: SourceKind
    criteria_then: tuple[str, ...]
    criteria_now: tuple[str, ...]
    finding_then: Finding | None
    finding_now: Finding | None
    use_then: Use | None
    use_now: Use | None
    reason: str
    citation: str
    illustrative: bool


@attrs.frozen(kw_only=True)
class FieldChange:
    """A fact of the assessment that differs: the as-of date, the reply, the policy ...

    Attributes:
        field: What it is (``as_of``, ``policy``, ``evidence FILE`` ...).
        then: Its old value, as text (``—`` when absent).
        now: Its new value, as text.
    """

    field: str
    then: str
    now: str


@attrs.frozen(kw_only=True)
class Side:
    """What one assessment of the comparison is.

    Attributes:
        rubric: The rubric's id.
        symbol: Its document symbol.
        state_party: The State party.
        cycle: The follow-up cycle.
        as_of: The date it speaks for.
        status: Its follow-up status.
        scale: The scale, as ``id vN``.
        policy: The conflict policy.
        rubric_file: The rubric file and its sha256.
        evidence: The evidence files and their sha256.
    """

    rubric: str
    symbol: str
    state_party: str
    cycle: str
    as_of: dt.date
    status: Status
    scale: str
    policy: str
    rubric_file: FileRecord
    evidence: tuple[FileRecord, ...]


@attrs.frozen(kw_only=True)
class Comparison:
    """Two assessments of one rubric, side by side: what moved, and why.

    Attributes:
        old: The old assessment's facts.
        new: The new assessment's facts.
        ranked_on: The scale grades are ranked on (``cat-2015 v1``), or None.
        unranked: Why grades cannot be ranked, when ``ranked_on`` is None.
        context: Facts that differ: as-of date, reply, reminders, policy, settings,
            scale, rubric and evidence files.
        recommendations: Each recommendation's roll-up then and now.
        parts: Every part of either side, exactly once, in document order (the new
            rubric's, then parts only the old one has).
        criteria: Criteria whose counted finding changed, with the reasons.
        disputes: Disputes opened or resolved.
        overrides: Overrides added, removed, lapsed or changed.
        evidence: Evidence items added, removed or changed.
    """

    old: Side
    new: Side
    ranked_on: str | None
    unranked: str | None
    context: tuple[FieldChange, ...]
    recommendations: tuple[RecommendationChange, ...]
    parts: tuple[PartChange, ...]
    criteria: tuple[CriterionChange, ...]
    disputes: tuple[DisputeChange, ...]
    overrides: tuple[OverrideChange, ...]
    evidence: tuple[ItemChange, ...]

    def part(self, part_id: str) -> PartChange:
        """The change for *part_id*; `KeyError` if neither side has it."""
        for change in self.parts:
            if change.part == part_id:
                return change
        raise KeyError(part_id)

    def criterion(self, criterion_id: str) -> CriterionChange:
        """The change of *criterion_id*; `KeyError` if its finding did not change."""
        for change in self.criteria:
            if change.criterion == criterion_id:
                return change
        raise KeyError(criterion_id)

    def count(self, change: Change) -> int:
        """How many parts moved this way."""
        return sum(1 for p in self.parts if p.change is change)

    def to_json(self) -> str:
        """The comparison as deterministic JSON (format `COMPARISON_FORMAT`)."""
        return document_json(COMPARISON_FORMAT, self)


# -- shared by both comparisons ----------------------------------------------------------

#: How a value absent on one side is written.
ABSENT: Final = "—"

_T = TypeVar("_T")


def in_order(then: Mapping[str, _T], now: Mapping[str, _T]) -> list[str]:
    """The keys of *now* in its order, then the keys only *then* has, in its order."""
    return [*now, *(key for key in then if key not in now)]


def refuse_other_kinds(function: str, kind: type, other: tuple[type, str], *values: object) -> None:
    """Refuse any of *values* that is not a *kind*, naming the function for the *other* kind.

    Raises:
        TypeError: a value is not a *kind* (``compare takes two Assessments, not Rubric;
            to compare two rubrics use compare_rubrics``).
    """
    other_kind, other_function = other
    for value in values:
        if not isinstance(value, kind):
            hint = ""
            if isinstance(value, other_kind):
                hint = f"; to compare two {other_kind.__name__.lower()}s use {other_function}"
            raise TypeError(
                f"{function} takes two {kind.__name__}s, not {type(value).__name__}{hint}"
            )


def document_json(format_id: str, value: object) -> str:
    """*value* (an attrs instance) as deterministic JSON, headed by its ``format``."""
    from cat_rubric._convert import converter, iso_dates
    from cat_rubric._text import json_dumps

    data = {"format": format_id, **converter().unstructure(value)}
    return json_dumps(data, default=iso_dates) + "\n"


__all__ = [
    "ABSENT",
    "COMPARISON_FORMAT",
    "Change",
    "Comparison",
    "CriterionChange",
    "DisputeChange",
    "Edit",
    "FieldChange",
    "ItemChange",
    "ItemRef",
    "OverrideChange",
    "PartChange",
    "PartState",
    "Reason",
    "RecommendationChange",
    "Side",
    "Why",
    "document_json",
    "in_order",
    "refuse_other_kinds",
]
