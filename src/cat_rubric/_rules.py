"""The grading rules: settings, the outcome of a part, scores, what-if and roll-ups.

Pure functions of findings and settings; `cat_rubric._engine` applies them to a
rubric and its evidence. docs/grading.md states the rules in full, and
tests/test_grading_laws.py states them as properties.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Sequence
from typing import Final

import attrs

from cat_rubric._evidence import Finding
from cat_rubric._model import Criterion, Recommendation
from cat_rubric._repr import fields_repr
from cat_rubric._result import (
    CriterionResult,
    PartResult,
    RecommendationResult,
    Score,
    WhatIf,
    deferred,
)
from cat_rubric._scales import Outcome, Scale


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
    EITHER_WAY = "either-way"
    """Independent sources move a finding either way: as conservative, and besides, their
    most critical finding counts where the State party is silent or claims less."""


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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    policy: Policy = Policy.CONSERVATIVE
    refusal_is_contrary: bool = True
    reminders_for_d: int = attrs.field(default=1, validator=attrs.validators.ge(0))
    stale_after_days: int = attrs.field(default=3 * 365, validator=attrs.validators.ge(1))
    rollup: Rollup = Rollup.LOWEST

    def order(self) -> tuple[Finding, ...]:
        """Findings from least to most favourable under these settings."""
        return _ORDERS[self.refusal_is_contrary]

    def rank(self) -> dict[Finding, int]:
        """Each finding's position in `order` (0 = least favourable)."""
        return dict(_RANKS[self.refusal_is_contrary])

    def describe(self) -> tuple[str, ...]:
        """The settings other than the policy, as ``name=value`` entries."""
        return (
            f"refusal_is_contrary={str(self.refusal_is_contrary).lower()}",
            f"reminders_for_d={self.reminders_for_d}",
            f"stale_after_days={self.stale_after_days}",
            f"rollup={self.rollup.value}",
        )


#: `Settings.order` and `Settings.rank` by ``refusal_is_contrary``: computed once,
#: since the engine asks for them for every part.
_ORDERS: Final = {
    refusal_is_contrary: (
        *(
            (Finding.CONTRARY, Finding.REJECTED, Finding.NO_INFORMATION)
            if refusal_is_contrary
            else (Finding.CONTRARY, Finding.NO_INFORMATION, Finding.REJECTED)
        ),
        Finding.NO_NEW_INFORMATION,
        Finding.NOT_RELEVANT,
        Finding.NOT_IMPLEMENTED,
        Finding.INITIATED,
        Finding.PARTIALLY_IMPLEMENTED,
        Finding.IMPLEMENTED,
    )
    for refusal_is_contrary in (True, False)
}
#: Every finding, in declaration order (iterating an Enum class is slow).
_FINDINGS: Final = tuple(Finding)
_RANKS: Final = {
    refusal_is_contrary: {f: i for i, f in enumerate(order)}
    for refusal_is_contrary, order in _ORDERS.items()
}


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
    return _by_action(present, {f for f, e in zip(findings, essential, strict=True) if e})


def _by_action(present: set[Finding], core: set[Finding]) -> tuple[Outcome, str]:
    """`decide` once nothing blocks the part.

    From the findings *present*, and those of the *core* (the essential criteria).
    """
    if core <= _IMPLEMENTED:
        return Outcome.LARGELY, "essential-criteria-met"
    if core <= _ACTION:
        return Outcome.SUBSTANTIVE, "substantive-steps"
    if not present.isdisjoint(_ACTION):
        return Outcome.INITIAL, "part-of-core"
    if Finding.INITIATED in present:
        return Outcome.INITIAL, "initial-steps"
    if Finding.NOT_IMPLEMENTED in present:
        return Outcome.NOT_IMPLEMENTED, "action-does-not-implement"
    if Finding.NOT_RELEVANT in present:
        return Outcome.NOT_RELEVANT, "information-not-relevant"
    if Finding.NO_NEW_INFORMATION in present:
        return Outcome.NOT_RELEVANT, "no-new-information"
    if Finding.REJECTED in present:
        return Outcome.REFUSAL, "refusal-not-contrary"
    return Outcome.SILENT, "no-information-on-part"


#: Action on a criterion: what B1 needs on every essential criterion.
_ACTION: Final = frozenset({Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED})
#: What an A needs on every essential criterion.
_IMPLEMENTED: Final = frozenset({Finding.IMPLEMENTED})
_NO_INFORMATION: Final = frozenset({Finding.NO_INFORMATION})

REASONS: Final = {
    "contrary-measure": "a measure contrary to the recommendation ({crit})",
    "rejection": "the recommendation is explicitly rejected ({crit})",
    "reply-silent-on-part": "the State party's reply says nothing on this part",
    "essential-criteria-met": "every essential criterion is implemented ({crit})",
    "substantive-steps": "action on every essential criterion, but not every one is "
    "implemented (implemented or partly: {crit})",
    "part-of-core": "action on part of the core only (implemented or partly: {crit}); "
    "nothing yet on essential {missing}",
    "initial-steps": "only initial steps ({crit})",
    "action-does-not-implement": "information given, but nothing implements the "
    "recommendation ({crit})",
    "information-not-relevant": "the information given is not relevant ({crit})",
    "no-new-information": "the reply addresses it but brings no new information or "
    "measures ({crit})",
    "refusal-not-contrary": "a bare refusal, graded as not satisfactory by setting ({crit})",
    "no-information-on-part": "no source gives information on this part",
    "pending": "no reply yet and the follow-up is not due until {due}",
    "no-reply-after-reminders": "no follow-up reply after {n} reminder(s)",
    "awaiting-reminder": "no reply; the follow-up was due {due} but {n} of {need} "
    "reminder(s) sent — no D before the reminder(s)",
}

RULE_FINDINGS: Final = {
    "contrary-measure": {Finding.CONTRARY},
    "rejection": {Finding.REJECTED},
    "essential-criteria-met": {Finding.IMPLEMENTED},
    "substantive-steps": {Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED},
    "part-of-core": {Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED},
    "initial-steps": {Finding.INITIATED},
    "action-does-not-implement": {Finding.NOT_IMPLEMENTED},
    "information-not-relevant": {Finding.NOT_RELEVANT},
    "no-new-information": {Finding.NO_NEW_INFORMATION},
    "refusal-not-contrary": {Finding.REJECTED},
}


# -- combining evidence on a criterion -----------------------------------------------


def reason(rule: str, results: Sequence[CriterionResult]) -> str:
    """The rule *rule* in plain words, naming the criteria behind it."""
    wanted = RULE_FINDINGS.get(rule, set())
    if rule == "essential-criteria-met":
        named = [r.id for r in results if r.essential]
    else:
        named = [r.id for r in results if r.finding in wanted]
    if rule != "part-of-core":  # the one reason that names what is missing
        return REASONS[rule].format(crit=", ".join(named))
    missing = [r.id for r in results if r.essential and r.finding not in _ACTION]
    return REASONS[rule].format(crit=", ".join(named), missing=", ".join(missing))


def score(
    criteria: Sequence[Criterion], findings: Sequence[Finding], value: float, total: float
) -> Score:
    """A part's score: the *value* the decision core computed, its sum written out when read.

    The core computes *value* (Σ weight × value(finding) / Σ weight) and *total*
    (Σ weight); the formula and the counts are built from the same weights and
    findings the first time they are read.
    """
    return deferred(
        Score, {"value": value, "weight_total": total}, _ScoreWords(criteria, findings, total)
    )


class _ScoreWords:
    """A score's formula and counts, written out when called (once, by `deferred`).

    One plain object kept per part, where a `functools.partial` and its arguments'
    tuple were two for the collector to walk.
    """

    __slots__ = ("criteria", "findings", "total")

    def __init__(
        self, criteria: Sequence[Criterion], findings: Sequence[Finding], total: float
    ) -> None:
        self.criteria = criteria
        self.findings = findings
        self.total = total

    def __call__(self) -> dict[str, object]:
        terms: list[str] = []
        tally = dict.fromkeys(_FINDINGS, 0)
        for crit, finding in zip(self.criteria, self.findings, strict=True):
            terms.append(_term(crit.weight, SCORE_VALUES.get(finding, 0.0)))
            tally[finding] += 1
        counts = tuple(f"{f._value_}: {n}" for f, n in tally.items() if n)
        return {"formula": f"({' + '.join(terms)}) / {self.total:g}", "counts": counts}


@functools.lru_cache(maxsize=256)
def _term(weight: float, worth: float) -> str:
    """``weight×worth`` as the formula writes it; few distinct pairs, formatted once."""
    return f"{weight:g}×{worth:g}"


_ALTERNATIVES: Final = 3
#: The findings that make a part contrary (E), by ``refusal_is_contrary``.
_BLOCKING: Final = {
    True: frozenset({Finding.CONTRARY, Finding.REJECTED}),
    False: frozenset({Finding.CONTRARY}),
}
#: The findings one criterion is raised to, in turn, by ``refusal_is_contrary``.
_SINGLE_TARGETS: Final = {
    refusal: order[order.index(Finding.NOT_RELEVANT) :] for refusal, order in _ORDERS.items()
}
#: Raising the whole core: to action on every essential criterion (what is not yet
#: action), then to every one implemented.
_CORE_TARGETS: Final = (
    (Finding.PARTIALLY_IMPLEMENTED, _ACTION),
    (Finding.IMPLEMENTED, _IMPLEMENTED),
)


def what_if(
    results: Sequence[CriterionResult], silent: bool, grade: str, scale: Scale, settings: Settings
) -> WhatIf | None:
    """The fewest criteria whose improvement lifts *grade*; verified by re-grading.

    To lift an E every contrary or rejected criterion must change; otherwise one
    criterion is enough where one can lift it; else every essential criterion acted on
    (for B1), or every one implemented (for an A). Each suggestion is checked by
    running `decide` on it (a single change, by the rules `decide` applies once
    nothing blocks: `_by_action`).
    """
    refusal = settings.refusal_is_contrary
    current = scale.rank(grade)
    if current == len(scale.grades) - 1:
        return None
    findings = [r.finding for r in results]
    # The letter each outcome gives, where it is better than the current one.
    ranks = scale._outcome_ranks  # noqa: SLF001 - the scale's table, computed once
    better = {o: letter for o, (letter, r) in ranks.items() if r > current}
    # A part the State was silent on lifts only once the State reports on it, even a
    # criterion that independent sources already show as met.
    via = " (in the State party's reply)" if silent else ""
    blockers = _BLOCKING[refusal]
    if not blockers.isdisjoint(findings):
        # Withdrawing a rejection into silence is no improvement to suggest: start at
        # an acknowledged "not implemented".
        blocking = [i for i, f in enumerate(findings) if f in blockers]
        order = _ORDERS[refusal]
        for target in order[order.index(Finding.NOT_IMPLEMENTED) :]:
            changes = dict.fromkeys(blocking, target)
            letter = _lifted(results, findings, changes, silent, settings, better)
            if letter is not None:
                return WhatIf(grade=letter, changes=_describe(results, changes, via))
        return None  # pragma: no cover - raising every blocking criterion always lifts an E
    rank = _RANKS[refusal]
    present = set(findings)
    core = [r.finding for r in results if r.essential]
    core_present = set(core)
    # Essential criteria first, then the heaviest, then document order (a stable sort).
    preferred = [(rank[r.finding], r) for r in sorted(results, key=_preference)]
    for target in _SINGLE_TARGETS[refusal]:
        to = rank[target]
        # Raising one criterion gives the same outcome for every criterion of the same
        # finding and essential flag (the rules read only which findings are present).
        single: dict[tuple[Finding, bool], str | None] = {}
        letter = None
        first = results[0]
        others: list[str] = []
        for at, r in preferred:
            if not (at < to or (silent and at <= to)):
                continue
            was, on_core = r.finding, r.essential
            key = (was, on_core)
            if key in single:
                got = single[key]
            else:
                # Nothing blocks (handled above), and the State is no longer silent:
                # every target is above no information.
                now = (present if findings.count(was) > 1 else present - {was}) | {target}
                now_core = core_present
                if on_core:
                    now_core = core_present if core.count(was) > 1 else core_present - {was}
                    now_core = now_core | {target}
                got = single[key] = better.get(_by_action(now, now_core)[0])
            if letter is None:
                if got is None:
                    break  # the first candidate does not lift: try the next target
                letter, first = got, r
            elif got == letter:
                others.append(r.id)
                if len(others) == _ALTERNATIVES:
                    break
        if letter is not None:
            return WhatIf(
                grade=letter,
                changes=(f"{first.id} → {target._value_}{via}",),
                alternatives=tuple(others),
            )
    # Action across the core (B1) needs every essential criterion acted on; an A needs
    # every one implemented.
    for target, enough in _CORE_TARGETS:
        missing = {
            i: target for i, r in enumerate(results) if r.essential and r.finding not in enough
        }
        letter = _lifted(results, findings, missing, silent, settings, better) if missing else None
        if letter is not None:
            return WhatIf(grade=letter, changes=_describe(results, missing, via))
    return None


def _preference(result: CriterionResult) -> tuple[bool, float]:
    return not result.essential, -result.weight


def _lifted(
    results: Sequence[CriterionResult],
    findings: list[Finding],
    changes: dict[int, Finding],
    silent: bool,
    settings: Settings,
    better: dict[Outcome, str],
) -> str | None:
    """The better letter *changes* give the part, if they give one."""
    trial = findings.copy()
    for i, t in changes.items():
        trial[i] = t
    still_silent = silent and _NO_INFORMATION.issuperset(changes.values())
    essential = [r.essential for r in results]
    outcome, _ = decide(trial, essential, state_silent=still_silent, settings=settings)
    return better.get(outcome)


def _describe(
    results: Sequence[CriterionResult], changes: dict[int, Finding], via: str
) -> tuple[str, ...]:
    return tuple(f"{results[i].id} → {t._value_}{via}" for i, t in sorted(changes.items()))


def rollup(
    rec: Recommendation, parts: Sequence[PartResult], scale: Scale, settings: Settings
) -> RecommendationResult:
    """A recommendation's result from its parts: an E in any part always wins."""
    grades = [p.grade for p in parts if p.grade is not None]
    differ = len(set(grades)) > 1
    listing = ", ".join(f"{p.id} {p.grade or '—'}" for p in parts)
    if not grades:
        return RecommendationResult(
            id=rec.id,
            paragraph=rec.paragraph,
            title=rec.title,
            themes=rec.themes,
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
            pick = ranked[(len(ranked) - 1) // 2]  # the median, the lower of the middle two
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
        themes=rec.themes,
        grade=letter,
        rollup=how,
        parts_differ=differ,
        parts=tuple(parts),
    )
