"""The floor for `cat_rubric.assess`: the same grades and scores, by hand, on plain tuples.

What `assess` must compute at the least, written as plainly as Python allows: the items
filed under their criteria after the date rules, each criterion's counted finding under
the conservative policy (with its time rule), the criterion overrides, the weighted
score, the part rule chain, the part overrides, the follow-up status, the scale's
letters and the roll-up (lowest). Grades and scores only: no reasons, no record of
each item's use, no what-if, no citations, no flags. The benchmark times it next to
`assess` and checks that both give the same grade and score on every part.

The input is the loaded models converted once, outside the timed region, by
`plain_rubric`, `plain_evidence` and `plain_scale` into tuples of plain values (strings,
booleans, numbers, dates): nothing of the grading is worked out in advance. Only the
default settings are covered (policy ``conservative``, ``refusal_is_contrary=True``,
``reminders_for_d=1``, roll-up ``lowest``): the benchmark uses no other.

The rules are those of docs/grading.md with issue 10's changes: an independent
``no_information`` does not bear on a criterion; a State claim stands against an
independent source dated before the State's measure (the time rule); some criterion
implemented or partially, with an essential one below that, is initial steps
(``part-of-core``); ``no_new_information`` is not silence and grades as not relevant;
an override dated after the as-of date does not apply.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from cat_rubric import EvidenceFile, Rubric, Scale
from cat_rubric.grading import Outcome
from cat_rubric.model import SourceKind

# -- plain data ------------------------------------------------------------------------

#: (criterion id, essential, weight)
PlainCriterion = tuple[str, bool, float]
#: (part id, criteria)
PlainPart = tuple[str, tuple[PlainCriterion, ...]]
#: (recommendation id, parts)
PlainRecommendation = tuple[str, tuple[PlainPart, ...]]
#: (adopted, follow-up due date, recommendations)
PlainRubric = tuple[dt.date, dt.date | None, tuple[PlainRecommendation, ...]]
#: (criterion ids, finding, from the State party, source date, measure date)
PlainItem = tuple[tuple[str, ...], str, bool, dt.date | None, dt.date | None]
#: (criterion or None, finding or None, part or None, grade or None, date, until)
PlainOverride = tuple[str | None, str | None, str | None, str | None, dt.date, dt.date | None]
#: (as-of, reply as (received, date) or None, reminders, items, overrides)
PlainEvidence = tuple[
    dt.date,
    tuple[bool, dt.date | None] | None,
    tuple[dt.date, ...],
    tuple[PlainItem, ...],
    tuple[PlainOverride, ...],
]
#: (letters best first, the letter of each outcome in `OUTCOMES` order)
PlainScale = tuple[tuple[str, ...], tuple[str, ...]]

#: A part's grade (None when not graded) and score value, in document order.
PartGrade = tuple[str, str | None, float]
#: (part grades, (recommendation id, roll-up letter or None) for each recommendation)
Graded = tuple[list[PartGrade], list[tuple[str, str | None]]]


def plain_rubric(rubric: Rubric) -> PlainRubric:
    return (
        rubric.adopted,
        rubric.due,
        tuple(
            (
                rec.id,
                tuple(
                    (part.id, tuple((c.id, c.essential, c.weight) for c in part.criteria))
                    for part in rec.parts
                ),
            )
            for rec in rubric.recommendations
        ),
    )


def plain_evidence(evidence: EvidenceFile) -> PlainEvidence:
    reply = evidence.reply
    return (
        evidence.as_of,
        None if reply is None else (reply.received, reply.date),
        evidence.reminders,
        tuple(
            (
                item.criteria,
                item.finding.value,
                item.source.kind is SourceKind.STATE_PARTY,
                item.source.date,
                item.measure_date,
            )
            for item in evidence.items
        ),
        tuple(
            (
                o.criterion,
                None if o.finding is None else o.finding.value,
                o.part,
                o.grade,
                o.date,
                o.until,
            )
            for o in evidence.overrides
        ),
    )


#: The outcomes whose letters `PlainScale` lists, and their positions in it.
OUTCOMES: Final = (
    Outcome.CONTRARY,
    Outcome.NO_REPLY,
    Outcome.SILENT,
    Outcome.REFUSAL,
    Outcome.NOT_RELEVANT,
    Outcome.NOT_IMPLEMENTED,
    Outcome.INITIAL,
    Outcome.SUBSTANTIVE,
    Outcome.LARGELY,
)
_CONTRARY_O, _NO_REPLY_O, _SILENT_O, _REFUSAL_O, _NOT_RELEVANT_O = range(5)
_NOT_IMPLEMENTED_O, _INITIAL_O, _SUBSTANTIVE_O, _LARGELY_O = range(5, 9)


def plain_scale(scale: Scale) -> PlainScale:
    return scale.letters, tuple(scale.letter(o) for o in OUTCOMES)


# -- the findings ----------------------------------------------------------------------

#: Findings from least to most favourable (refusal_is_contrary=True), as ranks.
_RANK: Final = {
    name: rank
    for rank, name in enumerate(
        (
            "contrary",
            "rejected",
            "no_information",
            "no_new_information",
            "not_relevant",
            "not_implemented",
            "initiated",
            "partially_implemented",
            "implemented",
        )
    )
}
CONTRARY: Final = _RANK["contrary"]
REJECTED: Final = _RANK["rejected"]
NO_INFORMATION: Final = _RANK["no_information"]
NO_NEW_INFORMATION: Final = _RANK["no_new_information"]
NOT_RELEVANT: Final = _RANK["not_relevant"]
NOT_IMPLEMENTED: Final = _RANK["not_implemented"]
INITIATED: Final = _RANK["initiated"]
PARTIALLY: Final = _RANK["partially_implemented"]
IMPLEMENTED: Final = _RANK["implemented"]

#: Each rank's worth in the score.
_WORTH: Final = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.25, 0.5, 1.0)

# -- grading ---------------------------------------------------------------------------

#: What a criterion's bucket holds for one item: (from the State, effective finding's
#: rank, source date, measure date).
_Entry = tuple[bool, int, dt.date | None, dt.date | None]


def _applies(date: dt.date, until: dt.date | None, as_of: dt.date) -> bool:
    """An override applies from its date (on or before as-of) until it lapses."""
    return date <= as_of and (until is None or until >= as_of)


def _counted(entries: list[_Entry]) -> tuple[int, bool]:
    """The counted finding's rank under the conservative policy, and whether the State spoke.

    S are the State's entries, I the independent ones that bear on it (not no_information).
    Each State claim stands at the lowest of itself and the independent findings not
    superseded by it (a source dated before the State's measure is superseded); the
    best standing claim counts. Without dates that is min(max S, min I).
    """
    state: list[tuple[int, dt.date | None]] = []
    indep: list[tuple[int, dt.date | None]] = []
    spoke = False
    for is_state, rank, source_date, measure_date in entries:
        if is_state:
            state.append((rank, measure_date))
            if rank > NO_INFORMATION:
                spoke = True
        elif rank != NO_INFORMATION:
            indep.append((rank, source_date))
    if not state:
        return (min(r for r, _ in indep) if indep else NO_INFORMATION), False
    if not indep:
        return max(r for r, _ in state), spoke
    lowest = min(r for r, _ in indep)
    best = -1
    for claim, measured in state:
        if measured is None:
            standing = min(claim, lowest)
        else:
            standing = claim
            for rank, source_date in indep:
                if rank < standing and (source_date is None or source_date >= measured):
                    standing = rank
        best = max(best, standing)
    return best, spoke


def grade(rubric: PlainRubric, files: Sequence[PlainEvidence], scale: PlainScale) -> Graded:
    """Every part's grade and score, and every recommendation's roll-up."""
    adopted, due, recommendations = rubric
    letters, by_outcome = scale
    rank_of = _RANK

    # The follow-up status. Several files (successive rounds) are assessed together as
    # of the latest of them; the reply counts once it is dated on or before that.
    as_of = max(f[0] for f in files)
    graded = any(
        reply is not None and reply[0] and reply[1] is not None and reply[1] <= as_of
        for _, reply, _, _, _ in files
    )
    ungraded_letter: str | None = None
    if not graded:
        reminders = {d for f in files for d in f[2] if d <= as_of}
        if due is not None and as_of >= due and len(reminders) >= 1:
            ungraded_letter = by_outcome[_NO_REPLY_O]  # else pending or awaiting a reminder

    # The date rules, and each item filed under its criteria.
    buckets: dict[str, list[_Entry]] = {}
    crit_overrides: dict[str, int] = {}
    part_overrides: dict[str, str] = {}
    for _, _, _, items, overrides in files:
        for on, finding, is_state, source_date, measure_date in items:
            if source_date is not None and source_date > as_of:
                continue
            rank = rank_of[finding]
            if measure_date is not None:
                if measure_date < adopted:
                    rank = min(rank, NOT_IMPLEMENTED)
                elif measure_date > as_of:
                    rank = min(rank, INITIATED)
            entry = (is_state, rank, source_date, measure_date)
            for crit_id in on:
                bucket = buckets.get(crit_id)
                if bucket is None:
                    buckets[crit_id] = [entry]
                else:
                    bucket.append(entry)
        for o_crit, o_finding, o_part, o_grade, date, until in overrides:
            if not _applies(date, until, as_of):
                continue
            if o_crit is not None and o_finding is not None:
                crit_overrides[o_crit] = rank_of[o_finding]
            elif o_part is not None and o_grade is not None:
                part_overrides[o_part] = o_grade

    parts_out: list[PartGrade] = []
    recs_out: list[tuple[str, str | None]] = []
    worst_letter = letters[-1]
    for rec_id, parts in recommendations:
        rec_grades: list[str] = []
        for part_id, criteria in parts:
            total: float = 0
            weighted: float = 0
            lowest, highest = IMPLEMENTED, CONTRARY
            essential_lowest = IMPLEMENTED
            spoke = False
            for crit_id, essential, weight in criteria:
                entries = buckets.get(crit_id)
                if entries is None:
                    counted, said = NO_INFORMATION, False
                else:
                    counted, said = _counted(entries)
                override = crit_overrides.get(crit_id)
                if override is not None:
                    counted, said = override, True
                spoke = spoke or said
                total += weight
                weighted += weight * _WORTH[counted]
                lowest = min(lowest, counted)
                highest = max(highest, counted)
                if essential:
                    essential_lowest = min(essential_lowest, counted)
            letter: str | None
            if not graded:
                letter = ungraded_letter
            elif lowest in {CONTRARY, REJECTED}:
                letter = by_outcome[_CONTRARY_O]
            elif not spoke:
                letter = by_outcome[_SILENT_O]
            elif essential_lowest == IMPLEMENTED:
                letter = by_outcome[_LARGELY_O]
            elif essential_lowest >= PARTIALLY:
                letter = by_outcome[_SUBSTANTIVE_O]
            elif highest >= INITIATED:  # part-of-core, or initial steps
                letter = by_outcome[_INITIAL_O]
            elif highest == NOT_IMPLEMENTED:
                letter = by_outcome[_NOT_IMPLEMENTED_O]
            elif highest in {NOT_RELEVANT, NO_NEW_INFORMATION}:
                letter = by_outcome[_NOT_RELEVANT_O]
            else:
                letter = by_outcome[_SILENT_O]
            letter = part_overrides.get(part_id, letter)
            parts_out.append((part_id, letter, weighted / total))
            if letter is not None:
                rec_grades.append(letter)
        if not rec_grades:
            recs_out.append((rec_id, None))
        elif worst_letter in rec_grades:
            recs_out.append((rec_id, worst_letter))
        else:
            recs_out.append((rec_id, max(rec_grades, key=letters.index)))
    return parts_out, recs_out


# -- agreement with the library --------------------------------------------------------


class FloorDisagreementError(AssertionError):
    """The floor and `cat_rubric.assess` gave different grades or scores."""


def disagreements(
    library: Sequence[Graded], floor: Sequence[Graded], names: Sequence[str]
) -> list[str]:
    """Every part and recommendation on which *library* and *floor* differ, in words."""
    out: list[str] = []
    for name, (lib_parts, lib_recs), (our_parts, our_recs) in zip(
        names, library, floor, strict=True
    ):
        for lib, ours in zip(lib_parts, our_parts, strict=True):
            if lib != ours:
                out.append(f"{name} part {lib[0]}: library {lib[1:]}, floor {ours[1:]}")
        for lib_rec, our_rec in zip(lib_recs, our_recs, strict=True):
            if lib_rec != our_rec:
                out.append(
                    f"{name} recommendation {lib_rec[0]}: library {lib_rec[1]}, floor {our_rec[1]}"
                )
    return out
