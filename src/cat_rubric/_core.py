"""The decision core's shared parts: the context of one assessment and a criterion's decision.

`cat_rubric._engine` runs the core; `cat_rubric._explain` reads the same decisions to
explain them. Both decide a criterion with `decide_criterion`, so an explanation can
never say something other than what decided the grade.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, Final, NamedTuple

from cat_rubric._evidence import EvidenceFile, Finding, Override
from cat_rubric._model import Criterion, Part, Rubric
from cat_rubric._result import OverrideRecord, Status
from cat_rubric._route import ITEM_ID, PREDATES, Branch, Combined, Entry, Router, combine
from cat_rubric._rules import Policy, Settings
from cat_rubric._scales import Outcome, Scale


class Header(NamedTuple):
    """The facts of the follow-up the files agree on, as of the assessment's date."""

    cycle: str
    as_of: dt.date
    reply_received: bool
    reply_date: dt.date | None
    reminders: tuple[dt.date, ...]


class Context:
    """What every decision of one assessment shares, and what its explanation reads.

    A plain class (like the other records here, which are named tuples): the engine
    builds one per assessment, and defining attrs classes costs start-up time.
    """

    def __init__(
        self,
        *,
        rubric: Rubric,
        settings: Settings,
        rank: dict[Finding, int],
        scale: Scale,
        head: Header,
        status: Status,
        status_rule: str,
        files: tuple[EvidenceFile, ...],
        crit_overrides: dict[str, tuple[Override, str]],
        part_overrides: dict[str, tuple[Override, str]],
    ) -> None:
        self.rubric = rubric
        self.settings = settings
        self.rank = rank
        self.scale = scale
        self.head = head
        self.status = status
        self.status_rule = status_rule  # the follow-up rule that decided every part, or ""
        self.files = files  # sorted by name and hash
        self.crit_overrides = crit_overrides
        self.part_overrides = part_overrides

    @functools.cached_property
    def stale_before(self) -> dt.date:
        """Sources dated before this are flagged stale."""
        try:
            return self.head.as_of - dt.timedelta(days=self.settings.stale_after_days)
        except OverflowError:  # as-of near the calendar's start: nothing is that old
            return dt.date.min

    @functools.cached_property
    def routed(self) -> Router:
        """The evidence routed again, for the explanations.

        The decision core's routing is not kept (so that results hold no per-item
        objects); the first explanation asked for routes the evidence once more, the
        same way, and every later one reuses it.
        """
        return route(self.rubric, self.files, self.head.as_of, self.rank)


def route(
    rubric: Rubric, files: Sequence[EvidenceFile], as_of: dt.date, rank: dict[Finding, int]
) -> Router:
    """Every item of *files* filed under its criteria after the date rules.

    Routed in canonical order (file, then item id), so that every criterion's entries,
    and everything built from them, come out in that order unsorted.
    """
    router = Router(rubric, as_of, rank)
    for f in files:
        router.route(f.file, sorted(f.items, key=ITEM_ID))
    return router


class PartCore:
    """What the decision core decided for one part, kept for its explanation.

    Called, it is the part's deferred explanation (`cat_rubric._result.deferred` calls
    it once, when a field is first read). One plain object kept per part: a named tuple
    with a `functools.partial` over it and the context was three for the collector to
    walk in every result kept.
    """

    __slots__ = (
        "ctx",
        "engine_grade",
        "findings",
        "grade",
        "outcome",
        "override",
        "part",
        "rule",
        "spoke",
    )

    def __init__(
        self,
        *,
        part: Part,
        findings: tuple[Finding, ...],
        spoke: bool,
        outcome: Outcome | None,
        rule: str,
        grade: str | None,
        engine_grade: str | None,
        override: OverrideRecord | None,
        ctx: Context,
    ) -> None:
        self.part = part
        self.findings = findings  # each criterion's counted finding
        self.spoke = spoke  # the State spoke on some criterion
        self.outcome = outcome
        self.rule = rule
        self.grade = grade  # after any part override
        self.engine_grade = engine_grade
        self.override = override
        self.ctx = ctx

    def __call__(self) -> dict[str, Any]:
        """The part's explaining fields (see `cat_rubric._explain.explain_part`)."""
        from cat_rubric._explain import explain_part  # only when an explanation is read

        return explain_part(self, self.ctx)


class Decided(NamedTuple):
    """One criterion's decision: its counted finding and what led to it."""

    criterion: Criterion
    entries: list[Entry]
    combined: Combined
    finding: Finding  # the finding that counts, after any override
    override: OverrideRecord | None
    spoke: bool  # the State (or an override, or under either-way a source) spoke on it
    state_info: bool  # the State itself gave information on it
    relevant: bool  # ... relevant information, not a pre-dating measure


_NO_ENTRIES: Final = Combined(
    Finding.NO_INFORMATION, None, None, disputed=False, how=Branch.ONE_SIDE, winner=-1
)
#: Findings that give no relevant information (for the information quality).
NOT_RELEVANT: Final = frozenset(
    {Finding.NO_INFORMATION, Finding.NO_NEW_INFORMATION, Finding.NOT_RELEVANT}
)


def decide_criterion(
    crit: Criterion, entries: list[Entry], ctx: Context, records: list[OverrideRecord] | None
) -> Decided:
    """A criterion's counted finding, any override, and what the State said on it.

    A criterion override's record is appended to *records* (None: when explaining a
    decision already made).
    """
    rank = ctx.rank
    combined = combine(entries, ctx.settings.policy, rank) if entries else _NO_ENTRIES
    counted = combined.counted
    record = None
    found = ctx.crit_overrides.get(crit.id)
    if found is not None and found[0].finding is not None:
        record = override_record(found, found[0].finding.value, counted.value, ctx.head.as_of)
        if records is not None:
            records.append(record)
        if record.applied:
            counted = found[0].finding
    # The part is silent unless the State reports something above "no information":
    # a rejection or contrary measure that the policy outweighs does not end silence,
    # which keeps raising any finding from ever lowering a grade.
    spoke = record is not None and record.applied
    state_info = relevant = False
    no_info = Finding.NO_INFORMATION  # (a member read off its class costs 5 locals)
    floor = rank[no_info]
    for e in entries:
        if e.state and e.item.finding is not no_info:
            state_info = True
            spoke = spoke or rank[e.effective] > floor
            relevant = relevant or (e.effective not in NOT_RELEVANT and not e.dates & PREDATES)
    if (
        not spoke
        and ctx.settings.policy is Policy.EITHER_WAY
        and rank[counted] > floor
        and combined.independent is not None
    ):
        spoke = True  # an independent finding that counts ends the part's silence
    return Decided(crit, entries, combined, counted, record, spoke, state_info, relevant)


def override_record(
    found: tuple[Override, str], value: str, engine: str, as_of: dt.date
) -> OverrideRecord:
    """The record of an override: what it sets, what the engine said, whether it applies."""
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
        # A judgement made after the as-of date cannot speak for it.
        applied=o.date <= as_of and (o.until is None or o.until >= as_of),
    )
