"""Comparing two assessments: each part's grade then and now, and why it moved.

`compare` lines two assessments of one rubric up part by part, criterion by criterion
and item by item, and says for each criterion whose counted finding changed what
changed it: evidence that is new, a source that was dropped, an item whose finding or
date rule changed, an override added, removed or lapsed, or a change of policy or
settings. Everything is plain data (frozen attrs classes of text, numbers, dates and
enums), for tables, the JSON, an HTML report or a notebook alike.

Grades are ranked only on one scale: "improved" means a better letter on the scale
both assessments used (`cat_rubric.Scale.rank`). Two assessments on different scales
(or versions of one) are compared letter by letter and marked ``unranked``, never
ranked by a guess.

`compare_rubrics` compares two versions of a rubric: recommendations, parts and
criteria added, removed, reworded or renumbered, and what that does to evidence
gathered against the old version.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import attrs

from cat_rubric._evidence import EvidenceFile, Finding
from cat_rubric._model import LegalReference, Rubric, SourceKind
from cat_rubric._result import (
    Assessment,
    CriterionResult,
    FileRecord,
    ItemUse,
    OverrideRecord,
    PartResult,
    Record,
    Status,
    Use,
)
from cat_rubric._scales import Outcome, Scale
from cat_rubric.exceptions import AssessmentError, LoadError, Problem

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
        from cat_rubric._convert import converter, iso_dates
        from cat_rubric._text import json_dumps

        data = {"format": COMPARISON_FORMAT, **converter().unstructure(self)}
        return json_dumps(data, default=iso_dates) + "\n"


# -- comparing ---------------------------------------------------------------------------


def compare(old: Assessment, new: Assessment, *, scales: Iterable[Scale] = ()) -> Comparison:
    """Compare two assessments of one rubric: each part then and now, and why.

    Args:
        old: The earlier assessment (e.g. the State's reply alone, or last round's).
        new: The later one (e.g. with the NGOs' answer, or this round's).
        scales: Scales to rank grades with, besides the bundled ones: an assessment
            made on a scale file ranks only with that scale (same id, version and
            sha256 as its record).

    Raises:
        AssessmentError: the assessments are of different rubrics (follow recommendations
            across concluding observations with `cat_rubric.history` instead).
        TypeError: *old* or *new* is not an `Assessment` (two rubrics: `compare_rubrics`).
    """
    for side in (old, new):
        if not isinstance(side, Assessment):
            hint = "; to compare two rubrics use compare_rubrics" if _is_rubric(side) else ""
            raise TypeError(f"compare takes two Assessments, not {type(side).__name__}{hint}")
    if old.rubric != new.rubric:
        raise AssessmentError(
            f"the assessments are of different rubrics ({old.rubric!r} and {new.rubric!r}); "
            "compare assesses one rubric's follow-up over time — to follow recommendations "
            "across concluding observations, tag them with themes and use history"
        )
    scale, unranked = _ranking(old.record, new.record, tuple(scales))
    ctx = _Context(old, new, scale)
    parts, criteria, disputes = ctx.parts()
    return Comparison(
        old=_side(old),
        new=_side(new),
        ranked_on=None if scale is None else f"{scale.id} v{scale.version}",
        unranked=unranked,
        context=_context(old, new),
        recommendations=ctx.recommendations(),
        parts=parts,
        criteria=criteria,
        disputes=disputes,
        overrides=ctx.override_changes(),
        evidence=_item_changes(old.items, new.items),
    )


def _is_rubric(value: object) -> bool:
    return isinstance(value, Rubric)


def _scale_name(record: Record) -> str:
    return f"{record.scale} v{record.scale_version}"


def _scale_for(record: Record, scales: Sequence[Scale]) -> Scale | None:
    """The scale an assessment was made on, if it is at hand: given, or bundled."""
    from cat_rubric._convert import content_digest

    for s in scales:
        sha = s.origin.sha256 if s.origin is not None else content_digest(s)
        if (s.id, s.version, sha) == (record.scale, record.scale_version, record.scale_file.sha256):
            return s
    if record.scale_file.bundled:
        from cat_rubric._load import bundled_scales, load_scale

        if record.scale in bundled_scales():
            # A bundled scale keeps its letters within a version (docs/grading.md).
            found = load_scale(record.scale)
            if found.version == record.scale_version:
                return found
    return None


def _ranking(old: Record, new: Record, scales: Sequence[Scale]) -> tuple[Scale | None, str | None]:
    """The scale both sides' grades rank on, or None and why they cannot be ranked."""
    if (old.scale, old.scale_version) != (new.scale, new.scale_version):
        return None, (
            f"the old assessment is on scale {_scale_name(old)} and the new one on "
            f"{_scale_name(new)}: grades on different scales cannot be ranked"
        )
    a, b = _scale_for(old, scales), _scale_for(new, scales)
    if a is None or b is None:
        return None, (
            f"scale {_scale_name(old)} is not bundled and was not given: pass the scale file "
            "(--scale FILE, or scales=[load_scale(...)]) to rank the grades"
        )
    if a.letters != b.letters:
        return None, (
            f"the two files of scale {_scale_name(old)} have different letters: grades "
            "cannot be ranked"
        )
    return a, None


def _grade_change(
    then: str | None, now: str | None, scale: Scale | None, same_scale: bool
) -> Change:
    if then is None:
        return Change.UNCHANGED if now is None else Change.NEW
    if now is None:
        return Change.DROPPED
    if scale is None or then not in scale.letters or now not in scale.letters:
        return Change.UNCHANGED if same_scale and then == now else Change.UNRANKED
    a, b = scale.rank(then), scale.rank(now)
    return Change.UNCHANGED if a == b else Change.IMPROVED if b > a else Change.WORSENED


def _side(a: Assessment) -> Side:
    return Side(
        rubric=a.rubric,
        symbol=a.symbol,
        state_party=a.state_party,
        cycle=a.cycle,
        as_of=a.as_of,
        status=a.status,
        scale=_scale_name(a.record),
        policy=a.record.policy,
        rubric_file=a.record.rubric,
        evidence=a.record.evidence,
    )


_ABSENT: Final = "—"


def _context(old: Assessment, new: Assessment) -> tuple[FieldChange, ...]:
    """The facts that differ between the two assessments, in a fixed order."""

    def reply(a: Assessment) -> str:
        return f"received {a.reply_date}" if a.reply_received else "not received"

    def dates(a: Assessment) -> str:
        return ", ".join(str(d) for d in a.reminders) or "none"

    def scale(a: Assessment) -> str:
        f = a.record.scale_file
        return f"{_scale_name(a.record)} ({'bundled' if f.bundled else f.file}, {f.sha256[:12]})"

    pairs = [
        ("cycle", old.cycle, new.cycle),
        ("as_of", str(old.as_of), str(new.as_of)),
        ("due", str(old.due or _ABSENT), str(new.due or _ABSENT)),
        ("reply", reply(old), reply(new)),
        ("reminders", dates(old), dates(new)),
        ("status", old.status.value, new.status.value),
        ("scale", scale(old), scale(new)),
        ("policy", old.record.policy, new.record.policy),
    ]
    settings_then = dict(s.split("=", 1) for s in old.record.settings if "=" in s)
    settings_now = dict(s.split("=", 1) for s in new.record.settings if "=" in s)
    for name in sorted(settings_then.keys() | settings_now.keys()):
        pairs.append((name, settings_then.get(name, _ABSENT), settings_now.get(name, _ABSENT)))
    r_old, r_new = old.record.rubric, new.record.rubric
    pairs.append(
        ("rubric", f"{r_old.file} ({r_old.sha256[:12]})", f"{r_new.file} ({r_new.sha256[:12]})")
    )
    files_then = {f.file: f.sha256 for f in old.record.evidence}
    files_now = {f.file: f.sha256 for f in new.record.evidence}
    for name in sorted(files_then.keys() | files_now.keys()):
        # A file on one side is given or not (its sha256 is in the sides' records); one on
        # both sides shows whether its content changed.
        both = name in files_then and name in files_now
        pairs.append(
            (
                f"evidence {name}",
                files_then[name][:12] if both else "given" if name in files_then else "not given",
                files_now[name][:12] if both else "given" if name in files_now else "not given",
            )
        )
    # The rubric's sha256 alone can differ (a file named differently, a copy): compare it.
    out = []
    for name, then, now in pairs:
        if name == "rubric" and r_old.sha256 == r_new.sha256:
            continue
        if then != now:
            out.append(FieldChange(field=name, then=then, now=now))
    return tuple(out)


def _settings_differ(old: Record, new: Record) -> bool:
    return (old.policy, old.settings) != (new.policy, new.settings)


_Key = tuple[str, str]  # (file, item)


def _ref(use: ItemUse) -> ItemRef:
    return ItemRef(
        file=use.file,
        item=use.item,
        source_kind=use.source_kind,
        finding=use.effective,
        use=use.use,
    )


def _label(use: ItemUse) -> str:
    return f"{use.item} ({use.source_kind.value})"


def _uses_by_criterion(items: Sequence[ItemUse]) -> dict[str, dict[_Key, ItemUse]]:
    out: dict[str, dict[_Key, ItemUse]] = {}
    for use in items:
        out.setdefault(use.criterion, {})[(use.file, use.item)] = use
    return out


def _overrides(records: Sequence[OverrideRecord]) -> dict[str, OverrideRecord]:
    return {r.target: r for r in records}


def _applied(record: OverrideRecord | None) -> str | None:
    return record.value if record is not None and record.applied else None


def _not_applied(record: OverrideRecord, as_of: dt.date) -> str:
    if record.date > as_of:
        return f"it is dated {record.date}, after the as-of date {as_of}"
    return f"it lapsed on {record.until}"


def _override_reason(target: str, then: _Dated, now: _Dated) -> tuple[Why, str] | None:
    """How an override's effect differs between the sides, or None if it does not.

    Each side is the override's record (or None) with that side's as-of date.
    """
    (ra, as_of_a), (rb, as_of_b) = then, now
    a, b = _applied(ra), _applied(rb)
    if a == b:
        return None
    if a is None:
        assert rb is not None
        if ra is None:
            return Why.OVERRIDE_ADDED, f"override of {target} added: {b} (engine {rb.engine})"
        why = _not_applied(ra, as_of_a)
        return Why.OVERRIDE_APPLIES, f"override of {target} ({b}) applies now; then {why}"
    if b is None:
        if rb is None:
            return Why.OVERRIDE_REMOVED, f"override of {target} ({a}) removed"
        why = _not_applied(rb, as_of_b)
        return Why.OVERRIDE_LAPSED, f"override of {target} ({a}) no longer applies: {why}"
    return Why.OVERRIDE_CHANGED, f"override of {target} changed: {a} → {b}"


#: An override's record on one side (or None), with that side's as-of date.
_Dated = tuple[OverrideRecord | None, dt.date]


class _Context:
    """What comparing the parts and criteria of two assessments shares."""

    def __init__(self, old: Assessment, new: Assessment, scale: Scale | None) -> None:
        self.old, self.new, self.scale = old, new, scale
        self.same_scale = (old.record.scale, old.record.scale_version) == (
            new.record.scale,
            new.record.scale_version,
        )
        self.uses_then = _uses_by_criterion(old.items)
        self.uses_now = _uses_by_criterion(new.items)
        self.over_then = _overrides(old.overrides)
        self.over_now = _overrides(new.overrides)
        self.settings_differ = _settings_differ(old.record, new.record)
        self.rank = _finding_rank(new.record)

    def _override(self, target: str) -> tuple[Why, str] | None:
        return _override_reason(
            target,
            (self.over_then.get(target), self.old.as_of),
            (self.over_now.get(target), self.new.as_of),
        )

    def recommendations(self) -> tuple[RecommendationChange, ...]:
        then = {r.id: r for r in self.old.recommendations}
        now = {r.id: r for r in self.new.recommendations}
        order = [*now, *(k for k in then if k not in now)]
        out = []
        for key in order:
            a, b = then.get(key), now.get(key)
            ref = b or a
            assert ref is not None
            grade_a = None if a is None else a.grade
            grade_b = None if b is None else b.grade
            out.append(
                RecommendationChange(
                    recommendation=key,
                    paragraph=ref.paragraph,
                    title=ref.title,
                    then=grade_a,
                    now=grade_b,
                    present_then=a is not None,
                    present_now=b is not None,
                    change=_grade_change(grade_a, grade_b, self.scale, self.same_scale),
                )
            )
        return tuple(out)

    def parts(
        self,
    ) -> tuple[tuple[PartChange, ...], tuple[CriterionChange, ...], tuple[DisputeChange, ...]]:
        then = {p.id: (r, p) for r in self.old.recommendations for p in r.parts}
        now = {p.id: (r, p) for r in self.new.recommendations for p in r.parts}
        order = [*now, *(k for k in then if k not in now)]
        parts: list[PartChange] = []
        criteria: list[CriterionChange] = []
        disputes: list[DisputeChange] = []
        for key in order:
            a, b = then.get(key), now.get(key)
            rec, ref = b or a  # type: ignore[misc]
            pa = None if a is None else a[1]
            pb = None if b is None else b[1]
            changed = self._criteria(key, pa, pb)
            criteria.extend(changed)
            disputes.extend(self._disputes(key, pa, pb))
            state_a, state_b = _state(pa), _state(pb)
            change = _grade_change(
                None if state_a is None else state_a.grade,
                None if state_b is None else state_b.grade,
                self.scale,
                self.same_scale,
            )
            parts.append(
                PartChange(
                    part=key,
                    recommendation=rec.id,
                    paragraph=rec.paragraph,
                    title=ref.title,
                    then=state_a,
                    now=state_b,
                    change=change,
                    reasons=self._part_reasons(key, pa, pb, change, changed),
                )
            )
        return tuple(parts), tuple(criteria), tuple(disputes)

    def _criteria(
        self, part: str, a: PartResult | None, b: PartResult | None
    ) -> list[CriterionChange]:
        then = {} if a is None else {c.id: c for c in a.criteria}
        now = {} if b is None else {c.id: c for c in b.criteria}
        out = []
        for crit in [*now, *(k for k in then if k not in now)]:
            ca, cb = then.get(crit), now.get(crit)
            fa = None if ca is None else ca.finding
            fb = None if cb is None else cb.finding
            if fa is fb:
                continue
            out.append(
                CriterionChange(
                    criterion=crit,
                    part=part,
                    then=fa,
                    now=fb,
                    disputed_then=ca is not None and ca.disputed,
                    disputed_now=cb is not None and cb.disputed,
                    reasons=self._criterion_reasons(crit, ca, cb),
                )
            )
        return out

    def _criterion_reasons(
        self, crit: str, a: CriterionResult | None, b: CriterionResult | None
    ) -> tuple[Reason, ...]:
        if a is None:
            return (
                Reason(
                    why=Why.CRITERION_ADDED, text=f"{crit} is new to the rubric", criterion=crit
                ),
            )
        if b is None:
            return (
                Reason(
                    why=Why.CRITERION_REMOVED,
                    text=f"{crit} is no longer in the rubric",
                    criterion=crit,
                ),
            )
        then = self.uses_then.get(crit, {})
        now = self.uses_now.get(crit, {})
        reasons: list[Reason] = []
        for key in sorted(now.keys() - then.keys()):
            use = now[key]
            if use.use is Use.COUNTED:
                reasons.append(
                    Reason(
                        why=Why.NEW_EVIDENCE,
                        text=f"new evidence: {_label(use)} counts {use.effective.value}",
                        criterion=crit,
                        items=(_ref(use),),
                    )
                )
        for key in sorted(then.keys() - now.keys()):
            use = then[key]
            if use.use is Use.COUNTED:
                reasons.append(
                    Reason(
                        why=Why.SOURCE_DROPPED,
                        text=f"source dropped: {_label(use)} counted {use.effective.value}",
                        criterion=crit,
                        items=(_ref(use),),
                    )
                )
        settings = False
        for key in sorted(then.keys() & now.keys()):
            u, v = then[key], now[key]
            if Use.COUNTED not in (u.use, v.use):
                continue  # it decided nothing on either side
            items = (_ref(u), _ref(v))
            if u.finding is not v.finding:
                reasons.append(
                    Reason(
                        why=Why.EVIDENCE_CHANGED,
                        text=f"evidence changed: {_label(v)} now reports {v.finding.value}, not "
                        f"{u.finding.value}",
                        criterion=crit,
                        items=items,
                    )
                )
            elif u.effective is not v.effective or _by_date(u) != _by_date(v):
                reasons.append(
                    Reason(
                        why=Why.DATE_RULE,
                        text=f"date rule: {_label(v)} {_date_words(u)} then, {_date_words(v)} now",
                        criterion=crit,
                        items=items,
                    )
                )
            elif u.use is not v.use and self.settings_differ:
                settings = True
        found = self._override(f"criterion {crit}")
        if found is not None:
            reasons.append(Reason(why=found[0], text=found[1], criterion=crit))
        if settings or (not reasons and self.settings_differ):
            reasons.append(
                Reason(
                    why=Why.SETTINGS,
                    text=f"settings: the same items count differently under policy "
                    f"{self.new.record.policy} ({', '.join(self.new.record.settings)}) than under "
                    f"{self.old.record.policy} ({', '.join(self.old.record.settings)})",
                    criterion=crit,
                )
            )
        if not reasons:
            reasons.append(
                Reason(
                    why=Why.UNEXPLAINED,
                    text="the items recorded on it are the same on both sides",
                    criterion=crit,
                )
            )
        return tuple(reasons)

    def _disputes(
        self, part: str, a: PartResult | None, b: PartResult | None
    ) -> list[DisputeChange]:
        then = {} if a is None else {c.id: c for c in a.criteria}
        now = {} if b is None else {c.id: c for c in b.criteria}
        out = []
        for crit in [*now, *(k for k in then if k not in now)]:
            ca, cb = then.get(crit), now.get(crit)
            was = ca is not None and ca.disputed
            is_ = cb is not None and cb.disputed
            if was == is_:
                continue
            where = cb if is_ else ca
            assert where is not None
            uses = (self.uses_now if is_ else self.uses_then).get(crit, {})
            rank = self.rank if is_ else _finding_rank(self.old.record)
            state, independent = _dispute_items(where, uses, rank)
            out.append(
                DisputeChange(
                    criterion=crit,
                    part=part,
                    edit=Edit.ADDED if is_ else Edit.REMOVED,
                    state=state,
                    independent=independent,
                    counted_then=None if ca is None else ca.finding,
                    counted_now=None if cb is None else cb.finding,
                )
            )
        return out

    def _part_reasons(
        self,
        part: str,
        a: PartResult | None,
        b: PartResult | None,
        change: Change,
        criteria: list[CriterionChange],
    ) -> tuple[Reason, ...]:
        if a is None:
            return (Reason(why=Why.PART_ADDED, text=f"part {part} is new to the rubric"),)
        if b is None:
            return (Reason(why=Why.PART_REMOVED, text=f"part {part} is no longer in the rubric"),)
        reasons: list[Reason] = []
        if (a.status, a.rule) != (b.status, b.rule) and (_by_status(a) or _by_status(b)):
            reasons.append(
                Reason(
                    why=Why.STATUS,
                    text=f"follow-up status: {_status_words(self.old, a)} then, "
                    f"{_status_words(self.new, b)} now",
                )
            )
        for c in criteria:
            then = _ABSENT if c.then is None else c.then.value
            now = _ABSENT if c.now is None else c.now.value
            detail = "; ".join(r.text for r in c.reasons)
            items = tuple(i for r in c.reasons for i in r.items)
            reasons.append(
                Reason(
                    why=Why.CRITERION,
                    text=f"{c.criterion}: {then} → {now} ({detail})",
                    criterion=c.criterion,
                    items=items,
                )
            )
        found = self._override(f"part {part}")
        if found is not None:
            reasons.append(Reason(why=found[0], text=found[1]))
        grades_differ = (a.grade, a.engine_grade) != (b.grade, b.engine_grade)
        if grades_differ and not self.same_scale:
            reasons.append(
                Reason(
                    why=Why.SCALE,
                    text=f"scale {_scale_name(self.old.record)} then, "
                    f"{_scale_name(self.new.record)} now",
                )
            )
        if (grades_differ or change is not Change.UNCHANGED) and not reasons:
            if self.old.record.rubric.sha256 != self.new.record.rubric.sha256:
                reasons.append(
                    Reason(
                        why=Why.RUBRIC,
                        text="the rubric differs (its sha256): compare the two versions with "
                        "compare_rubrics (cat-rubric diff OLD.yaml NEW.yaml)",
                    )
                )
            elif self.settings_differ:
                reasons.append(
                    Reason(why=Why.SETTINGS, text="the settings differ (see the context)")
                )
            else:
                reasons.append(
                    Reason(
                        why=Why.UNEXPLAINED,
                        text=f"rule {a.rule} then, {b.rule} now, with the same findings",
                    )
                )
        return tuple(reasons)

    def override_changes(self) -> tuple[OverrideChange, ...]:
        out = []
        for target in sorted(self.over_then.keys() | self.over_now.keys()):
            a, b = self.over_then.get(target), self.over_now.get(target)
            found = self._override(target)
            if found is None:
                continue
            ref = b or a
            assert ref is not None
            out.append(
                OverrideChange(
                    target=target,
                    why=found[0],
                    then=_applied(a),
                    now=_applied(b),
                    by=ref.by,
                    reason=ref.reason,
                    file=ref.file,
                )
            )
        return tuple(out)


def _by_status(p: PartResult) -> bool:
    """Whether the follow-up status decided the part (pending, awaiting a reminder, no reply)."""
    return p.status is not Status.GRADED or p.outcome is Outcome.NO_REPLY


def _status_words(a: Assessment, p: PartResult) -> str:
    if _by_status(p):
        return f"{p.status.value} ({p.rule})"
    reply = f"reply received {a.reply_date}" if a.reply_received else "no reply"
    return f"{p.status.value} ({reply})"


def _by_date(use: ItemUse) -> bool:
    """Whether the item was set aside by a date rule (dated after the as-of date)."""
    return use.use is Use.IGNORED and "after the as-of date" in use.reason


def _date_words(use: ItemUse) -> str:
    if _by_date(use):
        return f"ignored ({use.reason})"
    flags = f" ({'; '.join(use.flags)})" if use.flags else ""
    return f"{use.use.value} as {use.effective.value}{flags}"


def _finding_rank(record: Record) -> dict[Finding, int]:
    from cat_rubric._rules import Settings

    refusal = "refusal_is_contrary=false" not in record.settings
    return Settings(refusal_is_contrary=refusal).rank()


def _dispute_items(
    result: CriterionResult, uses: dict[_Key, ItemUse], rank: dict[Finding, int]
) -> tuple[tuple[ItemRef, ...], tuple[ItemRef, ...]]:
    """The State's items, and the independent items that contradict its claim."""
    considered = [u for _, u in sorted(uses.items()) if u.use is not Use.IGNORED]
    state = tuple(_ref(u) for u in considered if not u.source_kind.independent)
    claim = result.state_finding
    independent = tuple(
        _ref(u)
        for u in considered
        if u.source_kind.independent and (claim is None or rank[u.effective] < rank[claim])
    )
    return state, independent


def _state(p: PartResult | None) -> PartState | None:
    if p is None:
        return None
    override = p.override.value if p.override is not None and p.override.applied else None
    return PartState(
        status=p.status,
        grade=p.grade,
        engine_grade=p.engine_grade,
        rule=p.rule,
        score=p.score.value,
        override=override,
    )


def _best_use(uses: Sequence[ItemUse]) -> Use | None:
    found = {u.use for u in uses}
    return next((u for u in (Use.COUNTED, Use.OUTWEIGHED, Use.IGNORED) if u in found), None)


def _ignored_reason(uses: Sequence[ItemUse]) -> str:
    if uses and all(u.use is Use.IGNORED for u in uses):
        return "; ".join(sorted({u.reason for u in uses}))
    return ""


def _item_changes(old: Sequence[ItemUse], new: Sequence[ItemUse]) -> tuple[ItemChange, ...]:
    """Items added, removed or changed, by file and item id, sorted by both."""

    def by_item(uses: Sequence[ItemUse]) -> dict[_Key, list[ItemUse]]:
        out: dict[_Key, list[ItemUse]] = {}
        for u in uses:
            out.setdefault((u.file, u.item), []).append(u)
        return out

    then, now = by_item(old), by_item(new)
    out = []
    for key in sorted(then.keys() | now.keys()):
        a, b = then.get(key, []), now.get(key, [])
        ref = (b or a)[0]
        crit_a = tuple(sorted({u.criterion for u in a}))
        crit_b = tuple(sorted({u.criterion for u in b}))
        if not a:
            edit = Edit.ADDED
        elif not b:
            edit = Edit.REMOVED
        elif (crit_a, a[0].finding, a[0].citation, a[0].passage) != (
            crit_b,
            b[0].finding,
            b[0].citation,
            b[0].passage,
        ):
            edit = Edit.CHANGED
        else:
            continue
        out.append(
            ItemChange(
                file=key[0],
                item=key[1],
                edit=edit,
                source_kind=ref.source_kind,
                criteria_then=crit_a,
                criteria_now=crit_b,
                finding_then=a[0].finding if a else None,
                finding_now=b[0].finding if b else None,
                use_then=_best_use(a),
                use_now=_best_use(b),
                reason=_ignored_reason(b or a),
                citation=ref.citation,
                illustrative=ref.illustrative,
            )
        )
    return tuple(out)


# -- two versions of a rubric --------------------------------------------------------


class Level(enum.Enum):
    """What a rubric change is about."""

    RECOMMENDATION = "recommendation"
    PART = "part"
    CRITERION = "criterion"


class Impact(enum.Enum):
    """What a rubric change does to an evidence item (or override) gathered against the old."""

    CRITERION_REMOVED = "criterion-removed"
    """Its criterion is not in the new rubric: the item would bear on nothing there."""
    CRITERION_CHANGED = "criterion-changed"
    """Its criterion is reworded, moved or re-weighted: review the item against it."""
    PART_REMOVED = "part-removed"
    """The part an override grades is not in the new rubric."""
    PART_CHANGED = "part-changed"
    """The part an override grades is reworded or moved."""
    UNKNOWN = "unknown"
    """It names a criterion (or part) the old rubric does not have either."""


#: Fields whose change is a rewording: the Committee's or the drafter's words.
TEXT_FIELDS: Final = frozenset(
    {"title", "concern", "recommendation", "label", "text", "statement", "guidance", "request"}
)


@attrs.frozen(kw_only=True)
class RubricFieldChange:
    """One field of a rubric, a recommendation, a part or a criterion that differs.

    Attributes:
        field: The YAML key (``statement``, ``paragraph``, ``follow_up.due`` ...); for a
            part, ``recommendation`` is the recommendation it belongs to, for a criterion
            ``part`` the part.
        old: The old value, as text (``—`` when absent).
        new: The new value, as text.
    """

    field: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class ElementChange:
    """A recommendation, part or criterion added, removed or changed (matched by id).

    Attributes:
        level: Recommendation, part or criterion.
        id: Its id.
        edit: Added, removed or changed.
        fields: For a change, each field that differs, old and new.
    """

    level: Level
    id: str
    edit: Edit
    fields: tuple[RubricFieldChange, ...] = ()

    @property
    def reworded(self) -> bool:
        """Whether its words changed (title, statement, guidance, request, text ...)."""
        return any(f.field in TEXT_FIELDS for f in self.fields)

    @property
    def moved(self) -> bool:
        """Whether a part moved to another recommendation, or a criterion to another part."""
        return any(f.field in ("recommendation", "part") for f in self.fields)

    @property
    def kinds(self) -> tuple[str, ...]:
        """What kind of change it is, in words.

        ``added`` or ``removed``; for a change, any of ``reworded``, ``renumbered``,
        ``moved`` and ``changed`` (another field: an essential flag, a weight, the
        evidence kinds, the articles, the themes).
        """
        if self.edit is not Edit.CHANGED:
            return (self.edit.value,)
        names = {f.field for f in self.fields}
        other = names - TEXT_FIELDS - {"paragraph", "recommendation", "part"}
        found = (
            ("reworded", self.reworded),
            ("renumbered", "paragraph" in names),
            ("moved", self.moved),
            ("changed", bool(other)),
        )
        return tuple(word for word, on in found if on)


@attrs.frozen(kw_only=True)
class Renumbering:
    """A recommendation whose paragraph number changed.

    Attributes:
        recommendation: Its id.
        old: Its old paragraph number.
        new: Its new paragraph number.
    """

    recommendation: str
    old: int
    new: int


@attrs.frozen(kw_only=True)
class Affected:
    """An evidence item or override gathered against the old rubric that a change touches.

    Attributes:
        file: The evidence file.
        item: The item's id, or the override's target (``criterion X``, ``part Y``).
        override: Whether it is an override rather than an item.
        criterion: The criterion it names (None for a part override).
        part: The part it names (a part override), or the criterion's old part.
        impact: What the change does to it.
        detail: What changed, in words (the fields, or that it is gone).
    """

    file: str
    item: str
    override: bool
    criterion: str | None
    part: str | None
    impact: Impact
    detail: str


@attrs.frozen(kw_only=True)
class EvidenceCheck:
    """Which version of the rubric an evidence file says it was gathered against.

    Attributes:
        file: The evidence file.
        rubric_sha256: The sha256 it records (None if it records none).
        against: ``old``, ``new``, ``neither`` (another version), or ``unknown`` (no
            sha256 recorded, or a rubric not loaded from a file).
    """

    file: str
    rubric_sha256: str | None
    against: str


@attrs.frozen(kw_only=True)
class RubricSide:
    """One version of the rubric.

    Attributes:
        id: Its id.
        symbol: Its document symbol.
        file: The file it was loaded from (or ``<in memory>``).
        sha256: The sha256 of its bytes (of its canonical JSON, if built in memory).
    """

    id: str
    symbol: str
    file: str
    sha256: str


@attrs.frozen(kw_only=True)
class RubricComparison:
    """Two versions of a rubric, and what the change does to evidence gathered on the old.

    Attributes:
        old: The old version.
        new: The new version.
        header: The rubric's own fields that differ (symbol, adoption, follow-up ...).
        recommendations: Recommendations added, removed or changed.
        parts: Parts added, removed or changed (a moved part names its recommendations).
        criteria: Criteria added, removed or changed.
        renumbered: Recommendations whose paragraph number changed.
        affected: Evidence items and overrides a change touches; every item on a removed
            criterion is listed, never dropped.
        evidence: Which version each evidence file was gathered against.
    """

    old: RubricSide
    new: RubricSide
    header: tuple[RubricFieldChange, ...]
    recommendations: tuple[ElementChange, ...]
    parts: tuple[ElementChange, ...]
    criteria: tuple[ElementChange, ...]
    renumbered: tuple[Renumbering, ...]
    affected: tuple[Affected, ...]
    evidence: tuple[EvidenceCheck, ...]

    @property
    def empty(self) -> bool:
        """Whether the two versions are the same, field for field."""
        return not (self.header or self.recommendations or self.parts or self.criteria)

    def to_json(self) -> str:
        """The comparison as deterministic JSON (format `RUBRIC_COMPARISON_FORMAT`)."""
        from cat_rubric._convert import converter, iso_dates
        from cat_rubric._text import json_dumps

        data = {"format": RUBRIC_COMPARISON_FORMAT, **converter().unstructure(self)}
        return json_dumps(data, default=iso_dates) + "\n"


#: The version of the JSON document `RubricComparison.to_json` writes.
RUBRIC_COMPARISON_FORMAT: Final = "cat-rubric-rubric-comparison/1"


def compare_rubrics(
    old: Rubric, new: Rubric, *, evidence: Iterable[EvidenceFile] = ()
) -> RubricComparison:
    """Compare two versions of a rubric, by id: what was added, removed, reworded, renumbered.

    Args:
        old: The old version.
        new: The new version.
        evidence: Evidence files gathered against the old version: every item (and
            override) whose criterion or part the change removes or rewords is listed.

    Raises:
        AssessmentError: an evidence file is for another rubric.
        TypeError: *old* or *new* is not a `Rubric` (two assessments: `compare`).
    """
    for side in (old, new):
        if not isinstance(side, Rubric):
            raise TypeError(
                f"compare_rubrics takes two Rubrics, not {type(side).__name__}"
                + (
                    "; to compare two assessments use compare"
                    if isinstance(side, Assessment)
                    else ""
                )
            )
    files = tuple(evidence)
    for f in files:
        if f.rubric not in (old.id, new.id):
            raise AssessmentError(
                f"{f.file}: this evidence is for rubric {f.rubric!r}, not {old.id!r}"
            )
    recs = _elements(
        Level.RECOMMENDATION,
        {r.id: (r, "") for r in old.recommendations},
        {r.id: (r, "") for r in new.recommendations},
    )
    parts = _elements(
        Level.PART,
        {p.id: (p, r.id) for r, p in old.iter_parts()},
        {p.id: (p, r.id) for r, p in new.iter_parts()},
    )
    criteria = _elements(
        Level.CRITERION,
        {c.id: (c, p.id) for _, p, c in old.iter_criteria()},
        {c.id: (c, p.id) for _, p, c in new.iter_criteria()},
    )
    new_paras = {r.id: r.paragraph for r in new.recommendations}
    renumbered = tuple(
        Renumbering(recommendation=r.id, old=r.paragraph, new=new_paras[r.id])
        for r in old.recommendations
        if r.id in new_paras and new_paras[r.id] != r.paragraph
    )
    return RubricComparison(
        old=_rubric_side(old),
        new=_rubric_side(new),
        header=_header_changes(old, new),
        recommendations=recs,
        parts=parts,
        criteria=criteria,
        renumbered=renumbered,
        affected=_affected(old, {c.id: c for c in criteria}, {p.id: p for p in parts}, files),
        evidence=tuple(_evidence_check(f, old, new) for f in sorted(files, key=_file_key)),
    )


def _file_key(f: EvidenceFile) -> tuple[str, str]:
    return (f.file, f.origin.sha256 if f.origin is not None else "")


def _rubric_side(r: Rubric) -> RubricSide:
    from cat_rubric._convert import content_digest

    if r.origin is not None:
        return RubricSide(id=r.id, symbol=r.symbol, file=r.origin.file, sha256=r.origin.sha256)
    return RubricSide(id=r.id, symbol=r.symbol, file="<in memory>", sha256=content_digest(r))


def _evidence_check(f: EvidenceFile, old: Rubric, new: Rubric) -> EvidenceCheck:
    digest = f.rubric_sha256
    against = "unknown"
    if digest is not None:
        shas = {
            side: r.origin.sha256
            for side, r in (("old", old), ("new", new))
            if r.origin is not None
        }
        matches = [side for side, sha in shas.items() if sha == digest]
        if matches:
            against = matches[0]
        elif len(shas) == 2:
            against = "neither"
    return EvidenceCheck(file=f.file, rubric_sha256=digest, against=against)


def _text(value: object) -> str:
    """A field's value as text: never a Python repr."""
    if value is None:
        return _ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, LegalReference):
        note = f"; {value.note}" if value.note else ""
        return f"{value.instrument} art. {value.article} ({value.title}{note})"
    if isinstance(value, tuple):
        sep = "; " if any(isinstance(v, LegalReference) for v in value) else ", "
        return sep.join(_text(v) for v in value) if value else "none"
    return str(value)


#: The fields compared at each level, in the order they are listed (children are
#: compared as elements of their own, so ``parts`` and ``criteria`` are not fields).
_FIELDS: Final = {
    Level.RECOMMENDATION: (
        "paragraph", "title", "articles", "themes", "concern", "recommendation",
    ),
    Level.PART: ("label", "title", "text"),
    Level.CRITERION: (
        "statement", "indicator", "essential", "weight", "evidence", "guidance", "request",
        "legal_references",
    ),
}  # fmt: skip
_PARENT: Final = {Level.RECOMMENDATION: "", Level.PART: "recommendation", Level.CRITERION: "part"}


def _elements(
    level: Level, old: dict[str, tuple[object, str]], new: dict[str, tuple[object, str]]
) -> tuple[ElementChange, ...]:
    """Elements added, removed or changed: in the new document's order, then the removed."""
    out = []
    for key in [*new, *(k for k in old if k not in new)]:
        if key not in old:
            out.append(ElementChange(level=level, id=key, edit=Edit.ADDED))
            continue
        if key not in new:
            out.append(ElementChange(level=level, id=key, edit=Edit.REMOVED))
            continue
        (a, parent_a), (b, parent_b) = old[key], new[key]
        fields = []
        if parent_a != parent_b:
            fields.append(RubricFieldChange(field=_PARENT[level], old=parent_a, new=parent_b))
        for name in _FIELDS[level]:
            va, vb = getattr(a, name), getattr(b, name)
            if va != vb:
                fields.append(RubricFieldChange(field=name, old=_text(va), new=_text(vb)))
        if fields:
            out.append(ElementChange(level=level, id=key, edit=Edit.CHANGED, fields=tuple(fields)))
    return tuple(out)


def _header_changes(old: Rubric, new: Rubric) -> tuple[RubricFieldChange, ...]:
    names = (
        "id", "title", "treaty_body", "state_party", "symbol", "session", "adopted", "scale",
        "language", "source_url", "notes",
    )  # fmt: skip
    out = [
        RubricFieldChange(field=n, old=_text(getattr(old, n)), new=_text(getattr(new, n)))
        for n in names
        if getattr(old, n) != getattr(new, n)
    ]
    for n in ("paragraph", "recommendations", "within_months", "due", "text"):
        va, vb = getattr(old.follow_up, n), getattr(new.follow_up, n)
        if va != vb:
            out.append(RubricFieldChange(field=f"follow_up.{n}", old=_text(va), new=_text(vb)))
    return tuple(out)


def _affected(
    old: Rubric,
    criteria: dict[str, ElementChange],
    parts: dict[str, ElementChange],
    files: Sequence[EvidenceFile],
) -> tuple[Affected, ...]:
    """Every item and override that names a criterion or part the change touches."""
    old_part = {c.id: p.id for _, p, c in old.iter_criteria()}
    old_parts = {p.id for _, p in old.iter_parts()}
    out: list[Affected] = []

    def criterion(file: str, item: str, crit: str, override: bool) -> None:
        change = criteria.get(crit)
        if crit not in old_part:
            impact, detail = Impact.UNKNOWN, f"the old rubric has no criterion {crit} either"
        elif change is None:
            return
        elif change.edit is Edit.REMOVED:
            impact, detail = Impact.CRITERION_REMOVED, f"criterion {crit} is not in the new rubric"
        else:
            impact = Impact.CRITERION_CHANGED
            detail = f"criterion {crit} changed: {', '.join(f.field for f in change.fields)}"
        out.append(
            Affected(
                file=file,
                item=item,
                override=override,
                criterion=crit,
                part=old_part.get(crit),
                impact=impact,
                detail=detail,
            )
        )

    for f in sorted(files, key=_file_key):
        for it in sorted(f.items, key=lambda i: i.id):
            for crit in it.criteria:
                criterion(f.file, it.id, crit, override=False)
        for o in f.overrides:
            if o.criterion is not None:
                criterion(f.file, o.target, o.criterion, override=True)
                continue
            part = o.part or ""
            change = parts.get(part)
            if part not in old_parts:
                impact, detail = Impact.UNKNOWN, f"the old rubric has no part {part} either"
            elif change is None:
                continue
            elif change.edit is Edit.REMOVED:
                impact, detail = Impact.PART_REMOVED, f"part {part} is not in the new rubric"
            else:
                impact = Impact.PART_CHANGED
                detail = f"part {part} changed: {', '.join(f.field for f in change.fields)}"
            out.append(
                Affected(
                    file=f.file,
                    item=o.target,
                    override=True,
                    criterion=None,
                    part=part,
                    impact=impact,
                    detail=detail,
                )
            )
    return tuple(out)


# -- reading the sides of `cat-rubric diff` --------------------------------------------


def read_side(name: str) -> Assessment | Rubric:
    """One side of ``cat-rubric diff``: an assessment JSON file, or a rubric.

    *name* is a file when it is a path by the one rule (docs/format.md: a ``/``, or
    ``.yaml``/``.yml`` at the end) or ends in ``.json``; anything else is a bundled
    rubric's id. A file is told by its content, never by its name: one whose first
    character (after white space) is ``{`` is JSON and must be an assessment
    (`Assessment.from_json`); any other is YAML and must be a rubric.

    Raises:
        LoadError: the file has problems (located by line and column).
        NotFoundError: *name* is an id, and no bundled rubric has it.
        AssessmentError: the file is an evidence or scale file.
    """
    from pathlib import Path

    from cat_rubric._load import load_any, load_rubric
    from cat_rubric._resolve import is_path
    from cat_rubric._text import display_name
    from cat_rubric._yaml import Limits, read_bytes

    if not (is_path(name) or name.endswith(".json")):
        return load_rubric(name)
    shown = display_name(name)
    data = read_bytes(Path(name), Limits(), name=shown)
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{":
        return Assessment.from_json(data, file=shown)
    model = load_any(name)
    if isinstance(model, Rubric):
        return model
    what = "an evidence file" if isinstance(model, EvidenceFile) else "a scale"
    raise AssessmentError(
        f"{shown} is {what}; diff compares two assessments (JSON, from cat-rubric score "
        "--format json) or two rubrics. To compare evidence, assess each side: --old RUBRIC "
        "EVIDENCE... --new RUBRIC EVIDENCE..."
    )


def read_assessment(name: str) -> Assessment:
    """An assessment JSON file (for ``cat-rubric history``); never a bundled id.

    Raises:
        LoadError: the file is not an assessment as cat_rubric writes it.
    """
    from pathlib import Path

    from cat_rubric._text import display_name
    from cat_rubric._yaml import Limits, read_bytes

    shown = display_name(name)
    data = read_bytes(Path(name), Limits(), name=shown)
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] != b"{":
        raise LoadError(
            (
                Problem(
                    file=shown,
                    line=1,
                    column=1,
                    path=(),
                    code="unknown-format",
                    message="this is not an assessment's JSON (it does not begin with '{'); "
                    "write one with cat-rubric score RUBRIC EVIDENCE... --format json -o FILE",
                ),
            )
        )
    return Assessment.from_json(data, file=shown)


# -- rendering ---------------------------------------------------------------------------


def _f(finding: Finding | None) -> str:
    return _ABSENT if finding is None else finding.value


def _g(grade: str | None) -> str:
    return grade or _ABSENT


def _refs(refs: Sequence[ItemRef]) -> str:
    return ", ".join(f"{r.item} ({r.source_kind.value}): {r.finding.value}" for r in refs)


def _count_words(c: Comparison) -> str:
    moved = [f"{c.count(k)} {k.value}" for k in Change if c.count(k) and k is not Change.UNCHANGED]
    opened = sum(1 for d in c.disputes if d.opened)
    edits = {e: sum(1 for i in c.evidence if i.edit is e) for e in Edit}
    return (
        f"{_n(len(c.parts), 'part')}: "
        f"{', '.join([*moved, f'{c.count(Change.UNCHANGED)} unchanged'])}; "
        f"{_n(len(c.criteria), 'criterion', 'criteria')} changed; "
        f"{_n(opened, 'dispute')} opened, {len(c.disputes) - opened} resolved; "
        f"{_n(len(c.overrides), 'override')} changed; "
        f"{_n(edits[Edit.ADDED], 'item')} added, {edits[Edit.REMOVED]} removed, "
        f"{edits[Edit.CHANGED]} changed"
    )


def _n(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _side_words(s: Side) -> str:
    files = len(s.evidence)
    return (
        f"{s.cycle}, as of {s.as_of}, {s.status.value}; {files} evidence "
        f"{'file' if files == 1 else 'files'}; policy {s.policy}; scale {s.scale}"
    )


#: A logical line: (bullet depth, text not yet escaped). Depth 0 is a plain line.
_Line = tuple[int, str]


def _sections(c: Comparison) -> list[tuple[str, list[_Line]]]:
    """The comparison after its table, as titled sections of logical lines."""
    why: list[_Line] = []
    for p in c.parts:
        if not p.reasons:
            continue
        then = _g(p.grade_then) if p.then is not None else "absent"
        now = _g(p.grade_now) if p.now is not None else "absent"
        though = ", though" if p.change is Change.UNCHANGED else ""
        why.append((1, f"{p.part} {p.change.value} ({then} → {now}){though}:"))
        why += [(2, r.text) for r in p.reasons]
    disputes: list[_Line] = []
    for d in c.disputes:
        verb = "opened" if d.opened else "resolved"
        counted = d.counted_now if d.opened else d.counted_then
        disputes.append(
            (
                1,
                f"{verb}: {d.criterion} (part {d.part}): State [{_refs(d.state)}] vs independent "
                f"[{_refs(d.independent)}]; counted {_f(counted)}",
            )
        )
    overrides: list[_Line] = [
        (
            1,
            f"{o.target}: {o.why.value} ({_g(o.then)} → {_g(o.now)}), by {o.by} in {o.file} — "
            f"{o.reason}",
        )
        for o in c.overrides
    ]
    evidence: list[_Line] = []
    for e in c.evidence:
        gone = e.edit is Edit.REMOVED
        crit = e.criteria_then if gone else e.criteria_now
        finding = e.finding_then if gone else e.finding_now
        use = e.use_then if gone else e.use_now
        was = (
            f" (was {_f(e.finding_then)} on {', '.join(e.criteria_then)})"
            if e.edit is Edit.CHANGED
            else ""
        )
        reason = f": {e.reason}" if e.reason else ""
        evidence.append(
            (
                1,
                f"{e.edit.value}: {e.file} {e.item} ({e.source_kind.value}) on {', '.join(crit)}: "
                f"{_f(finding)}{was}, {use.value if use else _ABSENT}{reason}",
            )
        )
    recs: list[_Line] = [
        (1, f"para {r.paragraph} ({r.title}): {_g(r.then)} → {_g(r.now)}, {r.change.value}")
        for r in c.recommendations
        if r.change is not Change.UNCHANGED
    ]
    same = [r for r in c.recommendations if r.change is Change.UNCHANGED]
    if same:
        listing = ", ".join(f"para {r.paragraph} {_g(r.now)}" for r in same)
        recs.append((1, f"unchanged: {listing}"))
    return [
        ("Why parts moved", why),
        ("Recommendations", recs),
        ("Disputes opened or resolved", disputes),
        ("Overrides", overrides),
        ("Evidence added, removed or changed", evidence),
    ]


def _head(c: Comparison) -> list[str]:
    return [
        f"old: {_side_words(c.old)}",
        f"new: {_side_words(c.new)}",
        f"grades ranked on scale {c.ranked_on}"
        if c.ranked_on
        else f"grades not ranked: {c.unranked or ''}",
    ]


def _part_rows(c: Comparison, cell: Callable[[str], str]) -> list[list[str]]:
    return [
        [
            str(p.paragraph),
            cell(p.part),
            cell(_g(p.grade_then) if p.then is not None else "(absent)"),
            cell(_g(p.grade_now) if p.now is not None else "(absent)"),
            p.change.value,
        ]
        for p in c.parts
    ]


_PART_HEADERS: Final = ["para", "part", "then", "now", "change"]


def _title(c: Comparison) -> str:
    return f"{c.new.symbol} — {c.new.state_party}: what changed"


def comparison_table(c: Comparison, width: int = 80) -> str:
    """The comparison as terminal text fitted to *width*: the parts, then why they moved.

    Long lines are wrapped, never cut (`cat_rubric._render.wrap`).
    """
    from cat_rubric._render import _table, wrap
    from cat_rubric._text import one_line

    def lines(depth: int, text: str) -> list[str]:
        first = "" if depth == 0 else "  " * (depth - 1) + "- "
        return wrap(one_line(text), width, first, " " * len(first))

    out = [line for text in (_title(c), *_head(c)) for line in lines(0, text)]
    out.append("")
    if c.context:
        out.append("What differs:")
        for f in c.context:
            out += lines(1, f"{f.field}: {f.then} → {f.now}")
        out.append("")
    out += [_table(_part_rows(c, one_line), _PART_HEADERS), ""]
    for title, body in _sections(c):
        out.append(f"{title}:" if body else f"{title}: none")
        for depth, text in body:
            out += lines(depth, text)
        out.append("")
    out += lines(0, _count_words(c))
    return "\n".join(out)


def comparison_markdown(c: Comparison) -> str:
    """The comparison as Markdown: a table of the parts and a section per kind of change."""
    from cat_rubric._render import _table
    from cat_rubric._text import markdown

    out = [f"# {markdown(_title(c))}", "", *(f"- {markdown(line)}" for line in _head(c)), ""]
    if c.context:
        out += ["## What differs", ""]
        out += [f"- {markdown(f'{f.field}: {f.then} → {f.now}')}" for f in c.context]
        out.append("")
    out += ["## Parts", "", _table(_part_rows(c, markdown), _PART_HEADERS, "github"), ""]
    for title, body in _sections(c):
        out += [f"## {title}", ""]
        out += [f"{'  ' * (depth - 1)}- {markdown(text)}" for depth, text in body] or ["none"]
        out.append("")
    out.append(markdown(_count_words(c)))
    return "\n".join(out)


def _rubric_sections(rc: RubricComparison) -> tuple[str, list[tuple[str, list[_Line]]]]:
    """The rubric comparison's title, and its sections of logical lines."""

    def side(s: RubricSide) -> str:
        return f"{s.id} ({s.file}, sha256 {s.sha256[:12]})"

    title = f"{rc.new.symbol}: rubric {side(rc.old)} → {side(rc.new)}"
    header: list[_Line] = [(1, f"{f.field}: {f.old} → {f.new}") for f in rc.header]
    header += [
        (1, f"renumbered: {r.recommendation} paragraph {r.old} → {r.new}") for r in rc.renumbered
    ]
    if rc.empty:
        header = [(0, "the two versions are the same, field for field")]
    sections: list[tuple[str, list[_Line]]] = [("", header)]
    for name, changes in (
        ("Recommendations", rc.recommendations),
        ("Parts", rc.parts),
        ("Criteria", rc.criteria),
    ):
        if changes:
            body: list[_Line] = []
            for ch in changes:
                body.append((1, f"{', '.join(ch.kinds)}: {ch.id}"))
                body += [(2, f"{f.field}: {f.old} → {f.new}") for f in ch.fields]
            sections.append((name, body))
    if rc.evidence or rc.affected:
        body = [(1, f"{e.file}: {_AGAINST[e.against]}") for e in rc.evidence]
        body += [
            (
                1,
                f"{a.impact.value}: {a.file} {'override' if a.override else 'item'} {a.item} — "
                f"{a.detail}",
            )
            for a in rc.affected
        ]
        if not rc.affected:
            body.append((1, "no item or override names a criterion or part that changed"))
        sections.append(("Evidence gathered against the old version", body))
    edits = [
        f"{_n(sum(1 for ch in changes if ch.edit is e), noun, plural)} {e.value}"
        for noun, plural, changes in (
            ("recommendation", None, rc.recommendations),
            ("part", None, rc.parts),
            ("criterion", "criteria", rc.criteria),
        )
        for e in Edit
        if any(ch.edit is e for ch in changes)
    ]
    removed = sum(1 for a in rc.affected if a.impact is Impact.CRITERION_REMOVED)
    summary = (
        f"{'; '.join(edits) or 'no element changed'}; {len(rc.renumbered)} renumbered; "
        f"{_n(len(rc.affected), 'evidence entry', 'evidence entries')} affected "
        f"({removed} on removed criteria)"
    )
    sections.append(("", [(0, summary)]))
    return title, sections


_AGAINST: Final = {
    "old": "gathered against the old version (its rubric_sha256)",
    "new": "gathered against the new version (its rubric_sha256)",
    "neither": "its rubric_sha256 is of neither version",
    "unknown": "records no rubric_sha256 (or a version is not from a file)",
}


def rubric_comparison_table(rc: RubricComparison, width: int = 80) -> str:
    """The rubric comparison as terminal text, wrapped to *width*, never cut."""
    from cat_rubric._render import wrap
    from cat_rubric._text import one_line

    title, sections = _rubric_sections(rc)
    out = wrap(one_line(title), width)
    for name, body in sections:
        out.append("")
        if name:
            out.append(f"{name}:")
        for depth, text in body:
            first = "" if depth == 0 else "  " * (depth - 1) + "- "
            out += wrap(one_line(text), width, first, " " * len(first))
    return "\n".join(out)


def rubric_comparison_markdown(rc: RubricComparison) -> str:
    """The rubric comparison as Markdown."""
    from cat_rubric._text import markdown

    title, sections = _rubric_sections(rc)
    out = [f"# {markdown(title)}"]
    for name, body in sections:
        out.append("")
        if name:
            out += [f"## {name}", ""]
        out += [
            markdown(text) if depth == 0 else f"{'  ' * (depth - 1)}- {markdown(text)}"
            for depth, text in body
        ]
    return "\n".join(out)


__all__ = [
    "COMPARISON_FORMAT",
    "RUBRIC_COMPARISON_FORMAT",
    "TEXT_FIELDS",
    "Affected",
    "Change",
    "Comparison",
    "CriterionChange",
    "DisputeChange",
    "Edit",
    "ElementChange",
    "EvidenceCheck",
    "FieldChange",
    "Impact",
    "ItemChange",
    "ItemRef",
    "Level",
    "OverrideChange",
    "PartChange",
    "PartState",
    "Reason",
    "RecommendationChange",
    "Renumbering",
    "RubricComparison",
    "RubricFieldChange",
    "RubricSide",
    "Side",
    "Why",
    "compare",
    "compare_rubrics",
    "comparison_markdown",
    "comparison_table",
    "read_assessment",
    "read_side",
    "rubric_comparison_markdown",
    "rubric_comparison_table",
]
