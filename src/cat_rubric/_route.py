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


@attrs.define(eq=False)
class Entry:
    """One item's bearing on one criterion, during the pass."""

    file: str
    item: Item
    state: bool
    effective: Finding
    flags: tuple[str, ...]
    predates: bool
    citation: str  # shared by the item's entries
    passage: str
    cite: str  # "item (kind): effective finding", as conflicts list it
    key: tuple[str, str]  # (file, item id): the canonical order
    use: Use = Use.OUTWEIGHED
    reason: str = ""


_NO_INFO_REASON: Final = "an independent source with no information on it"
_STATE_ONLY_REASON: Final = "the state-only policy ignores independent sources"


def combine(
    entries: list[Entry], settings: Settings, rank: dict[Finding, int]
) -> tuple[Finding, Finding | None, Finding | None, bool]:
    """The counted finding, the State's, the independent sources', and whether disputed.

    Marks each entry counted, outweighed or ignored (with the reason) as a side effect.
    """
    state: list[Entry] = []
    indep: list[Entry] = []
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


ENTRY_KEY: Final = operator.attrgetter("key")


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
        self.stale_days = settings.stale_after_days
        self.stale_before = as_of - dt.timedelta(days=settings.stale_after_days)
        self.rank = rank
        self.known = {c.id for _, _, c in rubric.iter_criteria()}
        self.buckets: dict[str, list[Entry]] = {}
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
        cited, quoted = citation(item), passage(item)
        key = (file, item.id)
        # _value_ is the plain attribute behind Enum.value, whose descriptor is slow.
        cite = f"{item.id} ({item.source.kind._value_}): {effective._value_}"
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
                Entry(file, item, state, effective, flags, predates, cited, quoted, cite, key)
            )
