"""The assessment engine: evidence → criterion outcomes → part grades, in one linear pass.

The rules (docs/grading.md states them in full):

1. Each evidence item is checked against the dates: an item whose source is dated
   after the as-of date is ignored; a measure dated before the concluding
   observations were adopted does not count as action taken in response (its
   finding is capped at ``not_implemented``); a measure not yet in effect by the
   as-of date counts at most as ``initiated``.
2. A criterion's outcome combines its items under a named conflict policy.
3. A part's outcome follows from its criteria, in this order: any contrary
   measure → contrary; an explicit rejection → contrary (or refusal, by setting);
   the State said nothing on the part → silent; every essential criterion
   implemented → largely implemented; otherwise the best finding decides
   (substantive steps, initial steps, not implemented, not relevant, refusal).
4. Before any of that, the follow-up status: no reply and not yet due → pending;
   no reply after the reminder(s) → no reply (D); no reply, overdue, no reminder
   yet → awaiting reminder.
5. The scale turns the outcome into a letter; analyst overrides take precedence
   and are shown next to the engine's result.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import operator
import statistics
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from cat_rubric._evidence import EvidenceFile, Finding, Item, Override
from cat_rubric._gc import paused
from cat_rubric._model import Criterion, Part, Recommendation, Rubric, SourceKind
from cat_rubric._result import (
    JSON_FORMAT,
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
from cat_rubric._scales import Outcome, Scale, load_scale
from cat_rubric.exceptions import AssessmentError


class Policy(enum.Enum):
    """How the findings of several items on one criterion are reconciled."""

    CONSERVATIVE = "conservative"
    """State claims and independent sources side by side: the State's strongest claim,
    the independent sources' most critical finding, and the lower of the two counts.
    A criterion is disputed when an independent source contradicts a State claim."""
    STATE_ONLY = "state-only"
    """Only the State party's items count (its strongest claim); others are shown, ignored."""
    LATEST = "latest"
    """The most recently dated evidence wins; ties go to the more critical finding."""


class Rollup(enum.Enum):
    """How a recommendation's letter is drawn from its parts' (an E always wins)."""

    LOWEST = "lowest"
    """The lowest part grade."""
    MEDIAN = "median"
    """The median part grade (the lower of the two middle ones)."""


#: Value of each finding in the numeric score; every other finding is worth 0.
SCORE_VALUES: Final = {
    Finding.IMPLEMENTED: 1.0,
    Finding.PARTIALLY_IMPLEMENTED: 0.5,
    Finding.INITIATED: 0.25,
}

_POSITIVE: Final = frozenset(SCORE_VALUES)


@attrs.frozen(kw_only=True)
class Settings:
    """Assessment settings; every default follows treaty-body practice (docs/grading.md).

    Attributes:
        policy: How conflicting findings on a criterion are reconciled.
        refusal_is_contrary: Whether a bare refusal ("no amendment is necessary") is
            graded as contrary (E) or as a refusal (the scale's C-type letter).
        reminders_for_d: Reminders that must have gone unanswered before a D.
        stale_after_days: Evidence older than this before the as-of date is flagged stale.
        rollup: How a recommendation's letter is drawn from its parts'.
    """

    policy: Policy = Policy.CONSERVATIVE
    refusal_is_contrary: bool = True
    reminders_for_d: int = attrs.field(default=1, validator=attrs.validators.ge(0))
    stale_after_days: int = attrs.field(default=3 * 365, validator=attrs.validators.ge(1))
    rollup: Rollup = Rollup.LOWEST

    def order(self) -> tuple[Finding, ...]:
        """Findings from least to most favourable under these settings."""
        if self.refusal_is_contrary:
            head = (Finding.CONTRARY, Finding.REJECTED, Finding.NO_INFORMATION)
        else:
            head = (Finding.CONTRARY, Finding.NO_INFORMATION, Finding.REJECTED)
        return (
            *head,
            Finding.NOT_RELEVANT,
            Finding.NOT_IMPLEMENTED,
            Finding.INITIATED,
            Finding.PARTIALLY_IMPLEMENTED,
            Finding.IMPLEMENTED,
        )

    def rank(self) -> dict[Finding, int]:
        """Each finding's position in `order` (0 = least favourable)."""
        return {f: i for i, f in enumerate(self.order())}

    def describe(self) -> tuple[str, ...]:
        """The settings other than the policy, as ``name=value`` entries."""
        return (
            f"refusal_is_contrary={str(self.refusal_is_contrary).lower()}",
            f"reminders_for_d={self.reminders_for_d}",
            f"stale_after_days={self.stale_after_days}",
            f"rollup={self.rollup.value}",
        )


# -- the pure grading rule -----------------------------------------------------------


def decide(
    findings: Sequence[Finding],
    essential: Sequence[bool],
    *,
    state_silent: bool,
    settings: Settings,
) -> tuple[Outcome, str]:
    """A part's outcome and the rule's id, from its criteria's findings.

    Args:
        findings: Each criterion's counted finding.
        essential: Whether each criterion is essential (same order).
        state_silent: Whether the State's reply says nothing on the part.
        settings: The settings (for how a refusal is treated).
    """
    present = set(findings)
    if Finding.CONTRARY in present:
        return Outcome.CONTRARY, "contrary-measure"
    if Finding.REJECTED in present and settings.refusal_is_contrary:
        return Outcome.CONTRARY, "rejection"
    if state_silent:
        return Outcome.SILENT, "reply-silent-on-part"
    if all(f is Finding.IMPLEMENTED for f, e in zip(findings, essential, strict=True) if e):
        return Outcome.LARGELY, "essential-criteria-met"
    if Finding.IMPLEMENTED in present or Finding.PARTIALLY_IMPLEMENTED in present:
        return Outcome.SUBSTANTIVE, "substantive-steps"
    if Finding.INITIATED in present:
        return Outcome.INITIAL, "initial-steps"
    if Finding.NOT_IMPLEMENTED in present:
        return Outcome.NOT_IMPLEMENTED, "action-does-not-implement"
    if Finding.NOT_RELEVANT in present:
        return Outcome.NOT_RELEVANT, "information-not-relevant"
    if Finding.REJECTED in present:
        return Outcome.REFUSAL, "refusal-not-contrary"
    return Outcome.SILENT, "no-information-on-part"


_REASONS: Final = {
    "contrary-measure": "a measure contrary to the recommendation ({crit})",
    "rejection": "the recommendation is explicitly rejected ({crit})",
    "reply-silent-on-part": "the State party's reply says nothing on this part",
    "essential-criteria-met": "every essential criterion is implemented ({crit})",
    "substantive-steps": "substantive steps, but not every essential criterion is "
    "implemented (implemented or partly: {crit})",
    "initial-steps": "only initial steps ({crit})",
    "action-does-not-implement": "information given, but nothing implements the "
    "recommendation ({crit})",
    "information-not-relevant": "the information given is not relevant ({crit})",
    "refusal-not-contrary": "a bare refusal, graded as not satisfactory by setting ({crit})",
    "no-information-on-part": "no source gives information on this part",
    "pending": "no reply yet and the follow-up is not due until {due}",
    "no-reply-after-reminders": "no follow-up reply after {n} reminder(s)",
    "awaiting-reminder": "no reply; the follow-up was due {due} but {n} of {need} "
    "reminder(s) sent — no D before the reminder(s)",
}

_RULE_FINDINGS: Final = {
    "contrary-measure": {Finding.CONTRARY},
    "rejection": {Finding.REJECTED},
    "essential-criteria-met": {Finding.IMPLEMENTED},
    "substantive-steps": {Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED},
    "initial-steps": {Finding.INITIATED},
    "action-does-not-implement": {Finding.NOT_IMPLEMENTED},
    "information-not-relevant": {Finding.NOT_RELEVANT},
    "refusal-not-contrary": {Finding.REJECTED},
}


# -- combining evidence on a criterion -----------------------------------------------


@attrs.define(eq=False)
class _Entry:
    """One item's bearing on one criterion, during the pass."""

    file: str
    item: Item
    state: bool
    effective: Finding
    flags: tuple[str, ...]
    predates: bool
    citation: str  # shared by the item's entries
    passage: str
    key: tuple[str, str]  # (file, item id): the canonical order
    use: Use = Use.OUTWEIGHED
    reason: str = ""


_NO_INFO_REASON: Final = "an independent source with no information on it"
_STATE_ONLY_REASON: Final = "the state-only policy ignores independent sources"


def _combine(
    entries: list[_Entry], settings: Settings, rank: dict[Finding, int]
) -> tuple[Finding, Finding | None, Finding | None, bool]:
    """The counted finding, the State's, the independent sources', and whether disputed.

    Marks each entry counted, outweighed or ignored (with the reason) as a side effect.
    """
    state: list[_Entry] = []
    indep: list[_Entry] = []
    for e in entries:
        if e.state:
            state.append(e)
        elif e.effective is Finding.NO_INFORMATION:
            # An independent source that has no information neither confirms nor
            # contradicts anything: it does not bear on the criterion.
            e.use, e.reason = Use.IGNORED, _NO_INFO_REASON
        else:
            indep.append(e)
    key = rank.__getitem__
    state_best = max((e.effective for e in state), key=key) if state else None
    indep_worst = min((e.effective for e in indep), key=key) if indep else None
    considered = state + indep
    counted: Finding | None
    if settings.policy is Policy.STATE_ONLY:
        for e in indep:
            e.use, e.reason = Use.IGNORED, _STATE_ONLY_REASON
        counted, pool, considered = state_best, state, state
    elif settings.policy is Policy.LATEST:
        dated = [e for e in considered if e.item.source.date is not None]
        pool = dated or considered
        newest = max((e.item.source.date or dt.date.min for e in pool), default=None)
        pool = [e for e in pool if (e.item.source.date or dt.date.min) == newest]
        counted = min((e.effective for e in pool), key=key) if pool else None
    elif state_best is None or indep_worst is None:
        counted, pool = state_best or indep_worst, considered
    elif key(indep_worst) < key(state_best):
        counted, pool = indep_worst, indep
    elif key(indep_worst) > key(state_best):
        counted, pool = state_best, state
    else:
        counted, pool = state_best, considered
    if counted is None:
        return Finding.NO_INFORMATION, state_best, indep_worst, False
    reason = f"{counted.value} counted under the {settings.policy.value} policy"
    for e in considered:
        e.use, e.reason = Use.OUTWEIGHED, reason
    for e in pool:
        if e.effective is counted:
            e.use, e.reason = Use.COUNTED, ""
    disputed = (
        state_best is not None and indep_worst is not None and key(indep_worst) < key(state_best)
    )
    return counted, state_best, indep_worst, disputed


# -- the assessment ------------------------------------------------------------------


@attrs.frozen
class _Header:
    cycle: str
    as_of: dt.date
    reply_received: bool
    reply_date: dt.date | None
    reminders: tuple[dt.date, ...]


def _header(rubric: Rubric, files: Sequence[EvidenceFile], as_of: dt.date | None) -> _Header:
    if not files:
        raise AssessmentError(
            "no evidence files: give at least one (cat-rubric template makes one)"
        )
    for f in files:
        if f.rubric != rubric.id:
            raise AssessmentError(
                f"{f.file}: this evidence is for rubric {f.rubric!r}, not {rubric.id!r}"
            )
    cycles = sorted({f.cycle for f in files})
    if len(cycles) > 1:
        raise AssessmentError(
            "the evidence files are for different follow-up cycles: "
            + "; ".join(f"{f.file}: {f.cycle!r}" for f in files)
        )
    if as_of is None:
        dates = sorted({f.as_of for f in files})
        if len(dates) > 1:
            raise AssessmentError(
                "the evidence files speak for different dates ("
                + ", ".join(f"{f.file}: {f.as_of}" for f in files)
                + "); give one with --as-of (as_of= in Python)"
            )
        as_of = dates[0]
    replies = {(f.reply.received, f.reply.date) for f in files if f.reply is not None}
    if not replies:
        raise AssessmentError(
            "no evidence file says whether the State party's reply was received; add "
            "'reply: {received: true, date: YYYY-MM-DD}' or 'reply: {received: false}' to one"
        )
    if len(replies) > 1:
        raise AssessmentError(
            "the evidence files disagree about the State party's reply: "
            + "; ".join(f"{f.file}: {f.reply}" for f in files if f.reply is not None)
        )
    received, reply_date = replies.pop()
    received = received and reply_date is not None and reply_date <= as_of
    reminders = tuple(sorted({d for f in files for d in f.reminders if d <= as_of}))
    return _Header(cycles[0], as_of, received, reply_date if received else None, reminders)


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
        scale: A `Scale` or a bundled scale's id; the rubric's own scale if omitted.
        settings: Conflict policy and other settings; defaults follow treaty-body practice.
        as_of: Assess as of this date instead of the evidence files' ``as_of``.

    Raises:
        AssessmentError: the inputs cannot be assessed together (another rubric,
            disagreeing headers, an override naming a letter the scale lacks ...).
    """
    with paused():  # everything built here is acyclic: see cat_rubric._gc
        return _assess(rubric, evidence, scale=scale, settings=settings, as_of=as_of)


def _assess(
    rubric: Rubric,
    evidence: EvidenceFile | Iterable[EvidenceFile],
    *,
    scale: Scale | str | None,
    settings: Settings | None,
    as_of: dt.date | None,
) -> Assessment:
    given = (evidence,) if isinstance(evidence, EvidenceFile) else tuple(evidence)
    # Sorted by name and content hash, so the order the files are given in never matters.
    records = sorted(
        ((_file_record(f), f) for f in given), key=lambda rf: (rf[0].file, rf[0].sha256)
    )
    files = tuple(f for _, f in records)
    settings = settings or Settings()
    scale = load_scale(scale or rubric.scale) if not isinstance(scale, Scale) else scale
    head = _header(rubric, files, as_of)
    rank = settings.rank()
    router = _Router(rubric, head.as_of, settings, rank)
    for f in files:
        route, file = router.route, f.file
        for item in f.items:
            route(file, item)
    buckets, ignored = router.buckets, router.ignored
    crit_overrides, part_overrides = _overrides(files, scale)
    status, status_rule = _status(rubric, head, settings)
    ctx = _Context(
        settings=settings,
        rank=rank,
        scale=scale,
        status=status,
        status_rule=status_rule,
        head=head,
        due=rubric.due,
        buckets=buckets,
        crit_overrides=crit_overrides,
        part_overrides=part_overrides,
    )
    override_records: list[OverrideRecord] = []
    recs = []
    for rec in rubric.recommendations:
        parts = tuple(_part(part, ctx, override_records) for part in rec.parts)
        recs.append(_rollup(rec, parts, scale, settings))
    return Assessment(
        rubric=rubric.id,
        symbol=rubric.symbol,
        state_party=rubric.state_party,
        cycle=head.cycle,
        as_of=head.as_of,
        due=rubric.due,
        reply_received=head.reply_received,
        reply_date=head.reply_date,
        reminders=head.reminders,
        status=status,
        recommendations=tuple(recs),
        items=_uses(rubric, buckets, ignored),
        overrides=tuple(override_records),
        record=_record(rubric, tuple(r for r, _ in records), scale, settings),
    )


def _uses(
    rubric: Rubric, buckets: dict[str, list[_Entry]], ignored: list[tuple[str, Item, str, str]]
) -> tuple[ItemUse, ...]:
    """Every item's fate, one record per item and criterion, in a canonical order.

    Criteria in rubric order, then file and item id; items ignored for want of a
    criterion last. Sorting each criterion's few entries instead of the whole list
    keeps this linear in practice, and the order never depends on the input order.
    """
    uses: list[ItemUse] = []
    append = uses.append
    for _, _, crit in rubric.iter_criteria():
        entries = buckets.get(crit.id)
        if not entries:
            continue
        entries.sort(key=_ENTRY_KEY)
        crit_id = crit.id
        for e in entries:
            item = e.item
            append(
                ItemUse(
                    e.file,
                    item.id,
                    crit_id,
                    item.source.kind,
                    e.citation,
                    e.passage,
                    item.finding,
                    e.effective,
                    e.use,
                    e.reason,
                    e.flags,
                )
            )
    for file, item, crit_id, reason in sorted(ignored, key=lambda t: (t[0], t[1].id, t[2])):
        uses.append(
            ItemUse(
                file=file,
                item=item.id,
                criterion=crit_id,
                source_kind=item.source.kind,
                citation=_citation(item),
                passage=_passage(item),
                finding=item.finding,
                effective=item.finding,
                use=Use.IGNORED,
                reason=reason,
            )
        )
    return tuple(uses)


_ENTRY_KEY: Final = operator.attrgetter("key")


def _citation(item: Item) -> str:
    """The source as an analyst cites it: title, symbol, locator, date."""
    src = item.source
    cite = src.title
    if src.symbol:
        cite += ", " + src.symbol
    if src.locator:
        cite += ", " + src.locator
    if src.date is not None:
        cite += ", " + src.date.isoformat()
    return cite + " (illustrative)" if item.illustrative else cite


def _passage(item: Item) -> str:
    """The quoted passage in quotation marks, else the assessor's summary."""
    if item.quote is not None:
        return f"“{item.quote.strip()}”"
    return (item.summary or "").strip()


class _Router:
    """Applies the date rules to items and files them under their criteria, in one pass."""

    def __init__(
        self, rubric: Rubric, as_of: dt.date, settings: Settings, rank: dict[Finding, int]
    ) -> None:
        self.rubric = rubric
        self.as_of = as_of
        self.stale_days = settings.stale_after_days
        self.stale_before = as_of - dt.timedelta(days=settings.stale_after_days)
        self.rank = rank
        self.known = {c.id for _, _, c in rubric.iter_criteria()}
        self.buckets: dict[str, list[_Entry]] = {}
        self.ignored: list[tuple[str, Item, str, str]] = []

    def route(self, file: str, item: Item) -> None:
        """File *item* under each of its criteria, with its effective finding and flags."""
        as_of = self.as_of
        source_date = item.source.date
        if source_date is not None and source_date > as_of:
            reason = f"dated {source_date}, after the as-of date {as_of}"
            self.ignored.extend((file, item, crit_id, reason) for crit_id in item.criteria)
            return
        effective = item.finding
        flags: tuple[str, ...] = ()
        measure = item.measure_date
        adopted = self.rubric.adopted
        predates = measure is not None and measure < adopted
        if predates:
            if self.rank[effective] > self.rank[Finding.NOT_IMPLEMENTED]:
                effective = Finding.NOT_IMPLEMENTED
            flags = (
                f"pre-dates the concluding observations (measure {measure}, adopted "
                f"{adopted}): not counted as action taken in response",
            )
        elif measure is not None and measure > as_of:
            if self.rank[effective] > self.rank[Finding.INITIATED]:
                effective = Finding.INITIATED
            flags = (
                f"measure not yet in effect on {as_of} (dated {measure}): counted as "
                "initiated at most",
            )
        if source_date is None:
            flags += ("undated source",)
        elif source_date < self.stale_before:
            flags += (
                f"stale: the source is dated {source_date}, over {self.stale_days} days "
                f"before {as_of}",
            )
        state = item.source.kind is SourceKind.STATE_PARTY
        citation, passage = _citation(item), _passage(item)
        key = (file, item.id)
        buckets, known = self.buckets, self.known
        for crit_id in item.criteria:
            if crit_id not in known:
                self.ignored.append(
                    (file, item, crit_id, f"rubric {self.rubric.id!r} has no criterion {crit_id!r}")
                )
                continue
            bucket = buckets.get(crit_id)
            if bucket is None:
                buckets[crit_id] = bucket = []
            bucket.append(
                _Entry(file, item, state, effective, flags, predates, citation, passage, key)
            )


def _overrides(
    files: Sequence[EvidenceFile], scale: Scale
) -> tuple[dict[str, tuple[Override, str]], dict[str, tuple[Override, str]]]:
    """Overrides by criterion id and by part id, with their files; no target set twice."""
    crit: dict[str, tuple[Override, str]] = {}
    part: dict[str, tuple[Override, str]] = {}
    for f in files:
        for o in f.overrides:
            table = crit if o.criterion is not None else part
            key = o.criterion or o.part or ""
            if key in table:
                raise AssessmentError(
                    f"{o.target} is overridden in both {table[key][1]} and {f.file}; "
                    "keep one judgement, with its reason"
                )
            if o.grade is not None and o.grade not in scale.letters:
                raise AssessmentError(
                    f"{f.file}: the override of {o.target} sets grade {o.grade!r}, which is not a "
                    f"letter of scale {scale.id} ({', '.join(scale.letters)}); assess with the "
                    "scale it was made for, or change the override"
                )
            table[key] = (o, f.file)
    return crit, part


def _override_record(
    found: tuple[Override, str], value: str, engine: str, as_of: dt.date
) -> OverrideRecord:
    o, file = found
    return OverrideRecord(
        target=o.target,
        value=value,
        engine=engine,
        by=o.by,
        date=o.date,
        reason=o.reason,
        until=o.until,
        file=file,
        applied=o.until is None or o.until >= as_of,
    )


def _status(rubric: Rubric, head: _Header, settings: Settings) -> tuple[Status, str]:
    if head.reply_received:
        return Status.GRADED, ""
    due = rubric.due
    if due is None or head.as_of < due:
        return Status.PENDING, "pending"
    if len(head.reminders) >= settings.reminders_for_d:
        return Status.GRADED, "no-reply-after-reminders"
    return Status.AWAITING_REMINDER, "awaiting-reminder"


@attrs.frozen
class _Context:
    settings: Settings
    rank: dict[Finding, int]
    scale: Scale
    status: Status
    status_rule: str
    head: _Header
    due: dt.date | None
    buckets: dict[str, list[_Entry]]
    crit_overrides: dict[str, tuple[Override, str]]
    part_overrides: dict[str, tuple[Override, str]]


def _criterion(crit: Criterion, ctx: _Context, records: list[OverrideRecord]) -> _CriterionPass:
    """A criterion's result, its conflict if sources disagree, and whether the State spoke."""
    entries = ctx.buckets.get(crit.id)
    if entries is None and crit.id not in ctx.crit_overrides:
        # Nothing bears on it: no information (the common case in a large rubric).
        return _CriterionPass(
            CriterionResult(
                id=crit.id,
                essential=crit.essential,
                weight=crit.weight,
                finding=Finding.NO_INFORMATION,
                engine_finding=Finding.NO_INFORMATION,
                state_finding=None,
                independent_finding=None,
                disputed=False,
                items=(),
                request=crit.request,
            ),
            conflict=None,
            spoke=False,
            state_info=False,
            relevant=False,
            flags=[],
        )
    entries = entries or []
    state_f: Finding | None = None
    indep_f: Finding | None = None
    disputed = False
    if entries:
        counted, state_f, indep_f, disputed = _combine(entries, ctx.settings, ctx.rank)
    else:
        counted = Finding.NO_INFORMATION
    engine = counted
    overridden = False
    record: OverrideRecord | None = None
    found = ctx.crit_overrides.get(crit.id)
    if found is not None and found[0].finding is not None:
        record = _override_record(found, found[0].finding.value, engine.value, ctx.head.as_of)
        records.append(record)
        if record.applied:
            counted, overridden = found[0].finding, True
    considered = [e for e in entries if e.use is not Use.IGNORED]
    conflict = None
    if considered and any(e.effective is not considered[0].effective for e in considered):
        conflict = Conflict(
            criterion=crit.id,
            state=tuple(sorted(_cite(e) for e in considered if e.state)),
            independent=tuple(sorted(_cite(e) for e in considered if not e.state)),
            counted=counted,
            disputed=disputed,
        )
    state_info = False  # the State said something on it
    relevant = False  # ... relevant, and not a measure pre-dating the observations
    # The part is silent unless the State reports something above "no information":
    # a rejection or contrary measure that the policy outweighs does not end silence,
    # which keeps raising any finding from ever lowering a grade.
    spoke = overridden
    floor = ctx.rank[Finding.NO_INFORMATION]
    for e in considered:
        if e.state and e.item.finding is not Finding.NO_INFORMATION:
            state_info = True
            spoke = spoke or ctx.rank[e.effective] > floor
            if e.effective not in _NOT_RELEVANT and not e.predates:
                relevant = True
    flags = [f"{e.item.id} on {crit.id}: {flag}" for e in entries if e.flags for flag in e.flags]
    if record is not None and not record.applied:
        flags.append(f"the override of criterion {crit.id} lapsed on {record.until}")
    result = CriterionResult(
        id=crit.id,
        essential=crit.essential,
        weight=crit.weight,
        finding=counted,
        engine_finding=engine,
        state_finding=state_f,
        independent_finding=indep_f,
        disputed=disputed,
        items=tuple(sorted(e.item.id for e in entries if e.use is Use.COUNTED)),
        request=None if counted is Finding.IMPLEMENTED else crit.request,
    )
    return _CriterionPass(result, conflict, spoke, state_info, relevant, flags)


@attrs.define
class _CriterionPass:
    """What one pass over a criterion's entries found."""

    result: CriterionResult
    conflict: Conflict | None
    spoke: bool  # the State (or an analyst's override) spoke on it: the part is not silent
    state_info: bool  # the State itself gave information on it
    relevant: bool  # ... relevant information, not a pre-dating measure
    flags: list[str]


_NOT_RELEVANT: Final = frozenset({Finding.NO_INFORMATION, Finding.NOT_RELEVANT})


def _cite(e: _Entry) -> str:
    # _value_ is the plain attribute behind Enum.value, whose descriptor is slow.
    return f"{e.item.id} ({e.item.source.kind._value_}): {e.effective._value_}"


def _part(part: Part, ctx: _Context, records: list[OverrideRecord]) -> PartResult:
    passes = [_criterion(crit, ctx, records) for crit in part.criteria]
    results = [p.result for p in passes]
    conflicts = [p.conflict for p in passes if p.conflict is not None]
    state_spoke = any(p.spoke for p in passes)
    findings = [r.finding for r in results]
    essential = [r.essential for r in results]
    score = _score(results)
    what_if: WhatIf | None = None
    quality: str | None = None
    outcome: Outcome | None
    grade: str | None
    if ctx.status is Status.GRADED and not ctx.status_rule:
        outcome, rule = decide(
            findings, essential, state_silent=not state_spoke, settings=ctx.settings
        )
        letter = ctx.scale.letter(outcome)
        grade = letter
        reason = _reason(rule, results)
        what_if = _what_if(results, not state_spoke, ctx, letter)
        if ctx.scale.information_quality:
            quality = _quality(passes)
    else:
        outcome = Outcome.NO_REPLY if ctx.status is Status.GRADED else None
        grade = ctx.scale.letter(outcome) if outcome else None
        rule = ctx.status_rule
        reason = _REASONS[rule].format(
            due=ctx.due, n=len(ctx.head.reminders), need=ctx.settings.reminders_for_d
        )
        quality = "none" if ctx.scale.information_quality else None
    engine_grade = grade
    override: OverrideRecord | None = None
    found = ctx.part_overrides.get(part.id)
    if found is not None and found[0].grade is not None:
        engine_said = engine_grade or f"not graded ({ctx.status.value})"
        override = _override_record(found, found[0].grade, engine_said, ctx.head.as_of)
        records.append(override)
        if override.applied:
            grade, what_if = found[0].grade, None
    flag_list = [flag for p in passes for flag in p.flags]
    if override is not None and not override.applied:
        flag_list.append(f"the override of part {part.id} lapsed on {override.until}")
    flags = tuple(sorted(set(flag_list)))
    missing = tuple(
        f"{r.id}: {r.request}" for r in results if r.request is not None and grade is not None
    )
    return PartResult(
        id=part.id,
        title=part.title,
        status=ctx.status,
        grade=grade,
        engine_grade=engine_grade,
        outcome=outcome,
        rule=rule,
        reason=reason,
        score=score,
        information_quality=quality,
        criteria=tuple(results),
        conflicts=tuple(conflicts),
        flags=flags,
        missing=missing,
        what_if=what_if,
        override=override,
    )


def _reason(rule: str, results: Sequence[CriterionResult]) -> str:
    wanted = _RULE_FINDINGS.get(rule, set())
    if rule == "essential-criteria-met":
        named = [r.id for r in results if r.essential]
    else:
        named = [r.id for r in results if r.finding in wanted]
    return _REASONS[rule].format(crit=", ".join(named))


def _quality(passes: Sequence[_CriterionPass]) -> str:
    """How good the State's information on a part is: thorough, partial, not_relevant, none."""
    if not any(p.state_info for p in passes):
        return "none"
    relevant = sum(1 for p in passes if p.relevant)
    if relevant == 0:
        return "not_relevant"
    return "thorough" if relevant == len(passes) else "partial"


def _score(results: Sequence[CriterionResult]) -> Score:
    total = sum(r.weight for r in results)
    terms = [f"{r.weight:g}×{SCORE_VALUES.get(r.finding, 0.0):g}" for r in results]
    value = sum(r.weight * SCORE_VALUES.get(r.finding, 0.0) for r in results) / total
    counts = [
        f"{f.value}: {n}" for f in Finding if (n := sum(1 for r in results if r.finding is f))
    ]
    formula = f"({' + '.join(terms)}) / {total:g}"
    return Score(value=value, formula=formula, counts=tuple(counts), weight_total=total)


_ALTERNATIVES: Final = 3


def _what_if(
    results: Sequence[CriterionResult], silent: bool, ctx: _Context, grade: str
) -> WhatIf | None:
    """The fewest criteria whose improvement lifts *grade*; verified by re-grading."""
    scale, settings, rank = ctx.scale, ctx.settings, ctx.rank
    current = scale.rank(grade)
    if current == len(scale.grades) - 1:
        return None
    findings = [r.finding for r in results]
    essential = [r.essential for r in results]
    order = settings.order()

    def lifted(changes: dict[int, Finding]) -> str | None:
        trial = [changes.get(i, f) for i, f in enumerate(findings)]
        still_silent = silent and all(t is Finding.NO_INFORMATION for t in changes.values())
        outcome, _ = decide(trial, essential, state_silent=still_silent, settings=settings)
        letter = scale.letter(outcome)
        return letter if scale.rank(letter) > current else None

    # A part the State was silent on lifts only once the State reports on it, even a
    # criterion that independent sources already show as met.
    via = " (in the State party's reply)" if silent else ""

    def describe(changes: dict[int, Finding]) -> tuple[str, ...]:
        return tuple(f"{results[i].id} → {t.value}{via}" for i, t in sorted(changes.items()))

    blocking = [
        i
        for i, f in enumerate(findings)
        if f is Finding.CONTRARY or (f is Finding.REJECTED and settings.refusal_is_contrary)
    ]
    if blocking:
        # Withdrawing a rejection into silence is no improvement to suggest: start at
        # an acknowledged "not implemented".
        for target in order[order.index(Finding.NOT_IMPLEMENTED) :]:
            changes = dict.fromkeys(blocking, target)
            letter = lifted(changes)
            if letter is not None:
                return WhatIf(grade=letter, changes=describe(changes))
        return None  # pragma: no cover - raising every blocking criterion always lifts an E
    for target in order[order.index(Finding.NOT_RELEVANT) :]:
        candidates = sorted(
            (
                i
                for i, f in enumerate(findings)
                if rank[f] < rank[target] or (silent and rank[f] <= rank[target])
            ),
            key=lambda i: (not essential[i], -results[i].weight, i),
        )
        if not candidates:
            continue
        letter = lifted({candidates[0]: target})
        if letter is not None:
            others: list[str] = []
            for i in candidates[1:]:
                if len(others) == _ALTERNATIVES:
                    break
                if lifted({i: target}) == letter:
                    others.append(results[i].id)
            return WhatIf(
                grade=letter, changes=describe({candidates[0]: target}), alternatives=tuple(others)
            )
    missing = {
        i: Finding.IMPLEMENTED
        for i, f in enumerate(findings)
        if essential[i] and f is not Finding.IMPLEMENTED
    }
    letter = lifted(missing) if missing else None
    if letter is not None:
        return WhatIf(grade=letter, changes=describe(missing))
    return None


def _rollup(
    rec: Recommendation, parts: Sequence[PartResult], scale: Scale, settings: Settings
) -> RecommendationResult:
    grades = [p.grade for p in parts if p.grade is not None]
    differ = len(set(grades)) > 1
    listing = ", ".join(f"{p.id} {p.grade or '—'}" for p in parts)
    if not grades:
        return RecommendationResult(
            id=rec.id,
            paragraph=rec.paragraph,
            title=rec.title,
            grade=None,
            rollup=f"not graded ({parts[0].status.value})",
            parts_differ=False,
            parts=tuple(parts),
        )
    worst = scale.letters[-1]
    if worst in grades:
        letter, how = worst, f"{worst} in a part is never averaged away ({listing})"
    else:
        ranked = sorted(scale.rank(g) for g in grades)
        if settings.rollup is Rollup.MEDIAN:
            pick = statistics.median_low(ranked)
        else:
            pick = ranked[0]
        letter = next(g for g in grades if scale.rank(g) == pick)
        how = f"{settings.rollup.value} of the parts ({listing})"
    if differ:
        how += "; the parts differ"
    return RecommendationResult(
        id=rec.id,
        paragraph=rec.paragraph,
        title=rec.title,
        grade=letter,
        rollup=how,
        parts_differ=differ,
        parts=tuple(parts),
    )


def _file_record(model: Rubric | EvidenceFile) -> FileRecord:
    """The file a model came from and its sha256.

    For a model built in memory, the sha256 of its canonical YAML.
    """
    if model.origin is not None:
        return FileRecord(file=model.origin.file, sha256=model.origin.sha256)
    return FileRecord(file="<in memory>", sha256=_content_digest(model))


@functools.lru_cache(maxsize=32)
def _content_digest(model: Rubric | EvidenceFile) -> str:
    from cat_rubric._dump import to_yaml

    return hashlib.sha256(to_yaml(model).encode("utf-8")).hexdigest()


@functools.cache
def _library_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cat_rubric")
    except PackageNotFoundError:  # pragma: no cover - a bare source checkout
        return "0+unknown"


def _record(
    rubric: Rubric, evidence: tuple[FileRecord, ...], scale: Scale, settings: Settings
) -> Record:
    return Record(
        format=JSON_FORMAT,
        library="cat_rubric",
        version=_library_version(),
        rubric=_file_record(rubric),
        evidence=evidence,
        scale=scale.id,
        scale_version=scale.version,
        policy=settings.policy.value,
        settings=settings.describe(),
    )
