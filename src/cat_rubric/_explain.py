"""The explanation layer: the words behind each decision, built when first read.

`cat_rubric._engine` decides every grade on compact data and creates each `PartResult`
with its explaining fields deferred. The first time one of them is read, `explain_part`
builds them all from the part's decisions: each criterion's result with the items that
counted, the conflicts side by side, the flags, the reason in plain words, the score's
formula, the what-if and the information to request. `item_uses` builds the record of
every item's use for `Assessment.items`. Nothing here changes a decision: it only
describes the decisions the core made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Final

import attrs

from cat_rubric import _rules
from cat_rubric._core import Context, PartCore, decide_criterion
from cat_rubric._evidence import Finding, Item
from cat_rubric._gc import paused
from cat_rubric._model import Criterion
from cat_rubric._result import (
    Conflict,
    CriterionResult,
    ItemUse,
    OverrideRecord,
    RecommendationResult,
    Status,
    Use,
)
from cat_rubric._route import (
    NOT_YET,
    PREDATES,
    Combined,
    Entry,
    Words,
    citation,
    combine,
    fates,
    passage,
)


def _slot_setters(cls: type[Any], *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """Setters of the slots of the frozen slotted attrs class *cls*, one per field.

    *names* must be the class's fields, in order, with no defaults, converters or
    validators: checked here, so that a field added to the class stops the import
    rather than being left unset by the constructors below.
    """
    fields = attrs.fields(cls)
    if tuple(f.name for f in fields) != names or any(
        f.default is not attrs.NOTHING or f.converter or f.validator for f in fields
    ):  # pragma: no cover - a guard against the class changing under this module
        raise TypeError(f"{cls.__name__}'s fields are not {', '.join(names)}")
    return tuple(cls.__dict__[name].__set__ for name in names)


# An explanation builds a `CriterionResult` for every criterion (19,200 for the
# benchmark's batch) and a `Conflict` for most of those with evidence. attrs'
# ``__init__`` sets each field through ``object.__setattr__``; writing the slots
# directly costs about half as much, and builds the same object.

(
    _set_id,
    _set_essential,
    _set_weight,
    _set_finding,
    _set_engine_finding,
    _set_state_finding,
    _set_independent_finding,
    _set_disputed,
    _set_items,
    _set_request,
) = _slot_setters(
    CriterionResult,
    "id",
    "essential",
    "weight",
    "finding",
    "engine_finding",
    "state_finding",
    "independent_finding",
    "disputed",
    "items",
    "request",
)


def _criterion_result(
    *,
    id: str,  # noqa: A002 - the field's name
    essential: bool,
    weight: float,
    finding: Finding,
    engine_finding: Finding,
    state_finding: Finding | None,
    independent_finding: Finding | None,
    disputed: bool,
    items: tuple[str, ...],
    request: str | None,
) -> CriterionResult:
    """``CriterionResult(...)``, its slots written directly."""
    r: CriterionResult = object.__new__(CriterionResult)
    _set_id(r, id)
    _set_essential(r, essential)
    _set_weight(r, weight)
    _set_finding(r, finding)
    _set_engine_finding(r, engine_finding)
    _set_state_finding(r, state_finding)
    _set_independent_finding(r, independent_finding)
    _set_disputed(r, disputed)
    _set_items(r, items)
    _set_request(r, request)
    return r


def _unevidenced(crit: Criterion) -> CriterionResult:
    """The result of a criterion that no source bears on and no override sets."""
    r: CriterionResult = object.__new__(CriterionResult)
    _set_id(r, crit.id)
    _set_essential(r, crit.essential)
    _set_weight(r, crit.weight)
    _set_finding(r, _NO_INFORMATION)
    _set_engine_finding(r, _NO_INFORMATION)
    _set_state_finding(r, None)
    _set_independent_finding(r, None)
    _set_disputed(r, False)  # noqa: FBT003 - the field's value
    _set_items(r, ())
    _set_request(r, crit.request)
    return r


_NO_INFORMATION: Final = Finding.NO_INFORMATION


(
    _set_criterion,
    _set_state,
    _set_independent,
    _set_counted,
    _set_conflict_disputed,
) = _slot_setters(Conflict, "criterion", "state", "independent", "counted", "disputed")


def _conflict(
    *,
    criterion: str,
    state: tuple[str, ...],
    independent: tuple[str, ...],
    counted: Finding,
    disputed: bool,
) -> Conflict:
    """``Conflict(...)``, its slots written directly."""
    c: Conflict = object.__new__(Conflict)
    _set_criterion(c, criterion)
    _set_state(c, state)
    _set_independent(c, independent)
    _set_counted(c, counted)
    _set_conflict_disputed(c, disputed)
    return c


def explain_part(core: PartCore, ctx: Context) -> dict[str, Any]:
    """The deferred fields of a part's result (`PartResult._EXPLAINED`), and its item uses."""
    with paused():  # everything built here is acyclic: see cat_rubric._gc
        return _explain_part(core, ctx)


def _explain_part(core: PartCore, ctx: Context) -> dict[str, Any]:
    results: list[CriterionResult] = []
    conflicts: list[Conflict] = []
    flags: list[str] = []
    uses: list[ItemUse] = []
    missing: list[str] = []  # the information to request, when the part is graded
    ask = core.grade is not None
    buckets, crit_overrides = ctx.routed.buckets, ctx.crit_overrides
    policy, rank = ctx.settings.policy, ctx.rank
    # Each criterion's counted finding is the core's; the rest is worked out again from
    # the same entries, by the same functions.
    for crit, finding in zip(core.part.criteria, core.findings, strict=True):
        crit_id = crit.id
        entries = buckets.get(crit_id)
        record = None
        if crit_id in crit_overrides:  # the override's record, made as the core made it
            decided = decide_criterion(crit, entries or [], ctx, None)
            combined, record = decided.combined, decided.override
        elif entries is None:  # the common case in a large rubric
            results.append(_unevidenced(crit))
            if ask:
                missing.append(f"{crit_id}: {crit.request}")
            continue
        else:
            combined = combine(entries, policy, rank)
        result, conflict = _criterion(crit, finding, combined, entries or [], ctx, uses, flags)
        results.append(result)
        if conflict is not None:
            conflicts.append(conflict)
        if record is not None and not record.applied:
            flags.append(not_applied(f"criterion {crit_id}", record, ctx.head.as_of))
        if ask and result.request is not None:
            missing.append(f"{crit_id}: {result.request}")
    by_evidence = ctx.status is Status.GRADED and not ctx.status_rule
    head, settings = ctx.head, ctx.settings
    if by_evidence:
        reason = _rules.reason(core.rule, results)
    else:
        reason = _rules.REASONS[core.rule].format(
            due=ctx.rubric.due, n=len(head.reminders), need=settings.reminders_for_d
        )
    what_if = None
    override = core.override
    if by_evidence and core.engine_grade is not None and not (override and override.applied):
        what_if = _rules.what_if(results, not core.spoke, core.engine_grade, ctx.scale, settings)
    if override is not None and not override.applied:
        flags.append(not_applied(f"part {core.part.id}", override, head.as_of))
    return {
        "reason": reason,
        "criteria": tuple(results),
        "conflicts": tuple(conflicts),
        "flags": tuple(sorted(set(flags))),
        "missing": tuple(missing),
        "what_if": what_if,
        "_uses": uses,
    }


def _criterion(
    crit: Criterion,
    finding: Finding,
    combined: Combined,
    entries: list[Entry],
    ctx: Context,
    uses: list[ItemUse],
    flags: list[str],
) -> tuple[CriterionResult, Conflict | None]:
    """A criterion's result and its conflict, if sources differ; its items' records.

    *finding* is the one that counted (after any override), *combined* what the
    conflict policy made of *entries*.
    """
    crit_id = crit.id
    state_cites: list[str] = []  # what was considered, as conflicts list it
    indep_cites: list[str] = []
    first: Finding | None = None  # the first considered entry's finding
    differ = False
    counted_ids: list[str] = []
    new = tuple.__new__  # ItemUse's own __new__ is a Python function: skipped, as _make does
    ignored, counted = _IGNORED, _COUNTED
    fate = fates(entries, combined, ctx.settings.policy)
    for e, (use, why) in zip(entries, fate, strict=True):
        said = e.words
        if said is None:  # once per item, whatever the number of its criteria
            said = e.words = _words(e, ctx)
        (
            file,
            item_id,
            kind,
            cited,
            text,
            written,
            effective,
            item_flags,
            invented,
            cite,
            source,
            measure,
            quote,
            summary,
        ) = said
        uses.append(
            new(
                ItemUse,
                (
                    file,
                    item_id,
                    crit_id,
                    kind,
                    cited,
                    text,
                    written,
                    effective,
                    use,
                    why,
                    item_flags,
                    invented,
                    source,
                    measure,
                    quote,
                    summary,
                ),
            )
        )
        for flag in item_flags:
            flags.append(f"{item_id} on {crit_id}: {flag}")
        if use is ignored:
            continue
        if first is None:
            first = effective
        elif effective is not first:
            differ = True
        if use is counted:
            counted_ids.append(item_id)
        (state_cites if e.state else indep_cites).append(cite)
    conflict = None
    if differ:
        conflict = _conflict(
            criterion=crit_id,
            state=tuple(state_cites),
            independent=tuple(indep_cites),
            counted=finding,
            disputed=combined.disputed,
        )
    result = _criterion_result(
        id=crit_id,
        essential=crit.essential,
        weight=crit.weight,
        finding=finding,
        engine_finding=combined.counted,
        state_finding=combined.state,
        independent_finding=combined.independent,
        disputed=combined.disputed,
        items=tuple(counted_ids),
        request=None if finding is _IMPLEMENTED else crit.request,
    )
    return result, conflict


# Read in the loops above: a member read off its class costs five times a global.
_IGNORED: Final = Use.IGNORED
_COUNTED: Final = Use.COUNTED
_IMPLEMENTED: Final = Finding.IMPLEMENTED


def _words(e: Entry, ctx: Context) -> Words:
    item = e.item
    date = e.date
    return tuple.__new__(
        Words,
        (
            e.file,
            item.id,
            item.source.kind,
            citation(item),
            passage(item),
            item.finding,
            e.effective,
            # (the common case, nothing to flag, without a call)
            () if not e.dates and date is not None and date >= ctx.stale_before else _flags(e, ctx),
            item.illustrative,
            # _value_ is the plain attribute behind Enum.value, whose descriptor is slow.
            f"{item.id} ({item.source.kind._value_}): {e.effective._value_}",
            item.source,
            item.measure_date,
            item.quote,
            item.summary,
        ),
    )


def _flags(e: Entry, ctx: Context) -> tuple[str, ...]:
    """The date flags of an entry: pre-dating, not yet in effect, stale, undated."""
    date = e.date
    if not e.dates and date is not None and date >= ctx.stale_before:
        return ()  # the common case: nothing to flag
    as_of = ctx.head.as_of
    flags: tuple[str, ...] = ()
    if e.dates & PREDATES:
        flags = (
            f"pre-dates the concluding observations (measure {e.measure}, adopted "
            f"{ctx.rubric.adopted}): not counted as action taken in response",
        )
    elif e.dates & NOT_YET:
        flags = (
            f"measure not yet in effect on {as_of} (dated {e.measure}): counted as "
            "initiated at most",
        )
    days = ctx.settings.stale_after_days
    if date is None:
        flags += ("undated source",)
    elif date < ctx.stale_before:
        flags += (f"stale: the source is dated {date}, over {days} days before {as_of}",)
    return flags


def not_applied(target: str, record: OverrideRecord, as_of: dt.date) -> str:
    """The flag for an override that does not apply on *as_of*."""
    if record.date > as_of:
        return (
            f"the override of {target} is dated {record.date}, after the as-of date "
            f"{as_of}: not applied"
        )
    return f"the override of {target} lapsed on {record.until}"


def item_uses(recommendations: Sequence[RecommendationResult], ctx: Context) -> tuple[ItemUse, ...]:
    """Every item's use, in an order that never depends on the order of the input.

    Criterion by criterion in rubric order (then file and item id), followed by the
    items ignored before any criterion saw them (sorted by file, item and criterion).
    """
    with paused():  # everything built here is acyclic: see cat_rubric._gc
        return _item_uses(recommendations, ctx)


def _item_uses(
    recommendations: Sequence[RecommendationResult], ctx: Context
) -> tuple[ItemUse, ...]:
    uses: list[ItemUse] = []
    for rec in recommendations:
        for part in rec.parts:
            part.criteria  # noqa: B018 - builds the part's explanation, and its item uses
            uses.extend(part.__dict__.pop("_uses", ()))
    uses.extend(
        ItemUse(
            file=file,
            item=item.id,
            criterion=crit_id,
            source_kind=item.source.kind,
            citation=citation(item),
            passage=passage(item),
            finding=item.finding,
            effective=item.finding,
            use=Use.IGNORED,
            reason=reason,
            illustrative=item.illustrative,
            source=item.source,
            measure_date=item.measure_date,
            quote=item.quote,
            summary=item.summary,
        )
        for file, item, crit_id, reason in sorted(ctx.routed.ignored, key=_ignored_order)
    )
    # Every part is explained now: the routing is needed no more. Dropped before the
    # collector resumes, so that it never walks the entries only to free them.
    ctx.__dict__.pop("routed", None)
    return tuple(uses)


def _ignored_order(t: tuple[str, Item, str, str]) -> tuple[str, str, str]:
    return (t[0], t[1].id, t[2])
