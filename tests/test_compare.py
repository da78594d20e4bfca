"""Comparing assessments and rubric versions: the laws, the bundled example, the command line."""

from __future__ import annotations

import collections
import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import (
    Assessment,
    AssessmentError,
    EvidenceFile,
    Finding,
    Rubric,
    assess,
    compare,
    compare_rubrics,
    load_evidence,
    load_rubric,
)
from cat_rubric._compare_render import (
    comparison_markdown,
    comparison_table,
    rubric_comparison_markdown,
    rubric_comparison_table,
)
from cat_rubric._compare_report import comparison_html
from cat_rubric._comparison import Change, Comparison, Edit, Why
from cat_rubric._model import Origin, SourceKind
from cat_rubric._result import Use
from cat_rubric._rubric_diff import Impact, Level
from cat_rubric._rules import Policy, Settings
from cat_rubric._text import one_line
from cat_rubric.evidence import Item, Override, Reply, Source
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import BUNDLED, EXAMPLES, Run
from tests.test_hostile import HOSTILE, _hostile_evidence, _hostile_rubric, _inert
from tests.test_report import Page, _no_markup, since_rows, since_section

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
# Text plays no part in comparing: cheap text keeps generation fast.
_TEXT = st.sampled_from(["x", "Қазақстан"])
small_rubrics = rubrics(max_recommendations=2, max_parts=2, max_criteria=3, text=_TEXT)
SCALES = ("cat-2015", "ccpr-2016", "ccpr-2013")


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Assessment, Assessment]:
    """Two assessments of one rubric: one file, and the same with a second file (or not)."""
    rubric = draw(small_rubrics)
    first = draw(evidence_files(rubric, reply=True, max_items=6, item_prefix="a", text=_TEXT))
    second = attrs.evolve(
        draw(evidence_files(rubric, as_of=first.as_of, max_items=6, item_prefix="b", text=_TEXT)),
        reply=None,
    )
    second = attrs.evolve(second, origin=Origin(file="second.yaml", sha256="b"))
    scale = draw(st.sampled_from(SCALES))
    policy = draw(st.sampled_from(Policy))
    old = assess(rubric, [first], scale=scale, settings=Settings(policy=policy))
    files = [first, second] if draw(st.booleans()) else [second, first]
    settings = Settings(policy=draw(st.sampled_from((policy, Policy.CONSERVATIVE))))
    new = assess(rubric, files, scale=scale, settings=settings)
    return old, new


def _kinds(c: Comparison) -> dict[str, Change]:
    return {p.part: p.change for p in c.parts}


class TestLaws:
    @given(pair=pairs())
    def test_an_assessment_compared_with_itself_changes_nothing(
        self, pair: tuple[Assessment, Assessment]
    ) -> None:
        """compare(a, a): every part unchanged, no criterion, dispute, item or fact changed."""
        for a in pair:
            c = compare(a, a)
            assert {p.change for p in c.parts} == {Change.UNCHANGED}
            assert all(p.reasons == () for p in c.parts)
            for found in (c.criteria, c.disputes, c.overrides, c.evidence, c.context):
                assert found == ()
            assert {r.change for r in c.recommendations} == {Change.UNCHANGED}

    @given(pair=pairs())
    def test_swapping_the_sides_mirrors_the_comparison(
        self, pair: tuple[Assessment, Assessment]
    ) -> None:
        """compare(b, a) is compare(a, b) seen backwards: improved ↔ worsened, new ↔ dropped,
        added ↔ removed, then ↔ now."""
        a, b = pair
        forward, backward = compare(a, b), compare(b, a)
        assert {k: v.mirror for k, v in _kinds(forward).items()} == _kinds(backward)
        assert {r.recommendation: r.change.mirror for r in forward.recommendations} == {
            r.recommendation: r.change for r in backward.recommendations
        }
        there = {c.criterion: c for c in forward.criteria}
        back = {c.criterion: c for c in backward.criteria}
        assert there.keys() == back.keys()
        for crit, c in there.items():
            assert (c.then, c.now) == (back[crit].now, back[crit].then)
            assert collections.Counter(r.why.mirror for r in c.reasons) == collections.Counter(
                r.why for r in back[crit].reasons
            )
        assert {(d.criterion, d.edit.mirror) for d in forward.disputes} == {
            (d.criterion, d.edit) for d in backward.disputes
        }
        assert {(e.file, e.item, e.edit.mirror) for e in forward.evidence} == {
            (e.file, e.item, e.edit) for e in backward.evidence
        }
        assert {(o.target, o.why.mirror, o.then, o.now) for o in forward.overrides} == {
            (o.target, o.why, o.now, o.then) for o in backward.overrides
        }
        assert {(f.field, f.then, f.now) for f in forward.context} == {
            (f.field, f.now, f.then) for f in backward.context
        }

    @given(pair=pairs())
    def test_changed_criteria_are_exactly_those_whose_finding_differs(
        self, pair: tuple[Assessment, Assessment]
    ) -> None:
        """A criterion is listed iff its counted finding differs, and always with a reason."""
        a, b = pair
        then = {c.id: c.finding for p in a.parts for c in p.criteria}
        now = {c.id: c.finding for p in b.parts for c in p.criteria}
        c = compare(a, b)
        assert {x.criterion for x in c.criteria} == {k for k in then if then[k] is not now[k]}
        assert all(x.reasons for x in c.criteria)
        assert Why.UNEXPLAINED not in {r.why for x in c.criteria for r in x.reasons}

    @given(data=st.data())
    def test_every_part_of_either_side_appears_exactly_once(self, data: st.DataObject) -> None:
        """Parts of two rubric versions: each once; new on one side only, dropped on the other."""
        first = data.draw(small_rubrics)
        second = attrs.evolve(data.draw(small_rubrics), id=first.id)
        a = assess(first, data.draw(evidence_files(first, reply=True, max_items=4, text=_TEXT)))
        b = assess(second, data.draw(evidence_files(second, reply=True, max_items=4, text=_TEXT)))
        c = compare(a, b)
        ids = [p.part for p in c.parts]
        assert collections.Counter(ids) == collections.Counter(
            {p.id for p in a.parts} | {p.id for p in b.parts}
        )
        for p in c.parts:
            if p.then is None:
                assert p.change is Change.NEW
                assert p.reasons[0].why is Why.PART_ADDED
            if p.now is None:
                assert p.change is Change.DROPPED
                assert p.reasons[0].why is Why.PART_REMOVED

    @given(
        rubric=small_rubrics,
        data=st.data(),
        kind=st.sampled_from([k for k in SourceKind if k.independent]),
        finding=st.sampled_from(
            [
                Finding.CONTRARY,
                Finding.REJECTED,
                Finding.NOT_RELEVANT,
                Finding.NOT_IMPLEMENTED,
                Finding.INITIATED,
                Finding.PARTIALLY_IMPLEMENTED,
            ]
        ),
    )
    def test_a_contradicting_independent_item_opens_a_dispute_naming_it(
        self, rubric: Rubric, data: st.DataObject, kind: SourceKind, finding: Finding
    ) -> None:
        """An independent item below the State's claim opens a dispute, named with the item."""
        crit = data.draw(st.sampled_from(rubric.criterion_ids))
        as_of = rubric.adopted + dt.timedelta(days=400)
        claim = Item(
            id="state-claim",
            criteria=(crit,),
            finding=Finding.IMPLEMENTED,
            source=Source(kind=SourceKind.STATE_PARTY, title="reply"),
            summary="the State says it is done",
        )
        reply = EvidenceFile(
            rubric=rubric.id,
            cycle="c",
            assessor="t",
            as_of=as_of,
            reply=Reply(received=True, date=as_of),
            items=(claim,),
        )
        against = Item(
            id="ngo-says-otherwise",
            criteria=(crit,),
            finding=finding,
            source=Source(kind=kind, title="report"),
            summary="it is not",
        )
        other = EvidenceFile(
            rubric=rubric.id, cycle="c", assessor="t", as_of=as_of, items=(against,)
        )
        before = assess(rubric, [reply])
        after = assess(rubric, [reply, other])
        c = compare(before, after)
        (dispute,) = [d for d in c.disputes if d.criterion == crit]
        assert dispute.opened
        assert [(r.item, r.source_kind) for r in dispute.independent] == [
            ("ngo-says-otherwise", kind)
        ]
        assert [r.item for r in dispute.state] == ["state-claim"]
        (change,) = [x for x in c.criteria if x.criterion == crit]
        assert change.now is finding
        assert any(
            r.why is Why.NEW_EVIDENCE and [i.item for i in r.items] == ["ngo-says-otherwise"]
            for r in change.reasons
        )
        assert compare(after, before).disputes[0].edit is Edit.REMOVED

    @given(pair=pairs())
    def test_the_json_round_trip_changes_no_comparison(
        self, pair: tuple[Assessment, Assessment]
    ) -> None:
        """Assessments read back from their JSON compare exactly as the originals."""
        a, b = pair
        again = compare(Assessment.from_json(a.to_json()), Assessment.from_json(b.to_json()))
        assert again == compare(a, b)
        assert json.loads(again.to_json())["format"] == "cat-rubric-comparison/1"


class TestRubricLaws:
    @given(rubric=small_rubrics)
    def test_a_rubric_compared_with_itself_is_empty(self, rubric: Rubric) -> None:
        """compare_rubrics(r, r) finds nothing."""
        c = compare_rubrics(rubric, rubric)
        assert c.empty
        for found in (c.header, c.recommendations, c.parts, c.criteria, c.renumbered, c.affected):
            assert found == ()

    @given(old=small_rubrics, new=small_rubrics)
    def test_swapping_rubrics_mirrors_the_edits(self, old: Rubric, new: Rubric) -> None:
        """compare_rubrics(b, a) adds what compare_rubrics(a, b) removes, and vice versa."""
        forward, backward = compare_rubrics(old, new), compare_rubrics(new, old)
        for level in ("recommendations", "parts", "criteria"):
            there = {(e.id, e.edit.mirror) for e in getattr(forward, level)}
            assert there == {(e.id, e.edit) for e in getattr(backward, level)}
        assert {(f.field, f.old, f.new) for f in forward.header} == {
            (f.field, f.new, f.old) for f in backward.header
        }

    @given(rubric=small_rubrics, data=st.data())
    def test_a_removed_criterion_lists_every_item_on_it(
        self, rubric: Rubric, data: st.DataObject
    ) -> None:
        """Every item naming a removed criterion is listed as affected: none is dropped."""
        evidence = data.draw(evidence_files(rubric, max_items=8, text=_TEXT))
        gone = data.draw(st.sampled_from(rubric.criterion_ids))
        recs = tuple(
            attrs.evolve(
                rec,
                parts=tuple(
                    attrs.evolve(p, criteria=tuple(c for c in p.criteria if c.id != gone))
                    for p in rec.parts
                ),
            )
            for rec in rubric.recommendations
        )
        c = compare_rubrics(rubric, attrs.evolve(rubric, recommendations=recs), evidence=[evidence])
        assert [(e.id, e.edit) for e in c.criteria] == [(gone, Edit.REMOVED)]
        listed = sorted(
            (a.item, a.criterion) for a in c.affected if a.impact is Impact.CRITERION_REMOVED
        )
        assert listed == sorted((i.id, gone) for i in evidence.items if gone in i.criteria)
        assert {a.impact for a in c.affected} <= {Impact.CRITERION_REMOVED}


@pytest.fixture(name="rubric", scope="module")
def _rubric() -> Rubric:
    return load_rubric("cat-kaz-co-2")


@pytest.fixture(name="reply", scope="module")
def _reply(rubric: Rubric) -> EvidenceFile:
    return load_evidence(STATE, rubric=rubric)


@pytest.fixture(name="ngo", scope="module")
def _ngo(rubric: Rubric) -> EvidenceFile:
    return load_evidence(NGO, rubric=rubric)


@pytest.fixture(name="example", scope="module")
def _example(rubric: Rubric, reply: EvidenceFile, ngo: EvidenceFile) -> Comparison:
    """The State's reply alone, then with the NGO report."""
    return compare(assess(rubric, [reply]), assess(rubric, [reply, ngo]))


class TestTheBundledExample:
    def test_which_parts_worsen(self, example: Comparison) -> None:
        """With the NGO report 9b and 29a fall from A to B and 29d to C; nothing improves."""
        worse = {
            p.part: (p.grade_then, p.grade_now)
            for p in example.parts
            if p.change is Change.WORSENED
        }
        assert worse == {"9b": ("A", "B"), "29a": ("A", "B"), "29d": ("B", "C")}
        assert example.count(Change.IMPROVED) == 0
        assert example.ranked_on == "cat-2015 v1"
        assert [f.field for f in example.context] == [f"evidence {NGO}"]

    def test_why_9b_worsens(self, example: Comparison) -> None:
        """9b: the NGO's item on access to a lawyer lowers it and opens a dispute."""
        (reason, *_) = example.part("9b").reasons
        assert reason.why is Why.CRITERION
        assert reason.criterion == "kaz-9-lawyer-from-apprehension"
        crit = example.criterion("kaz-9-lawyer-from-apprehension")
        assert (crit.then, crit.now) == (Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED)
        (why,) = crit.reasons
        assert why.why is Why.NEW_EVIDENCE
        assert [(i.file, i.item) for i in why.items] == [(NGO, "n-9b-lawyer-first-hours")]
        assert crit.disputed_now
        assert not crit.disputed_then

    def test_why_29d_worsens(self, example: Comparison) -> None:
        """29d: the analyst's override in the NGO file, not the evidence."""
        part = example.part("29d")
        assert part.then is not None
        assert part.now is not None
        assert part.then.engine_grade == part.now.engine_grade == "B"
        assert [r.why for r in part.reasons] == [Why.OVERRIDE_ADDED]
        (override,) = example.overrides
        assert (override.target, override.why, override.then, override.now) == (
            "part 29d",
            Why.OVERRIDE_ADDED,
            None,
            "C",
        )

    def test_a_moved_measure_date_is_changed_evidence(
        self, rubric: Rubric, reply: EvidenceFile
    ) -> None:
        """Only the date of the measure an item reports moves: the item is listed as changed
        (the date decides whether the measure pre-dates the observations)."""
        item = next(i for i in reply.items if i.measure_date is not None)
        assert item.measure_date is not None
        moved = attrs.evolve(item, measure_date=item.measure_date - dt.timedelta(days=1))
        edited = attrs.evolve(reply, items=tuple(moved if i is item else i for i in reply.items))
        c = compare(assess(rubric, [reply]), assess(rubric, [edited]))
        assert [(e.item, e.edit) for e in c.evidence] == [(item.id, Edit.CHANGED)]
        assert compare(assess(rubric, [reply]), assess(rubric, [reply])).evidence == ()

    def test_disputes_and_evidence(self, example: Comparison, ngo: EvidenceFile) -> None:
        """Three disputes open; every NGO item is added, the late one shown as ignored."""
        assert {(d.criterion, d.edit) for d in example.disputes} == {
            ("kaz-9-lawyer-from-apprehension", Edit.ADDED),
            ("kaz-18-torture-charged-as-torture", Edit.ADDED),
            ("kaz-29-courts-act-on-torture-allegations", Edit.ADDED),
        }
        assert {(e.item, e.edit) for e in example.evidence} == {
            (i.id, Edit.ADDED) for i in ngo.items
        }
        late = next(e for e in example.evidence if e.item == "n-7c-late-update")
        assert late.use_now is Use.IGNORED
        assert "after the as-of date" in late.reason

    def test_an_earlier_as_of_date(
        self, rubric: Rubric, reply: EvidenceFile, ngo: EvidenceFile
    ) -> None:
        """March against June: the NGO items are set aside by date then; the override, dated
        June, applies only now."""
        march = assess(rubric, [reply, ngo], as_of=dt.date(2010, 3, 1))
        june = assess(rubric, [reply, ngo])
        c = compare(march, june)
        assert next((f.field, f.then, f.now) for f in c.context) == (
            "as_of",
            "2010-03-01",
            "2010-06-30",
        )
        lawyer = c.criterion("kaz-9-lawyer-from-apprehension")
        assert [r.why for r in lawyer.reasons] == [Why.DATE_RULE]
        (override,) = c.overrides
        assert override.why is Why.OVERRIDE_APPLIES
        assert "after the as-of date" in c.part("29d").reasons[-1].text

    def test_another_policy(self, rubric: Rubric, reply: EvidenceFile, ngo: EvidenceFile) -> None:
        """The same evidence under state-only: the criteria change by the settings alone."""
        c = compare(
            assess(rubric, [reply, ngo]),
            assess(rubric, [reply, ngo], settings=Settings(policy=Policy.STATE_ONLY)),
        )
        assert c.evidence == ()
        assert ("policy", "conservative", "state-only") in {
            (f.field, f.then, f.now) for f in c.context
        }
        assert c.criteria
        assert {r.why for x in c.criteria for r in x.reasons} == {Why.SETTINGS}
        assert c.part("9b").change is Change.IMPROVED

    def test_different_scales_are_not_ranked(
        self, rubric: Rubric, reply: EvidenceFile, ngo: EvidenceFile
    ) -> None:
        """cat-2015 against ccpr-2016: letters side by side, never ranked, and every part says
        so, the same letter on both sides too."""
        c = compare(assess(rubric, [reply]), assess(rubric, [reply, ngo], scale="ccpr-2016"))
        assert c.ranked_on is None
        assert c.unranked is not None
        assert "different scales" in c.unranked
        assert {p.change for p in c.parts} == {Change.UNRANKED}
        assert all(Why.SCALE in {r.why for r in p.reasons} for p in c.parts)
        assert Why.UNEXPLAINED not in {r.why for p in c.parts for r in p.reasons}
        same = c.part("7a")
        assert same.grade_then == same.grade_now
        assert [r.text for r in same.reasons] == ["scale cat-2015 v1 then, ccpr-2016 v1 now"]

    def test_an_item_weighed_but_not_counted(self, rubric: Rubric) -> None:
        """An NGO item that counts on neither side but, weighed against the State's two,
        changes which of them counts: it is the reason, seen either way."""
        crit = rubric.recommendations[0].parts[0].criteria[0].id
        as_of = dt.date(2010, 6, 30)

        def item(name: str, finding: Finding, kind: SourceKind, **dates: dt.date) -> Item:
            source = Source(kind=kind, title="t", date=dates.get("date"))
            return Item(
                id=name,
                criteria=(crit,),
                finding=finding,
                source=source,
                measure_date=dates.get("measure"),
                summary="x",
            )

        state = SourceKind.STATE_PARTY
        reply = EvidenceFile(
            rubric=rubric.id,
            cycle="c",
            assessor="t",
            as_of=as_of,
            reply=Reply(received=True, date=as_of),
            items=(
                item("a0", Finding.CONTRARY, state, measure=dt.date(2010, 1, 1)),
                item("a1", Finding.REJECTED, state),
            ),
        )
        late = item("b0", Finding.CONTRARY, SourceKind.NGO, date=dt.date(2009, 6, 1))
        other = EvidenceFile(rubric=rubric.id, cycle="c", assessor="t", as_of=as_of, items=(late,))
        before, after = assess(rubric, [reply]), assess(rubric, [reply, other])
        c = compare(before, after)
        change = c.criterion(crit)
        assert (change.then, change.now) == (Finding.REJECTED, Finding.CONTRARY)
        assert [(r.why, [i.item for i in r.items]) for r in change.reasons] == [
            (Why.NEW_EVIDENCE, ["b0"])
        ]
        assert change.reasons[0].items[0].use is Use.OUTWEIGHED
        assert "b0 (ngo) is weighed now (outweighed as contrary)" in change.reasons[0].text
        back = compare(after, before).criterion(crit)
        assert [r.why for r in back.reasons] == [Why.SOURCE_DROPPED]

    def test_a_scale_file_ranks_only_when_given(
        self, rubric: Rubric, reply: EvidenceFile, ngo: EvidenceFile, tmp_path: Path
    ) -> None:
        """An assessment on a scale file is ranked with that file, and only with it."""
        from cat_rubric._resolve import Kind, resolve

        path = tmp_path / "mine.yaml"
        path.write_bytes(Path(resolve(Kind.SCALE, "cat-2015").path).read_bytes())
        scale = cat_rubric.load_scale(str(path))
        a, b = assess(rubric, [reply], scale=scale), assess(rubric, [reply, ngo], scale=scale)
        blind = compare(a, b)
        assert blind.ranked_on is None
        assert "not bundled" in (blind.unranked or "")
        assert blind.part("9b").change is Change.UNRANKED
        assert blind.part("7a").change is Change.UNCHANGED  # same letter, same scale
        seen = compare(a, b, scales=[scale])
        assert seen.part("9b").change is Change.WORSENED

    def test_other_rubrics_are_refused(self, rubric: Rubric, reply: EvidenceFile) -> None:
        a = assess(rubric, [reply])
        other = Assessment.from_json(a.to_json().replace('"cat-kaz-co-2"', '"cat-kaz-co-3"'))
        with pytest.raises(AssessmentError, match="history"):
            compare(a, other)
        with pytest.raises(TypeError, match="compare_rubrics"):
            compare(rubric, a)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="use compare"):
            compare_rubrics(a, rubric)  # type: ignore[arg-type]

    def test_renderings(self, example: Comparison) -> None:
        """The table, the Markdown and the JSON name the same changes."""
        table, md = comparison_table(example), comparison_markdown(example)
        for text in (table, md):
            assert "n-9b-lawyer-first-hours" in text
            assert "3 worsened, 10 unchanged" in text
            for part in ("9b worsened (A → B)", "29a worsened (A → B)", "29d worsened (B → C)"):
                assert part in text.replace("\n  ", " ")
        assert "| 9b" in md
        data = json.loads(example.to_json())
        assert [p["change"] for p in data["parts"] if p["part"] == "29d"] == ["worsened"]
        assert example.to_json() == example.to_json()

    @pytest.mark.parametrize("width", [40, 80, 120])
    def test_the_table_fits_the_width(self, example: Comparison, width: int) -> None:
        """Every line fits, but for the parts' table and a word longer than a line."""
        for line in comparison_table(example, width).splitlines():
            words = line.split()
            assert len(line) <= width or len(words) <= 2 or line.startswith(("para", "----"))

    def test_pending_then_graded(self, rubric: Rubric, reply: EvidenceFile) -> None:
        """Before the due date nothing was graded: every part is new, by the follow-up status."""
        waiting = attrs.evolve(
            reply, reply=Reply(received=False), as_of=dt.date(2009, 1, 1), items=()
        )
        c = compare(assess(rubric, [waiting]), assess(rubric, [reply]))
        assert {p.change for p in c.parts} == {Change.NEW}
        assert all(p.reasons[0].why is Why.STATUS for p in c.parts)
        assert "pending" in c.part("7a").reasons[0].text
        assert {
            p.change for p in compare(assess(rubric, [reply]), assess(rubric, [waiting])).parts
        } == {Change.DROPPED}


class TestRubricVersions:
    def test_reworded_renumbered_and_removed(self, rubric: Rubric, reply: EvidenceFile) -> None:
        """A criterion reworded, one removed, a paragraph renumbered, a part moved."""
        recs = list(rubric.recommendations)
        para9 = recs[1]
        parts = list(para9.parts)
        b = parts[1]
        crits = [c for c in b.criteria if c.id != "kaz-9-lawyer-from-apprehension"]
        crits[0] = attrs.evolve(
            crits[0], statement="A new statement.", essential=not crits[0].essential
        )
        parts[1] = attrs.evolve(b, criteria=tuple(crits))
        moved = parts.pop(0)
        recs[1] = attrs.evolve(para9, paragraph=10, parts=tuple(parts))
        recs[0] = attrs.evolve(recs[0], parts=(*recs[0].parts, moved))
        new = attrs.evolve(rubric, recommendations=tuple(recs))
        c = compare_rubrics(rubric, new, evidence=[reply])
        assert [(r.recommendation, r.old, r.new) for r in c.renumbered] == [("para-9", 9, 10)]
        edits = {(e.level, e.id): e for e in (*c.recommendations, *c.parts, *c.criteria)}
        assert edits[(Level.CRITERION, "kaz-9-lawyer-from-apprehension")].edit is Edit.REMOVED
        reworded = edits[(Level.CRITERION, crits[0].id)]
        assert reworded.reworded
        assert reworded.kinds == ("reworded", "changed")
        assert {f.field for f in reworded.fields} == {"statement", "essential"}
        part = edits[(Level.PART, moved.id)]
        assert part.moved
        assert [(f.old, f.new) for f in part.fields] == [("para-9", "para-7")]
        assert "renumbered" in edits[(Level.RECOMMENDATION, "para-9")].kinds
        removed = [a for a in c.affected if a.impact is Impact.CRITERION_REMOVED]
        assert [(a.item, a.criterion) for a in removed] == [
            (i.id, "kaz-9-lawyer-from-apprehension")
            for i in sorted(reply.items, key=lambda i: i.id)
            if "kaz-9-lawyer-from-apprehension" in i.criteria
        ]
        changed = {a.item for a in c.affected if a.impact is Impact.CRITERION_CHANGED}
        assert changed == {i.id for i in reply.items if crits[0].id in i.criteria}
        for text in (rubric_comparison_table(c), rubric_comparison_markdown(c)):
            assert "kaz-9-lawyer-from-apprehension" in text
            assert "criterion-removed" in text

    def test_overrides_on_removed_parts_are_listed(self, rubric: Rubric, ngo: EvidenceFile) -> None:
        recs = tuple(
            attrs.evolve(r, parts=tuple(p for p in r.parts if p.id != "29d"))
            for r in rubric.recommendations
        )
        c = compare_rubrics(rubric, attrs.evolve(rubric, recommendations=recs), evidence=[ngo])
        assert [(a.item, a.override, a.impact) for a in c.affected] == [
            ("part 29d", True, Impact.PART_REMOVED)
        ]

    def test_which_version_evidence_was_gathered_against(
        self, rubric: Rubric, reply: EvidenceFile
    ) -> None:
        assert rubric.origin is not None
        pinned = attrs.evolve(reply, rubric_sha256=rubric.origin.sha256)
        assert [e.against for e in compare_rubrics(rubric, rubric, evidence=[pinned]).evidence] == [
            "old"
        ]
        assert [e.against for e in compare_rubrics(rubric, rubric, evidence=[reply]).evidence] == [
            "unknown"
        ]

    def test_hostile_text_stays_inert(self, rubric: Rubric) -> None:
        """Words from the rubrics are escaped in the table and the Markdown."""
        hostile = "new\x1b[2J words | <img src=x> *bold*\u202e"
        crit = rubric.recommendations[0].parts[0].criteria[0]
        part = attrs.evolve(
            rubric.recommendations[0].parts[0],
            criteria=(
                attrs.evolve(crit, statement=hostile),
                *rubric.recommendations[0].parts[0].criteria[1:],
            ),
        )
        rec = attrs.evolve(
            rubric.recommendations[0], parts=(part, *rubric.recommendations[0].parts[1:])
        )
        new = attrs.evolve(rubric, recommendations=(rec, *rubric.recommendations[1:]))
        c = compare_rubrics(rubric, new)
        table, md = rubric_comparison_table(c, 200), rubric_comparison_markdown(c)
        for text in (table, md):
            assert "\x1b" not in text
            assert "\u202e" not in text
        assert "<img" not in md
        assert "&lt;img src=x&gt; \\*bold\\*" in md
        assert json.loads(c.to_json())["criteria"][0]["fields"][0]["new"] == hostile

    def test_evidence_for_another_rubric_is_refused(
        self, rubric: Rubric, reply: EvidenceFile
    ) -> None:
        with pytest.raises(AssessmentError, match="not 'cat-kaz-co-2'"):
            compare_rubrics(rubric, rubric, evidence=[attrs.evolve(reply, rubric="other")])


# -- the command line ------------------------------------------------------------------


@pytest.fixture(name="jsons")
def _jsons(run: Run, tmp_path: Path) -> tuple[str, str]:
    """The example scored alone and with the NGO report, as JSON files."""
    old, new = str(tmp_path / "old.json"), str(tmp_path / "new.json")
    assert run("score", "cat-kaz-co-2", STATE, "--format", "json", "-o", old)[0] == 0
    assert run("score", "cat-kaz-co-2", STATE, NGO, "--format", "json", "-o", new)[0] == 0
    return old, new


class TestCommandLine:
    def test_two_json_files(self, run: Run, jsons: tuple[str, str]) -> None:
        status, out, err = run("diff", *jsons)
        assert (status, err) == (0, "")
        assert "9b      A       B      worsened" in out
        assert "grades ranked on scale cat-2015 v1" in out

    def test_json_output_equals_the_assessed_sides(self, run: Run, jsons: tuple[str, str]) -> None:
        """A side given as RUBRIC EVIDENCE... compares as its saved JSON does."""
        saved = run("diff", *jsons, "--format", "json")
        fresh = run(
            "diff", "--old", "cat-kaz-co-2", STATE, "--new", "cat-kaz-co-2", STATE, NGO,
            "--format", "json",
        )  # fmt: skip
        mixed = run(
            "diff", "--old", jsons[0], "--new", "cat-kaz-co-2", STATE, NGO, "--format", "json"
        )
        assert saved[0] == fresh[0] == mixed[0] == 0
        assert saved[1] == fresh[1] == mixed[1]
        assert json.loads(saved[1])["format"] == "cat-rubric-comparison/1"

    def test_markdown_and_output_file(
        self, run: Run, jsons: tuple[str, str], tmp_path: Path
    ) -> None:
        target = tmp_path / "diff.md"
        assert run("diff", *jsons, "--format", "markdown", "-o", str(target))[0] == 0
        assert target.read_text(encoding="utf-8").startswith("# CAT/C/KAZ/CO/2")
        status, _, err = run("diff", *jsons, "-o", str(target))
        assert status == 1
        assert "--force" in err
        assert run("diff", *jsons, "-o", str(target), "--force")[0] == 0
        status, _, err = run("diff", *jsons, "-o", jsons[0], "--force")
        assert status == 1
        assert "input" in err

    def test_two_rubrics_with_evidence(
        self, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A criterion renamed in a copy: every item on the old id is listed."""
        monkeypatch.setenv("COLUMNS", "400")  # one entry a line, whatever the paths' length
        text = BUNDLED.read_text(encoding="utf-8")
        new = tmp_path / "new.yaml"
        new.write_text(
            text.replace("- id: kaz-9-lawyer-from-apprehension", "- id: kaz-9-lawyer", 1),
            encoding="utf-8",
        )
        status, out, err = run("diff", "cat-kaz-co-2", str(new), "--evidence", STATE, NGO)
        assert (status, err) == (0, "")
        assert "- added: kaz-9-lawyer\n" in out
        assert "- removed: kaz-9-lawyer-from-apprehension\n" in out
        assert f"criterion-removed: {STATE} item s-9b-safeguards" in out
        assert f"criterion-removed: {NGO} item n-9b-lawyer-first-hours" in out
        data = json.loads(run("diff", "cat-kaz-co-2", str(new), "--format", "json")[1])
        assert data["format"] == "cat-rubric-rubric-comparison/1"

    def test_a_rubric_against_itself(self, run: Run) -> None:
        status, out, _ = run("diff", "cat-kaz-co-2", str(BUNDLED))
        assert status == 0
        assert "the two versions are the same" in out

    @pytest.mark.parametrize(
        "args",
        [
            ["only-one.json"],
            ["a.json", "b.json", "c.json"],
            ["a.json", "--old", "b.json", "--new", "c.json"],
            ["--old", "b.json"],
        ],
    )
    def test_usage_errors(self, run: Run, args: list[str]) -> None:
        status, out, err = run("diff", *args)
        assert (status, out) == (2, "")
        assert "diff takes OLD NEW" in err

    def test_evidence_is_for_rubrics(self, run: Run, jsons: tuple[str, str]) -> None:
        status, _, err = run("diff", *jsons, "--evidence", STATE)
        assert status == 2
        assert "--evidence is for comparing two rubrics" in err

    def test_an_assessment_and_a_rubric(self, run: Run, jsons: tuple[str, str]) -> None:
        status, _, err = run("diff", jsons[0], "cat-kaz-co-2")
        assert status == 1
        assert "not one of each" in err

    def test_an_evidence_file_is_not_a_side(self, run: Run, jsons: tuple[str, str]) -> None:
        status, _, err = run("diff", STATE, jsons[1])
        assert status == 1
        assert "is an evidence file" in err

    def test_a_rubric_alone_after_old(self, run: Run, jsons: tuple[str, str]) -> None:
        status, _, err = run("diff", "--old", "cat-kaz-co-2", "--new", jsons[1])
        assert status == 1
        assert "--old RUBRIC EVIDENCE" in err

    def test_a_bare_name_is_an_id(
        self, run: Run, jsons: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A bare name is a bundled id, even if a file of that name is here: never a guess."""
        monkeypatch.chdir(tmp_path)
        Path("old").write_bytes(Path(jsons[0]).read_bytes())
        status, _, err = run("diff", "old", jsons[1])
        assert status == 1
        assert "./old" in err

    def test_broken_json_is_located(self, run: Run, jsons: tuple[str, str], tmp_path: Path) -> None:
        broken = tmp_path / "broken.json"
        broken.write_text('{"format": "cat-rubric-assessment/3",\n "rubric": 3}', encoding="utf-8")
        status, _, err = run("diff", str(broken), jsons[1])
        assert status == 1
        assert f"{broken}:" in err

    def test_hostile_text_stays_inert(
        self, run: Run, rubric: Rubric, reply: EvidenceFile, tmp_path: Path
    ) -> None:
        """Ids and titles from the inputs are escaped in the table and the Markdown."""
        hostile = "x\x1b[31m|*<b>\u202e"
        recs = (attrs.evolve(rubric.recommendations[0], title=hostile), *rubric.recommendations[1:])
        a = assess(rubric, [reply])
        b = assess(attrs.evolve(rubric, recommendations=recs, state_party=hostile), [reply])
        c = compare(a, b)
        for text in (comparison_table(c), comparison_markdown(c)):
            assert "\x1b" not in text
            assert "\u202e" not in text
        assert "<b>" not in comparison_markdown(c)
        assert "&lt;b&gt;" in comparison_markdown(c)


class TestOverridesInTime:
    def test_a_lapsed_override(self, rubric: Rubric, reply: EvidenceFile) -> None:
        """An override that lapses between the two dates: lapsed, and applies seen backwards."""
        override = Override(
            criterion="kaz-7b-sexual-violence-complaints-mechanism",
            finding=Finding.PARTIALLY_IMPLEMENTED,
            by="analyst",
            date=dt.date(2010, 3, 1),
            reason="provisional",
            until=dt.date(2010, 4, 1),
        )
        extra = EvidenceFile(
            rubric=rubric.id,
            cycle=reply.cycle,
            assessor="t",
            as_of=reply.as_of,
            overrides=(override,),
        )
        early = assess(rubric, [reply, extra], as_of=dt.date(2010, 3, 15))
        late = assess(rubric, [reply, extra])
        c = compare(early, late)
        crit = c.criterion("kaz-7b-sexual-violence-complaints-mechanism")
        assert [r.why for r in crit.reasons] == [Why.OVERRIDE_LAPSED]
        assert "lapsed on 2010-04-01" in crit.reasons[0].text
        back = compare(late, early).criterion(crit.criterion)
        assert [r.why for r in back.reasons] == [Why.OVERRIDE_APPLIES]


# -- the comparison as an HTML page ------------------------------------------------------


class TestHtmlPage:
    def test_diff_writes_a_page(self, run: Run, jsons: tuple[str, str], tmp_path: Path) -> None:
        """diff --format html -o FILE: one self-contained page, the report's section in it."""
        target = tmp_path / "diff.html"
        status, out, err = run("diff", *jsons, "--format", "html", "-o", str(target))
        assert (status, out, err) == (0, "", f"wrote {target}\n")
        page = target.read_text(encoding="utf-8")
        old, new = (Assessment.from_json(Path(j).read_bytes(), file=j) for j in jsons)
        c = compare(old, new)
        assert page == comparison_html(old, new, c)
        _no_markup(page)
        assert page.startswith("<!DOCTYPE html>")
        assert Page(page).headings[0] == ("h1", "CAT/C/KAZ/CO/2 — Kazakhstan: what changed")
        rows = since_rows(page, "since-parts")
        assert [(r[1], r[2], r[3], r[4]) for r in rows] == [
            (p.part, p.grade_then, p.grade_now, p.change.value) for p in c.parts
        ]
        assert "Illustrative material" in Page(page).text
        provenance = [r for r in Page(page).rows if r[0] in ("old", "new")]
        assert [(r[0], r[3]) for r in provenance] == [
            (side, f.sha256)
            for side, a in (("old", old), ("new", new))
            for f in (a.record.rubric, *a.record.evidence)
        ]

    def test_to_standard_output(self, run: Run, jsons: tuple[str, str]) -> None:
        status, out, err = run("diff", *jsons, "--format", "html")
        assert (status, err) == (0, "")
        assert out.startswith("<!DOCTYPE html>")
        assert "content=\"default-src 'none'" in out

    def test_two_rubrics_have_no_page(self, run: Run) -> None:
        status, out, err = run("diff", "cat-kaz-co-2", str(BUNDLED), "--format", "html")
        assert (status, out) == (2, "")
        assert "--format html is for comparing two assessments" in err

    def test_the_report_compared_with_a_saved_assessment(
        self, run: Run, jsons: tuple[str, str], rubric: Rubric, tmp_path: Path
    ) -> None:
        """report --compared-with OLD.json: the section in the page, and in the Markdown."""
        from cat_rubric import render

        old = Assessment.from_json(Path(jsons[0]).read_bytes(), file=jsons[0])
        new = Assessment.from_json(Path(jsons[1]).read_bytes(), file=jsons[1])
        for fmt, draw in (("html", render.html), ("markdown", render.markdown)):
            status, out, err = run(
                "report", "cat-kaz-co-2", STATE, NGO, "--compared-with", jsons[0], "--format", fmt
            )
            assert (status, err) == (0, "")
            assert out == draw(new, rubric, compared_with=old)
            assert "Since the previous assessment" in out
        status, _, err = run("report", "cat-kaz-co-2", STATE, "--compared-with", STATE)
        assert status == 1
        assert "not an assessment's JSON" in err
        status, _, err = run(
            "report", "cat-kaz-co-2", STATE, "--compared-with", jsons[0], "--format", "csv"
        )
        assert status == 2
        assert "--compared-with is for --format html or markdown" in err
        status, _, err = run(
            "report", "cat-kaz-co-2", STATE, "--compared-with", jsons[0], "-o", jsons[0], "--force"
        )
        assert status == 1
        assert "input" in err

    @pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"hostile{HOSTILE.index(t)}")
    def test_hostile_strings_stay_text(self, text: str) -> None:
        """Every string from the rubric and the evidence is text on the page, never markup."""
        hostile = _hostile_rubric(text)
        evidence = _hostile_evidence(hostile, text)
        ngo = attrs.evolve(evidence.items[1], id=text)
        old = assess(hostile, [attrs.evolve(evidence, items=evidence.items[:1], overrides=())])
        new = assess(hostile, [attrs.evolve(evidence, items=(evidence.items[0], ngo))])
        page = comparison_html(old, new, compare(old, new))
        _inert(page)
        _no_markup(page)
        assert one_line(text) in since_section(page).text

    @given(pair=pairs())
    def test_every_part_once_with_its_letters(self, pair: tuple[Assessment, Assessment]) -> None:
        """For any two assessments, the page lists every part of either side once, with its
        letters then and now and how it moved, as the comparison has them."""
        old, new = pair
        c = compare(old, new)
        page = comparison_html(old, new, c)
        rows = since_rows(page, "since-parts")
        assert [(r[1], r[4]) for r in rows] == [(p.part, p.change.value) for p in c.parts]
        for row, p in zip(rows, c.parts, strict=True):
            for cell, state in ((row[2], p.then), (row[3], p.now)):
                assert state is not None
                assert cell == (state.grade or f"not graded ({state.status.value})")
        assert len(since_rows(page, "since-criteria")) == len(c.criteria)
