"""From evidence items to criterion entries: the date rules and the conflict policies.

One pass over the items files each under its criteria (`Router`); one pass over each
criterion's few entries reconciles them (`combine`). Nothing scans all the evidence
per criterion.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Final

import attrs

from cat_rubric._evidence import Finding, Item
from cat_rubric._model import Rubric, SourceKind
from cat_rubric._result import Use
from cat_rubric._rules import Policy, Settings
from cat_rubric.exceptions import AssessmentError


@attrs.define(eq=False)
class Entry:
    """One item after the date rules, filed under each criterion it bears on.

    One per item, shared by all its criteria: what differs between criteria (the
    item's use there, and why) is kept beside the entries, as `Fate` lists. (A named
    tuple built without its Python ``__new__`` was tried: the same instruction count.)
    """

    file: str
    item_id: str
    kind: SourceKind
    state: bool  # from the State party
    finding: Finding  # as written
    effective: Finding  # after the date rules
    date: dt.date | None  # the source's date
    measure: dt.date | None  # the date of the measure the item reports
    flags: tuple[str, ...]
    predates: bool
    citation: str
    passage: str
    cite: str  # "item (kind): effective finding", as conflicts list it


#: An entry's use on one criterion, and the reason (empty when counted).
Fate = tuple[Use, str]

_COUNTED: Final[Fate] = (Use.COUNTED, "")
_UNDECIDED: Final[Fate] = (Use.OUTWEIGHED, "")  # nothing could be counted
_NO_INFO: Final[Fate] = (Use.IGNORED, "an independent source with no information on it")
_STATE_ONLY: Final[Fate] = (Use.IGNORED, "the state-only policy ignores independent sources")


def combine(
    entries: list[Entry], settings: Settings, rank: dict[Finding, int]
) -> tuple[Finding, Finding | None, Finding | None, bool, list[Fate]]:
    """Reconcile a criterion's entries under the conflict policy.

    Returns:
        The counted finding, the State's strongest, the independent sources' most
        critical, whether disputed, and each entry's fate (same order as *entries*).
    """
    fates = [_UNDECIDED] * len(entries)
    state: list[int] = []
    indep: list[int] = []
    state_best: Finding | None = None
    indep_worst: Finding | None = None
    best = worst = 0
    for i, e in enumerate(entries):
        f = e.effective
        if e.state:
            state.append(i)
            if state_best is None or rank[f] > best:
                state_best, best = f, rank[f]
        elif f is Finding.NO_INFORMATION:
            # An independent source that has no information neither confirms nor
            # contradicts anything: it does not bear on the criterion.
            fates[i] = _NO_INFO
        else:
            indep.append(i)
            if indep_worst is None or rank[f] < worst:
                indep_worst, worst = f, rank[f]
    key = rank.__getitem__
    considered = state + indep
    counted: Finding | None
    policy = settings.policy
    if policy is Policy.STATE_ONLY:
        for i in indep:
            fates[i] = _STATE_ONLY
        counted, pool, considered = state_best, state, state
    elif policy is Policy.LATEST:
        dated = [i for i in considered if entries[i].date is not None]
        pool = dated or considered
        newest = max((entries[i].date or dt.date.min for i in pool), default=None)
        pool = [i for i in pool if (entries[i].date or dt.date.min) == newest]
        counted = min((entries[i].effective for i in pool), key=key) if pool else None
    elif state_best is None or indep_worst is None:
        counted, pool = state_best or indep_worst, considered
    else:
        counted, pool = _in_time(entries, state, indep, fates, rank)
        if policy is Policy.EITHER_WAY and worst > key(counted):
            # The independent sources agree on more than the State claims: that counts.
            counted, pool = indep_worst, indep
    if counted is None:
        return Finding.NO_INFORMATION, state_best, indep_worst, False, fates
    # _value_ is the plain attribute behind Enum.value, whose descriptor is slow.
    outweighed: Fate = (
        Use.OUTWEIGHED,
        f"{counted._value_} counted under the {policy._value_} policy",
    )
    for i in considered:
        if fates[i] is _UNDECIDED:
            fates[i] = outweighed
    for i in pool:
        if entries[i].effective is counted:
            fates[i] = _COUNTED
    disputed = state_best is not None and key(counted) < best
    return counted, state_best, indep_worst, disputed, fates


def _in_time(
    entries: list[Entry],
    state: list[int],
    indep: list[int],
    fates: list[Fate],
    rank: dict[Finding, int],
) -> tuple[Finding, list[int]]:
    """The conservative rule, with sources in time: the counted finding and its pool.

    Each State claim stands at the lower of its own finding and the most critical
    independent finding not dated before the measure it reports (a source written
    before a measure cannot contradict it); the best-standing claim counts. Without
    measure dates this is the lower of the State's strongest claim and the independent
    sources' most critical finding. Independent entries the counted claim's measure
    supersedes get their fate here.
    """
    winner = -1
    standing = -1
    superseded: list[int] = []
    for s in state:
        e = entries[s]
        measure = e.measure
        own = rank[e.effective]
        low = own
        beaten: list[int] = []
        for i in indep:
            other = entries[i]
            if measure is not None and other.date is not None and other.date < measure:
                beaten.append(i)
            elif rank[other.effective] < low:
                low = rank[other.effective]
        # Ties go to the claim whose measure supersedes the most.
        if low > standing or (low == standing and len(beaten) > len(superseded)):
            winner, standing, superseded = s, low, beaten
    counted = entries[winner].effective
    if rank[counted] > standing:  # contradicted: the critical sources count
        live = [i for i in indep if i not in superseded]
        counted = min((entries[i].effective for i in live), key=rank.__getitem__)
        pool = live
    else:
        pool = [*state, *(i for i in indep if i not in superseded)]
    w = entries[winner]
    for i in superseded:
        fates[i] = (
            Use.OUTWEIGHED,
            f"dated {entries[i].date}, before the measure of {w.measure} that "
            f"{w.item_id} reports: it cannot contradict that measure",
        )
    return counted, pool


# -- the assessment ------------------------------------------------------------------


#: Items are routed in order of their ids, within each file.
ITEM_ID: Final = operator.attrgetter("id")


def citation(item: Item) -> str:
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


def passage(item: Item) -> str:
    """The quoted passage in quotation marks, else the assessor's summary."""
    if item.quote is not None:
        return f"“{item.quote.strip()}”"
    return (item.summary or "").strip()


class Router:
    """Applies the date rules to items and files them under their criteria, in one pass."""

    def __init__(
        self, rubric: Rubric, as_of: dt.date, settings: Settings, rank: dict[Finding, int]
    ) -> None:
        self.rubric = rubric
        self.as_of = as_of
        self.adopted = rubric.adopted
        self.stale_days = settings.stale_after_days
        try:
            self.stale_before = as_of - dt.timedelta(days=settings.stale_after_days)
        except OverflowError:  # as-of near the calendar's start: nothing is that old
            self.stale_before = dt.date.min
        self.rank = rank
        self.known = {c.id for _, _, c in rubric.iter_criteria()}
        self.buckets: dict[str, list[Entry]] = {}
        self.ignored: list[tuple[str, Item, str, str]] = []

    def route(self, file: str, item: Item) -> None:
        """File *item* under each of its criteria, with its effective finding and flags."""
        as_of = self.as_of
        src = item.source
        source_date = src.date
        if source_date is not None and source_date > as_of:
            reason = f"dated {source_date}, after the as-of date {as_of}"
            self.ignored.extend((file, item, crit_id, reason) for crit_id in item.criteria)
            return
        effective = item.finding
        flags: tuple[str, ...] = ()
        measure = item.measure_date
        predates = False
        if measure is not None:
            rank = self.rank
            if measure < self.adopted:
                predates = True
                if rank[effective] > rank[Finding.NOT_IMPLEMENTED]:
                    effective = Finding.NOT_IMPLEMENTED
                flags = (
                    f"pre-dates the concluding observations (measure {measure}, adopted "
                    f"{self.adopted}): not counted as action taken in response",
                )
            elif measure > as_of:
                if rank[effective] > rank[Finding.INITIATED]:
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
        kind = src.kind
        item_id = item.id
        if effective is Finding.NO_NEW_INFORMATION and kind is not SourceKind.STATE_PARTY:
            raise AssessmentError(
                f"{file}: item {item_id!r} is from a {kind._value_} source but its finding is "
                "no_new_information, which describes only the State party's reply"
            )
        entry = Entry(
            file,
            item_id,
            kind,
            kind is SourceKind.STATE_PARTY,
            item.finding,
            effective,
            source_date,
            measure,
            flags,
            predates,
            citation(item),
            passage(item),
            # _value_ is the plain attribute behind Enum.value, whose descriptor is slow.
            f"{item_id} ({kind._value_}): {effective._value_}",
        )
        buckets, known = self.buckets, self.known
        for crit_id in item.criteria:
            if crit_id not in known:
                self.ignored.append(
                    (file, item, crit_id, f"rubric {self.rubric.id!r} has no criterion {crit_id!r}")
                )
                continue
            bucket = buckets.get(crit_id)
            if bucket is None:
                buckets[crit_id] = [entry]
            elif bucket[-1] is entry:
                # Listed twice by this item. The loader refuses that; a model built in
                # Python may never have been loaded.
                raise AssessmentError(
                    f"{file}: item {item_id!r} lists criterion {crit_id!r} twice, so it would "
                    "count twice on it; list it once"
                )
            else:
                bucket.append(entry)
