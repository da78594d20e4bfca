"""Notebook display: compact repr, HTML and Markdown summaries that keep every string inert."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import Assessment, Rubric, assess, load_evidence, load_rubric
from cat_rubric._display import TITLE_WIDTH
from cat_rubric._palette import GRADE_COLOURS, UNGRADED, grade_colours
from cat_rubric._text import one_line
from cat_rubric.result import PartResult, RecommendationResult
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import EXAMPLES
from tests.test_hostile import HOSTILE, _hostile_evidence, _hostile_rubric, _markdown_escaped

STATE = EXAMPLES / "kaz-2010-state-reply.yaml"
NGO = EXAMPLES / "kaz-2010-ngo-report.yaml"
#: The only tags a display writes, and the attributes each may carry.
ALLOWED = {
    "div": {"class"},
    "p": set(),
    "br": set(),
    "strong": set(),
    "em": set(),
    "span": {"style"},
    "table": set(),
    "thead": set(),
    "tbody": set(),
    "tr": set(),
    "th": set(),
    "td": {"style"},
}
STYLE = re.compile(r"background-color:#[0-9a-f]{6};color:#[0-9a-f]{6}(;padding:0 0\.3em)?")
CLASS = re.compile(r"cat-rubric-(assessment|recommendation|part|rubric)")


class Page(HTMLParser):
    """Every tag with its attributes, and the text, of an HTML fragment."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.cells: list[tuple[str, str]] = []  # (style, text) of each coloured cell or badge
        self._open: list[tuple[str, str]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        style = dict(attrs).get("style")
        if style is not None:
            self._open.append((tag, style))
            self.cells.append((style, ""))

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._open:
            style, text = self.cells[-1]
            self.cells[-1] = (style, text + data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


def assert_markup_is_ours(html: str) -> Page:
    """Only the expected tags and attributes occur; the result, parsed."""
    page = Page(html)
    assert page.tags, "no markup at all"
    for tag, attrs in page.tags:
        assert tag in ALLOWED, tag
        for name, value in attrs:
            assert name in ALLOWED[tag], (tag, name)
            assert value is not None
            if name == "style":
                assert STYLE.fullmatch(value), value
            if name == "class":
                assert CLASS.fullmatch(value), value
    return page


def _displays(rubric: Rubric, result: Assessment) -> list[object]:
    return [rubric, result, *result.recommendations, *result.parts]


@pytest.fixture(name="rubric", scope="module")
def _rubric() -> Rubric:
    return load_rubric("cat-kaz-co-2")


def _fresh(rubric: Rubric) -> Assessment:
    """An assessment whose explanations have not been read yet."""
    files = [load_evidence(path, rubric=rubric) for path in (STATE, NGO)]
    return assess(rubric, files)


@pytest.fixture(name="result", scope="module")
def _result(rubric: Rubric) -> Assessment:
    return _fresh(rubric)


class TestRepr:
    def test_repr_builds_no_explanation(self, rubric: Rubric) -> None:
        """repr of the assessment, its recommendations and parts reads decided fields only."""
        result = _fresh(rubric)
        assert "_explain" in result.__dict__
        texts = [repr(result), *map(repr, result.recommendations), *map(repr, result.parts)]
        assert all(texts)
        assert "_explain" in result.__dict__
        for part in result.parts:
            assert "_explain" in part.__dict__, part.id
            assert "_explain" in part.score.__dict__, part.id

    def test_repr_is_compact_and_says_the_grades(self, result: Assessment) -> None:
        """One line each, naming the rubric, the grades, the override and the engine's grade."""
        text = repr(result)
        assert "\n" not in text
        assert len(text) < 200
        assert text.startswith("<Assessment 'cat-kaz-co-2' 'CAT/C/KAZ/CO/2'")
        assert "grades={'A': 1, 'B': 5, 'C': 6, 'E': 1}" in text
        assert "parts=13" in text
        rec = repr(result.recommendation(9))
        assert rec == (
            "<RecommendationResult 'para-9' paragraph=9 grade='C' "
            "parts={'9a': 'B', '9b': 'B', '9c': 'C', '9d': 'C'}>"
        )
        overridden = repr(result.part("29d"))
        assert "grade='C' engine_grade='B'" in overridden
        assert "engine_grade" not in repr(result.part("9b"))
        assert all(len(repr(p)) < 120 for p in result.parts)

    def test_repr_is_the_same_built_or_deferred(self, rubric: Rubric) -> None:
        """A result read back from JSON (every field built) has the same repr."""
        result = _fresh(rubric)
        before = repr(result)
        again = Assessment.from_json(result.to_json())
        assert repr(again) == before
        assert [repr(p) for p in again.parts] == [repr(p) for p in result.parts]

    def test_a_pending_part_says_so(self, rubric: Rubric) -> None:
        """Before the due date with no reply, a part's repr shows its status, not a grade."""
        files = [load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=rubric)]
        result = assess(rubric, files, as_of=dt.date(2009, 6, 1))
        assert "status='pending'" in repr(result.parts[0])
        assert "grades={}" in repr(result)

    @pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
    def test_hostile_repr_is_one_inert_bounded_line(self, text: str) -> None:
        """Hostile text in the rubric leaves repr on one line, escaped, bounded in length."""
        rubric = _hostile_rubric(text)
        result = assess(rubric, _hostile_evidence(rubric, text))
        for shown in (repr(result), *map(repr, result.recommendations), *map(repr, result.parts)):
            assert shown.isprintable(), shown
            assert len(shown) < 400


class TestHtml:
    def test_every_grade_is_coloured_and_written(self, result: Assessment) -> None:
        """Each part's letter appears as text in a cell coloured for that letter."""
        page = assert_markup_is_ours(result._repr_html_())
        shown = [(style, text) for style, text in page.cells]
        letters = [p.grade for p in result.parts]
        recs = [r.grade for r in result.recommendations]
        assert sorted(t for _, t in shown) == sorted(str(g) for g in [*letters, *recs])
        for style, letter in shown:
            bg, fg = grade_colours(letter)
            assert style.startswith(f"background-color:{bg};color:{fg}")
            assert (bg, fg) == GRADE_COLOURS[letter[0]]
        assert "29d C (override; engine B)" in page.all_text
        assert "13 parts: 1 A, 5 B, 6 C, 1 E; 3 disputed criteria; 1 override" in page.all_text
        assert "illustrative" in page.all_text

    def test_each_display_is_a_summary(self, rubric: Rubric, result: Assessment) -> None:
        """Every display is well-formed, in our tags only, and short: no wall of text."""
        for thing in _displays(rubric, result):
            html = thing._repr_html_()  # type: ignore[attr-defined]
            page = assert_markup_is_ours(html)
            assert len(page.all_text) < 3000, type(thing)
            assert html == thing._repr_html_()  # type: ignore[attr-defined]

    def test_a_part_shows_its_criteria_and_what_would_lift_it(self, result: Assessment) -> None:
        """9b: grade, rule, score, every criterion, the dispute and the way to an A."""
        part = result.part("9b")
        page = assert_markup_is_ours(part._repr_html_())
        text = page.all_text
        for crit in part.criteria:
            assert crit.id in text
        assert "DISPUTED" in text
        assert "substantive-steps" in text
        assert "0.71" in text
        assert "to reach A: kaz-9-lawyer-from-apprehension → implemented" in text
        assert "1 conflict; 2 requests for information" in text

    def test_a_pending_assessment_is_uncoloured(self, rubric: Rubric) -> None:
        """Ungraded parts show their status, on the ungraded colours."""
        files = [load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=rubric)]
        result = assess(rubric, files, as_of=dt.date(2009, 6, 1))
        page = assert_markup_is_ours(result._repr_html_())
        assert {style.split(";padding")[0] for style, _ in page.cells} == {
            f"background-color:{UNGRADED[0]};color:{UNGRADED[1]}"
        }
        assert "pending" in page.all_text
        assert "13 parts: none graded" in page.all_text

    @pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
    def test_hostile_text_stays_text(self, text: str) -> None:
        """Hostile strings never become markup: only our tags, and the text shown as text."""
        rubric = _hostile_rubric(text)
        result = assess(rubric, _hostile_evidence(rubric, text))
        shown = one_line(text, TITLE_WIDTH)
        for thing in _displays(rubric, result):
            html = thing._repr_html_()  # type: ignore[attr-defined]
            page = assert_markup_is_ours(html)
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", html)
            if not isinstance(thing, PartResult | RecommendationResult) or thing.title == text:
                assert shown in page.all_text, type(thing)

    @given(
        data=st.data(),
        rubric=rubrics(max_recommendations=2, max_parts=2, max_criteria=2),
    )
    def test_any_text_stays_text(self, data: st.DataObject, rubric: Rubric) -> None:
        """For generated rubrics and evidence, every display uses only our markup."""
        evidence = data.draw(evidence_files(rubric, max_items=4))
        result = assess(rubric, evidence)
        for thing in _displays(rubric, result):
            page = assert_markup_is_ours(thing._repr_html_())  # type: ignore[attr-defined]
            assert one_line(rubric.recommendations[0].title, TITLE_WIDTH) in page.all_text or (
                thing is not rubric and thing is not result
            )


class TestMarkdown:
    def test_grades_are_written(self, result: Assessment) -> None:
        """The Markdown summary has a row per recommendation with every part's letter."""
        text = result._repr_markdown_()
        assert "| 9 | Insufficient safeguards" in text
        assert "9a **B**, 9b **B**, 9c **C**, 9d **C**" in text
        assert "29d **C** (override; engine B)" in text
        part = result.part("9b")._repr_markdown_()
        assert "| kaz-9-lawyer-from-apprehension | yes | 2 | partially\\_implemented |" in part

    @pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
    def test_hostile_text_is_escaped(self, text: str) -> None:
        """Markdown displays escape HTML, emphasis, links and pipes, and keep tables whole."""
        rubric = _hostile_rubric(text)
        result = assess(rubric, _hostile_evidence(rubric, text))
        for thing in _displays(rubric, result):
            _markdown_escaped(thing._repr_markdown_())  # type: ignore[attr-defined]
