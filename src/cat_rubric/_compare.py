"""Comparing two assessments: each part's grade then and now, and why it moved.

`compare` lines two assessments of one rubric up part by part, criterion by criterion
and item by item, and says for each criterion whose counted finding changed what
changed it: evidence that is new, a source that was dropped, an item whose finding or
date rule changed, an override added, removed or lapsed, or a change of policy or
settings. The result is a `cat_rubric._comparison.Comparison`: plain data, for tables,
the JSON, the HTML report or a notebook alike.

Grades are ranked only on one scale: "improved" means a better letter on the scale
both assessments used (`cat_rubric.Scale.rank`). Two assessments on different scales
(or versions of one) are compared letter by letter and marked ``unranked``, never
ranked by a guess (`cat_rubric._ranking`).

Two versions of a rubric are compared by `cat_rubric._rubric_diff.compare_rubrics`;
the renderings are in `cat_rubric._compare_render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final

from cat_rubric._comparison import (
    ABSENT,
    Change,
    Comparison,
    CriterionChange,
    DisputeChange,
    Edit,
    FieldChange,
    ItemChange,
    ItemRef,
    OverrideChange,
    PartChange,
    PartState,
    Reason,
    RecommendationChange,
    Side,
    Why,
    in_order,
    refuse_other_kinds,
)
from cat_rubric._evidence import Finding
from cat_rubric._model import Rubric
from cat_rubric._ranking import grade_change, ranking, scale_name
from cat_rubric._result import (
    Assessment,
    CriterionResult,
    ItemUse,
    OverrideRecord,
    PartResult,
    Record,
    Status,
    Use,
)
from cat_rubric._scales import Outcome, Scale
from cat_rubric.exceptions import AssessmentError


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
    refuse_other_kinds("compare", Assessment, (Rubric, "compare_rubrics"), old, new)
    if old.rubric != new.rubric:
        raise AssessmentError(
            f"the assessments are of different rubrics ({old.rubric!r} and {new.rubric!r}); "
            "compare assesses one rubric's follow-up over time — to follow recommendations "
            "across concluding observations, tag them with themes and use history"
        )
    scale, unranked = ranking(old.record, new.record, tuple(scales))
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


# -- the two sides and the facts that differ -----------------------------------------------


def _side(a: Assessment) -> Side:
    return Side(
        rubric=a.rubric,
        symbol=a.symbol,
        state_party=a.state_party,
        cycle=a.cycle,
        as_of=a.as_of,
        status=a.status,
        scale=scale_name(a.record),
        policy=a.record.policy,
        rubric_file=a.record.rubric,
        evidence=a.record.evidence,
    )


def _context(old: Assessment, new: Assessment) -> tuple[FieldChange, ...]:
    """The facts that differ between the two assessments, in a fixed order."""

    def reply(a: Assessment) -> str:
        return f"received {a.reply_date}" if a.reply_received else "not received"

    def dates(a: Assessment) -> str:
        return ", ".join(str(d) for d in a.reminders) or "none"

    def scale(a: Assessment) -> str:
        f = a.record.scale_file
        return f"{scale_name(a.record)} ({'bundled' if f.bundled else f.file}, {f.sha256[:12]})"

    def settings(a: Assessment) -> dict[str, str]:
        return dict(s.split("=", 1) for s in a.record.settings if "=" in s)

    pairs = [
        ("cycle", old.cycle, new.cycle),
        ("as_of", str(old.as_of), str(new.as_of)),
        ("due", str(old.due or ABSENT), str(new.due or ABSENT)),
        ("reply", reply(old), reply(new)),
        ("reminders", dates(old), dates(new)),
        ("status", old.status.value, new.status.value),
        ("scale", scale(old), scale(new)),
        ("policy", old.record.policy, new.record.policy),
    ]
    settings_then, settings_now = settings(old), settings(new)
    for name in sorted(settings_then.keys() | settings_now.keys()):
        pairs.append((name, settings_then.get(name, ABSENT), settings_now.get(name, ABSENT)))
    r_old, r_new = old.record.rubric, new.record.rubric
    # The rubric's sha256 alone can differ (a file named differently, a copy): compare it.
    if r_old.sha256 != r_new.sha256:
        pairs.append(
            ("rubric", f"{r_old.file} ({r_old.sha256[:12]})", f"{r_new.file} ({r_new.sha256[:12]})")
        )
    files_then = {f.file: f.sha256 for f in old.record.evidence}
    files_now = {f.file: f.sha256 for f in new.record.evidence}
    for name in sorted(files_then.keys() | files_now.keys()):
        # A file on one side is given or not (its sha256 is in the sides' records); one on
        # both sides shows whether its content changed.
        if name in files_then and name in files_now:
            then, now = files_then[name][:12], files_now[name][:12]
        else:
            then, now = _given(name, files_then), _given(name, files_now)
        pairs.append((f"evidence {name}", then, now))
    return tuple(FieldChange(field=n, then=a, now=b) for n, a, b in pairs if a != b)


def _given(name: str, files: dict[str, str]) -> str:
    return "given" if name in files else "not given"


# -- parts, criteria, disputes and overrides ----------------------------------------------

_Key = tuple[str, str]  # (file, item)
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
        self.over_then = {r.target: r for r in old.overrides}
        self.over_now = {r.target: r for r in new.overrides}
        self.settings_differ = (old.record.policy, old.record.settings) != (
            new.record.policy,
            new.record.settings,
        )
        self.rank_then = _finding_rank(old.record)
        self.rank_now = _finding_rank(new.record)

    def _change(self, then: str | None, now: str | None) -> Change:
        return grade_change(then, now, self.scale, self.same_scale)

    def _override(self, target: str) -> tuple[Why, str] | None:
        return _override_reason(
            target,
            (self.over_then.get(target), self.old.as_of),
            (self.over_now.get(target), self.new.as_of),
        )

    def recommendations(self) -> tuple[RecommendationChange, ...]:
        then = {r.id: r for r in self.old.recommendations}
        now = {r.id: r for r in self.new.recommendations}
        out = []
        for key in in_order(then, now):
            a, b = then.get(key), now.get(key)
            ref = b if b is not None else then[key]
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
                    change=self._change(grade_a, grade_b),
                )
            )
        return tuple(out)

    def parts(
        self,
    ) -> tuple[tuple[PartChange, ...], tuple[CriterionChange, ...], tuple[DisputeChange, ...]]:
        then = {p.id: p for p in self.old.parts}
        now = {p.id: p for p in self.new.parts}
        # Each part's recommendation: the new side's, where it has the part.
        home = {p.id: r for a in (self.old, self.new) for r in a.recommendations for p in r.parts}
        parts: list[PartChange] = []
        criteria: list[CriterionChange] = []
        disputes: list[DisputeChange] = []
        for key in in_order(then, now):
            a, b = then.get(key), now.get(key)
            changed, opened = self._criteria(key, a, b)
            criteria += changed
            disputes += opened
            state_a, state_b = _state(a), _state(b)
            change = self._change(
                None if state_a is None else state_a.grade,
                None if state_b is None else state_b.grade,
            )
            parts.append(
                PartChange(
                    part=key,
                    recommendation=home[key].id,
                    paragraph=home[key].paragraph,
                    title=(b if b is not None else then[key]).title,
                    then=state_a,
                    now=state_b,
                    change=change,
                    reasons=self._part_reasons(key, a, b, change, changed),
                )
            )
        return tuple(parts), tuple(criteria), tuple(disputes)

    def _criteria(
        self, part: str, a: PartResult | None, b: PartResult | None
    ) -> tuple[list[CriterionChange], list[DisputeChange]]:
        """The part's criteria whose counted finding changed, and its disputes that changed."""
        then = {} if a is None else {c.id: c for c in a.criteria}
        now = {} if b is None else {c.id: c for c in b.criteria}
        changes, disputes = [], []
        for crit in in_order(then, now):
            ca, cb = then.get(crit), now.get(crit)
            fa = None if ca is None else ca.finding
            fb = None if cb is None else cb.finding
            was = ca is not None and ca.disputed
            is_ = cb is not None and cb.disputed
            if fa is not fb:
                changes.append(
                    CriterionChange(
                        criterion=crit,
                        part=part,
                        then=fa,
                        now=fb,
                        disputed_then=was,
                        disputed_now=is_,
                        reasons=self._criterion_reasons(crit, ca, cb),
                    )
                )
            if was != is_:
                where = cb if is_ else ca
                assert where is not None
                if is_:
                    uses, rank = self.uses_now, self.rank_now
                else:
                    uses, rank = self.uses_then, self.rank_then
                state, independent = _dispute_items(where, uses.get(crit, {}), rank)
                disputes.append(
                    DisputeChange(
                        criterion=crit,
                        part=part,
                        edit=Edit.ADDED if is_ else Edit.REMOVED,
                        state=state,
                        independent=independent,
                        counted_then=fa,
                        counted_now=fb,
                    )
                )
        return changes, disputes

    def _criterion_reasons(
        self, crit: str, a: CriterionResult | None, b: CriterionResult | None
    ) -> tuple[Reason, ...]:
        def reason(why: Why, text: str, items: tuple[ItemRef, ...] = ()) -> Reason:
            return Reason(why=why, text=text, criterion=crit, items=items)

        if a is None:
            return (reason(Why.CRITERION_ADDED, f"{crit} is new to the rubric"),)
        if b is None:
            return (reason(Why.CRITERION_REMOVED, f"{crit} is no longer in the rubric"),)
        then = self.uses_then.get(crit, {})
        now = self.uses_now.get(crit, {})
        # Items on one side only: new (Why.NEW_EVIDENCE), or dropped (SOURCE_DROPPED).
        alone = [
            (why, here[key])
            for why, here, there in ((Why.NEW_EVIDENCE, now, then), (Why.SOURCE_DROPPED, then, now))
            for key in sorted(here.keys() - there.keys())
        ]
        reasons = [
            reason(why, _ALONE[why].format(_label(use), use.effective.value), (_ref(use),))
            for why, use in alone
            if use.use is Use.COUNTED
        ]
        settings = False
        for key in sorted(then.keys() & now.keys()):
            u, v = then[key], now[key]
            if Use.COUNTED not in (u.use, v.use):
                continue  # it decided nothing on either side
            items = (_ref(u), _ref(v))
            if u.finding is not v.finding:
                text = (
                    f"evidence changed: {_label(v)} now reports {v.finding.value}, not "
                    f"{u.finding.value}"
                )
                reasons.append(reason(Why.EVIDENCE_CHANGED, text, items))
            elif u.effective is not v.effective or _by_date(u) != _by_date(v):
                text = f"date rule: {_label(v)} {_date_words(u)} then, {_date_words(v)} now"
                reasons.append(reason(Why.DATE_RULE, text, items))
            elif u.use is not v.use and self.settings_differ:
                settings = True
        found = self._override(f"criterion {crit}")
        if found is not None:
            reasons.append(reason(*found))
        if settings or (not reasons and self.settings_differ):
            old, new = self.old.record, self.new.record
            text = (
                f"settings: the same items count differently under policy {new.policy} "
                f"({', '.join(new.settings)}) than under {old.policy} ({', '.join(old.settings)})"
            )
            reasons.append(reason(Why.SETTINGS, text))
        if not reasons:
            # An item that counts on neither side can still be weighed against the others
            # (outweighed, not set aside) and change which of them counts.
            reasons = [
                reason(
                    why,
                    _WEIGHED[why].format(_label(use), use.use.value, use.effective.value),
                    (_ref(use),),
                )
                for why, use in alone
                if use.use is Use.OUTWEIGHED
            ]
        if not reasons:
            text = "the items recorded on it are the same on both sides"
            reasons.append(reason(Why.UNEXPLAINED, text))
        return tuple(reasons)

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
            text = (
                f"follow-up status: {_status_words(self.old, a)} then, "
                f"{_status_words(self.new, b)} now"
            )
            reasons.append(Reason(why=Why.STATUS, text=text))
        for c in criteria:
            then = ABSENT if c.then is None else c.then.value
            now = ABSENT if c.now is None else c.now.value
            detail = "; ".join(r.text for r in c.reasons)
            reasons.append(
                Reason(
                    why=Why.CRITERION,
                    text=f"{c.criterion}: {then} → {now} ({detail})",
                    criterion=c.criterion,
                    items=tuple(i for r in c.reasons for i in r.items),
                )
            )
        found = self._override(f"part {part}")
        if found is not None:
            reasons.append(Reason(why=found[0], text=found[1]))
        grades_differ = (a.grade, a.engine_grade) != (b.grade, b.engine_grade)
        if (grades_differ or change is Change.UNRANKED) and not self.same_scale:
            text = f"scale {scale_name(self.old.record)} then, {scale_name(self.new.record)} now"
            reasons.append(Reason(why=Why.SCALE, text=text))
        if (grades_differ or change is not Change.UNCHANGED) and not reasons:
            if self.old.record.rubric.sha256 != self.new.record.rubric.sha256:
                why, text = (
                    Why.RUBRIC,
                    "the rubric differs (its sha256): compare the two versions with "
                    "compare_rubrics (cat-rubric diff OLD.yaml NEW.yaml)",
                )
            elif self.settings_differ:
                why, text = Why.SETTINGS, "the settings differ (see the context)"
            else:
                why, text = (
                    Why.UNEXPLAINED,
                    f"rule {a.rule} then, {b.rule} now, with the same findings",
                )
            reasons.append(Reason(why=why, text=text))
        return tuple(reasons)

    def override_changes(self) -> tuple[OverrideChange, ...]:
        out = []
        for target in sorted(self.over_then.keys() | self.over_now.keys()):
            found = self._override(target)
            if found is None:
                continue
            a, b = self.over_then.get(target), self.over_now.get(target)
            ref = b if b is not None else self.over_then[target]
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


#: What an item on one side only did: counted, or was weighed and changed which item counts.
_ALONE: Final = {
    Why.NEW_EVIDENCE: "new evidence: {} counts {}",
    Why.SOURCE_DROPPED: "source dropped: {} counted {}",
}
_WEIGHED: Final = {
    Why.NEW_EVIDENCE: "new evidence: {} is weighed now ({} as {}), and another item counts",
    Why.SOURCE_DROPPED: "source dropped: {} was weighed then ({} as {}), and another item counted",
}


def _uses_by_criterion(items: Sequence[ItemUse]) -> dict[str, dict[_Key, ItemUse]]:
    out: dict[str, dict[_Key, ItemUse]] = {}
    for use in items:
        out.setdefault(use.criterion, {})[(use.file, use.item)] = use
    return out


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
    return PartState(
        status=p.status,
        grade=p.grade,
        engine_grade=p.engine_grade,
        rule=p.rule,
        score=p.score.value,
        override=_applied(p.override),
    )


# -- evidence items --------------------------------------------------------------------

#: What an assessment did with an item, best first: an item is "counted" if it counted
#: on any criterion.
_USES: Final = (Use.COUNTED, Use.OUTWEIGHED, Use.IGNORED)


def _item_changes(old: Sequence[ItemUse], new: Sequence[ItemUse]) -> tuple[ItemChange, ...]:
    """Items added, removed or changed, by file and item id, sorted by both."""

    def by_item(uses: Sequence[ItemUse]) -> dict[_Key, list[ItemUse]]:
        out: dict[_Key, list[ItemUse]] = {}
        for u in uses:
            out.setdefault((u.file, u.item), []).append(u)
        return out

    def facts(uses: list[ItemUse]) -> tuple[tuple[str, ...], Finding, str, str]:
        """What the item says: the same on every criterion it bears on, but for these."""
        first = uses[0]
        return _criteria_of(uses), first.finding, first.citation, first.passage

    then, now = by_item(old), by_item(new)
    out = []
    for key in sorted(then.keys() | now.keys()):
        a, b = then.get(key, []), now.get(key, [])
        if not a:
            edit = Edit.ADDED
        elif not b:
            edit = Edit.REMOVED
        elif facts(a) != facts(b) or _measure_moved(a[0], b[0]):
            edit = Edit.CHANGED
        else:
            continue
        ref = (b or a)[0]
        out.append(
            ItemChange(
                file=key[0],
                item=key[1],
                edit=edit,
                source_kind=ref.source_kind,
                criteria_then=_criteria_of(a),
                criteria_now=_criteria_of(b),
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


def _measure_moved(then: ItemUse, now: ItemUse) -> bool:
    """The measure's date changed (known only where both records hold the item itself)."""
    known = then.source is not None and now.source is not None
    return known and then.measure_date != now.measure_date


def _criteria_of(uses: Sequence[ItemUse]) -> tuple[str, ...]:
    return tuple(sorted({u.criterion for u in uses}))


def _best_use(uses: Sequence[ItemUse]) -> Use | None:
    found = {u.use for u in uses}
    return next((u for u in _USES if u in found), None)


def _ignored_reason(uses: Sequence[ItemUse]) -> str:
    if uses and all(u.use is Use.IGNORED for u in uses):
        return "; ".join(sorted({u.reason for u in uses}))
    return ""


__all__ = ["compare"]
