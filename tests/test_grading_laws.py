"""The grading rules stated as laws and tested with hypothesis: the backbone of the engine."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cat_rubric import (
    Assessment,
    EvidenceFile,
    Finding,
    Policy,
    Rollup,
    Rubric,
    Settings,
    assess,
    load_scale,
)
from cat_rubric._evidence import Item, Source
from cat_rubric._model import SourceKind
from cat_rubric._scales import EVIDENCE_CHAIN
from cat_rubric.grading import Outcome, decide
from cat_rubric.result import Status
from cat_rubric.testing import evidence_files, rubrics

SCALES = ("cat-2015", "ccpr-2016", "ccpr-2013")
settings_strategy = st.builds(
    Settings,
    policy=st.sampled_from(Policy),
    refusal_is_contrary=st.booleans(),
    reminders_for_d=st.integers(0, 2),
    rollup=st.sampled_from(Rollup),
)
# Text content plays no part in grading: cheap text keeps generation fast.
_TEXT = st.sampled_from(["x", "Қазақстан"])
small_rubrics = rubrics(max_recommendations=2, max_parts=2, max_criteria=4, text=_TEXT)


@st.composite
def cases(draw: st.DrawFn, *, reply: bool | None = None) -> tuple[Rubric, EvidenceFile, Settings]:
    rubric = draw(small_rubrics)
    evidence = draw(evidence_files(rubric, reply=reply, text=_TEXT))
    return rubric, evidence, draw(settings_strategy)


def _ranks(result: Assessment, scale_id: str) -> dict[str, int | None]:
    scale = load_scale(scale_id)
    return {p.id: None if p.grade is None else scale.rank(p.grade) for p in result.parts}


def _without_record(result: Assessment) -> dict[str, object]:
    data = attrs.asdict(result, recurse=False)
    del data["record"]
    return data


class TestMonotonicity:
    @pytest.mark.parametrize("scale", SCALES)
    @given(data=st.data(), case=cases(reply=True))
    def test_raising_a_finding_never_lowers_a_grade(
        self, scale: str, data: st.DataObject, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """Raising any item's finding never lowers any part's grade (per scale, per settings)."""
        rubric, evidence, settings = case
        assume(evidence.items)
        index = data.draw(st.integers(0, len(evidence.items) - 1))
        item = evidence.items[index]
        # An independent source with no information does not bear on a criterion at all
        # (docs/grading.md §3): it is not a finding that can be raised.
        assume(not (item.source.kind.independent and item.finding is Finding.NO_INFORMATION))
        order = settings.order()
        position = order.index(item.finding)
        assume(position < len(order) - 1)
        higher = order[position + 1 :]
        if item.source.kind.independent:  # only the State's reply brings "no new information"
            higher = tuple(f for f in higher if f is not Finding.NO_NEW_INFORMATION)
        better = data.draw(st.sampled_from(higher))
        raised_items = list(evidence.items)
        raised_items[index] = attrs.evolve(item, finding=better)
        raised = attrs.evolve(evidence, items=tuple(raised_items))
        before = _ranks(assess(rubric, evidence, scale=scale, settings=settings), scale)
        after = _ranks(assess(rubric, raised, scale=scale, settings=settings), scale)
        for part_id, rank in before.items():
            if rank is not None:
                now = after[part_id]
                assert now is not None
                assert now >= rank, part_id


class TestOrderInvariance:
    @given(case=cases(), seed=st.integers(0, 2**16))
    def test_order_of_items_does_not_matter(
        self, case: tuple[Rubric, EvidenceFile, Settings], seed: int
    ) -> None:
        """Shuffling the items of a file changes nothing but the file's hash."""
        rubric, evidence, settings = case
        items = list(evidence.items)
        random.Random(seed).shuffle(items)
        shuffled = attrs.evolve(evidence, items=tuple(items))
        a = assess(rubric, evidence, settings=settings)
        b = assess(rubric, shuffled, settings=settings)
        assert _without_record(a) == _without_record(b)

    @given(data=st.data())
    def test_order_of_files_does_not_matter(self, data: st.DataObject) -> None:
        """Giving the evidence files in another order gives byte-identical JSON."""
        rubric = data.draw(small_rubrics)
        first = data.draw(evidence_files(rubric, item_prefix="a", text=_TEXT))
        second = attrs.evolve(
            data.draw(evidence_files(rubric, as_of=first.as_of, item_prefix="b", text=_TEXT)),
            reply=first.reply,
        )
        settings = data.draw(settings_strategy)
        one = assess(rubric, [first, second], settings=settings).to_json()
        two = assess(rubric, [second, first], settings=settings).to_json()
        assert one == two


class TestEDominance:
    @given(case=cases(reply=True))
    def test_an_e_survives_every_rollup(self, case: tuple[Rubric, EvidenceFile, Settings]) -> None:
        """A recommendation whose part is E is E under every roll-up; without one it is not."""
        rubric, evidence, settings = case
        for rollup in Rollup:
            result = assess(rubric, evidence, settings=attrs.evolve(settings, rollup=rollup))
            for rec in result.recommendations:
                has_e = any(p.grade == "E" for p in rec.parts)
                assert (rec.grade == "E") == has_e

    @given(case=cases(reply=True))
    def test_rollup_shows_when_parts_differ(
        self, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """parts_differ is true exactly when the parts' grades are not all the same."""
        rubric, evidence, settings = case
        for rec in assess(rubric, evidence, settings=settings).recommendations:
            assert rec.parts_differ == (len({p.grade for p in rec.parts}) > 1)


class TestReplyStatus:
    @pytest.mark.parametrize("scale", SCALES)
    @given(case=cases())
    def test_d_if_and_only_if_no_reply_after_reminders(
        self, scale: str, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """A part gets the no-reply letter iff no reply came, the follow-up is due and enough
        reminders went unanswered."""
        rubric, evidence, settings = case
        assert evidence.reply is not None
        result = assess(rubric, evidence, scale=scale, settings=settings)
        no_reply_letter = load_scale(scale).letter(Outcome.NO_REPLY)
        replied = evidence.reply.received and evidence.reply.date is not None
        due = rubric.due
        assert due is not None
        reminded = len({d for d in evidence.reminders if d <= evidence.as_of})  # by date
        expect_d = not replied and evidence.as_of >= due and reminded >= settings.reminders_for_d
        for part in result.parts:
            assert (part.grade == no_reply_letter) == expect_d

    @given(case=cases(reply=False))
    def test_pending_before_the_due_date(self, case: tuple[Rubric, EvidenceFile, Settings]) -> None:
        """With no reply before the due date nothing is graded: the follow-up is pending."""
        rubric, evidence, settings = case
        assert rubric.due is not None
        assume(evidence.as_of < rubric.due)
        result = assess(rubric, evidence, settings=settings)
        assert result.status is Status.PENDING
        assert all(p.grade is None and p.status is Status.PENDING for p in result.parts)
        assert all(r.grade is None for r in result.recommendations)


class TestNoEvidence:
    @pytest.mark.parametrize("scale", SCALES)
    @given(case=cases())
    def test_no_evidence_never_yields_a_or_b(
        self, scale: str, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """An evidence file with no items never earns an A or a B of any kind."""
        rubric, evidence, settings = case
        empty = attrs.evolve(evidence, items=())
        result = assess(rubric, empty, scale=scale, settings=settings)
        for part in result.parts:
            assert part.grade is None or part.grade[0] not in "AB"


class TestScalesAgree:
    @given(case=cases())
    def test_ccpr_2013_maps_onto_ccpr_2016(
        self, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """Each ccpr-2013 grade maps onto the ccpr-2016 letter given for the same inputs."""
        rubric, evidence, settings = case
        old = load_scale("ccpr-2013")
        g13 = assess(rubric, evidence, scale=old, settings=settings)
        g16 = assess(rubric, evidence, scale="ccpr-2016", settings=settings)
        for p13, p16 in zip(g13.parts, g16.parts, strict=True):
            mapped = None if p13.grade is None else old.grade(p13.grade).ccpr_2016
            assert mapped == p16.grade


class TestDeterminism:
    @given(case=cases())
    def test_identical_inputs_identical_output(
        self, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """Assessing the same inputs twice gives byte-identical JSON."""
        rubric, evidence, settings = case
        assert (
            assess(rubric, evidence, settings=settings).to_json()
            == assess(rubric, evidence, settings=settings).to_json()
        )

    @given(case=cases())
    def test_json_round_trips(self, case: tuple[Rubric, EvidenceFile, Settings]) -> None:
        """The JSON output reads back into an equal Assessment."""
        rubric, evidence, settings = case
        result = assess(rubric, evidence, settings=settings)
        assert Assessment.from_json(result.to_json()) == result


class TestWhatIf:
    @given(case=cases(reply=True))
    def test_what_if_is_minimal_and_lifts(
        self, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """The what-if names the fewest criteria to change, and changing them lifts the grade."""
        rubric, evidence, settings = case
        scale = load_scale(rubric.scale)
        result = assess(rubric, evidence, settings=settings, scale=scale)
        for part in result.parts:
            if part.grade is None or part.override is not None:
                continue
            findings = [c.finding for c in part.criteria]
            essential = [c.essential for c in part.criteria]
            silent = part.rule == "reply-silent-on-part"
            current = scale.rank(part.grade)

            def lifts(
                chosen: tuple[int, ...],
                findings: list[Finding] = findings,
                essential: list[bool] = essential,
                silent: bool = silent,
                current: int = current,
            ) -> bool:
                trial = [Finding.IMPLEMENTED if i in chosen else f for i, f in enumerate(findings)]
                outcome, _ = decide(
                    trial, essential, state_silent=silent and not chosen, settings=settings
                )
                return scale.rank(scale.letter(outcome)) > current

            fewest = next(
                (
                    k
                    for k in range(1, len(findings) + 1)
                    if any(lifts(c) for c in itertools.combinations(range(len(findings)), k))
                ),
                None,
            )
            if part.what_if is None:
                assert fewest is None
            else:
                assert len(part.what_if.changes) == fewest
                assert scale.rank(part.what_if.grade) > current


class TestDecide:
    @given(
        findings=st.lists(st.sampled_from(Finding), min_size=1, max_size=6),
        refusal=st.booleans(),
    )
    def test_contrary_always_decides(self, findings: list[Finding], refusal: bool) -> None:
        """A contrary measure anywhere in a part makes it contrary, whatever else is there."""
        settings = Settings(refusal_is_contrary=refusal)
        outcome, rule = decide(
            [*findings, Finding.CONTRARY],
            [True] * (len(findings) + 1),
            state_silent=False,
            settings=settings,
        )
        assert outcome is Outcome.CONTRARY
        assert rule == "contrary-measure"

    def test_refusal_setting(self) -> None:
        """A bare refusal is contrary by default, and a refusal (C-type) when set so."""
        findings, essential = [Finding.REJECTED, Finding.IMPLEMENTED], [True, True]
        assert (
            decide(findings, essential, state_silent=False, settings=Settings())[0]
            is Outcome.CONTRARY
        )
        off = Settings(refusal_is_contrary=False)
        assert (
            decide([Finding.REJECTED], [True], state_silent=False, settings=off)[0]
            is Outcome.REFUSAL
        )
        # A refused essential criterion is left without action: initial action at best (B2).
        assert decide(findings, essential, state_silent=False, settings=off) == (
            Outcome.INITIAL,
            "part-of-core",
        )


_ACTION = {Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED}
part_findings = st.lists(
    st.tuples(st.sampled_from(Finding), st.booleans()), min_size=1, max_size=6
).filter(lambda crits: any(essential for _, essential in crits))


class TestCoreOfThePart:
    """B1 is action across the core of the part; B2 a first step or part of the core."""

    @given(crits=part_findings, refusal=st.booleans())
    def test_b1_needs_action_on_every_essential_criterion(
        self, crits: list[tuple[Finding, bool]], refusal: bool
    ) -> None:
        findings, essential = [f for f, _ in crits], [e for _, e in crits]
        settings = Settings(refusal_is_contrary=refusal)
        outcome, rule = decide(findings, essential, state_silent=False, settings=settings)
        core = [f for f, e in crits if e]
        blocked = Finding.CONTRARY in findings or (refusal and Finding.REJECTED in findings)
        if blocked:
            assert outcome is Outcome.CONTRARY
        elif all(f is Finding.IMPLEMENTED for f in core):
            assert outcome is Outcome.LARGELY
        elif all(f in _ACTION for f in core):
            assert (outcome, rule) == (Outcome.SUBSTANTIVE, "substantive-steps")
        else:
            # An essential criterion without action: initial action at best.
            assert EVIDENCE_CHAIN.index(outcome) <= EVIDENCE_CHAIN.index(Outcome.INITIAL)
            if set(findings) & _ACTION:
                assert (outcome, rule) == (Outcome.INITIAL, "part-of-core")

    @given(crits=part_findings, refusal=st.booleans())
    def test_no_new_information_is_never_silence(
        self, crits: list[tuple[Finding, bool]], refusal: bool
    ) -> None:
        """Where the State spoke, no_new_information never yields the silent outcome, and
        alone it is 'not relevant' (C2)."""
        findings = [
            Finding.NO_NEW_INFORMATION if f is Finding.NO_INFORMATION else f for f, _ in crits
        ]
        essential = [e for _, e in crits]
        settings = Settings(refusal_is_contrary=refusal)
        outcome, rule = decide(findings, essential, state_silent=False, settings=settings)
        assert outcome is not Outcome.SILENT
        if set(findings) == {Finding.NO_NEW_INFORMATION}:
            assert (outcome, rule) == (Outcome.NOT_RELEVANT, "no-new-information")


def _state_items_on(evidence: EvidenceFile, criterion: str) -> list[Item]:
    return [
        i
        for i in evidence.items
        if criterion in i.criteria
        and not i.source.kind.independent
        and (i.source.date is None or i.source.date <= evidence.as_of)
    ]


class TestSourcesInTime:
    @pytest.mark.parametrize("scale", SCALES)
    @given(data=st.data(), case=cases(reply=True))
    def test_a_source_older_than_every_state_measure_changes_no_grade(
        self, scale: str, data: st.DataObject, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """Under the conservative policy, an independent finding dated before the measure of
        every State claim on the criterion contradicts none of them: no grade changes, and
        the criterion is not disputed by it."""
        rubric, evidence, settings = case
        settings = attrs.evolve(settings, policy=Policy.CONSERVATIVE)
        criterion = data.draw(st.sampled_from(rubric.criterion_ids))
        # Every State claim on the criterion reports a dated measure (and there is one).
        on_it = {i.id for i in _state_items_on(evidence, criterion)}
        claim = Item(
            id="claim",
            criteria=(criterion,),
            finding=data.draw(st.sampled_from(Finding)),
            source=Source(kind=SourceKind.STATE_PARTY, title="x", date=evidence.as_of),
            measure_date=evidence.as_of,
            summary="x",
        )
        items = (
            *(
                attrs.evolve(i, measure_date=i.measure_date or evidence.as_of)
                if i.id in on_it
                else i
                for i in evidence.items
            ),
            claim,
        )
        evidence = attrs.evolve(evidence, items=items)
        earliest = min(
            i.measure_date or evidence.as_of for i in _state_items_on(evidence, criterion)
        )
        older = Item(
            id="older-ngo",
            criteria=(criterion,),
            finding=data.draw(
                st.sampled_from([f for f in Finding if f is not Finding.NO_NEW_INFORMATION])
            ),
            source=Source(kind=SourceKind.NGO, title="x", date=earliest - dt.timedelta(days=1)),
            summary="x",
        )
        added = attrs.evolve(evidence, items=(*evidence.items, older))
        before = assess(rubric, evidence, scale=scale, settings=settings)
        after = assess(rubric, added, scale=scale, settings=settings)
        assert {p.id: p.grade for p in after.parts} == {p.id: p.grade for p in before.parts}
        for part in after.parts:
            for crit in part.criteria:
                if crit.id == criterion:
                    was = before.part(part.id).criterion(criterion)
                    assert (crit.finding, crit.disputed) == (was.finding, was.disputed)


class TestEitherWay:
    @pytest.mark.parametrize("scale", SCALES)
    @given(case=cases(reply=True))
    def test_either_way_never_grades_lower_than_conservative(
        self, scale: str, case: tuple[Rubric, EvidenceFile, Settings]
    ) -> None:
        """Letting independent sources raise a finding can only raise grades."""
        rubric, evidence, settings = case
        conservative = attrs.evolve(settings, policy=Policy.CONSERVATIVE)
        either = attrs.evolve(settings, policy=Policy.EITHER_WAY)
        low = _ranks(assess(rubric, evidence, scale=scale, settings=conservative), scale)
        high = _ranks(assess(rubric, evidence, scale=scale, settings=either), scale)
        for part_id, rank in low.items():
            if rank is not None:
                assert (high[part_id] or 0) >= rank, part_id
