"""The report to send: the HTML page and the Markdown file carry every grade, dispute,
request and passage in full, the same bytes for the same inputs, and no hostile string
becomes markup."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
import shlex
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cat_rubric import (
    Assessment,
    AssessmentError,
    Finding,
    Rubric,
    assess,
    load_evidence,
    load_scale,
    render,
)
from cat_rubric._compare import compare
from cat_rubric._comparison import Comparison
from cat_rubric._model import Origin
from cat_rubric._palette import grade_colours
from cat_rubric._report import TEMPLATES, build_view, chart_svg, report_html, report_markdown
from cat_rubric._text import markdown, one_line
from cat_rubric.testing import evidence_files, rubrics, texts
from tests.conftest import EXAMPLES, NGO, ROOT, STATE, Run
from tests.test_hostile import (
    HOSTILE,
    SCALE_HOSTILE,
    _hostile_evidence,
    _hostile_rubric,
    _hostile_scale,
    _inert,
    _markdown_escaped,
    _scale_evidence,
)

SPACE = re.compile(r"\s+")
#: Elements that do not break the text around them.
INLINE = frozenset({"a", "span", "strong", "code", "cite", "wbr"})


# -- reading the HTML back as a browser's parser does ---------------------------------


class Page(HTMLParser):
    """The page's tags and attributes, its visible text, its table rows and headings."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.rows: list[list[str]] = []
        self.headings: list[tuple[str, str]] = []
        self.styles: list[str] = []
        self._stack: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._heading: list[str] | None = None
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in INLINE:
            for sink in (self.chunks, self._cell, self._heading):
                if sink is not None:
                    sink.append(" ")
        if tag in {"meta", "br", "wbr", "line", "rect"}:
            return  # void (or self-closed) elements have no end tag
        self._stack.append(tag)
        if tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = []
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.chunks.append(" ")
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag in {"td", "th"} and self._cell is not None and self._row is not None:
            self._row.append(_flat("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append((tag, _flat("".join(self._heading))))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "style":
            self.styles.append(data)
            return
        self.chunks.append(data)
        for sink in (self._cell, self._heading):
            if sink is not None:
                sink.append(data)

    @property
    def text(self) -> str:
        return _flat("".join(self.chunks))


def _flat(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _shown(text: str) -> str:
    """*text* as the HTML page shows it, whitespace collapsed: inert, on one line."""
    return one_line(text)


def _assert_complete(result: Assessment, page: str, md: str) -> None:
    """Every grade, disputed criterion, request and passage appears in full in both."""
    html = Page(page)
    text = html.text
    headings = [h for tag, h in html.headings if tag == "h3" and h.startswith("Part ")]
    md_headings = [line for line in md.splitlines() if line.startswith("### Part ")]
    assert len(headings) == len(md_headings) == len(result.parts)
    for part, heading, md_heading in zip(result.parts, headings, md_headings, strict=True):
        grade = part.grade or f"not graded ({part.status.value})"
        assert heading.startswith(f"Part {_shown(part.id)}")
        assert heading.endswith(f"— {_shown(grade)}")
        assert md_heading.startswith(f"### Part {markdown(part.id)}")
        assert md_heading.endswith(f"— {markdown(grade)}")
        for line in part.missing:
            assert _shown(line) in text
            assert f"- {markdown(line)}\n" in md
        assert _shown(part.reason) in text
        assert markdown(part.reason) in md
    disputed = {c.id for p in result.parts for c in p.criteria if c.disputed}
    # A criteria row's first cell is the id, then the statement; a conflict's, the id.
    marked = {row[0].split(" ")[0] for row in html.rows if "DISPUTED" in row}
    assert marked == {_shown(c) for c in disputed}
    md_marked = {line.split(" | ")[0][2:] for line in md.splitlines() if "| **DISPUTED** |" in line}
    assert md_marked == {markdown(c) for c in disputed}
    for use in result.items:
        assert _shown(use.passage) in text
        assert _shown(use.citation) in text
        assert f"> {markdown(use.passage)}\n" in md
        assert markdown(use.citation) in md
    for f in (result.record.rubric, *result.record.evidence, result.record.scale_file):
        assert f.sha256 in text
        assert f.sha256 in md


@pytest.fixture(name="pages", scope="module")
def _pages(example: Assessment, kaz: Rubric) -> tuple[str, str]:
    return render.html(example, kaz), render.markdown(example, kaz)


class TestContent:
    def test_the_example_in_full(self, example: Assessment, pages: tuple[str, str]) -> None:
        """Every grade, dispute, request, passage and hash of the example appears in both."""
        page, md = pages
        _assert_complete(example, page, md)
        assert sum(1 for p in example.parts for c in p.criteria if c.disputed) == 3

    def test_the_rubric_wording(self, kaz: Rubric, pages: tuple[str, str]) -> None:
        """The concern, the recommendation and each part's text, as the rubric records them."""
        page, md = pages
        text = Page(page).text
        for rec in kaz.recommendations:
            for words in (rec.concern, rec.recommendation, rec.title):
                assert _shown(words) in text
                assert markdown(words) in md
            for part in rec.parts:
                assert part.text is not None
                assert _shown(part.text) in text
                assert f"> {markdown(part.text)}\n" in md
                for crit in part.criteria:
                    assert _shown(crit.statement) in text
                    assert markdown(crit.statement) in md

    def test_header(self, example: Assessment, pages: tuple[str, str]) -> None:
        """The header: symbol, State, cycle, as-of, reply, reminders, scale and policy."""
        page, md = pages
        text = Page(page).text
        for label, value in (
            ("Document", "CAT/C/KAZ/CO/2"),
            ("State party", "Kazakhstan"),
            ("Cycle", "2009–2010 follow-up"),
            ("As of", "2010-06-30"),
            ("Reply", "received 2010-02-15"),
            ("Reminders", "none"),
            ("Scale", "cat-2015 v1"),
            ("Conflict policy", "conservative"),
        ):
            assert f"{label} {value}" in text
            assert f"\n- {label}: {value}" in md
        assert "CAT/C/KAZ/CO/2 — Kazakhstan — 2009–2010 follow-up" in Page(page).headings[0][1]
        assert md.startswith("# Follow-up assessment: CAT/C/KAZ/CO/2 — Kazakhstan — 2009–2010")

    def test_the_override_who_when_why(self, example: Assessment, pages: tuple[str, str]) -> None:
        """Part 29d's override: by whom, on what date, why, applied, the engine's grade."""
        page, md = pages
        (override,) = example.overrides
        text = Page(page).text
        for shown, md_shown in (
            (_shown(override.by), markdown(override.by)),
            (str(override.date), str(override.date)),
            (_shown(override.reason), markdown(override.reason)),
        ):
            assert shown in text
            assert md_shown in md
        assert "29d: C (override; engine B)" in text
        assert "29d: **C** (override; engine B)" in md
        assert "applied" in text

    def test_the_conflicts_side_by_side(self, example: Assessment, pages: tuple[str, str]) -> None:
        """Each conflict is one row: the State's items, then the independent sources'."""
        rows = Page(pages[0]).rows
        for part in example.parts:
            for c in part.conflicts:
                row = next(r for r in rows if r[0] == c.criterion and len(r) == 5)
                assert row[1] == "; ".join(c.state)
                assert row[2] == "; ".join(c.independent)
                assert row[3] == c.counted.value

    def test_what_would_lift_the_grade(self, example: Assessment, pages: tuple[str, str]) -> None:
        page, md = pages
        part = example.part("9b")
        assert part.what_if is not None
        expected = f"To reach {part.what_if.grade}: {'; '.join(part.what_if.changes)}"
        assert expected in Page(page).text
        assert markdown(expected) in md

    def test_illustrative_banner(self, kaz: Rubric, pages: tuple[str, str]) -> None:
        """A banner when any evidence is illustrative, and none when none is."""
        page, md = pages
        assert "Illustrative material" in Page(page).text
        assert "**Illustrative material:**" in md
        reply = load_evidence(STATE, rubric=kaz)
        real = attrs.evolve(
            reply, items=tuple(attrs.evolve(i, illustrative=False) for i in reply.items)
        )
        result = assess(kaz, real)
        assert "Illustrative material" not in report_html(result, kaz)
        assert "Illustrative material" not in report_markdown(result, kaz)

    def test_no_reply_and_pending(self, kaz: Rubric) -> None:
        """D for every part after a reminder; before the due date, no grade at all."""
        files = load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=kaz)
        for as_of in (None, dt.date(2009, 6, 1)):
            result = assess(kaz, files, as_of=as_of)
            _assert_complete(result, report_html(result, kaz), report_markdown(result, kaz))
        assert "not graded (pending)" in report_markdown(result, kaz)

    def test_a_lapsed_override(self, kaz: Rubric) -> None:
        """An override that lapsed before the as-of date is shown, as not applied."""
        ngo = load_evidence(NGO, rubric=kaz)
        (override,) = ngo.overrides
        lapsed = attrs.evolve(override, date=dt.date(2010, 1, 1), until=dt.date(2010, 3, 1))
        result = assess(
            kaz, [load_evidence(STATE, rubric=kaz), attrs.evolve(ngo, overrides=(lapsed,))]
        )
        page, md = report_html(result, kaz), report_markdown(result, kaz)
        assert "1 override not applied" in Page(page).text
        assert "until 2010-03-01; **not applied**" in md
        assert "29d: C (override" not in Page(page).text
        _assert_complete(result, page, md)

    def test_provenance(self, example: Assessment, pages: tuple[str, str]) -> None:
        page, md = pages
        record = example.record
        text = Page(page).text
        for fact in (record.policy, *record.settings, record.version, record.format):
            assert fact in text
            assert markdown(fact) in md
        assert "same sha256" in text


class TestAccessible:
    def test_language_headings_and_table_headers(self, pages: tuple[str, str]) -> None:
        """A lang attribute, headings that never skip a level, every <th> with a scope."""
        html = Page(pages[0])
        assert html.tags[0] == ("html", {"lang": "en"})
        levels = [int(tag[1]) for tag, _ in html.headings]
        assert levels[0] == 1
        assert levels.count(1) == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1
        headers = [a for t, a in html.tags if t == "th"]
        assert headers
        assert all(a.get("scope") in {"col", "row"} for a in headers)
        svg = next(a for t, a in html.tags if t == "svg")
        assert svg["role"] == "img"
        assert svg["aria-labelledby"] == "chart-title chart-desc"

    def test_markdown_headings_in_order(self, pages: tuple[str, str]) -> None:
        levels = [len(m) for m in re.findall(r"^(#+) ", pages[1], re.MULTILINE)]
        assert levels[0] == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1


class TestScaleWording:
    def test_unverified_is_never_quoted(self, pages: tuple[str, str]) -> None:
        """cat-2015's wording is unverified: said so, and never put in quotation marks."""
        page, md = pages
        cat = load_scale("cat-2015")
        text = Page(page).text
        assert not any(g.verified for g in cat.grades)
        for g in cat.grades:
            assert _shown(g.definition) in text
            assert f"“{_shown(g.definition)}”" not in text
            assert f"“{markdown(g.definition)}”" not in md
        assert "unverified wording" in text
        assert "not the UN’s words" in md

    def test_verified_wording_is_quoted_with_its_source(self, kaz: Rubric) -> None:
        """ccpr-2016's wording is verified: quoted, with the document it is from."""
        files = [load_evidence(name, rubric=kaz) for name in (STATE, NGO)]
        scale = load_scale("ccpr-2016")
        result = assess(kaz, _scale_evidence(scale)[:1] + files[1:2], scale=scale)
        page, md = report_html(result, kaz), report_markdown(result, kaz)
        used = {p.grade for p in result.parts}
        for g in scale.grades:
            if g.letter in used:
                assert g.verified
                assert f"“{_shown(g.definition)}”" in Page(page).text
                assert f"“{markdown(g.definition)}” (wording of {markdown(scale.source)})" in md

    def test_a_scale_file_that_is_gone_or_changed(self, kaz: Rubric, tmp_path: Path) -> None:
        """A scale file is read again for its wording only while its sha256 is the record's."""
        path = tmp_path / "my-scale.yaml"
        source = ROOT / "src" / "cat_rubric" / "scales" / "ccpr-2016.yaml"
        path.write_bytes(source.read_bytes())
        scale = load_scale(path)
        result = assess(kaz, load_evidence(STATE, rubric=kaz), scale=scale)
        assert build_view(result, kaz).scale.available
        path.write_bytes(source.read_bytes() + b"\n# edited\n")
        view = build_view(result, kaz)
        assert not view.scale.available
        assert "no longer the scale" in view.scale.note
        path.unlink()
        view = build_view(result, kaz)
        assert not view.scale.available
        assert "could not be read" in view.scale.note
        md = report_markdown(result, kaz)
        assert "(the scale’s wording for this letter is not available)" in md
        _assert_complete(result, report_html(result, kaz), md)
        # Given with the assessment, the scale's wording is shown again.
        assert build_view(result, kaz, scale).scale.available

    def test_a_scale_built_in_memory(self, kaz: Rubric) -> None:
        scale = attrs.evolve(load_scale("cat-2015"), title="my own", origin=None)
        result = assess(kaz, load_evidence(STATE, rubric=kaz), scale=scale)
        assert "built in memory" in build_view(result, kaz).scale.note
        assert build_view(result, kaz, scale).scale.title == "my own"

    def test_another_scale_is_refused(self, example: Assessment, kaz: Rubric) -> None:
        with pytest.raises(AssessmentError, match="graded on scale 'cat-2015' v1"):
            report_html(example, kaz, scale=load_scale("ccpr-2016"))


class TestRubric:
    def test_the_wrong_rubric_is_refused(self, example: Assessment, kaz: Rubric) -> None:
        """render refuses a rubric other than the assessment's, for both formats."""
        other = attrs.evolve(kaz, id="another-rubric")
        for renderer in (render.html, render.markdown):
            with pytest.raises(AssessmentError, match="pass the rubric it was made from"):
                renderer(example, other)

    def test_a_rubric_of_the_same_id_with_other_parts(
        self, example: Assessment, kaz: Rubric
    ) -> None:
        """Wording the rubric given lacks is left out; the grades are all still there."""
        first = kaz.recommendations[0]
        trimmed = attrs.evolve(
            kaz,
            recommendations=(
                attrs.evolve(first, id="renamed", parts=first.parts[:1]),
                *kaz.recommendations[1:],
            ),
            origin=None,
        )
        page, md = render.html(example, trimmed), render.markdown(example, trimmed)
        _assert_complete(example, page, md)
        assert "may differ from the one assessed" in md
        assert markdown(first.concern) not in md
        assert first.parts[1].text is not None
        assert markdown(first.parts[1].text) not in md

    def test_a_changed_rubric_is_noted(self, example: Assessment, kaz: Rubric) -> None:
        """The same id and symbol, other wording: the report says the wording may differ."""
        changed = attrs.evolve(kaz, title="A changed title", origin=None)
        md = render.markdown(example, changed)
        assert "may differ from the one assessed" in md
        assert "A changed title" in md


class TestGenerated:
    @settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def test_generated_assessments_in_full(self, data: st.DataObject) -> None:
        """For generated rubrics and evidence, both formats carry everything in full."""
        rubric = data.draw(rubrics(max_recommendations=2, max_parts=2, max_criteria=3))
        files = [
            data.draw(evidence_files(rubric, max_items=5, item_prefix=prefix, as_of=as_of))
            for prefix, as_of in (("s", dt.date(2041, 1, 1)), ("n", dt.date(2041, 1, 1)))
        ][: data.draw(st.integers(1, 2))]
        files = [attrs.evolve(f, reply=files[0].reply, reminders=files[0].reminders) for f in files]
        result = assess(rubric, files)
        page, md = report_html(result, rubric), report_markdown(result, rubric)
        _assert_complete(result, page, md)
        _inert(page)
        _inert(md)
        _no_markup(page)

    @settings(max_examples=15)
    @given(text=texts(max_size=200))
    def test_any_text_is_shown_as_text(self, text: str) -> None:
        """Any text in every field of the rubric and evidence shows in the page as text."""
        rubric = _hostile_rubric(text)
        result = assess(rubric, _hostile_evidence(rubric, text))
        page, md = report_html(result, rubric), report_markdown(result, rubric)
        _no_markup(page)
        _markdown_escaped(md)
        assert _shown(text) in Page(page).text
        assert markdown(text) in md


class TestDeterminism:
    def test_the_same_bytes(self, example: Assessment, kaz: Rubric, pages: tuple[str, str]) -> None:
        """Rendering again, or from the JSON round trip, gives the same bytes."""
        again = Assessment.from_json(example.to_json())
        assert render.html(again, kaz) == pages[0]
        assert render.markdown(again, kaz) == pages[1]
        today = dt.datetime.now(tz=dt.UTC).date()
        assert str(today) not in pages[0] + pages[1]

    def test_the_same_bytes_in_another_process(self, pages: tuple[str, str]) -> None:
        """Another process with another hash seed writes the same report."""
        code = (
            "import sys, cat_rubric\n"
            "from cat_rubric import render\n"
            "r = cat_rubric.load_rubric('cat-kaz-co-2')\n"
            "e = [cat_rubric.load_evidence(f, rubric=r) for f in sys.argv[1:]]\n"
            "a = cat_rubric.assess(r, e)\n"
            "sys.stdout.write(render.html(a, r) + '\\0' + render.markdown(a, r))\n"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": "12345"}
        done = subprocess.run(
            [sys.executable, "-c", code, STATE, NGO],
            capture_output=True,
            check=True,
            env=env,
            timeout=120,
        )
        assert done.stdout.decode("utf-8").split("\0") == list(pages)


# -- escaping ------------------------------------------------------------------------

#: The tags and attributes the page is made of: anything else was injected.
ALLOWED_TAGS = frozenset(
    {
        *("html", "head", "meta", "title", "style", "body", "header", "nav", "main", "footer"),
        *("section", "h1", "h2", "h3", "h4", "h5", "p", "ol", "ul", "li", "dl", "dt", "dd", "a"),
        *("table", "caption", "thead", "tbody", "tr", "th", "td", "span", "strong", "code"),
        *("cite", "blockquote", "figure", "figcaption", "div", "br", "wbr"),
        *("svg", "title", "desc", "line", "text", "g", "rect"),
    }
)
ALLOWED_ATTRIBUTES = frozenset(
    {
        *("lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "scope"),
        *("role", "aria-label", "aria-labelledby", "xmlns", "width", "height", "viewbox"),
        *("font-family", "font-size", "font-weight", "x", "y", "x1", "y1", "x2", "y2", "fill"),
        *("stroke", "stroke-dasharray", "text-anchor"),
    }
)


def _no_markup(page: str) -> None:
    """The page holds only our own tags and attributes: no script, handler or link out."""
    html = Page(page)
    for tag, attributes in html.tags:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}>"
        for name, value in attributes.items():
            assert name in ALLOWED_ATTRIBUTES, f"unexpected {name}= on <{tag}>"
            assert "javascript:" not in (value or "").lower()
            if name == "href":
                assert (value or "").startswith("#"), value
    assert [t for t, _ in html.tags].count("style") == 1
    assert [t for t, _ in html.tags].count("script") == 0
    (style,) = html.styles
    assert page.count(style) == 1
    assert "<" not in style
    csp = next(a["content"] for t, a in html.tags if a.get("http-equiv"))
    assert csp is not None
    assert "default-src 'none'" in csp
    assert "script-src" not in csp


@pytest.fixture(name="case", params=range(len(HOSTILE)), ids=lambda i: f"hostile{i}")
def _case(request: pytest.FixtureRequest) -> tuple[str, Rubric, Assessment]:
    text = HOSTILE[request.param]
    rubric = _hostile_rubric(text)
    return text, rubric, assess(rubric, _hostile_evidence(rubric, text))


class TestHostile:
    def test_html_is_inert(self, case: tuple[str, Rubric, Assessment]) -> None:
        """No tag, attribute, script or link comes from a hostile string; it shows as text."""
        text, rubric, result = case
        page = report_html(result, rubric)
        _inert(page)
        _no_markup(page)
        assert _shown(text) in Page(page).text
        _assert_complete(result, page, report_markdown(result, rubric))

    def test_markdown_is_escaped(self, case: tuple[str, Rubric, Assessment]) -> None:
        text, rubric, result = case
        md = report_markdown(result, rubric)
        _markdown_escaped(md)
        assert markdown(text) in md

    @pytest.mark.parametrize("text", SCALE_HOSTILE)
    def test_a_hostile_scale(self, text: str, kaz: Rubric) -> None:
        """A user's scale: its letters and labels are escaped too, and the page still parses."""
        scale = _hostile_scale(text)
        result = assess(kaz, _scale_evidence(scale), scale=scale)
        page = report_html(result, kaz, scale=scale)
        md = report_markdown(result, kaz, scale=scale)
        _inert(page)
        _no_markup(page)
        _markdown_escaped(md)
        _assert_complete(result, page, md)
        assert _shown(scale.grades[0].label) in Page(page).text
        svg = chart_svg(result, scale=scale)
        _inert(svg)
        assert "<script" not in svg


# -- since the previous assessment ------------------------------------------------------


def since_section(page: str) -> Page:
    """The section "Since the previous assessment" of a page, parsed on its own."""
    start = page.index('<section aria-labelledby="since">')
    return Page(page[start : page.index("</section>", start) + len("</section>")])


def since_rows(page: str, anchor: str) -> list[list[str]]:
    """The body rows of the section's table under the heading with id *anchor*."""
    start = page.index(f'<h3 id="{anchor}">')
    ends = (page.find("<h3", start + 1), page.find("</section>", start))
    return Page(page[start : min(i for i in ends if i != -1)]).rows[1:]


def since_markdown(md: str) -> str:
    """The Markdown section "Since the previous assessment", up to the next section."""
    start = md.index("## Since the previous assessment\n")
    return md[start : md.index("\n## ", start + 1)]


def _letter(grade: str | None, *, present: bool = True) -> str:
    return grade if grade is not None else "not graded" if present else "absent"


def _finding(finding: Finding | None) -> str:
    return "—" if finding is None else finding.value


@pytest.fixture(name="earlier", scope="module")
def _earlier(kaz: Rubric) -> Assessment:
    """The State's reply alone: the assessment before the NGO report came."""
    return assess(kaz, [load_evidence(STATE, rubric=kaz)])


@pytest.fixture(name="since", scope="module")
def _since(example: Assessment, kaz: Rubric, earlier: Assessment) -> tuple[str, str]:
    return (
        render.html(example, kaz, compared_with=earlier),
        render.markdown(example, kaz, compared_with=earlier),
    )


@pytest.fixture(name="change", scope="module")
def _change(example: Assessment, earlier: Assessment) -> Comparison:
    return compare(earlier, example)


class TestSince:
    def test_each_part_then_and_now(self, since: tuple[str, str], change: Comparison) -> None:
        """Every part once, its letters then and now, coloured by the palette, and the change."""
        page = since[0]
        rows = since_rows(page, "since-parts")
        assert [r[:5] for r in rows] == [
            [
                str(p.paragraph),
                p.part,
                _letter(p.grade_then, present=p.then is not None),
                _letter(p.grade_now, present=p.now is not None),
                p.change.value,
            ]
            for p in change.parts
        ]
        assert {r[4] for r in rows} == {"worsened", "unchanged"}
        section = since_section(page)
        cells = [a.get("class") or "" for t, a in section.tags if t == "td"]
        cells = [c for c in cells if c.startswith("g ")]
        letters = [g for p in change.parts for g in (p.grade_then, p.grade_now)]
        letters += [g for r in change.recommendations for g in (r.then, r.now)]
        assert len(cells) == len(letters)
        for cell, letter in zip(cells, letters, strict=True):
            assert letter is not None
            key = cell.removeprefix("g g-")
            assert key == letter[0]
            background, ink = grade_colours(letter)
            assert f".g-{key} {{ background: {background}; color: {ink}; }}" in page

    def test_why_each_part_moved(self, since: tuple[str, str], change: Comparison) -> None:
        """The override behind 29d; 9b's criteria, each linked to its row with every
        reason; each part linked to its own section of the report."""
        page = since[0]
        rows = {r[1]: r for r in since_rows(page, "since-parts")}
        assert rows["29d"][5] == "override of part 29d added: C (engine B)"
        assert rows["9b"][5] == (
            "criteria: kaz-9-lawyer-from-apprehension, kaz-9-safeguards-in-practice"
        )
        assert rows["7a"][5] == "—"
        criteria = since_rows(page, "since-criteria")
        assert [r[:4] for r in criteria] == [
            [c.criterion, c.part, _finding(c.then), _finding(c.now)] for c in change.criteria
        ]
        for row, c in zip(criteria, change.criteria, strict=True):
            assert row[5] == " ".join(r.text for r in c.reasons)
        section = since_section(page)
        rows_by_id = {a["id"]: n for n, (t, a) in enumerate(section.tags) if a.get("id")}
        links = [a.get("href") or "" for t, a in section.tags if t == "a"]
        linked = [h[1:] for h in links if h.startswith("#since-c-")]
        assert len(linked) == len(change.criteria)
        assert all(target in rows_by_id for target in linked)
        headings = dict(re.findall(r'<h3 id="(part-\d+)">Part ([^ <:]+)', page))
        parts = [headings[h[1:]] for h in links if h.startswith("#part-")]
        assert parts == [p.part for p in change.parts]

    def test_disputes_and_evidence(self, since: tuple[str, str], change: Comparison) -> None:
        """Disputes opened, with the State's and the independent items; every item added,
        the late one ignored with the reason, each illustrative one marked."""
        page = since[0]
        disputes = since_rows(page, "since-disputes")
        assert [(r[0], r[1], r[2]) for r in disputes] == [
            (d.criterion, d.part, "opened") for d in change.disputes
        ]
        for row, d in zip(disputes, change.disputes, strict=True):
            assert row[3] == "; ".join(
                f"{i.item} ({i.source_kind.value}): {i.finding.value}" for i in d.state
            )
            assert row[4] == "; ".join(
                f"{i.item} ({i.source_kind.value}): {i.finding.value}" for i in d.independent
            )
        evidence = since_rows(page, "since-evidence")
        assert [(r[0].split(" ")[0], r[1]) for r in evidence] == [
            (e.item, e.edit.value) for e in change.evidence
        ]
        assert all(r[0].split(" ")[1] == "illustrative" for r in evidence)
        late = next(r for r in evidence if r[0].startswith("n-7c-late-update "))
        assert late[5] == "ignored: dated 2010-09-20, after the as-of date 2010-06-30"
        assert "part 29d: override-added (— → C)" in since_section(page).text

    def test_markdown(self, since: tuple[str, str], change: Comparison) -> None:
        """The same section in the Markdown: parts, criteria, disputes, evidence."""
        md = since_markdown(since[1])
        for p in change.parts:
            then, now = _letter(p.grade_then), _letter(p.grade_now)
            row = f"| {p.paragraph} | {markdown(p.part)} | **{then}** | **{now}** |"
            assert f"{row} {p.change.value} |" in md
        for c in change.criteria:
            reasons = "; ".join(r.text for r in c.reasons)
            assert f"| {markdown(c.criterion)} | {c.part} | {markdown(_finding(c.then))} |" in md
            assert f"| {markdown(reasons)} |" in md
        for d in change.disputes:
            assert f"- opened: {markdown(d.criterion)} (part {d.part}); State party:" in md
        for e in change.evidence:
            assert f"| {markdown(e.item)} (illustrative): " in md
        _markdown_escaped(md)

    def test_in_the_contents_and_complete(
        self, since: tuple[str, str], example: Assessment, kaz: Rubric, pages: tuple[str, str]
    ) -> None:
        """The contents list the section; the rest of the report is as complete as without
        it; without compared_with there is no section, and the same bytes as before."""
        page, md = since
        assert '<li><a href="#since">Since the previous assessment</a></li>' in page
        _assert_complete(example, page, md)
        _no_markup(page)
        assert "Since the previous assessment" not in pages[0] + pages[1]
        assert render.html(example, kaz, compared_with=None) == pages[0]
        assert render.markdown(example, kaz, compared_with=None) == pages[1]

    def test_the_same_bytes(
        self, since: tuple[str, str], example: Assessment, earlier: Assessment, kaz: Rubric
    ) -> None:
        """From the JSON round trip of both sides, the same page and Markdown."""
        again = Assessment.from_json(example.to_json())
        before = Assessment.from_json(earlier.to_json())
        assert render.html(again, kaz, compared_with=before) == since[0]
        assert render.markdown(again, kaz, compared_with=before) == since[1]

    def test_refused(self, example: Assessment, earlier: Assessment, kaz: Rubric) -> None:
        """Another rubric, a later assessment, or not an assessment: a clear error."""
        other = Assessment.from_json(earlier.to_json().replace('"cat-kaz-co-2"', '"cat-kaz-co-3"'))
        with pytest.raises(AssessmentError, match="history"):
            render.html(example, kaz, compared_with=other)
        later = assess(kaz, [load_evidence(STATE, rubric=kaz)], as_of=dt.date(2011, 1, 1))
        with pytest.raises(AssessmentError, match="after this assessment"):
            render.markdown(example, kaz, compared_with=later)
        with pytest.raises(TypeError, match="compared_with takes an Assessment, not Rubric"):
            render.html(example, kaz, compared_with=kaz)  # type: ignore[arg-type]

    def test_a_scale_file_ranks_when_found(self, kaz: Rubric, tmp_path: Path) -> None:
        """Assessments made on a scale file: the section ranks their grades with the file the
        report finds (its sha256 the recorded one), which compare alone does not."""
        from cat_rubric._resolve import Kind, resolve

        path = tmp_path / "mine.yaml"
        path.write_bytes(Path(resolve(Kind.SCALE, "cat-2015").path).read_bytes())
        scale = load_scale(str(path))
        files = [load_evidence(name, rubric=kaz) for name in (STATE, NGO)]
        old, new = assess(kaz, files[:1], scale=scale), assess(kaz, files, scale=scale)
        assert compare(old, new).ranked_on is None
        page = report_html(new, kaz, compared_with=old)
        assert "Ranking grades ranked on scale cat-2015 v1" in since_section(page).text
        assert [r[4] for r in since_rows(page, "since-parts")].count("worsened") == 3

    @pytest.mark.parametrize("text", HOSTILE, ids=lambda t: f"hostile{HOSTILE.index(t)}")
    def test_hostile_strings_stay_text(self, text: str) -> None:
        """Hostile titles, State, cycle, item id, file name and override: text in the section."""
        rubric = _hostile_rubric(text)
        evidence = _hostile_evidence(rubric, text)
        before = assess(rubric, [attrs.evolve(evidence, items=evidence.items[:1], overrides=())])
        ngo = attrs.evolve(evidence.items[1], id=text)
        named = attrs.evolve(
            evidence, items=(evidence.items[0], ngo), origin=Origin(file=text, sha256="0" * 64)
        )
        now = assess(rubric, [named])
        page = report_html(now, rubric, compared_with=before)
        md = report_markdown(now, rubric, compared_with=before)
        _inert(page)
        _no_markup(page)
        _markdown_escaped(md)
        _assert_complete(now, page, md)
        assert _shown(text) in since_section(page).text
        assert markdown(text) in since_markdown(md)
        evidence_rows = since_rows(page, "since-evidence")
        # s-1 moved from one file to another (removed, added), the NGO's item added.
        assert len(evidence_rows) == len(compare(before, now).evidence) == 3
        assert sum(r[0].startswith(_shown(text)) for r in evidence_rows) == 1
        assert [r[1] for r in since_rows(page, "since-parts")] == [p.id for p in now.parts]


# -- the chart ------------------------------------------------------------------------


class TestChart:
    def test_every_part_with_its_letter(self, example: Assessment) -> None:
        """One bar per part, each with its letter and part as text, higher for a better grade."""
        svg = chart_svg(example)
        html = Page(svg)
        rects = [a for t, a in html.tags if t == "rect"]
        assert len(rects) == len(example.parts)
        for part in example.parts:
            assert f"part {part.id}: {part.grade}" in html.text
        heights = {
            p.grade: int(r["height"] or 0) for p, r in zip(example.parts, rects, strict=True)
        }
        assert heights["A"] > heights["B"] > heights["C"] > heights["E"] > 0
        for paragraph in (7, 9, 18, 29):
            assert f">para. {paragraph}<" in svg

    def test_ungraded_parts_have_no_bar(self, kaz: Rubric) -> None:
        files = load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=kaz)
        svg = chart_svg(assess(kaz, files, as_of=dt.date(2009, 6, 1)))
        assert "<rect" not in svg
        assert svg.count(">—<") == sum(len(r.parts) for r in kaz.recommendations)


# -- the command line -----------------------------------------------------------------


class TestCommandLine:
    def test_to_standard_output(self, run: Run, pages: tuple[str, str]) -> None:
        status, out, err = run("report", "cat-kaz-co-2", STATE, NGO)
        assert (status, err) == (0, "")
        assert out == pages[0]
        status, out, err = run("report", "cat-kaz-co-2", STATE, NGO, "--format", "markdown")
        assert (status, err) == (0, "")
        assert out == pages[1]

    @pytest.mark.parametrize("fmt", ["html", "markdown"])
    def test_to_a_file(self, run: Run, tmp_path: Path, fmt: str, pages: tuple[str, str]) -> None:
        """-o writes the file atomically, refuses an existing one without --force."""
        target = tmp_path / f"report.{fmt}"
        args = ("report", "cat-kaz-co-2", STATE, NGO, "--format", fmt, "-o", str(target))
        status, out, err = run(*args)
        assert (status, out) == (0, "")
        assert err == f"wrote {target}\n"
        expected = pages[0] if fmt == "html" else pages[1]
        assert target.read_text(encoding="utf-8") == expected
        assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]  # no temporary
        target.write_text("mine", encoding="utf-8")
        status, out, err = run(*args)
        assert status == 1
        assert "--force" in err
        assert target.read_text(encoding="utf-8") == "mine"
        status, _, _ = run(*args, "--force")
        assert status == 0
        assert target.read_text(encoding="utf-8") == expected

    def test_never_over_an_input(self, run: Run, tmp_path: Path) -> None:
        evidence = tmp_path / "reply.yaml"
        evidence.write_bytes(Path(STATE).read_bytes())
        status, _, err = run(
            "report", "cat-kaz-co-2", str(evidence), "-o", str(evidence), "--force"
        )
        assert status == 1
        assert "error" in err
        assert evidence.read_bytes() == Path(STATE).read_bytes()

    def test_a_bad_evidence_file(self, run: Run, tmp_path: Path) -> None:
        """A broken input is reported with its location, never a traceback, and nothing written."""
        bad = tmp_path / "bad.yaml"
        bad.write_text("rubric: cat-kaz-co-2\nitems: [\n", encoding="utf-8")
        target = tmp_path / "out.html"
        status, _, err = run("report", "cat-kaz-co-2", str(bad), "-o", str(target))
        assert status == 1
        assert str(bad) in err
        assert not target.exists()


def test_the_readme_command(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's report command runs as written (its -o file put in a temporary folder)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (command,) = re.findall(r"```sh\ncat-rubric (report [^\n]*)\n```", readme)
    args = shlex.split(command)
    target = tmp_path / args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(target)
    monkeypatch.chdir(ROOT)
    status, out, _ = run(*args)
    assert (status, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_templates_are_named() -> None:
    """Every template the renderer loads is in the package (tests/test_packaging.py ships them)."""
    from importlib.resources import files

    folder = files("cat_rubric") / "templates"
    assert set(TEMPLATES) <= {p.name for p in folder.iterdir() if p.is_file()}
    loaded = {"report.html.j2", "report.md.j2", "report.css", "comparison.html.j2"}
    for name in TEMPLATES:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        loaded |= set(re.findall(r'include "([^"]+)"', text))
    assert loaded == set(TEMPLATES)
