"""Loading evidence files: every reference and header problem, with line, column, path and code."""

from __future__ import annotations

import datetime as dt

import pytest

import cat_rubric
import cat_rubric.evidence
import cat_rubric.model
from cat_rubric import EvidenceFile, LoadError, Rubric
from cat_rubric.exceptions import Problem
from tests.conftest import BUNDLED, EXAMPLES

FILE = "ev.yaml"
REPLY_DATE = "  received: true\n  date: 2014-05-01\n"
BASE = """\
rubric: test-minimal
cycle: 2014 follow-up
assessor: Tester
as_of: 2014-06-30
reply:
  received: true
  date: 2014-05-01
reminders: []
items:
  - id: s-1
    criteria: [lawyer]
    finding: implemented
    source:
      kind: state_party
      title: Reply
      date: 2014-05-01
    summary: The law was amended.
overrides: []
"""
SECOND_ITEM = """\
  - id: s-1
    criteria: [lawyer-practice]
    finding: initiated
    source: {kind: ngo, title: Report}
    quote: Lawyers come late.
"""
OVERRIDE_TAIL = """\
    by: Analyst
    date: 2014-06-01
    reason: Judgement.
"""


def edit(text: str, old: str, new: str) -> str:
    """*text* with the one occurrence of *old* replaced by *new*."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def with_overrides(*heads: str) -> str:
    """BASE whose overrides are *heads* (the target lines), each completed with by/date/reason.

    The first override starts on line 19.
    """
    body = "".join(f"  - {head}{OVERRIDE_TAIL}" for head in heads)
    return edit(BASE, "overrides: []\n", f"overrides:\n{body}")


def where(p: Problem) -> tuple[str, int, int, str, str]:
    """File, line, column, path and code of *p*."""
    return (p.file, p.line, p.column, str(p.path), p.code)


@pytest.fixture(name="rubric")
def _rubric(minimal_text: str) -> Rubric:
    return cat_rubric.parse_rubric(minimal_text, file="minimal.yaml")


def only(text: str, rubric: Rubric | None) -> Problem:
    """The single problem loading *text* against *rubric* reports."""
    with pytest.raises(LoadError) as info:
        cat_rubric.parse_evidence(text, rubric=rubric, file=FILE)
    found = info.value.problems
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


class TestValid:
    """Evidence without problems loads into the model."""

    def test_base_loads(self, rubric: Rubric) -> None:
        """The base file loads with typed values and its origin."""
        ev = cat_rubric.parse_evidence(BASE, rubric=rubric, file=FILE)
        assert ev.as_of == dt.date(2014, 6, 30)
        assert ev.reply == cat_rubric.evidence.Reply(received=True, date=dt.date(2014, 5, 1))
        assert ev.items[0].finding is cat_rubric.Finding.IMPLEMENTED
        assert ev.items[0].source.kind is cat_rubric.model.SourceKind.STATE_PARTY
        assert ev.file == FILE

    def test_without_rubric_skips_reference_checks(self) -> None:
        """Without a rubric, unknown criteria, unknown parts and another rubric id all load."""
        text = edit(with_overrides("part: 9z\n    grade: B\n"), "[lawyer]", "[nobody]")
        text = edit(text, "rubric: test-minimal", "rubric: other-rubric")
        ev = cat_rubric.parse_evidence(text, file=FILE)
        assert ev.items[0].criteria == ("nobody",)
        assert ev.overrides[0].part == "9z"
        assert ev.rubric == "other-rubric"

    @pytest.mark.parametrize(
        "name", ["kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml", "kaz-2010-no-reply.yaml"]
    )
    def test_examples_load_against_bundled_rubric(self, name: str) -> None:
        """Each example evidence file loads against the bundled rubric, items and all."""
        rubric = cat_rubric.load_rubric(BUNDLED)
        ev = cat_rubric.load_evidence(EXAMPLES / name, rubric=rubric)
        assert isinstance(ev, EvidenceFile)
        assert ev.rubric == rubric.id
        assert ev.items
        assert ev.file == str(EXAMPLES / name)


class TestItems:
    """Problems in items: references, values, missing text, duplicate ids."""

    def test_unknown_criterion_suggests(self, rubric: Rubric) -> None:
        """A misspelt criterion id is an unknown-reference with a did-you-mean."""
        p = only(edit(BASE, "[lawyer]", "[lawyr]"), rubric)
        assert where(p) == (FILE, 11, 16, "items[0].criteria[0]", "unknown-reference")
        assert "'lawyr'" in p.message
        assert "did you mean 'lawyer'?" in p.message

    def test_unknown_finding_lists_allowed(self, rubric: Rubric) -> None:
        """An unknown finding is an unknown-value listing every allowed finding."""
        p = only(edit(BASE, "finding: implemented", "finding: done"), rubric)
        assert where(p) == (FILE, 12, 14, "items[0].finding", "unknown-value")
        for finding in cat_rubric.Finding:
            assert finding.value in p.message

    def test_unknown_source_kind(self, rubric: Rubric) -> None:
        """An unknown source kind is an unknown-value listing the kinds."""
        p = only(edit(BASE, "kind: state_party", "kind: press"), rubric)
        assert where(p) == (FILE, 14, 13, "items[0].source.kind", "unknown-value")
        assert "'press'" in p.message
        assert "ngo" in p.message

    def test_item_without_quote_or_summary(self, rubric: Rubric) -> None:
        """An item with neither quote nor summary is a missing-key on the item."""
        p = only(edit(BASE, "    summary: The law was amended.\n", ""), rubric)
        assert where(p) == (FILE, 10, 5, "items[0]", "missing-key")
        assert "quote" in p.message
        assert "summary" in p.message

    def test_duplicate_item_ids(self, rubric: Rubric) -> None:
        """A second item with the same id is a duplicate-id naming the first's line."""
        p = only(edit(BASE, "overrides: []\n", SECOND_ITEM + "overrides: []\n"), rubric)
        assert where(p) == (FILE, 18, 9, "items[1].id", "duplicate-id")
        assert "'s-1'" in p.message
        assert "line 10" in p.message

    @pytest.mark.parametrize("with_rubric", [True, False])
    def test_criterion_listed_twice_in_an_item(self, rubric: Rubric, with_rubric: bool) -> None:
        """A criterion listed twice in one item is a duplicate-id at the repetition."""
        text = edit(BASE, "[lawyer]", "[lawyer, lawyer]")
        p = only(text, rubric if with_rubric else None)
        line = text.splitlines().index(
            next(x for x in text.splitlines() if "[lawyer, lawyer]" in x)
        )
        column = text.splitlines()[line].index("lawyer, lawyer") + len("lawyer, ") + 1
        assert where(p) == (FILE, line + 1, column, "items[0].criteria[1]", "duplicate-id")
        assert "'lawyer'" in p.message

    def test_all_problems_reported_at_once(self, rubric: Rubric) -> None:
        """Problems in the header and in an item are reported together, in line order."""
        text = edit(BASE, "[lawyer]", "[lawyr]")
        text = edit(text, REPLY_DATE, REPLY_DATE.replace("05-01", "07-01"))
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_evidence(text, rubric=rubric, file=FILE)
        assert [(p.line, p.code) for p in info.value.problems] == [
            (7, "impossible-date"),
            (11, "unknown-reference"),
        ]


class TestHeader:
    """Problems in the header: the reply, reminders, the rubric named and its hash."""

    def test_reply_received_without_date(self, rubric: Rubric) -> None:
        """A received reply needs a date: missing-key on the reply."""
        p = only(edit(BASE, REPLY_DATE, "  received: true\n"), rubric)
        assert where(p) == (FILE, 6, 3, "reply", "missing-key")
        assert "date" in p.message

    def test_reply_not_received_with_date(self, rubric: Rubric) -> None:
        """A reply not received but dated is inconsistent, reported on the date."""
        p = only(edit(BASE, "received: true", "received: false"), rubric)
        assert where(p) == (FILE, 7, 9, "reply.date", "inconsistent")

    def test_reply_after_as_of(self, rubric: Rubric) -> None:
        """A reply dated after as_of is an impossible-date naming both dates."""
        p = only(edit(BASE, REPLY_DATE, REPLY_DATE.replace("05-01", "07-01")), rubric)
        assert where(p) == (FILE, 7, 9, "reply.date", "impossible-date")
        assert "2014-07-01" in p.message
        assert "2014-06-30" in p.message

    def test_reminder_after_as_of(self, rubric: Rubric) -> None:
        """A reminder dated after as_of is an impossible-date on that reminder."""
        p = only(edit(BASE, "reminders: []", "reminders: [2014-01-10, 2014-07-01]"), rubric)
        assert where(p) == (FILE, 8, 25, "reminders[1]", "impossible-date")

    def test_nothing_before_the_concluding_observations(self, rubric: Rubric) -> None:
        """As of, a reply or a reminder dated before the rubric's adoption: impossible-date."""
        assert rubric.adopted == dt.date(2013, 5, 31)
        text = edit(BASE, "as_of: 2014-06-30", "as_of: 2013-05-30")
        text = edit(text, REPLY_DATE, REPLY_DATE.replace("2014-05-01", "2013-05-01"))
        text = edit(text, "reminders: []", "reminders: [2013-05-02]")
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_evidence(text, rubric=rubric, file=FILE)
        assert [(str(p.path), p.code) for p in info.value.problems] == [
            ("as_of", "impossible-date"),
            ("reply.date", "impossible-date"),
            ("reminders[0]", "impossible-date"),
        ]
        assert all("2013-05-31" in p.message for p in info.value.problems)
        # On the day of adoption, all three are possible.
        text = edit(BASE, "as_of: 2014-06-30", "as_of: 2013-05-31")
        text = edit(text, REPLY_DATE, REPLY_DATE.replace("2014-05-01", "2013-05-31"))
        assert cat_rubric.parse_evidence(text, rubric=rubric).as_of == rubric.adopted

    def test_wrong_rubric(self, rubric: Rubric) -> None:
        """Evidence naming another rubric is wrong-rubric, naming both ids."""
        p = only(edit(BASE, "rubric: test-minimal", "rubric: other-rubric"), rubric)
        assert where(p) == (FILE, 1, 9, "rubric", "wrong-rubric")
        assert "'other-rubric'" in p.message
        assert "'test-minimal'" in p.message

    def test_rubric_changed(self, rubric: Rubric) -> None:
        """A rubric_sha256 that differs from the rubric's bytes is rubric-changed."""
        text = edit(BASE, "cycle:", f"rubric_sha256: {'ab' * 32}\ncycle:")
        p = only(text, rubric)
        assert where(p) == (FILE, 2, 16, "rubric_sha256", "rubric-changed")
        assert rubric.origin is not None
        assert rubric.origin.sha256 in p.message

    def test_rubric_sha256_match_loads(self, rubric: Rubric) -> None:
        """The rubric's own sha256 loads and is kept."""
        assert rubric.origin is not None
        digest = rubric.origin.sha256
        text = edit(BASE, "cycle:", f"rubric_sha256: {digest}\ncycle:")
        assert cat_rubric.parse_evidence(text, rubric=rubric).rubric_sha256 == digest


class TestOverrides:
    """Overrides: exactly one target of the right kind, known, set once, dated sensibly."""

    def test_valid_overrides_load(self, rubric: Rubric) -> None:
        """A part override and a criterion override load, with their targets."""
        text = with_overrides(
            "part: 9a\n    grade: B\n", "criterion: lawyer\n    finding: initiated\n"
        )
        ev = cat_rubric.parse_evidence(text, rubric=rubric)
        assert [o.target for o in ev.overrides] == ["part 9a", "criterion lawyer"]
        assert ev.overrides[1].finding is cat_rubric.Finding.INITIATED

    @pytest.mark.parametrize(
        "head",
        [
            "part: 9a\n    grade: B\n    criterion: lawyer\n    finding: initiated\n",
            "grade: B\n",
        ],
        ids=["both", "neither"],
    )
    def test_both_or_neither_target(self, rubric: Rubric, head: str) -> None:
        """An override with both or neither of criterion and part is override-target."""
        p = only(with_overrides(head), rubric)
        assert where(p) == (FILE, 19, 5, "overrides[0]", "override-target")
        assert "exactly one" in p.message

    def test_criterion_override_with_grade(self, rubric: Rubric) -> None:
        """A criterion override giving a grade instead of a finding is override-target."""
        p = only(with_overrides("criterion: lawyer\n    grade: B\n"), rubric)
        assert where(p) == (FILE, 19, 5, "overrides[0]", "override-target")
        assert "'finding'" in p.message

    def test_part_override_with_finding(self, rubric: Rubric) -> None:
        """A part override giving a finding instead of a grade is override-target."""
        p = only(with_overrides("part: 9a\n    finding: implemented\n"), rubric)
        assert where(p) == (FILE, 19, 5, "overrides[0]", "override-target")
        assert "'grade'" in p.message

    def test_unknown_part(self, rubric: Rubric) -> None:
        """A part override naming an unknown part is unknown-reference listing the parts."""
        p = only(with_overrides("part: 9z\n    grade: B\n"), rubric)
        assert where(p) == (FILE, 19, 11, "overrides[0].part", "unknown-reference")
        assert "'9z'" in p.message
        assert "9a" in p.message

    def test_unknown_criterion(self, rubric: Rubric) -> None:
        """A criterion override naming an unknown criterion is unknown-reference."""
        p = only(with_overrides("criterion: lawyr\n    finding: initiated\n"), rubric)
        assert where(p) == (FILE, 19, 16, "overrides[0].criterion", "unknown-reference")
        assert "did you mean 'lawyer'?" in p.message

    def test_duplicate_target(self, rubric: Rubric) -> None:
        """The same target overridden twice in a file is duplicate-override on the second."""
        p = only(with_overrides("part: 9a\n    grade: B\n", "part: 9a\n    grade: C\n"), rubric)
        assert where(p) == (FILE, 24, 5, "overrides[1]", "duplicate-override")
        assert "line 19" in p.message
        assert "part 9a" in p.message

    def test_until_before_date(self, rubric: Rubric) -> None:
        """An override lapsing before it was made is an impossible-date on 'until'."""
        p = only(with_overrides("part: 9a\n    grade: B\n    until: 2014-05-01\n"), rubric)
        assert where(p) == (FILE, 21, 12, "overrides[0].until", "impossible-date")
        assert "2014-05-01" in p.message
        assert "2014-06-01" in p.message
