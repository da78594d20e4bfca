"""The assessment engine, rule by rule (docs/grading.md), on small hand-built inputs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import attrs
import pytest

import cat_rubric
import cat_rubric.evidence
import cat_rubric.model
import cat_rubric.result
from cat_rubric import Assessment, Finding, Rubric, Settings, assess
from cat_rubric.evidence import Item
from cat_rubric.result import Status, Use
from tests.conftest import BUNDLED, DATA, EXAMPLES

AS_OF = dt.date(2013, 6, 30)
REPLY_ON = dt.date(2013, 3, 1)
STATE, NGO = cat_rubric.model.SourceKind.STATE_PARTY, cat_rubric.model.SourceKind.NGO
NO_REPLY = cat_rubric.evidence.Reply(received=False)


def item(
    id_: str,
    criteria: str,
    finding: str,
    *,
    kind: cat_rubric.model.SourceKind = STATE,
    date: dt.date | None = REPLY_ON,
    measure: dt.date | None = None,
) -> Item:
    """An item on the space-separated *criteria*, from a source of *kind* dated *date*."""
    source = cat_rubric.evidence.Source(kind=kind, title="A source", date=date)
    crits, found = tuple(criteria.split()), Finding(finding)
    return Item(
        id=id_, criteria=crits, finding=found, source=source, measure_date=measure, summary="s"
    )


def ev(*items: Item, **changes: Any) -> cat_rubric.EvidenceFile:
    """An evidence file on the engine rubric: reply received, as of AS_OF, *changes* applied."""
    base = cat_rubric.EvidenceFile(
        rubric="engine-test",
        cycle="2013 follow-up",
        assessor="Tester",
        as_of=AS_OF,
        reply=cat_rubric.evidence.Reply(received=True, date=REPLY_ON),
        items=items,
    )
    return attrs.evolve(base, **changes)


def override(
    target: str, value: str, *, until: dt.date | None = None
) -> cat_rubric.evidence.Override:
    """A part override (value is a letter) or a criterion override (value is a finding)."""
    common: dict[str, Any] = {"by": "Analyst", "date": dt.date(2013, 6, 1), "until": until}
    common["reason"] = "A judgement."
    if target[0].isdigit():
        return cat_rubric.evidence.Override(part=target, grade=value, **common)
    return cat_rubric.evidence.Override(criterion=target, finding=Finding(value), **common)


@pytest.fixture(name="rubric", scope="module")
def _rubric() -> Rubric:
    return cat_rubric.load_rubric(DATA / "engine" / "rubric.yaml")


@pytest.fixture(name="kaz", scope="module")
def _kaz() -> Rubric:
    return cat_rubric.load_rubric(BUNDLED)


def grades(result: Assessment) -> dict[str, str | None]:
    """Each part's grade."""
    return {p.id: p.grade for p in result.parts}


def use_of(result: Assessment, item_id: str, criterion: str) -> cat_rubric.result.ItemUse:
    """The single record of *item_id* on *criterion*."""
    (found,) = [u for u in result.items if u.item == item_id and u.criterion == criterion]
    return found


class TestDates:
    """§2: dates decide what an item can show; flags never change grades."""

    def test_pre_dating_measure_capped_and_flagged(self, rubric: Rubric) -> None:
        """A measure older than the concluding observations counts as not_implemented, flagged."""
        old = item("s-old", "a1", "implemented", measure=dt.date(2011, 12, 1))
        result = assess(rubric, ev(old))
        part = result.part("1a")
        assert use_of(result, "s-old", "a1").effective is Finding.NOT_IMPLEMENTED
        assert part.criterion("a1").finding is Finding.NOT_IMPLEMENTED
        assert part.grade == "C"
        assert any(f.startswith("s-old on a1: pre-dates the concluding") for f in part.flags)

    def test_source_after_as_of_ignored(self, rubric: Rubric) -> None:
        """An item whose source is dated after as-of is ignored, with a reason; grades unchanged."""
        state = item("s-1", "a1", "implemented")
        late = item("n-late", "a1", "contrary", kind=NGO, date=dt.date(2013, 8, 1))
        result = assess(rubric, ev(state, late))
        record = use_of(result, "n-late", "a1")
        assert record.use is Use.IGNORED
        assert "after the as-of date" in record.reason
        assert grades(result) == grades(assess(rubric, ev(state)))
        assert result.part("1a").grade == "A"

    def test_measure_after_as_of_counts_as_initiated(self, rubric: Rubric) -> None:
        """A measure not yet in effect on the as-of date counts as initiated at most."""
        law = item("s-law", "a1", "implemented", measure=dt.date(2013, 9, 1))
        result = assess(rubric, ev(law))
        part = result.part("1a")
        assert use_of(result, "s-law", "a1").effective is Finding.INITIATED
        assert (part.rule, part.grade) == ("initial-steps", "B")
        assert any("not yet in effect" in f for f in part.flags)

    def test_stale_and_undated_flags(self, rubric: Rubric) -> None:
        """Old and undated sources are flagged, and the grades stay as they were."""
        stale = item("s-stale", "a1", "implemented", date=dt.date(2010, 1, 1))
        undated = item("s-undated", "c1", "implemented", date=None)
        result = assess(rubric, ev(stale, undated))
        assert any(f.startswith("s-stale on a1: stale") for f in result.part("1a").flags)
        assert "s-undated on c1: undated source" in result.part("1c").flags
        assert result.part("1a").grade == result.part("1c").grade == "A"


class TestConflictPolicy:
    """§3: how a State claim and independent sources on one criterion combine."""

    def test_conservative(self, rubric: Rubric) -> None:
        """State implemented vs NGO not_implemented counts not_implemented, disputed, shown."""
        files = ev(item("s-1", "b1", "implemented"), item("n-1", "b1", "not_implemented", kind=NGO))
        result = assess(rubric, files)
        crit = result.part("1b").criterion("b1")
        implemented, not_implemented = Finding.IMPLEMENTED, Finding.NOT_IMPLEMENTED
        assert (crit.finding, crit.state_finding, crit.independent_finding, crit.disputed) == (
            (not_implemented, implemented, not_implemented, True)
        )
        (conflict,) = result.part("1b").conflicts
        assert conflict.counted is not_implemented
        assert (conflict.criterion, conflict.disputed) == ("b1", True)
        assert use_of(result, "s-1", "b1").use is Use.OUTWEIGHED
        assert use_of(result, "n-1", "b1").use is Use.COUNTED

    def test_state_only(self, rubric: Rubric) -> None:
        """Under state-only the NGO item is ignored with a reason and the State claim counts."""
        files = ev(item("s-1", "b1", "implemented"), item("n-1", "b1", "not_implemented", kind=NGO))
        result = assess(rubric, files, settings=Settings(policy=cat_rubric.Policy.STATE_ONLY))
        assert result.part("1b").criterion("b1").finding is Finding.IMPLEMENTED
        record = use_of(result, "n-1", "b1")
        assert record.use is Use.IGNORED
        assert "state-only" in record.reason

    @pytest.mark.parametrize(
        ("state_date", "ngo_date", "counted"),
        [
            (dt.date(2013, 3, 1), dt.date(2013, 5, 1), Finding.NOT_IMPLEMENTED),
            (dt.date(2013, 5, 1), dt.date(2013, 3, 1), Finding.IMPLEMENTED),
            (dt.date(2013, 3, 1), dt.date(2013, 3, 1), Finding.NOT_IMPLEMENTED),
            (dt.date(2013, 3, 1), None, Finding.IMPLEMENTED),
        ],
        ids=["ngo-newer", "state-newer", "tie-critical", "undated-loses"],
    )
    def test_latest(
        self, rubric: Rubric, state_date: dt.date, ngo_date: dt.date | None, counted: Finding
    ) -> None:
        """Under latest the newest dated item wins; a tie goes to the more critical finding."""
        files = ev(
            item("s-1", "b1", "implemented", date=state_date),
            item("n-1", "b1", "not_implemented", kind=NGO, date=ngo_date),
        )
        result = assess(rubric, files, settings=Settings(policy=cat_rubric.Policy.LATEST))
        assert result.part("1b").criterion("b1").finding is counted


class TestSourcesInTime:
    """§3: an independent finding written before a later State measure does not contradict it."""

    BILL = dt.date(2013, 5, 1)  # the State reports the bill adopted on this date

    def files(self, ngo_date: dt.date | None, *, measure: dt.date | None = BILL) -> Any:
        return ev(
            item("s-1", "b1", "implemented", date=dt.date(2013, 6, 1), measure=measure),
            item("n-1", "b1", "initiated", kind=NGO, date=ngo_date),
        )

    def test_older_ngo_report_does_not_dispute_a_later_measure(self, rubric: Rubric) -> None:
        """NGO 'in first reading' (March) against the bill's adoption (May): implemented."""
        result = assess(rubric, self.files(dt.date(2013, 3, 1)))
        crit = result.part("1b").criterion("b1")
        assert (crit.finding, crit.disputed) == (Finding.IMPLEMENTED, False)
        (conflict,) = result.part("1b").conflicts  # still shown side by side
        assert conflict.disputed is False
        record = use_of(result, "n-1", "b1")
        assert record.use is Use.OUTWEIGHED
        assert "before the measure of 2013-05-01 that s-1 reports" in record.reason

    @pytest.mark.parametrize(
        ("ngo_date", "measure"),
        [
            (dt.date(2013, 5, 1), BILL),  # the same day: it can speak of the measure
            (dt.date(2013, 5, 20), BILL),  # after the measure
            (None, BILL),  # undated: it may be later
            (dt.date(2013, 3, 1), None),  # the State gives no date for its measure
        ],
        ids=["same-day", "after", "undated", "no-measure-date"],
    )
    def test_later_or_undatable_sources_still_dispute(
        self, rubric: Rubric, ngo_date: dt.date | None, measure: dt.date | None
    ) -> None:
        """The conservative rule holds whenever the NGO finding may post-date the measure."""
        crit = assess(rubric, self.files(ngo_date, measure=measure)).part("1b").criterion("b1")
        assert (crit.finding, crit.disputed) == (Finding.INITIATED, True)

    def test_a_claim_without_a_date_is_still_contradicted(self, rubric: Rubric) -> None:
        """A second, undated State claim is contradicted; the dated measure's claim stands."""
        files = ev(
            item("s-1", "b1", "partially_implemented", measure=self.BILL),
            item("s-2", "b1", "implemented"),
            item("n-1", "b1", "not_implemented", kind=NGO, date=dt.date(2013, 3, 1)),
        )
        crit = assess(rubric, files).part("1b").criterion("b1")
        assert (crit.finding, crit.disputed) == (Finding.PARTIALLY_IMPLEMENTED, True)


class TestEitherWay:
    """§3: under either-way independent sources also raise a finding."""

    SETTINGS = Settings(policy=cat_rubric.Policy.EITHER_WAY)

    def test_ngo_raises_where_the_state_claims_less(self, rubric: Rubric) -> None:
        files = ev(item("s-1", "b1", "initiated"), item("n-1", "b1", "implemented", kind=NGO))
        result = assess(rubric, files, settings=self.SETTINGS)
        crit = result.part("1b").criterion("b1")
        assert (crit.finding, crit.disputed) == (Finding.IMPLEMENTED, False)
        assert [c.criterion for c in result.part("1b").conflicts] == ["b1"]
        assert use_of(result, "n-1", "b1").use is Use.COUNTED
        assert assess(rubric, files).part("1b").criterion("b1").finding is Finding.INITIATED

    def test_ngo_counts_where_the_state_is_silent(self, rubric: Rubric) -> None:
        """The State said nothing on part 1c; an NGO documents it done: A, not silence."""
        files = ev(item("s-1", "a1", "implemented"), item("n-1", "c1", "implemented", kind=NGO))
        part = assess(rubric, files, settings=self.SETTINGS).part("1c")
        assert (part.rule, part.grade) == ("essential-criteria-met", "A")
        assert assess(rubric, files).part("1c").rule == "reply-silent-on-part"

    def test_still_conservative_downwards(self, rubric: Rubric) -> None:
        files = ev(item("s-1", "b1", "implemented"), item("n-1", "b1", "not_implemented", kind=NGO))
        crit = assess(rubric, files, settings=self.SETTINGS).part("1b").criterion("b1")
        assert (crit.finding, crit.disputed) == (Finding.NOT_IMPLEMENTED, True)


class TestNoNewInformation:
    """§4: a reply that addresses a point without anything new is not silence."""

    def test_not_silent_and_graded_c2(self, rubric: Rubric) -> None:
        files = ev(item("s-1", "c1", "no_new_information"))
        for scale, letter in (("ccpr-2013", "C2"), ("ccpr-2016", "C"), ("cat-2015", "C")):
            part = assess(rubric, files, scale=scale).part("1c")
            assert (part.rule, part.grade) == ("no-new-information", letter), scale
        silent = assess(rubric, ev(item("s-1", "a1", "implemented")), scale="ccpr-2013")
        assert silent.part("1c").grade == "D1"

    def test_information_quality_is_not_relevant(self, rubric: Rubric) -> None:
        part = assess(rubric, ev(item("s-1", "c1", "no_new_information"))).part("1c")
        assert part.information_quality == "not_relevant"

    def test_only_the_state_can_bring_no_new_information(self, rubric: Rubric) -> None:
        files = ev(item("n-1", "c1", "no_new_information", kind=NGO))
        with pytest.raises(cat_rubric.AssessmentError, match="only the State party's reply"):
            assess(rubric, files)


class TestRounds:
    """§1: evidence from successive follow-up rounds accumulates."""

    FIRST = dt.date(2013, 2, 1)

    def test_files_of_two_rounds_are_assessed_as_of_the_later(self, rubric: Rubric) -> None:
        first = ev(item("s-1", "a1", "initiated"), as_of=self.FIRST, reply=NO_REPLY)
        second = ev(item("s-2", "b1", "implemented"))
        result = assess(rubric, [first, second])
        assert (result.as_of, result.reply_received, result.reply_date) == (AS_OF, True, REPLY_ON)
        assert {u.item for u in result.items} == {"s-1", "s-2"}

    def test_a_later_reply_is_the_one_answered(self, rubric: Rubric) -> None:
        first = ev(as_of=dt.date(2013, 4, 1))
        later = dt.date(2013, 6, 1)
        second = ev(reply=cat_rubric.evidence.Reply(received=True, date=later))
        assert assess(rubric, [first, second]).reply_date == later

    def test_no_reply_after_a_reply_date_is_a_disagreement(self, rubric: Rubric) -> None:
        files = [ev(as_of=dt.date(2013, 4, 1)), ev(reply=NO_REPLY)]
        with pytest.raises(cat_rubric.AssessmentError, match="says none was received by"):
            assess(rubric, files)

    def test_nothing_is_assessed_before_the_concluding_observations(self, rubric: Rubric) -> None:
        """As of a day before adoption, or with a reply dated before it: refused in words."""
        before = rubric.adopted - dt.timedelta(days=1)
        with pytest.raises(cat_rubric.AssessmentError, match=f"adopted on {rubric.adopted}"):
            assess(rubric, [ev()], as_of=before)
        early = cat_rubric.evidence.Reply(received=True, date=before)
        with pytest.raises(cat_rubric.AssessmentError, match="before the concluding observations"):
            assess(rubric, [ev(reply=early)])
        assert assess(rubric, [ev()], as_of=rubric.adopted).as_of == rubric.adopted

    def test_a_file_given_twice_is_refused(self, rubric: Rubric, tmp_path: Path) -> None:
        """The same file twice, or two copies of it, would count every item twice."""
        one = ev(item("s-1", "a1", "implemented"))
        with pytest.raises(cat_rubric.AssessmentError, match="is given twice"):
            assess(rubric, [one, one])
        path = tmp_path / "e.yaml"
        path.write_text(
            "rubric: engine-test\ncycle: 2013 follow-up\nassessor: Tester\nas_of: 2013-06-30\n"
            "reply: {received: true, date: 2013-03-01}\nitems:\n  - id: s-1\n"
            "    criteria: [a1]\n    finding: implemented\n    summary: s\n"
            "    source: {kind: state_party, title: A source, date: 2013-03-01}\n",
            encoding="utf-8",
        )
        copy = tmp_path / "copy.yaml"
        copy.write_bytes(path.read_bytes())
        loaded = [cat_rubric.load_evidence(p, rubric=rubric) for p in (path, copy)]
        with pytest.raises(cat_rubric.AssessmentError, match=r"e\.yaml repeats .*copy\.yaml"):
            assess(rubric, loaded)
        # A model evolved from a loaded file keeps its origin, but is another file.
        variant = attrs.evolve(loaded[0], items=ev(item("s-2", "b1", "initiated")).items)
        assert assess(rubric, [loaded[0], variant]).as_of == AS_OF

    def test_one_round_must_agree(self, rubric: Rubric) -> None:
        other = cat_rubric.evidence.Reply(received=True, date=dt.date(2013, 3, 2))
        with pytest.raises(cat_rubric.AssessmentError, match=f"as of {AS_OF} disagree"):
            assess(rubric, [ev(), ev(reply=other)])


class TestItemRecord:
    """Every item appears in Assessment.items once per criterion: nothing dropped silently."""

    def test_hand_built(self, rubric: Rubric) -> None:
        """Counted, outweighed and ignored items are each recorded once."""
        items = (
            item("s-1", "a1 a2 b1", "implemented"),
            item("n-1", "b1", "initiated", kind=NGO),
            item("n-late", "c1 d1", "contrary", kind=NGO, date=dt.date(2014, 1, 1)),
        )
        result = assess(rubric, ev(*items))
        seen = Counter((u.item, u.criterion) for u in result.items)
        expected = Counter((i.id, c) for i in items for c in i.criteria)
        assert seen == expected
        assert use_of(result, "n-late", "c1").use is Use.IGNORED

    @pytest.mark.parametrize("date", [None, dt.date(2014, 1, 1)])
    def test_an_unknown_criterion_is_an_error(self, rubric: Rubric, date: dt.date | None) -> None:
        """An item naming a criterion the rubric lacks is a typo to correct, never an item
        silently ignored (dated after as-of or not)."""
        items = (item("s-1", "a1", "implemented"), item("s-x", "a1 b11", "implemented", date=date))
        with pytest.raises(cat_rubric.AssessmentError, match="item 's-x' names criterion 'b11'"):
            assess(rubric, ev(*items))


class TestOverrides:
    """§6: overrides take precedence, are shown next to the engine, lapse, and never clash."""

    def test_part_override(self, rubric: Rubric) -> None:
        """A part override sets the grade; the engine's grade and the record stay visible."""
        files = ev(item("s-1", "a1", "implemented"), overrides=(override("1a", "C"),))
        result = assess(rubric, files)
        part = result.part("1a")
        assert (part.grade, part.engine_grade) == ("C", "A")
        record = part.override
        assert record is not None
        assert (record.target, record.value, record.engine) == ("part 1a", "C", "A")
        assert record.applied is True
        assert part.what_if is None
        assert part.override in result.overrides

    def test_lapsed_override(self, rubric: Rubric) -> None:
        """An override whose 'until' is before as-of is not applied, and the lapse is flagged."""
        lapsed = override("1a", "C", until=dt.date(2013, 6, 15))
        result = assess(rubric, ev(item("s-1", "a1", "implemented"), overrides=(lapsed,)))
        part = result.part("1a")
        assert part.grade == "A"
        assert part.override is not None
        assert part.override.applied is False
        assert "the override of part 1a lapsed on 2013-06-15" in part.flags

    def test_override_dated_after_as_of(self, rubric: Rubric) -> None:
        """A judgement made after the as-of date does not apply (as later evidence is ignored)."""
        later = attrs.evolve(override("1a", "C"), date=dt.date(2013, 7, 1))
        result = assess(rubric, ev(item("s-1", "a1", "implemented"), overrides=(later,)))
        part = result.part("1a")
        assert (part.grade, part.override is not None and part.override.applied) == ("A", False)
        assert (
            "the override of part 1a is dated 2013-07-01, after the as-of date 2013-06-30: "
            "not applied" in part.flags
        )

    def test_criterion_override(self, rubric: Rubric) -> None:
        """A criterion override sets its finding; the engine's finding stays alongside."""
        files = ev(item("s-1", "b1 b2", "implemented"), overrides=(override("b2", "initiated"),))
        part = assess(rubric, files).part("1b")
        crit = part.criterion("b2")
        assert (crit.finding, crit.engine_finding) == (Finding.INITIATED, Finding.IMPLEMENTED)
        assert part.grade == "B"

    def test_criterion_override_counts_as_state_speaking(self, rubric: Rubric) -> None:
        """On a part the reply is silent on, a criterion override means the State has spoken."""
        result = assess(rubric, ev(overrides=(override("c1", "implemented"),)))
        assert (result.part("1c").rule, result.part("1c").grade) == ("essential-criteria-met", "A")

    def test_same_target_in_two_files(self, rubric: Rubric) -> None:
        """The same target overridden in two files is an AssessmentError."""
        one = ev(overrides=(override("1a", "C"),))
        two = ev(reply=None, overrides=(override("1a", "B"),))
        with pytest.raises(cat_rubric.AssessmentError, match="part 1a is overridden in both"):
            assess(rubric, [one, two])

    def test_grade_not_in_scale(self, rubric: Rubric) -> None:
        """An override letter the scale lacks is an AssessmentError naming it and the letters."""
        with pytest.raises(cat_rubric.AssessmentError) as info:
            assess(rubric, ev(overrides=(override("1a", "C"),)), scale="ccpr-2013")
        message = str(info.value)
        assert "'C'" in message
        assert "ccpr-2013" in message
        assert "A, B1, B2, C1, C2, D1, D2, E" in message


class TestItems:
    @pytest.mark.parametrize("criteria", [("a1", "a1"), ("a1", "a2", "a1")])
    def test_criterion_listed_twice(self, rubric: Rubric, criteria: tuple[str, ...]) -> None:
        """An item built in Python that lists a criterion twice is refused, not counted twice."""
        twice = attrs.evolve(item("s-1", "a1", "implemented"), criteria=criteria)
        with pytest.raises(
            cat_rubric.AssessmentError, match="item 's-1' lists criterion 'a1' twice"
        ):
            assess(rubric, ev(twice))


class TestHeaders:
    """Files assessed together must agree; exactly one set of reply facts."""

    @pytest.mark.parametrize(
        ("changes", "match"),
        [
            ({"rubric": "other-rubric"}, "for rubric 'other-rubric'"),
            ({"cycle": "another cycle"}, "different follow-up cycles"),
            ({"reply": NO_REPLY}, "disagree about the State party's reply"),
        ],
        ids=["rubric", "cycle", "reply"],
    )
    def test_disagreeing_files(self, rubric: Rubric, changes: dict[str, Any], match: str) -> None:
        """Files for different rubrics or cycles, or disagreeing replies, cannot be merged."""
        with pytest.raises(cat_rubric.AssessmentError, match=match):
            assess(rubric, [ev(), ev(**changes)])

    def test_no_reply_stated(self, rubric: Rubric) -> None:
        """When no file states the reply, the assessment refuses and says what to add."""
        with pytest.raises(cat_rubric.AssessmentError, match="reply: "):
            assess(rubric, ev(reply=None))

    def test_as_of_argument(self, rubric: Rubric) -> None:
        """as_of= settles files with different dates, and items after it are ignored."""
        later = ev(item("n-1", "a1", "contrary", kind=NGO, date=dt.date(2013, 7, 15)), reply=None)
        files = [
            ev(item("s-1", "a1", "implemented")),
            attrs.evolve(later, as_of=AS_OF.replace(month=7, day=31)),
        ]
        result = assess(rubric, files, as_of=dt.date(2013, 7, 1))
        assert result.as_of == dt.date(2013, 7, 1)
        assert use_of(result, "n-1", "a1").use is Use.IGNORED
        assert result.part("1a").grade == "A"


class TestStatus:
    """§1: no reply means pending, awaiting a reminder, or D."""

    @pytest.mark.parametrize(
        "case",
        [
            (dt.date(2012, 12, 1), (), 1, Status.PENDING, None),
            (AS_OF, (), 1, Status.AWAITING_REMINDER, None),
            (AS_OF, (dt.date(2013, 2, 1),), 1, Status.GRADED, "D"),
            (AS_OF, (dt.date(2013, 2, 1),), 2, Status.AWAITING_REMINDER, None),
            (AS_OF, (), 0, Status.GRADED, "D"),
            (AS_OF, (dt.date(2013, 2, 1),) * 2, 2, Status.AWAITING_REMINDER, None),
            (AS_OF, (dt.date(2013, 2, 1), dt.date(2013, 3, 1)), 2, Status.GRADED, "D"),
        ],
        ids=[
            "pending",
            "awaiting",
            "D",
            "one-of-two",
            "no-reminder-needed",
            "one-date-twice-is-one-reminder",
            "two-of-two",
        ],
    )
    def test_no_reply(self, rubric: Rubric, case: tuple[Any, ...]) -> None:
        """The status and grade of every part follow the due date and the reminders."""
        as_of, reminders, need, status, grade = case
        files = ev(item("n-1", "a1", "implemented", kind=NGO, date=as_of), reply=NO_REPLY)
        files = attrs.evolve(files, as_of=as_of, reminders=reminders)
        result = assess(rubric, files, settings=Settings(reminders_for_d=need))
        assert result.status is status
        assert {(p.status, p.grade) for p in result.parts} == {(status, grade)}
        assert {r.grade for r in result.recommendations} == {grade}

    def test_no_reply_letter_ccpr_2013(self, rubric: Rubric) -> None:
        """After the reminder, no reply is D2 under ccpr-2013."""
        files = ev(reply=NO_REPLY, reminders=(dt.date(2013, 2, 1),))
        assert set(grades(assess(rubric, files, scale="ccpr-2013")).values()) == {"D2"}


class TestPartRules:
    """§4: the first rule that applies decides a part's outcome, on two scales."""

    @pytest.mark.parametrize(
        "case",
        [
            ("implemented contrary -", True, "contrary-measure", "E", "E"),
            ("rejected implemented -", True, "rejection", "E", "E"),
            ("rejected - -", False, "refusal-not-contrary", "C", "C2"),
            ("- - -", True, "reply-silent-on-part", "C", "D1"),
            ("implemented implemented not_implemented", True, "essential-criteria-met", "A", "A"),
            ("implemented partially_implemented -", True, "substantive-steps", "B", "B1"),
            ("implemented - -", True, "part-of-core", "B", "B2"),
            ("initiated implemented implemented", True, "part-of-core", "B", "B2"),
            ("- - partially_implemented", True, "part-of-core", "B", "B2"),
            ("initiated - -", True, "initial-steps", "B", "B2"),
            ("not_implemented - -", True, "action-does-not-implement", "C", "C1"),
            ("not_relevant - -", True, "information-not-relevant", "C", "C2"),
            ("no_new_information - -", True, "no-new-information", "C", "C2"),
            ("no_new_information not_relevant -", True, "information-not-relevant", "C", "C2"),
            ("no_information - -", True, "reply-silent-on-part", "C", "D1"),
        ],
    )
    def test_rule(self, rubric: Rubric, case: tuple[str, bool, str, str, str]) -> None:
        """Findings on b1, b2, b3 ('-' for none) give the rule and the letters of each scale."""
        findings, refusal_is_contrary, rule, cat, ccpr = case
        items = [
            item(f"s-{crit}", crit, f)
            for crit, f in zip(("b1", "b2", "b3"), findings.split(), strict=True)
            if f != "-"
        ]
        settings = Settings(refusal_is_contrary=refusal_is_contrary)
        for scale, letter in (("cat-2015", cat), ("ccpr-2013", ccpr)):
            part = assess(rubric, ev(*items), scale=scale, settings=settings).part("1b")
            assert (part.rule, part.grade) == (rule, letter), scale


class TestInformationQuality:
    """§5: the quality of the State's information under cat-2015; none under ccpr-2016."""

    @pytest.mark.parametrize(
        ("items", "quality"),
        [
            ((item("s-1", "a1", "implemented"), item("s-2", "a2", "initiated")), "thorough"),
            ((item("s-1", "a1", "implemented"),), "partial"),
            ((item("s-1", "a1 a2", "not_relevant"),), "not_relevant"),
            ((item("s-1", "a1", "implemented", measure=dt.date(2011, 1, 1)),), "not_relevant"),
            ((item("n-1", "a1", "implemented", kind=NGO),), "none"),
        ],
        ids=["thorough", "partial", "not-relevant", "pre-dating", "none"],
    )
    def test_cat_2015(self, rubric: Rubric, items: tuple[Item, ...], quality: str) -> None:
        """What the State said on part 1a decides its information quality."""
        assert assess(rubric, ev(*items)).part("1a").information_quality == quality

    def test_ccpr_2016_has_none(self, rubric: Rubric) -> None:
        """Scales that do not judge information quality leave it None."""
        result = assess(rubric, ev(item("s-1", "a1", "implemented")), scale="ccpr-2016")
        assert {p.information_quality for p in result.parts} == {None}


class TestScoreAndRollup:
    """§5: the numeric score with its formula; the recommendation's roll-up."""

    def test_score(self, rubric: Rubric) -> None:
        """Weights 2 and 1, implemented and partially: 2.5/3 with the sum written out."""
        files = ev(item("s-1", "a1", "implemented"), item("s-2", "a2", "partially_implemented"))
        score = assess(rubric, files).part("1a").score
        assert score.value == pytest.approx(2.5 / 3)
        assert score.formula == "(2×1 + 1×0.5) / 3"
        assert score.weight_total == 3
        assert score.counts == ("partially_implemented: 1", "implemented: 1")

    @pytest.mark.parametrize(
        ("c1", "rollup", "grade", "differ"),
        [
            ("not_implemented", cat_rubric.Rollup.LOWEST, "C", True),
            ("not_implemented", cat_rubric.Rollup.MEDIAN, "B", True),
            ("contrary", cat_rubric.Rollup.MEDIAN, "E", True),
            ("partially_implemented", cat_rubric.Rollup.LOWEST, "B", False),
        ],
    )
    def test_rollup(
        self, rubric: Rubric, c1: str, rollup: cat_rubric.Rollup, grade: str, differ: bool
    ) -> None:
        """Parts A/B/x roll up by the lowest or the median; an E is never averaged away."""
        files = ev(
            item("s-a", "a1", "implemented" if c1 != "partially_implemented" else c1),
            item("s-b", "b1", "implemented"),
            item("s-c", "c1", c1),
        )
        rec = assess(rubric, files, settings=Settings(rollup=rollup)).recommendation(1)
        assert (rec.grade, rec.parts_differ) == (grade, differ)
        assert ("the parts differ" in rec.rollup) is differ


class TestWhatIfAndMissing:
    """§7 what-if, and the requests for what is missing."""

    def test_one_essential_missing(self, rubric: Rubric) -> None:
        """A B part with one essential criterion partly done names exactly it, to reach A."""
        files = ev(item("s-1", "b1", "implemented"), item("s-2", "b2", "partially_implemented"))
        part = assess(rubric, files).part("1b")
        assert part.grade == "B"
        assert part.what_if is not None
        assert (part.what_if.grade, part.what_if.changes) == ("A", ("b2 → implemented",))
        assert part.what_if.alternatives == ()
        fixed = ev(item("s-1", "b1 b2", "implemented"))
        assert assess(rubric, fixed).part("1b").grade == "A"

    def test_missing_requests(self, rubric: Rubric) -> None:
        """missing holds the request sentence of each criterion not implemented."""
        files = ev(item("s-1", "b1", "implemented"), item("s-2", "b2", "partially_implemented"))
        part = assess(rubric, files).part("1b")
        assert part.missing == ("b2: Please report on b2.", "b3: Please report on b3.")


STATE_ALONE = {
    "7a": "A", "7b": "C", "7c": "B", "9a": "B", "9b": "A", "9c": "C", "9d": "C",
    "18a": "E", "18b": "B", "29a": "A", "29b": "C", "29c": "C", "29d": "B",
}  # fmt: skip


class TestExamples:
    """The example files give the grades their notes state."""

    def load(self, kaz: Rubric, *names: str) -> Assessment:
        """Assess the named example files, checking each item × criterion is recorded once."""
        files = [
            cat_rubric.load_evidence(EXAMPLES / f"kaz-2010-{n}.yaml", rubric=kaz) for n in names
        ]
        result = assess(kaz, files)
        seen = Counter((u.file, u.item, u.criterion) for u in result.items)
        assert seen == Counter(
            (f.file, i.id, c) for f in files for i in f.items for c in i.criteria
        )
        return result

    def test_state_reply_alone(self, kaz: Rubric) -> None:
        """The State reply alone: the grades listed in its notes."""
        assert grades(self.load(kaz, "state-reply")) == STATE_ALONE

    def test_with_ngo_report(self, kaz: Rubric) -> None:
        """With the NGO report, 9b and 29a fall to B, and 29d is C by override over B."""
        result = self.load(kaz, "state-reply", "ngo-report")
        assert grades(result) == STATE_ALONE | {"9b": "B", "29a": "B", "29d": "C"}
        part = result.part("29d")
        assert part.engine_grade == "B"
        assert part.override is not None
        assert part.override.applied
        assert result.part("9d").flags

    def test_no_reply(self, kaz: Rubric) -> None:
        """No reply after a reminder: D for every part."""
        assert set(grades(self.load(kaz, "no-reply")).values()) == {"D"}


class TestNavigation:
    """Looking results up by paragraph, id and criterion; KeyError for unknown ids."""

    def test_lookups(self, kaz: Rubric) -> None:
        """recommendation by number or id, part, criterion; KeyError when there is none."""
        files = cat_rubric.load_evidence(EXAMPLES / "kaz-2010-state-reply.yaml", rubric=kaz)
        result = assess(kaz, files)
        rec = result.recommendation(9)
        assert rec is result.recommendation("para-9")
        assert [p.id for p in rec.parts] == ["9a", "9b", "9c", "9d"]
        assert rec.part("9b") == result.part("9b")
        crit = result.part("9b").criterion("kaz-9-lawyer-from-apprehension")
        assert crit.finding is Finding.IMPLEMENTED
        assert crit.items == ("s-9b-safeguards",)
        part_9b = result.part("9b")
        for lookup in (
            lambda: result.recommendation(10),
            lambda: result.recommendation("para-10"),
            lambda: result.part("9z"),
            lambda: rec.part("7a"),
            lambda: part_9b.criterion("kaz-7a-public-condemnation"),
        ):
            with pytest.raises(KeyError):
                lookup()


class TestDecideFirstExplainOnDemand:
    """The explanation is built when first read, from the same decisions, and changes none."""

    def files(self) -> cat_rubric.EvidenceFile:
        return ev(
            item("s-1", "a1 b1", "implemented", measure=dt.date(2013, 4, 1)),
            item("n-1", "b1", "not_implemented", kind=NGO, date=dt.date(2013, 3, 1)),
            item("n-2", "a1", "partially_implemented", kind=NGO),
            item("late", "c1", "implemented", date=dt.date(2014, 1, 1)),
        )

    def test_grades_need_no_explanation(self, rubric: Rubric) -> None:
        result = assess(rubric, self.files())
        part = result.part("1b")
        assert "criteria" not in vars(part)
        assert "items" not in vars(result)
        assert (part.grade, part.rule) == ("B", "part-of-core")
        assert "criteria" not in vars(part)  # reading a grade built nothing
        assert part.reason.startswith("action on part of the core")
        assert {"criteria", "what_if", "flags"} <= set(vars(part))

    def test_the_core_keeps_no_per_item_object(self, rubric: Rubric) -> None:
        import gc

        from cat_rubric._route import Entry

        result = assess(rubric, self.files())
        assert not [o for o in gc.get_objects() if isinstance(o, Entry)]
        assert len(result.items) == 5  # the explanation routes the evidence again

    def test_deferred_equals_built(self, rubric: Rubric) -> None:
        """A result read lazily equals one built with every field, compares, copies and
        round-trips the same."""
        import copy
        import pickle

        lazy, eager = assess(rubric, self.files()), assess(rubric, self.files())
        eager.to_json()  # materialise one of them entirely
        assert lazy == eager
        assert hash(lazy) == hash(eager)
        assert copy.deepcopy(assess(rubric, self.files())) == eager
        assert pickle.loads(pickle.dumps(assess(rubric, self.files()))) == eager
        assert Assessment.from_json(eager.to_json()) == lazy
        built = cat_rubric.result.PartResult(
            **{
                a.name: getattr(lazy.part("1a"), a.name)
                for a in attrs.fields(type(lazy.part("1a")))
            }
        )
        assert built == assess(rubric, self.files()).part("1a")

    def test_unknown_attributes_still_fail(self, rubric: Rubric) -> None:
        part = assess(rubric, self.files()).part("1a")
        with pytest.raises(AttributeError, match="no attribute 'gradee'"):
            part.gradee  # type: ignore[attr-defined]  # noqa: B018
