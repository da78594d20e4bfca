"""The assessment engine: decide first, explain on demand.

The **decision core** is this module with `cat_rubric._route` and `cat_rubric._rules`:

1. `_header`: the files agree on rubric and cycle; as of which date; the reply.
2. `_status`: the follow-up status (docs/grading.md §1): pending, awaiting a reminder,
   D, or graded from the evidence.
3. `Router.route`: every item after the date rules (§2), filed under its criteria.
4. `_decide_criterion`: each criterion's counted finding under the conflict policy
   (`combine`, §3), then any analyst override (§6), and whether the State spoke on it.
5. `_decide_part`: each part's outcome by the rule chain (`decide`, §4), its letter
   on the scale, its score, its information quality, then any part override.
6. `rollup`: each recommendation's letter (§5).

That is everything a grade needs, computed on compact data. The **explanation** (the
reasons, each criterion's result with its items, conflicts, flags, what-if, the record
of every item's use) is built by `cat_rubric._explain` from the same decisions, the
first time someone reads it, and kept: `PartResult` and `Assessment` are created with
those fields deferred (`cat_rubric._result.deferred`). Reading any of them, comparing
two results or writing the JSON builds them; a notebook that only looks at grades
never pays for them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

from cat_rubric import _rules
from cat_rubric._core import Context, Header, PartCore, decide_criterion, override_record, route
from cat_rubric._evidence import EvidenceFile, Finding, Override, Reply
from cat_rubric._gc import paused
from cat_rubric._model import Part, Rubric
from cat_rubric._result import (
    JSON_FORMAT,
    Assessment,
    FileRecord,
    OverrideRecord,
    PartResult,
    RecommendationResult,
    Record,
    Status,
    deferred,
    file_record,
)
from cat_rubric._route import Entry
from cat_rubric._rules import SCORE_VALUES, Settings
from cat_rubric._scales import Outcome, Scale
from cat_rubric._version import VERSION
from cat_rubric.exceptions import AssessmentError


def _header(rubric: Rubric, files: Sequence[EvidenceFile], as_of: dt.date | None) -> Header:
    if not files:
        raise AssessmentError(
            "no evidence files: give at least one (cat-rubric template makes one)"
        )
    seen: dict[object, EvidenceFile] = {}
    for f in files:
        if f.rubric != rubric.id:
            raise AssessmentError(
                f"{f.file}: this evidence is for rubric {f.rubric!r}, not {rubric.id!r}"
            )
        # The same file given twice (a shell pattern that matches it twice, or a copy)
        # would count each of its items twice. Its hash finds a candidate and equality
        # decides, as a model evolved from a loaded file keeps the file's origin.
        key = f.origin.sha256 if f.origin is not None else id(f)
        first = seen.get(key)
        if first is not None and (first is f or first == f):
            how = "is given twice" if first.file == f.file else f"repeats {first.file}"
            raise AssessmentError(
                f"{f.file} {how}: each of its items would count twice; give each evidence file once"
            )
        seen.setdefault(key, f)
    cycles = sorted({f.cycle for f in files})
    if len(cycles) > 1:
        raise AssessmentError(
            "the evidence files are for different follow-up cycles: "
            + "; ".join(f"{f.file}: {f.cycle!r}" for f in files)
            + _cycles_alike(cycles)
        )
    if as_of is None:
        # Successive rounds (a reply, the NGOs' answer, a further reply) accumulate:
        # together they speak for the latest date.
        as_of = max(f.as_of for f in files)
    if as_of < rubric.adopted:
        raise AssessmentError(
            f"nothing can be assessed as of {as_of}: the concluding observations "
            f"({rubric.symbol}) were adopted on {rubric.adopted}"
        )
    stated = [(f, f.reply) for f in files if f.reply is not None]
    for f, reply in stated:
        if reply.date is not None and reply.date < rubric.adopted:
            raise AssessmentError(
                f"{f.file}: the reply is dated {reply.date}, before the concluding observations "
                f"it answers were adopted ({rubric.adopted})"
            )
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
    return Header(cycles[0], as_of, received, reply_date, reminders)


def _cycles_alike(cycles: list[str]) -> str:
    """A hint when the cycles differ only in case, a dash or white space.

    An en dash typed in one file and a hyphen in another: the cycles are meant alike,
    and look it.
    """
    from cat_rubric._similar import difference  # only for this error

    how = {difference(cycles[0], other) for other in cycles[1:]}
    if None in how:
        return ""
    return f" — {'; '.join(sorted(h for h in how if h))}: write the cycle alike in every file"


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
        try:
            return _grade(rubric, evidence, scale=scale, settings=settings, as_of=as_of)
        except AssessmentError as exc:
            message = str(exc)
    # Raised anew: the original's traceback held the frames that held the routed items,
    # and a notebook keeps the last exception.
    raise AssessmentError(message) from None


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
        ((file_record(f), f) for f in given), key=lambda rf: (rf[0].file, rf[0].sha256)
    )
    files = tuple(f for _, f in records)
    settings = settings or Settings()
    head = _header(rubric, files, as_of)
    rank = settings.rank()
    router = route(rubric, files, head.as_of, rank)
    crit_overrides, part_overrides = _overrides(files, scale)
    status, status_rule = _status(rubric, head, settings)
    ctx = Context(
        rubric=rubric,
        settings=settings,
        rank=rank,
        scale=scale,
        head=head,
        status=status,
        status_rule=status_rule,
        files=files,
        crit_overrides=crit_overrides,
        part_overrides=part_overrides,
    )
    override_records: list[OverrideRecord] = []
    recs = []
    for rec in rubric.recommendations:
        parts = tuple(
            _decide_part(part, router.buckets, ctx, override_records) for part in rec.parts
        )
        recs.append(_rules.rollup(rec, parts, scale, settings))
    results = tuple(recs)
    return deferred(
        Assessment,
        {
            "rubric": rubric.id,
            "symbol": rubric.symbol,
            "state_party": rubric.state_party,
            "cycle": head.cycle,
            "as_of": head.as_of,
            "due": rubric.due,
            "reply_received": head.reply_received,
            "reply_date": head.reply_date,
            "reminders": head.reminders,
            "status": status,
            "recommendations": results,
            "overrides": tuple(override_records),
            "record": _record(rubric, tuple(r for r, _ in records), scale, settings),
        },
        functools.partial(_item_uses, results, ctx),
    )


def _decide_part(
    part: Part, buckets: dict[str, list[Entry]], ctx: Context, records: list[OverrideRecord]
) -> PartResult:
    """A part's grade, score and information quality; its explanation deferred."""
    crit_overrides = ctx.crit_overrides
    findings: list[Finding] = []
    essential: list[bool] = []
    spoke = False
    with_info = relevant = 0
    total: float = 0  # Σ weight, as sum() starts, so that integer weights stay integers
    weighted: float = 0  # Σ weight × value(finding)
    no_info = Finding.NO_INFORMATION  # (a member read off its class costs 5 locals)
    for crit in part.criteria:
        entries = buckets.get(crit.id)
        essential.append(crit.essential)
        total += crit.weight
        if entries is None and crit.id not in crit_overrides:
            findings.append(no_info)  # the common case in a large rubric
            continue
        d = decide_criterion(crit, entries or [], ctx, records)
        findings.append(d.finding)
        weighted += crit.weight * SCORE_VALUES.get(d.finding, 0.0)
        spoke = spoke or d.spoke
        with_info += d.state_info
        relevant += d.relevant
    scale = ctx.scale
    quality: str | None = None
    outcome: Outcome | None
    if ctx.status is Status.GRADED and not ctx.status_rule:
        outcome, rule = _rules.decide(
            findings, essential, state_silent=not spoke, settings=ctx.settings
        )
        if scale.information_quality:
            quality = _quality(with_info, relevant, len(findings))
    else:
        outcome = Outcome.NO_REPLY if ctx.status is Status.GRADED else None
        rule = ctx.status_rule
        quality = "none" if scale.information_quality else None
    engine_grade = scale.letter(outcome) if outcome is not None else None
    grade = engine_grade
    override = None
    found = ctx.part_overrides.get(part.id)
    if found is not None and found[0].grade is not None:
        engine_said = engine_grade or f"not graded ({ctx.status.value})"
        override = override_record(found, found[0].grade, engine_said, ctx.head.as_of)
        records.append(override)
        if override.applied:
            grade = found[0].grade
    counted = tuple(findings)
    core = PartCore(
        part=part,
        findings=counted,
        spoke=spoke,
        outcome=outcome,
        rule=rule,
        grade=grade,
        engine_grade=engine_grade,
        override=override,
        ctx=ctx,
    )
    return deferred(
        PartResult,
        {
            "id": part.id,
            "title": part.title,
            "status": ctx.status,
            "grade": grade,
            "engine_grade": engine_grade,
            "outcome": outcome,
            "rule": rule,
            "information_quality": quality,
            "score": _rules.score(part.criteria, counted, weighted / total, total),
            "override": override,
        },
        core,  # its explanation, when first read
    )


def _item_uses(results: tuple[RecommendationResult, ...], ctx: Context) -> dict[str, Any]:
    from cat_rubric._explain import item_uses  # only when an explanation is read

    return {"items": item_uses(results, ctx)}


def _quality(with_info: int, relevant: int, criteria: int) -> str:
    """How good the State's information on a part is: thorough, partial, not_relevant, none."""
    if not with_info:
        return "none"
    if relevant == 0:
        return "not_relevant"
    return "thorough" if relevant == criteria else "partial"


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


def _status(rubric: Rubric, head: Header, settings: Settings) -> tuple[Status, str]:
    if head.reply_received:
        return Status.GRADED, ""
    due = rubric.due
    if due is None or head.as_of < due:
        return Status.PENDING, "pending"
    if len(head.reminders) >= settings.reminders_for_d:
        return Status.GRADED, "no-reply-after-reminders"
    return Status.AWAITING_REMINDER, "awaiting-reminder"


def _record(
    rubric: Rubric, evidence: tuple[FileRecord, ...], scale: Scale, settings: Settings
) -> Record:
    return Record(
        format=JSON_FORMAT,
        library="cat_rubric",
        version=VERSION,
        rubric=file_record(rubric),
        evidence=evidence,
        scale=scale.id,
        scale_version=scale.version,
        scale_file=file_record(scale),
        policy=settings.policy.value,
        settings=settings.describe(),
    )
