"""Loading rubrics: every kind of problem, with its exact line, column, key path and code."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
import cat_rubric.model
from cat_rubric import LoadError, NotFoundError
from cat_rubric._load import Parser
from cat_rubric.exceptions import LimitError, Problem
from cat_rubric.limits import Limits
from tests.conftest import BUNDLED

PARSERS: tuple[Parser, ...] = ("c", "python")
CRIT0 = "recommendations[0].parts[0].criteria[0]"
CRIT1 = "recommendations[0].parts[0].criteria[1]"


def problems(
    data: str | bytes, *, parser: Parser = "auto", limits: Limits | None = None
) -> tuple[Problem, ...]:
    """The problems a load of *data* reports (failing the test if it loads)."""
    with pytest.raises(LoadError) as info:
        cat_rubric.parse_rubric(data, parser=parser, limits=limits)
    assert info.value.problems, "a LoadError must carry at least one problem"
    return info.value.problems


def only(data: str | bytes, *, parser: Parser = "auto") -> Problem:
    """The single problem a load of *data* reports."""
    found = problems(data, parser=parser)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def where(p: Problem) -> tuple[int, int, str, str]:
    """Line, column, path and code of *p*."""
    return (p.line, p.column, str(p.path), p.code)


def edit(text: str, old: str, new: str) -> str:
    """*text* with the one occurrence of *old* replaced by *new*."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def alias_bomb(fanout: int) -> str:
    """A rubric whose recommendations, parts, criteria and references are all aliases."""
    refs, crits, parts, recs = (", ".join([f"*{a}"] * fanout) for a in "lcpr")
    return (
        "id: bomb\ntitle: Bomb\ntreaty_body: CAT\nstate_party: X\nsymbol: S\n"
        "adopted: 2013-05-31\nfollow_up: {recommendations: [9], within_months: 12}\n"
        "notes: &l {instrument: a, article: b, title: c}\n"
        "source_url: &c {id: c, statement: s, indicator: process, essential: true, "
        f"evidence: [ngo], guidance: g, request: r, legal_references: [{refs}]}}\n"
        f"language: &p {{id: p, title: t, criteria: [{crits}]}}\n"
        "scale: &r {id: r, paragraph: 9, title: t, concern: c, recommendation: r, "
        f"parts: [{parts}]}}\nrecommendations: [{recs}]\n"
    )


class TestValidRubrics:
    """Rubrics without problems load into the model."""

    @pytest.mark.parametrize("parser", PARSERS)
    def test_minimal_rubric_loads(self, minimal_text: str, parser: Parser) -> None:
        """The minimal rubric loads with its values typed, not left as text."""
        rubric = cat_rubric.parse_rubric(minimal_text, parser=parser)
        crit = rubric.criterion("lawyer")
        assert rubric.adopted == dt.date(2013, 5, 31)
        assert crit.weight == 2.0
        assert crit.essential is True
        assert crit.evidence == (
            cat_rubric.model.SourceKind.STATE_PARTY,
            cat_rubric.model.SourceKind.NGO,
        )
        assert rubric.criterion("lawyer-practice").essential is False

    def test_bom_and_bytes_are_accepted(self, minimal_text: str) -> None:
        """UTF-8 bytes with a byte-order mark load like the text."""
        data = b"\xef\xbb\xbf" + minimal_text.encode("utf-8")
        assert cat_rubric.parse_rubric(data) == cat_rubric.parse_rubric(minimal_text)

    def test_bundled_rubric_by_id(self) -> None:
        """The bundled rubric is listed and loads by its id, recording where it came from."""
        assert "cat-kaz-co-2" in cat_rubric.bundled_rubrics()
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        assert rubric.symbol == "CAT/C/KAZ/CO/2"
        assert rubric.follow_up.recommendations == (7, 9, 18, 29)
        assert rubric.origin is not None
        assert len(rubric.origin.sha256) == 64
        assert rubric == cat_rubric.load_rubric(BUNDLED)

    def test_lookups(self) -> None:
        """criterion, part and recommendation find items by id and raise KeyError otherwise."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        assert rubric.part("9b").id == "9b"
        assert rubric.recommendation("para-9").paragraph == 9
        assert rubric.criterion("kaz-9-lawyer-from-apprehension").essential
        for lookup in (rubric.criterion, rubric.part, rubric.recommendation):
            with pytest.raises(KeyError):
                lookup("no-such-id")
        with pytest.raises(KeyError):
            rubric.criterion("9b")  # a part's id is not a criterion's


class TestDue:
    """Rubric.due: stated, or adoption plus within_months clamped to the month's end."""

    @pytest.mark.parametrize(
        ("adopted", "months", "due"),
        [
            ("2008-01-31", 1, dt.date(2008, 2, 29)),
            ("2009-01-31", 1, dt.date(2009, 2, 28)),
            ("2008-03-31", 1, dt.date(2008, 4, 30)),
            ("2008-11-18", 12, dt.date(2009, 11, 18)),
            ("2008-12-15", 1, dt.date(2009, 1, 15)),
            ("2013-05-31", 25, dt.date(2015, 6, 30)),
        ],
    )
    def test_due_derived(self, minimal_text: str, adopted: str, months: int, due: dt.date) -> None:
        """Without 'due', the due date is adoption plus the months, clamped to a real day."""
        text = edit(minimal_text, "adopted: 2013-05-31", f"adopted: {adopted}")
        text = edit(text, "within_months: 12", f"within_months: {months}")
        assert cat_rubric.parse_rubric(text).due == due

    @pytest.mark.parametrize(("adopted", "months"), [("2013-05-31", 120000), ("9999-06-30", 12)])
    def test_due_beyond_the_calendar(self, minimal_text: str, adopted: str, months: int) -> None:
        """A due date past year 9999 is refused at load, not left for Rubric.due to crash on."""
        text = edit(minimal_text, "adopted: 2013-05-31", f"adopted: {adopted}")
        text = edit(text, "within_months: 12", f"within_months: {months}")
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_rubric(text)
        paths = {str(p.path) for p in info.value.problems}
        assert paths
        assert paths <= {"adopted", "follow_up.within_months"}

    def test_stated_due_wins(self, minimal_text: str) -> None:
        """A stated due date is used as it is."""
        text = edit(minimal_text, "within_months: 12", "within_months: 12\n  due: 2014-01-02")
        assert cat_rubric.parse_rubric(text).due == dt.date(2014, 1, 2)


class TestSchemaProblems:
    """Keys and values that do not fit the schema, each reported where it is."""

    @pytest.mark.parametrize("parser", PARSERS)
    def test_unknown_key_suggests(self, minimal_text: str, parser: Parser) -> None:
        """An unknown key is reported at the key, with a did-you-mean suggestion."""
        p = only(edit(minimal_text, "      weight: 2\n", "      wieght: 2\n"), parser=parser)
        assert where(p) == (28, 13, f"{CRIT0}.wieght", "unknown-key")
        assert "did you mean 'weight'?" in p.message

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ("state_party: Testland", "state_party: no", (4, 14, "state_party")),
            ("title: Minimal rubric for tests", "title: 1", (2, 8, "title")),
            ("weight: 2", "weight: heavy", (28, 21, f"{CRIT0}.weight")),
            ("evidence: [ngo, npm]", "evidence: ngo", (35, 23, f"{CRIT1}.evidence")),
            ("essential: true", 'essential: "yes"', (27, 24, f"{CRIT0}.essential")),
            ("paragraph: 9", "paragraph: 9.0", (14, 16, "recommendations[0].paragraph")),
        ],
    )
    def test_wrong_type_is_not_coerced(
        self, minimal_text: str, old: str, new: str, expected: tuple[int, int, str]
    ) -> None:
        """A value of the wrong YAML type is reported, never silently converted."""
        assert where(only(edit(minimal_text, old, new))) == (*expected, "wrong-type")

    def test_bool_text_hints_at_quotes(self, minimal_text: str) -> None:
        """`no` where text is wanted says how to write the text."""
        p = only(edit(minimal_text, "state_party: Testland", "state_party: no"))
        assert "put it in quotes" in p.message

    def test_missing_key_at_mapping(self, minimal_text: str) -> None:
        """A missing key is reported at the mapping that lacks it, the path naming the key."""
        line = "            statement: Lawyers are reached in practice within the first hours.\n"
        p = only(edit(minimal_text, line, ""))
        assert where(p) == (32, 13, f"{CRIT1}.statement", "missing-key")
        p = only(edit(minimal_text, "symbol: CAT/C/TST/CO/1\n", ""))
        assert where(p) == (1, 1, "symbol", "missing-key")

    @pytest.mark.parametrize("parser", PARSERS)
    def test_duplicate_key(self, minimal_text: str, parser: Parser) -> None:
        """A duplicate key is reported at the second occurrence, naming the first's line."""
        p = only(edit(minimal_text, "session: 50\n", "session: 50\nsession: 51\n"), parser=parser)
        assert where(p) == (7, 1, "session", "duplicate-key")
        assert "line 6" in p.message

    def test_unknown_enum_value(self, minimal_text: str) -> None:
        """An unknown enum value lists the allowed values and suggests the closest."""
        p = only(edit(minimal_text, "indicator: outcome", "indicator: outcom"))
        assert where(p) == (34, 24, f"{CRIT1}.indicator", "unknown-value")
        assert "structural, process, outcome" in p.message
        assert "did you mean 'outcome'?" in p.message

    @pytest.mark.parametrize("parser", PARSERS)
    @pytest.mark.parametrize("tag", ["!!python/object:os.system", "!foo", "!!binary"])
    def test_unsupported_tag(self, minimal_text: str, parser: Parser, tag: str) -> None:
        """A tag outside the core schema is reported, never constructed."""
        text = edit(minimal_text, "title: Minimal rubric for tests", f"title: {tag} aGk=")
        p = only(text, parser=parser)
        assert where(p) == (2, 8, "title", "unsupported-tag")

    def test_merge_key(self, minimal_text: str) -> None:
        """A merge key (<<: *x) is refused at the key."""
        text = edit(minimal_text, "follow_up:\n", "follow_up: &x\n")
        text = edit(text, "  - id: para-9\n", "  - <<: *x\n    id: para-9\n")
        p = only(text)
        assert where(p) == (13, 5, "recommendations[0]", "merge-key")

    @pytest.mark.parametrize(
        ("old", "new", "expected"),
        [
            ("id: test-minimal", 'id: "has space"', (1, 5, "id", "bad-id")),
            ("id: 9a", "id: -9a", (20, 13, "recommendations[0].parts[0].id", "bad-id")),
            ("title: Minimal rubric for tests", 'title: "   "', (2, 8, "title", "empty-value")),
            ("title: Minimal rubric for tests", "title:", (2, 7, "title", "empty-value")),
        ],
    )
    def test_bad_text_values(
        self, minimal_text: str, old: str, new: str, expected: tuple[int, int, str, str]
    ) -> None:
        """Bad ids, blank text and empty values are reported at the value."""
        assert where(only(edit(minimal_text, old, new))) == expected

    @pytest.mark.parametrize("weight", ["0", "-1", ".nan", ".inf", "-.inf"])
    def test_weight_not_positive(self, minimal_text: str, weight: str) -> None:
        """A weight that is zero, negative, NaN or infinite is refused."""
        p = only(edit(minimal_text, "weight: 2", f"weight: {weight}"))
        assert where(p) == (28, 21, f"{CRIT0}.weight", "not-positive")


class TestDocumentProblems:
    """Checks across the document: ids, references, essential criteria, dates."""

    def test_duplicate_ids(self, minimal_text: str) -> None:
        """A repeated recommendation, paragraph, part or criterion id is a duplicate-id."""
        second = minimal_text[minimal_text.index("  - id: para-9") :]
        found = problems(minimal_text + second)
        assert [where(p) for p in found] == [
            (38, 9, "recommendations[1].id", "duplicate-id"),
            (39, 16, "recommendations[1].paragraph", "duplicate-id"),
            (45, 13, "recommendations[1].parts[0].id", "duplicate-id"),
            (49, 17, "recommendations[1].parts[0].criteria[0].id", "duplicate-id"),
            (57, 17, "recommendations[1].parts[0].criteria[1].id", "duplicate-id"),
        ]
        assert "first at line 13" in found[0].message
        assert "first at line 24" in found[3].message

    def test_duplicate_criterion_id_in_one_part(self, minimal_text: str) -> None:
        """Two criteria with one id in the same part are reported at the second."""
        p = only(edit(minimal_text, "id: lawyer-practice", "id: lawyer"))
        assert where(p) == (32, 17, f"{CRIT1}.id", "duplicate-id")

    def test_unknown_reference(self, minimal_text: str) -> None:
        """follow_up naming a paragraph no recommendation has is reported at that entry."""
        p = only(edit(minimal_text, "recommendations: [9]", "recommendations: [9, 10]"))
        assert where(p) == (10, 24, "follow_up.recommendations[1]", "unknown-reference")
        assert "paragraph 10" in p.message

    def test_empty_follow_up_list(self, minimal_text: str) -> None:
        """An empty follow-up list is an error, not a vacuous pass."""
        p = only(edit(minimal_text, "recommendations: [9]", "recommendations: []"))
        assert where(p) == (10, 20, "follow_up.recommendations", "empty-list")

    def test_part_without_criteria(self, minimal_text: str) -> None:
        """A part with `criteria: []` is an error, not a part that passes vacuously."""
        start = minimal_text.index("        criteria:\n")
        p = only(minimal_text[:start] + "        criteria: []\n")
        assert where(p) == (23, 19, "recommendations[0].parts[0].criteria", "empty-list")

    def test_no_essential_criterion(self, minimal_text: str) -> None:
        """A part with no essential criterion is reported at its criteria."""
        p = only(edit(minimal_text, "essential: true", "essential: false"))
        path = "recommendations[0].parts[0].criteria"
        assert where(p) == (24, 11, path, "no-essential-criterion")

    @pytest.mark.parametrize("parser", PARSERS)
    def test_impossible_calendar_date(self, minimal_text: str, parser: Parser) -> None:
        """30 February is not a date."""
        p = only(edit(minimal_text, "adopted: 2013-05-31", "adopted: 2008-02-30"), parser=parser)
        assert where(p) == (7, 10, "adopted", "invalid-date")

    def test_datetime_is_not_a_date(self, minimal_text: str) -> None:
        """A timestamp with a time of day is refused where a date is wanted."""
        p = only(edit(minimal_text, "adopted: 2013-05-31", "adopted: 2013-05-31 10:00:00"))
        assert where(p) == (7, 10, "adopted", "invalid-date")

    def test_due_before_adoption(self, minimal_text: str) -> None:
        """A follow-up due before adoption is an impossible date."""
        p = only(edit(minimal_text, "within_months: 12", "within_months: 12\n  due: 2013-01-01"))
        assert where(p) == (12, 8, "follow_up.due", "impossible-date")

    def test_follow_up_paragraph_below_one(self, minimal_text: str) -> None:
        """The follow-up's own paragraph number starts at 1, as a recommendation's does."""
        p = only(edit(minimal_text, "paragraph: 30", "paragraph: -3"))
        assert where(p) == (9, 14, "follow_up.paragraph", "not-positive")

    def test_all_problems_at_once_sorted(self, minimal_text: str) -> None:
        """Several problems are reported together, sorted by line."""
        text = edit(minimal_text, "indicator: outcome", "indicator: x")
        text = edit(text, "weight: 2", "weight: 0")
        text = edit(text, "title: Minimal rubric for tests", "title: 1")
        text = edit(text, "session: 50", "session: 0")
        found = problems(text)
        assert [(p.line, p.code) for p in found] == [
            (2, "wrong-type"),
            (6, "not-positive"),
            (28, "not-positive"),
            (34, "unknown-value"),
        ]


class TestFileProblems:
    """Bytes, sizes, depth, aliases, syntax and files."""

    @pytest.mark.parametrize("parser", PARSERS)
    def test_not_utf8(self, minimal_text: str, parser: Parser) -> None:
        """A byte that is not UTF-8 is reported at its line and (character) column."""
        text = edit(minimal_text, "state_party: Testland", "state_party: Қаз\udcfftestland")
        p = only(text.encode("utf-8", "surrogateescape"), parser=parser)
        assert where(p) == (4, 17, "", "not-utf8")
        assert "0xff" in p.message

    def test_not_utf8_after_bom(self) -> None:
        """After a byte-order mark, a bad byte's column is counted like any other problem's."""
        assert (1, 5, "id", "bad-id") in map(where, problems(b"\xef\xbb\xbfid: has space\n"))
        assert where(only(b"\xef\xbb\xbfid: \xff\n")) == (1, 5, "", "not-utf8")

    @pytest.mark.parametrize("parser", PARSERS)
    def test_bad_character_after_kazakh_text(self, parser: Parser) -> None:
        """A control character is located by characters, after Kazakh text too."""
        p = only("id: x\ntitle: Қазақстан Республикасы \x01\n", parser=parser)
        assert where(p) == (2, 31, "", "bad-character")

    @given(
        st.sampled_from(PARSERS),
        st.data(),
        st.sampled_from(
            [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0x85)]]
            + [chr(c) for c in range(0x86, 0xA0)]
            + ["\ufffe", "\uffff"]
        ),
    )
    def test_bad_character_anywhere_is_found(
        self, parser: Parser, data: st.DataObject, bad: str
    ) -> None:
        """One disallowed character anywhere in a valid file is reported exactly there.

        The search runs only once the parser has failed, so this also states that both
        parsers refuse every such character, wherever it is.
        """
        text = BUNDLED.read_text(encoding="utf-8")
        at = data.draw(st.integers(0, len(text)), label="at")
        p = only(text[:at] + bad + text[at:], parser=parser)
        before = text[:at]
        line = before.count("\n") + 1
        column = at - (before.rfind("\n") + 1) + 1
        assert where(p) == (line, column, "", "bad-character")

    def test_bad_character_is_named(self) -> None:
        """The message shows which character is not allowed, unmistakably."""
        p = only("id: a\x01b\n")
        assert any(s in p.message for s in ("\\x01", "U+0001", "0x01")), p.message

    def test_file_too_large(self, minimal_text: str, tmp_path: Path) -> None:
        """Text or a file over Limits.max_bytes is refused with file-too-large."""
        limits = Limits(max_bytes=100)
        with pytest.raises(LimitError) as info:
            cat_rubric.parse_rubric(minimal_text, limits=limits)
        assert [p.code for p in info.value.problems] == ["file-too-large"]
        path = tmp_path / "big.yaml"
        path.write_text(minimal_text, encoding="utf-8")
        with pytest.raises(LimitError) as info:
            cat_rubric.load_rubric(path, limits=limits)
        assert [where(p) for p in info.value.problems] == [(1, 1, "", "file-too-large")]
        assert cat_rubric.load_rubric(path, limits=Limits(max_bytes=len(minimal_text)))

    @pytest.mark.parametrize("parser", PARSERS)
    def test_alias_bomb(self, parser: Parser) -> None:
        """A billion-laughs document stops at the alias budget, quickly."""
        start = time.perf_counter()
        with pytest.raises(LimitError) as info:
            cat_rubric.parse_rubric(alias_bomb(1000), parser=parser)
        assert time.perf_counter() - start < 1.0
        assert [p.code for p in info.value.problems] == ["alias-expansion"]

    def test_small_alias_use_is_counted_not_refused(self) -> None:
        """Aliases under the budget are walked (and their problems reported), not refused."""
        found = problems(alias_bomb(2))
        assert "alias-expansion" not in {p.code for p in found}
        assert "duplicate-id" in {p.code for p in found}
        with pytest.raises(LimitError):
            cat_rubric.parse_rubric(alias_bomb(2), limits=Limits(max_alias_nodes=5))

    @pytest.mark.parametrize("parser", PARSERS)
    @pytest.mark.parametrize("depth", [100, 5000])
    def test_too_deep(self, parser: Parser, depth: int) -> None:
        """Nesting deeper than Limits.max_depth (64) is refused as too-deep, by both parsers."""
        with pytest.raises(LimitError) as info:
            cat_rubric.parse_rubric("[" * depth + "]" * depth, parser=parser)
        assert [p.code for p in info.value.problems] == ["too-deep"]
        assert info.value.problems[0].line == 1

    @pytest.mark.parametrize("parser", PARSERS)
    def test_max_depth_limit_applies(self, minimal_text: str, parser: Parser) -> None:
        """A lowered max_depth refuses a rubric nested deeper than it."""
        with pytest.raises(LimitError) as info:
            cat_rubric.parse_rubric(minimal_text, limits=Limits(max_depth=4), parser=parser)
        assert [p.code for p in info.value.problems] == ["too-deep"]

    @pytest.mark.parametrize("parser", PARSERS)
    @pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", b""])
    def test_empty_file(self, parser: Parser, text: str | bytes) -> None:
        """A file with no document is empty-file at 1:1."""
        assert where(only(text, parser=parser)) == (1, 1, "", "empty-file")

    @pytest.mark.parametrize("parser", PARSERS)
    def test_yaml_syntax(self, minimal_text: str, parser: Parser) -> None:
        """A YAML syntax error is reported with the line it is on."""
        text = edit(minimal_text, "title: Minimal rubric for tests", "title: [unclosed")
        p = only(text, parser=parser)
        assert (p.line, p.code) == (3, "yaml-syntax")
        assert p.message.startswith("YAML syntax error")

    def test_list_is_not_a_rubric(self) -> None:
        """A document holding a list is wrong-type at 1:1."""
        assert where(only("- a\n- b\n")) == (1, 1, "", "wrong-type")

    def test_missing_file(self, tmp_path: Path) -> None:
        """A missing file is a LoadError with code file-not-found."""
        path = tmp_path / "missing.yaml"
        with pytest.raises(LoadError) as info:
            cat_rubric.load_rubric(path)
        assert [where(p) for p in info.value.problems] == [(1, 1, "", "file-not-found")]
        assert info.value.problems[0].file == str(path)

    def test_a_dash_for_standard_input_is_answered(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``-`` is a file name like any other; when there is none, the error names /dev/stdin."""
        monkeypatch.chdir(tmp_path)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        with pytest.raises(LoadError) as info:
            cat_rubric.load_evidence("-", rubric=rubric)
        (p,) = info.value.problems
        assert (p.file, p.code) == ("-", "file-not-found")
        assert p.message.endswith("standard input is read as /dev/stdin")
        with pytest.raises(LoadError) as info:
            cat_rubric.load_evidence("missing.yaml", rubric=rubric)
        assert "stdin" not in info.value.problems[0].message

    def test_unknown_bundled_id(self) -> None:
        """An id that is neither a file nor bundled raises NotFoundError, a LookupError."""
        with pytest.raises(NotFoundError, match="cat-kaz-co-2"):
            cat_rubric.load_rubric("no-such-id")
        with pytest.raises(LookupError):
            cat_rubric.load_rubric("no-such-id")


class TestErrorTypes:
    """The exception hierarchy and how problems render."""

    def test_load_error_hierarchy(self) -> None:
        """LoadError is a ValueError and a CatRubricError; LimitError is a LoadError."""
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_rubric("- a\n")
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, cat_rubric.CatRubricError)
        assert issubclass(LimitError, LoadError)
        assert issubclass(NotFoundError, cat_rubric.CatRubricError)

    def test_problem_str(self, minimal_text: str) -> None:
        """str(Problem) is file:line:col: path: message [code], and LoadError lists them all."""
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_rubric(edit(minimal_text, "weight: 2", "weight: 0"), file="r.yaml")
        p = info.value.problems[0]
        assert str(p) == f"r.yaml:28:21: {CRIT0}.weight: {p.message} [not-positive]"
        assert str(info.value) == f"1 problem found:\n  {p}"
        bare = Problem(file="f", line=1, column=1, path=(), code="empty-file", message="m")
        assert str(bare) == "f:1:1: m [empty-file]"


class TestReferencesDespiteOtherProblems:
    def test_unknown_paragraph_reported_when_a_recommendation_is_broken(
        self, minimal_text: str
    ) -> None:
        """A dangling follow-up paragraph is still reported when a recommendation has its own
        problems, and the broken recommendation's paragraph is not mistaken for unknown."""
        text = minimal_text.replace("recommendations: [9]", "recommendations: [9, 12]")
        text = text.replace("weight: 2", "weight: heavy")
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_rubric(text)
        codes = [(str(p.path), p.code) for p in info.value.problems]
        assert ("follow_up.recommendations[1]", "unknown-reference") in codes
        assert ("follow_up.recommendations[0]", "unknown-reference") not in codes
        assert ("recommendations[0].parts[0].criteria[0].weight", "wrong-type") in codes


class TestWrongKind:
    """A file of another kind where a rubric, evidence or scale goes: one problem, which says so."""

    ROOT = Path(__file__).parents[1]
    FILES: ClassVar[dict[str, Path]] = {
        "rubric": ROOT / "rubrics" / "cat-kaz-co-2.yaml",
        "evidence": ROOT / "examples" / "kaz-2010-state-reply.yaml",
        "scale": ROOT / "src" / "cat_rubric" / "scales" / "cat-2015.yaml",
    }
    LOADERS: ClassVar[dict[str, Callable[[Path], object]]] = {
        "rubric": cat_rubric.load_rubric,
        "evidence": lambda p: cat_rubric.load_evidence(
            p, rubric=cat_rubric.load_rubric("cat-kaz-co-2")
        ),
        "scale": cat_rubric.load_scale,
    }

    @pytest.mark.parametrize(
        ("given", "read_as"),
        [
            (g, r)
            for g in ("rubric", "evidence", "scale")
            for r in ("rubric", "evidence", "scale")
            if g != r
        ],
    )
    def test_one_problem_names_both_kinds(self, given: str, read_as: str) -> None:
        with pytest.raises(LoadError) as info:
            self.LOADERS[read_as](self.FILES[given])
        [p] = info.value.problems
        assert p.code == "wrong-kind"
        words = {"rubric": "a rubric", "evidence": "an evidence file", "scale": "a grading scale"}
        assert p.message.startswith(f"this is {words[given]} (its keys ")
        assert f"not {words[read_as]};" in p.message

    def test_a_broken_file_of_the_right_kind_lists_its_own_problems(self) -> None:
        """A rubric with one of its own keys left is read as a rubric, every problem listed."""
        text = self.FILES["evidence"].read_text(encoding="utf-8") + "symbol: CAT/C/X/CO/1\n"
        codes = {p.code for p in problems(text)}
        assert "wrong-kind" not in codes
        assert "unknown-key" in codes
