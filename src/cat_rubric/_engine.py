"""The assessment engine: evidence → criterion outcomes → part grades, in one linear pass.

`cat_rubric._route` files the evidence under its criteria and reconciles it;
`cat_rubric._rules` holds the pure grading rules; this module runs the pass and builds
the results. The rules (docs/grading.md states them in full):

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
import functools
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from cat_rubric import _rules
from cat_rubric._evidence import EvidenceFile, Finding, Item, Override, Reply
from cat_rubric._gc import paused
from cat_rubric._model import Criterion, Part, Rubric
from cat_rubric._result import (
    JSON_FORMAT,
    Assessment,
    Conflict,
    CriterionResult,
    FileRecord,
    ItemUse,
    OverrideRecord,
    PartResult,
    Record,
    Status,
    Use,
    WhatIf,
)
from cat_rubric._route import ITEM_ID, Entry, Router, citation, combine, passage
from cat_rubric._rules import Policy, Settings
from cat_rubric._scales import Outcome, Scale
from cat_rubric.exceptions import AssessmentError


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
        # Successive rounds (a reply, the NGOs' answer, a further reply) accumulate:
        # together they speak for the latest date.
        as_of = max(f.as_of for f in files)
    stated = [(f, f.reply) for f in files if f.reply is not None]
    if not stated:
        raise AssessmentError(
            "no evidence file says whether the State party's reply was received; add "
            "'reply: {received: true, date: YYYY-MM-DD}' or 'reply: {received: false}' to one"
        )
    # Files of one round (one as-of date) must agree on the reply. Across rounds each
    # file states the reply as of its own date: "not received" on 1 March and
    # "received on 1 April" later are successive rounds, as are two replies; but "not
    # received" on or after another file's reply date contradicts it.
    rounds: dict[dt.date, set[Reply]] = {}
    for f, reply in stated:
        rounds.setdefault(f.as_of, set()).add(reply)
    for when, said in rounds.items():
        if len(said) > 1:
            raise AssessmentError(
                f"the evidence files as of {when} disagree about the State party's reply: "
                + "; ".join(f"{f.file}: {_reply_text(r)}" for f, r in stated if f.as_of == when)
            )
    received_on = sorted({r.date for _, r in stated if r.received and r.date is not None})
    for f, reply in stated:
        if not reply.received and received_on and received_on[0] <= f.as_of:
            other = next(g for g, r in stated if r.received and r.date == received_on[0])
            raise AssessmentError(
                f"the evidence files disagree about the State party's reply: {f.file} says none "
                f"was received by {f.as_of}, {other.file} that it was received on "
                f"{received_on[0]}; correct one of them"
            )
    in_time = [d for d in received_on if d <= as_of]
    received = bool(in_time)
    reply_date = in_time[-1] if in_time else None  # the reply this assessment answers
    reminders = tuple(sorted({d for f in files for d in f.reminders if d <= as_of}))
    return _Header(cycles[0], as_of, received, reply_date, reminders)


def _reply_text(reply: Reply) -> str:
    if not reply.received:
        return "not received"
    return f"received on {reply.date}" if reply.date else "received (undated)"


def grade(
    rubric: Rubric,
    evidence: EvidenceFile | Iterable[EvidenceFile],
    *,
    scale: Scale,
    settings: Settings | None = None,
    as_of: dt.date | None = None,
) -> Assessment:
    """Grade the follow-up of *rubric* on *evidence*, on a resolved *scale*.

    `cat_rubric.assess` resolves a scale's id and calls this; the engine itself reads
    no file.

    Args:
        rubric: The rubric.
        evidence: One evidence file or several (their order does not matter).
        scale: The grading scale.
        settings: Conflict policy and other settings; defaults follow treaty-body practice.
        as_of: Assess as of this date instead of the evidence files' ``as_of``.

    Raises:
        AssessmentError: the inputs cannot be assessed together (another rubric,
            disagreeing headers, an override naming a letter the scale lacks ...).
    """
    with paused():  # everything built here is acyclic: see cat_rubric._gc
        return _grade(rubric, evidence, scale=scale, settings=settings, as_of=as_of)


def _grade(
    rubric: Rubric,
    evidence: EvidenceFile | Iterable[EvidenceFile],
    *,
    scale: Scale,
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
    head = _header(rubric, files, as_of)
    rank = settings.rank()
    router = Router(rubric, head.as_of, settings, rank)
    for f in files:  # sorted by name and hash
        route, file = router.route, f.file
        # Routed in canonical order (file, then item id), so that every criterion's
        # entries, and everything built from them, come out in that order unsorted.
        for item in sorted(f.items, key=ITEM_ID):
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
        uses=[],
        crit_overrides=crit_overrides,
        part_overrides=part_overrides,
    )
    override_records: list[OverrideRecord] = []
    recs = []
    for rec in rubric.recommendations:
        parts = tuple(_part(part, ctx, override_records) for part in rec.parts)
        recs.append(_rules.rollup(rec, parts, scale, settings))
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
        items=(*ctx.uses, *_ignored_uses(ignored)),
        overrides=tuple(override_records),
        record=_record(rubric, tuple(r for r, _ in records), scale, settings),
    )


def _ignored_uses(ignored: list[tuple[str, Item, str, str]]) -> list[ItemUse]:
    """Records of the items ignored before any criterion saw them, in canonical order.

    They follow the records `_criterion` made (criteria in rubric order, then file
    and item id), so that every item appears, and the order never depends on the
    order of the input.
    """
    return [
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
        )
        for file, item, crit_id, reason in sorted(ignored, key=lambda t: (t[0], t[1].id, t[2]))
    ]


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
        applied=o.date <= as_of and (o.until is None or o.until >= as_of),
    )


def _not_applied(target: str, record: OverrideRecord, as_of: dt.date) -> str:
    """The flag for an override that does not apply on *as_of*."""
    if record.date > as_of:
        return f"the override of {target} is dated {record.date}, after the as-of date {as_of}: not applied"
    return f"the override of {target} lapsed on {record.until}"


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
    buckets: dict[str, list[Entry]]
    uses: list[ItemUse]  # filled by _criterion, criterion by criterion in rubric order
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
    entries = entries or []  # in canonical order: see _grade
    state_f: Finding | None = None
    indep_f: Finding | None = None
    disputed = False
    if entries:
        counted, state_f, indep_f, disputed, fates = combine(entries, ctx.settings, ctx.rank)
    else:
        counted, fates = Finding.NO_INFORMATION, []
    engine = counted
    overridden = False
    record: OverrideRecord | None = None
    found = ctx.crit_overrides.get(crit.id)
    if found is not None and found[0].finding is not None:
        record = _override_record(found, found[0].finding.value, engine.value, ctx.head.as_of)
        records.append(record)
        if record.applied:
            counted, overridden = found[0].finding, True
    # One pass over the entries: the item records, what was considered, whether
    # sources differ, which items counted, the flags, and what the State said.
    state_cites: list[str] = []  # what was considered, as conflicts list it
    indep_cites: list[str] = []
    first: Finding | None = None  # the first considered entry's finding
    counted_ids: list[str] = []
    flags: list[str] = []
    differ = False
    state_info = False  # the State said something on it
    relevant = False  # ... relevant, and not a measure pre-dating the observations
    # The part is silent unless the State reports something above "no information":
    # a rejection or contrary measure that the policy outweighs does not end silence,
    # which keeps raising any finding from ever lowering a grade.
    spoke = overridden
    rank = ctx.rank
    floor = rank[Finding.NO_INFORMATION]
    crit_id = crit.id
    append_use = ctx.uses.append
    for e, (use, why) in zip(entries, fates, strict=True):
        append_use(
            ItemUse(
                e.file,
                e.item_id,
                crit_id,
                e.kind,
                e.citation,
                e.passage,
                e.finding,
                e.effective,
                use,
                why,
                e.flags,
            )
        )
        if e.flags:
            flags.extend(f"{e.item_id} on {crit_id}: {flag}" for flag in e.flags)
        if use is Use.IGNORED:
            continue
        if first is None:
            first = e.effective
        elif e.effective is not first:
            differ = True
        if use is Use.COUNTED:
            counted_ids.append(e.item_id)
        if not e.state:
            indep_cites.append(e.cite)
            continue
        state_cites.append(e.cite)
        if e.finding is not Finding.NO_INFORMATION:
            state_info = True
            spoke = spoke or rank[e.effective] > floor
            if e.effective not in _NOT_RELEVANT and not e.predates:
                relevant = True
    conflict = None
    if differ:
        conflict = Conflict(
            criterion=crit.id,
            state=tuple(state_cites),
            independent=tuple(indep_cites),
            counted=counted,
            disputed=disputed,
        )
    if record is not None and not record.applied:
        flags.append(_not_applied(f"criterion {crit.id}", record, ctx.head.as_of))
    if (
        ctx.settings.policy is Policy.EITHER_WAY
        and not spoke
        and rank[counted] > floor
        and any(not e.state for e in entries)
    ):
        # An independent finding that counts ends the part's silence under either-way.
        spoke = True
    result = CriterionResult(
        id=crit.id,
        essential=crit.essential,
        weight=crit.weight,
        finding=counted,
        engine_finding=engine,
        state_finding=state_f,
        independent_finding=indep_f,
        disputed=disputed,
        items=tuple(counted_ids),
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


_NOT_RELEVANT: Final = frozenset(
    {Finding.NO_INFORMATION, Finding.NO_NEW_INFORMATION, Finding.NOT_RELEVANT}
)


def _part(part: Part, ctx: _Context, records: list[OverrideRecord]) -> PartResult:
    passes = [_criterion(crit, ctx, records) for crit in part.criteria]
    results = [p.result for p in passes]
    conflicts = [p.conflict for p in passes if p.conflict is not None]
    state_spoke = any(p.spoke for p in passes)
    findings = [r.finding for r in results]
    essential = [r.essential for r in results]
    score = _rules.score(results)
    what_if: WhatIf | None = None
    quality: str | None = None
    outcome: Outcome | None
    grade: str | None
    if ctx.status is Status.GRADED and not ctx.status_rule:
        outcome, rule = _rules.decide(
            findings, essential, state_silent=not state_spoke, settings=ctx.settings
        )
        letter = ctx.scale.letter(outcome)
        grade = letter
        reason = _rules.reason(rule, results)
        what_if = _rules.what_if(results, not state_spoke, letter, ctx.scale, ctx.settings)
        if ctx.scale.information_quality:
            quality = _quality(passes)
    else:
        outcome = Outcome.NO_REPLY if ctx.status is Status.GRADED else None
        grade = ctx.scale.letter(outcome) if outcome else None
        rule = ctx.status_rule
        reason = _rules.REASONS[rule].format(
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
        flag_list.append(_not_applied(f"part {part.id}", override, ctx.head.as_of))
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


def _quality(passes: Sequence[_CriterionPass]) -> str:
    """How good the State's information on a part is: thorough, partial, not_relevant, none."""
    if not any(p.state_info for p in passes):
        return "none"
    relevant = sum(1 for p in passes if p.relevant)
    if relevant == 0:
        return "not_relevant"
    return "thorough" if relevant == len(passes) else "partial"


def _file_record(model: Rubric | EvidenceFile | Scale) -> FileRecord:
    """The file a model came from and its sha256.

    For a model built in memory, the sha256 of its canonical JSON.
    """
    if model.origin is not None:
        o = model.origin
        return FileRecord(file=o.file, sha256=o.sha256, bundled=o.bundled)
    return FileRecord(file="<in memory>", sha256=_content_digest(model))


@functools.lru_cache(maxsize=32)
def _content_digest(model: Rubric | EvidenceFile | Scale) -> str:
    from cat_rubric._convert import content_digest

    return content_digest(model)


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
        scale_file=_file_record(scale),
        policy=settings.policy.value,
        settings=settings.describe(),
    )
