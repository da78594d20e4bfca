"""From evidence items to criterion findings: the date rules and the conflict policies.

The decision core's first two steps. `Router` files each item under its criteria after
the date rules of docs/grading.md §2, in one pass; `combine` reconciles one criterion's
few entries under the conflict policy of §3. Both compute only what decides a grade:
the words (citations, flags, each item's fate) are built from the same entries later,
when someone asks (`fates`, `flags`, and `cat_rubric._explain`).
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Iterable
from typing import Final, NamedTuple

from cat_rubric._evidence import Finding, Item, Source
from cat_rubric._model import Rubric, SourceKind
from cat_rubric._result import Use
from cat_rubric._rules import Policy
from cat_rubric.exceptions import AssessmentError

#: `Entry.dates` bits: what the date rules did to an item's finding.
PREDATES: Final = 1  # measure before the concluding observations: capped at not_implemented
NOT_YET: Final = 2  # measure after the as-of date: capped at initiated


class Entry:
    """One item after the date rules, filed under each criterion it bears on.

    One per item, shared by all its criteria. Only what grading needs is computed
    here; the item itself is kept for the explanation.
    """

    __slots__ = ("date", "dates", "effective", "file", "item", "measure", "state", "words")

    def __init__(
        self,
        file: str,
        item: Item,
        state: bool,
        effective: Finding,
        dates: int,
        date: dt.date | None,
        measure: dt.date | None,
    ) -> None:
        self.file = file
        self.item = item
        self.state = state  # from the State party
        self.effective = effective  # the finding after the date rules
        self.dates = dates  # PREDATES / NOT_YET bits
        self.date = date  # the source's date
        self.measure = measure  # the date of the measure it reports
        #: What the explanation says of the item, built once when first needed.
        self.words: Words | None = None


class Words(NamedTuple):
    """What the explanation says of one item, wherever it is listed.

    The fields of its `ItemUse` records that do not depend on the criterion.
    """

    file: str
    item: str
    source_kind: SourceKind
    citation: str
    passage: str
    finding: Finding  # as written
    effective: Finding  # after the date rules
    flags: tuple[str, ...]  # the date flags: pre-dating, not yet in effect, stale, undated
    illustrative: bool
    cite: str  # "item (kind): effective finding", as conflicts list it
    source: Source  # the item's own data, as the file gives it
    measure: dt.date | None
    quote: str | None
    summary: str | None


#: Items are routed in order of their ids, within each file.
ITEM_ID: Final = operator.attrgetter("id")


class Router:
    """Applies the date rules to items and files them under their criteria, in one pass."""

    def __init__(self, rubric: Rubric, as_of: dt.date, rank: dict[Finding, int]) -> None:
        self.rubric = rubric
        self.as_of = as_of
        self.adopted = rubric.adopted
        self.rank = rank
        self.known = frozenset(rubric.criterion_ids)
        self.buckets: dict[str, list[Entry]] = {}
        #: (file, item, criterion, reason) for each item ignored before any criterion saw it.
        self.ignored: list[tuple[str, Item, str, str]] = []

    def route(self, file: str, items: Iterable[Item]) -> None:
        """File each of *items* (from *file*) under its criteria, with its effective finding."""
        as_of, adopted, rank = self.as_of, self.adopted, self.rank
        buckets, known, ignored = self.buckets, self.known, self.ignored
        cap_predating = rank[Finding.NOT_IMPLEMENTED]
        cap_not_yet = rank[Finding.INITIATED]
        state_party = SourceKind.STATE_PARTY
        no_new = Finding.NO_NEW_INFORMATION  # (a member read off its class costs 5 locals)
        for item in items:
            source = item.source
            date = source.date
            if date is not None and date > as_of:
                reason = f"dated {date}, after the as-of date {as_of}"
                for crit_id in item.criteria:
                    if crit_id not in known:
                        raise self._unknown(file, item, crit_id)
                ignored.extend((file, item, crit_id, reason) for crit_id in item.criteria)
                continue
            effective = item.finding
            dates = 0
            measure = item.measure_date
            if measure is not None:
                if measure < adopted:
                    dates = PREDATES
                    if rank[effective] > cap_predating:
                        effective = Finding.NOT_IMPLEMENTED
                elif measure > as_of:
                    dates = NOT_YET
                    if rank[effective] > cap_not_yet:
                        effective = Finding.INITIATED
            state = source.kind is state_party
            if effective is no_new and not state:
                raise AssessmentError(
                    f"{file}: item {item.id!r} is from a {source.kind._value_} source but its "
                    "finding is no_new_information, which describes only the State party's reply"
                )
            entry = Entry(file, item, state, effective, dates, date, measure)
            for crit_id in item.criteria:
                bucket = buckets.get(crit_id)
                if bucket is None:
                    if crit_id not in known:
                        raise self._unknown(file, item, crit_id)
                    buckets[crit_id] = [entry]
                elif bucket[-1] is entry:
                    # Listed twice by this item. The loader refuses that; a model built in
                    # Python may never have been loaded.
                    raise AssessmentError(
                        f"{file}: item {item.id!r} lists criterion {crit_id!r} twice, so it "
                        "would count twice on it; list it once"
                    )
                else:
                    bucket.append(entry)

    def _unknown(self, file: str, item: Item, crit_id: str) -> AssessmentError:
        """A criterion id the rubric lacks: a typo, never an item silently left out."""
        import difflib  # only for this error

        from cat_rubric._similar import alike

        ids = self.rubric.criterion_ids
        close = alike(crit_id, ids) or next(iter(difflib.get_close_matches(crit_id, ids, 1)), None)
        hint = f"; did you mean {close!r}?" if close else ""
        return AssessmentError(
            f"{file}: item {item.id!r} names criterion {crit_id!r}, which rubric "
            f"{self.rubric.id!r} does not have{hint} (cat-rubric show {self.rubric.id} lists "
            "its criteria)"
        )


# -- a criterion's finding: the conflict policy ----------------------------------------


class Branch(enum.Enum):
    """Which rule of the conflict policy decided a criterion's finding."""

    ONE_SIDE = enum.auto()
    """Only the State, or only independent sources, bear on it."""
    IN_TIME = enum.auto()
    """The conservative rule, with sources in time."""
    RAISED = enum.auto()
    """Either-way: the independent sources' finding is higher, and counts."""
    STATE_ONLY = enum.auto()
    """The state-only policy."""
    LATEST = enum.auto()
    """The latest policy."""


class Combined(NamedTuple):
    """What the conflict policy made of one criterion's entries."""

    counted: Finding
    """The finding that counts (no information when nothing could be counted)."""
    state: Finding | None
    """The State party's strongest claim."""
    independent: Finding | None
    """The independent sources' most critical finding (those with information)."""
    disputed: bool
    """An independent source contradicts the State's claim downwards."""
    how: Branch
    """Which rule of the policy decided."""
    winner: int
    """Under the time rule, the index of the State claim that stands best (else -1); the
    independent sources dated before its measure are superseded."""


def combine(entries: list[Entry], policy: Policy, rank: dict[Finding, int]) -> Combined:
    """Reconcile a criterion's entries under *policy* (docs/grading.md §3)."""
    state_best: Finding | None = None
    indep_worst: Finding | None = None
    best = worst = -1
    measured = False  # some State claim reports a dated measure: the time rule applies
    no_info = Finding.NO_INFORMATION
    for e in entries:
        f = e.effective
        if e.state:
            if rank[f] > best:
                state_best, best = f, rank[f]
            if e.measure is not None:
                measured = True
        elif f is not no_info:  # an independent source without information does not bear
            if indep_worst is None or rank[f] < worst:
                indep_worst, worst = f, rank[f]
    if policy is _POLICY_STATE_ONLY:
        return Combined(
            state_best or no_info, state_best, indep_worst, disputed=False, how=_BY_STATE, winner=-1
        )
    if policy is _POLICY_LATEST:
        counted = _latest(entries, rank)
        disputed = state_best is not None and rank[counted] < best
        return Combined(counted, state_best, indep_worst, disputed, _BY_DATE, -1)
    if state_best is None or indep_worst is None:
        counted = state_best or indep_worst or no_info
        return Combined(counted, state_best, indep_worst, disputed=False, how=_ONE_SIDE, winner=-1)
    winner = -1
    if measured:
        winner, standing, counted = _standing(entries, rank)
    elif worst < best:
        standing, counted = worst, indep_worst
    else:
        standing, counted = best, state_best
    if policy is _POLICY_EITHER_WAY and worst > standing:
        # The independent sources agree on more than the State claims: that counts.
        return Combined(
            indep_worst, state_best, indep_worst, disputed=False, how=_RAISED, winner=-1
        )
    return Combined(counted, state_best, indep_worst, standing < best, _IN_TIME, winner)


# The members `combine` compares with, bound once: a member read off its class costs
# five times a global.
_POLICY_STATE_ONLY: Final = Policy.STATE_ONLY
_POLICY_LATEST: Final = Policy.LATEST
_POLICY_EITHER_WAY: Final = Policy.EITHER_WAY
_ONE_SIDE: Final = Branch.ONE_SIDE
_IN_TIME: Final = Branch.IN_TIME
_RAISED: Final = Branch.RAISED
_BY_STATE: Final = Branch.STATE_ONLY
_BY_DATE: Final = Branch.LATEST


def _standing(entries: list[Entry], rank: dict[Finding, int]) -> tuple[int, int, Finding]:
    """The State claim that stands best against the independent sources.

    Returns its index, its rank and the finding it stands at. A claim stands at the
    lower of its own finding and the most critical independent finding not dated
    before the measure it reports: a source written before a measure cannot
    contradict it. Ties go to the claim whose measure supersedes the most sources.
    """
    no_info = Finding.NO_INFORMATION
    others = [
        (e.date, rank[e.effective], e.effective)
        for e in entries
        if not e.state and e.effective is not no_info
    ]
    winner, standing, beaten = -1, -1, -1
    found = no_info
    for s, claim in enumerate(entries):
        if not claim.state:
            continue
        low, at, n = rank[claim.effective], claim.effective, 0
        measure = claim.measure
        for date, r, f in others:
            if measure is not None and date is not None and date < measure:
                n += 1
            elif r < low:
                low, at = r, f
        if low > standing or (low == standing and n > beaten):
            winner, standing, beaten, found = s, low, n, at
    return winner, standing, found


def _considered(entries: list[Entry]) -> list[int]:
    """Entries that bear on the criterion: the State's, and independent ones with information."""
    return [
        i for i, e in enumerate(entries) if e.state or e.effective is not Finding.NO_INFORMATION
    ]


def _newest(entries: list[Entry], considered: list[int]) -> list[int]:
    """Under the latest policy, the entries of the newest date (undated only if none is dated)."""
    dated = [i for i in considered if entries[i].date is not None]
    pool = dated or considered
    newest = max((entries[i].date or dt.date.min for i in pool), default=None)
    return [i for i in pool if (entries[i].date or dt.date.min) == newest]


def _latest(entries: list[Entry], rank: dict[Finding, int]) -> Finding:
    pool = _newest(entries, _considered(entries))
    if not pool:
        return Finding.NO_INFORMATION
    return min((entries[i].effective for i in pool), key=rank.__getitem__)


# -- what each entry did: built when asked ---------------------------------------------

#: An entry's use on one criterion, and the reason (empty when counted).
Fate = tuple[Use, str]

_OUTWEIGHED_USE: Final = Use.OUTWEIGHED
_COUNTED: Final[Fate] = (Use.COUNTED, "")
_NO_INFO: Final[Fate] = (Use.IGNORED, "an independent source with no information on it")
_STATE_ONLY: Final[Fate] = (Use.IGNORED, "the state-only policy ignores independent sources")
#: An entry outweighed by the finding that counted, by that finding and the policy: a
#: few sentences, written once and shared by every record that gives them.
_OUTWEIGHED: Final[dict[tuple[Finding, Policy], Fate]] = {
    (f, p): (Use.OUTWEIGHED, f"{f._value_} counted under the {p._value_} policy")
    for f in Finding
    for p in Policy
}


def fates(entries: list[Entry], combined: Combined, policy: Policy) -> list[Fate]:
    """Each entry's use on the criterion, and why, in the order of *entries*."""
    counted, winner = combined.counted, combined.winner
    outweighed = _OUTWEIGHED[counted, policy]
    no_info = Finding.NO_INFORMATION
    state_only = policy is _POLICY_STATE_ONLY
    if winner < 0 and combined.how is not _BY_DATE and not state_only:
        # The common case: every entry that bears on the criterion is considered, and
        # none is superseded; those with the counted finding count.
        return [
            _NO_INFO
            if not e.state and e.effective is no_info
            else _COUNTED
            if e.effective is counted
            else outweighed
            for e in entries
        ]
    out: list[Fate] = []
    considered: list[int] = []
    for i, e in enumerate(entries):
        if not e.state and e.effective is no_info:
            out.append(_NO_INFO)
        elif not e.state and state_only:
            out.append(_STATE_ONLY)
        else:
            out.append(outweighed)
            considered.append(i)
    pool = set(_newest(entries, considered) if combined.how is _BY_DATE else considered)
    # Under the time rule, the independent sources dated before the winning claim's
    # measure are superseded by it.
    measure = entries[winner].measure if winner >= 0 else None
    superseded = (
        ""
        if measure is None
        else f", before the measure of {measure} that {entries[winner].item.id} reports: it "
        "cannot contradict that measure"
    )
    for i in considered:
        e = entries[i]
        if measure is not None and not e.state and e.date is not None and e.date < measure:
            out[i] = (_OUTWEIGHED_USE, f"dated {e.date}{superseded}")
        elif i in pool and e.effective is counted:
            out[i] = _COUNTED
    return out


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
