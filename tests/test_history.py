"""A State's history: assessments lined up by paragraph or theme, tables and SVG charts."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import BrowserContext

import cat_rubric
from cat_rubric import (
    FOLLOW_UP_THEMES,
    Assessment,
    AssessmentError,
    LoadError,
    Rubric,
    assess,
    history,
    load_evidence,
    load_rubric,
    parse_rubric,
)
from cat_rubric._history import (
    By,
    History,
    history_fragment,
    history_html,
    history_markdown,
    history_table,
)
from cat_rubric._palette import grade_colours
from cat_rubric._text import one_line
from cat_rubric.evidence import Reply
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import BUNDLED, EXAMPLES, Run
from tests.test_hostile import _hostile_evidence, _hostile_rubric, _inert
from tests.test_report_browser import (  # the browser and its context are fixtures
    ATTACKS,
    _browser,  # noqa: F401
    _context,  # noqa: F401
    _open,
)

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
NO_REPLY = str(EXAMPLES / "kaz-2010-no-reply.yaml")
_TEXT = st.sampled_from(["x", "Қазақстан"])
THEMES = st.lists(
    st.sampled_from([*FOLLOW_UP_THEMES, "sexual-violence"]), max_size=2, unique=True
).map(tuple)


@pytest.fixture(name="rubric", scope="module")
def _rubric() -> Rubric:
    return load_rubric("cat-kaz-co-2")


@pytest.fixture(name="rounds", scope="module")
def _rounds(rubric: Rubric) -> list[Assessment]:
    """Three rounds of one cycle: March (the reply), June (with the NGOs), and June alone."""
    reply = load_evidence(STATE, rubric=rubric)
    ngo = load_evidence(NGO, rubric=rubric)
    return [
        assess(rubric, [reply, ngo]),
        assess(rubric, [reply], as_of=dt.date(2010, 3, 1)),
        assess(rubric, [reply]),
    ]


def _next_cycle(rubric: Rubric) -> Rubric:
    """CO/3, invented for the test: paragraphs renumbered, para 7 without a theme."""
    recs = []
    for i, rec in enumerate(rubric.recommendations):
        themes = () if rec.paragraph == 7 else rec.themes
        recs.append(attrs.evolve(rec, paragraph=100 + i, themes=themes))
    return attrs.evolve(
        rubric,
        id="cat-kaz-co-3",
        symbol="CAT/C/KAZ/CO/3",
        adopted=dt.date(2014, 12, 12),
        follow_up=attrs.evolve(rubric.follow_up, recommendations=(101,), due=None),
        recommendations=tuple(recs),
    )


@pytest.fixture(name="cycles", scope="module")
def _cycles(rubric: Rubric) -> list[Assessment]:
    reply = load_evidence(STATE, rubric=rubric)
    later = _next_cycle(rubric)
    again = attrs.evolve(
        reply,
        rubric=later.id,
        cycle="2015–2016 follow-up",
        as_of=dt.date(2016, 6, 30),
        reply=Reply(received=True, date=dt.date(2016, 1, 10)),
        items=tuple(attrs.evolve(i, measure_date=None) for i in reply.items),
    )
    return [assess(later, [again]), assess(rubric, [reply])]


class TestOneRubric:
    def test_lined_up_by_paragraph_in_date_order(self, rounds: list[Assessment]) -> None:
        """One rubric: one track per paragraph, one point per assessment, dates in order."""
        h = history(rounds)
        assert [c.as_of for c in h.columns] == sorted(a.as_of for a in rounds)
        assert [t.key for t in h.tracks] == [f"paragraph {n}" for n in (7, 9, 18, 29)]
        assert {t.by for t in h.tracks} == {By.PARAGRAPH}
        assert h.unmatched == ()
        for t in h.tracks:
            assert [p.column for p in t.points] == [1, 2, 3]
        # Of one date, the order given is kept: with the NGOs (given first), then alone.
        nine = h.track("paragraph 9")
        assert [{g.part: g.grade for g in p.parts}["9b"] for p in nine.points] == [
            "A",
            "B",
            "A",
        ]

    def test_the_axis_is_the_scale(self, rounds: list[Assessment]) -> None:
        h = history(rounds)
        assert h.axis == cat_rubric.load_scale("cat-2015").letters
        scale = cat_rubric.load_scale("cat-2015")
        for t in h.tracks:
            for p in t.points:
                assert p.level == (None if p.grade is None else scale.rank(p.grade))

    @pytest.mark.parametrize("width", [50, 80])
    def test_the_table_fits_the_width(self, rounds: list[Assessment], width: int) -> None:
        """Labels are shortened and long lines wrapped to fit; no grade is cut."""
        text = history_table(history(rounds), width)
        assert all(len(line) <= width for line in text.splitlines())
        assert re.search(r"^para 18: .* +E +E +E$", text, re.MULTILINE)

    def test_themes_are_in_the_labels(self, rounds: list[Assessment]) -> None:
        assert history(rounds).track("paragraph 9").label.endswith("[legal-safeguards]")


class TestAcrossConcludingObservations:
    def test_lined_up_by_theme(self, cycles: list[Assessment]) -> None:
        """CO/2 and CO/3: by theme; para 7 of CO/3 has none and stands alone, listed."""
        h = history(cycles)
        assert [c.symbol for c in h.columns] == ["CAT/C/KAZ/CO/2", "CAT/C/KAZ/CO/3"]
        keys = [t.key for t in h.tracks]
        assert keys == [
            "legal-safeguards",
            "investigation",
            "prosecution",
            "redress",
            "cat-kaz-co-3 paragraph 100",
        ]
        safeguards = h.track("legal-safeguards")
        assert [(p.column, p.paragraph) for p in safeguards.points] == [(1, 9), (2, 101)]
        prosecution = h.track("prosecution")
        assert [(p.column, p.paragraph) for p in prosecution.at(1)] == [(1, 7), (1, 18), (1, 29)]
        (alone,) = h.unmatched
        assert alone.by is By.UNMATCHED
        assert [(p.column, p.paragraph) for p in alone.points] == [(2, 100)]
        assert "(no theme)" in alone.label
        assert "1 recommendation has no theme" in history_table(h)

    @given(data=st.data())
    def test_no_recommendation_is_dropped(self, data: st.DataObject) -> None:
        """Every recommendation of every assessment is in the track of each of its themes,
        or in its own when it has none."""
        made = []
        for n in range(data.draw(st.integers(1, 3))):
            rubric = data.draw(
                rubrics(max_recommendations=3, max_parts=1, max_criteria=2, text=_TEXT)
            )
            recs = tuple(attrs.evolve(r, themes=data.draw(THEMES)) for r in rubric.recommendations)
            rubric = attrs.evolve(rubric, id=f"r{n}", state_party="S", recommendations=recs)
            evidence = data.draw(evidence_files(rubric, max_items=3, text=_TEXT))
            made.append(assess(rubric, evidence, scale="cat-2015"))
        h = history(made)
        placed = {(t.key, p.column, p.recommendation) for t in h.tracks for p in t.points}
        for column in h.columns:
            a = next(x for x in made if (x.as_of, x.rubric) == (column.as_of, column.rubric))
            for rec in a.recommendations:
                if len({x.rubric for x in made}) == 1:
                    keys = {f"paragraph {rec.paragraph}"}
                elif rec.themes:
                    keys = set(rec.themes)
                else:
                    keys = {f"{a.rubric} paragraph {rec.paragraph}"}
                for key in keys:
                    assert (key, column.index, rec.id) in placed

    def test_several_scales_place_by_the_ccpr_2016_letter(self, rubric: Rubric) -> None:
        reply = load_evidence(STATE, rubric=rubric)
        h = history([assess(rubric, [reply]), assess(rubric, [reply], scale="ccpr-2013")])
        assert h.axis == ("A", "B", "C", "D", "E")
        assert "several scales" in h.axis_note
        old = cat_rubric.load_scale("ccpr-2013")
        for p in h.track("paragraph 7").points:
            scale = old if p.column == 2 else cat_rubric.load_scale("cat-2015")
            assert p.grade is not None
            assert h.axis[len(h.axis) - 1 - (p.level or 0)] == scale.grade(p.grade).ccpr_2016

    def test_refusals(self, rubric: Rubric, rounds: list[Assessment], tmp_path: Path) -> None:
        with pytest.raises(AssessmentError, match="no assessments"):
            history([])
        other = Assessment.from_json(rounds[0].to_json().replace('"Kazakhstan"', '"Kyrgyzstan"'))
        with pytest.raises(AssessmentError, match="one State party"):
            history([rounds[0], other])
        copy = Assessment.from_json(rounds[0].to_json())  # the same file, read twice
        with pytest.raises(AssessmentError, match="is given twice"):
            history([rounds[0], *rounds[1:], copy])
        from cat_rubric._resolve import Kind, resolve

        path = tmp_path / "mine.yaml"
        path.write_bytes(Path(resolve(Kind.SCALE, "cat-2015").path).read_bytes())
        scale = cat_rubric.load_scale(str(path))
        mine = assess(rubric, [load_evidence(STATE, rubric=rubric)], scale=scale)
        with pytest.raises(AssessmentError, match="not bundled"):
            history([mine])
        assert history([mine], scales=[scale]).axis == scale.letters


class TestCharts:
    def test_every_grade_is_coloured_and_lettered(self, rounds: list[Assessment]) -> None:
        """Each point is a box in its palette colour with its letter; the SVG is XML."""
        h = history(rounds)
        for t in h.tracks:
            svg = h.svg(t.key)
            root = ET.fromstring(svg)
            assert root.get("role") == "img"
            boxes = list(root.iter("{http://www.w3.org/2000/svg}g"))
            assert len(boxes) == len(t.points)
            for g, p in zip(boxes, t.points, strict=True):
                rect = g.find("{http://www.w3.org/2000/svg}rect")
                text = g.find("{http://www.w3.org/2000/svg}text")
                assert rect is not None
                assert text is not None
                assert p.grade is not None
                assert text.text == p.grade
                background, ink = grade_colours(p.grade)
                assert (rect.get("fill"), text.get("fill")) == (background, ink)

    def test_deterministic(self, rounds: list[Assessment]) -> None:
        again = [Assessment.from_json(a.to_json()) for a in rounds]
        assert history_html(history(rounds)) == history_html(history(again))
        assert history(rounds).to_json() == history(again).to_json()

    def test_an_ungraded_point_is_marked(self, rubric: Rubric) -> None:
        """A pending follow-up is a dashed box marked —, in the 'not graded' row."""
        reply = load_evidence(STATE, rubric=rubric)
        pending = attrs.evolve(
            reply, reply=Reply(received=False), as_of=dt.date(2009, 1, 1), items=()
        )
        h = history([assess(rubric, [pending]), assess(rubric, [reply])])
        svg = h.svg("paragraph 7")
        assert 'stroke-dasharray="3 2"' in svg
        assert "not graded" in svg
        assert "pending" in svg

    def test_hostile_text_is_escaped(self, rubric: Rubric) -> None:
        hostile = "<script>alert(1)</script>&\x1b[31m\u202e]]>"
        recs = (attrs.evolve(rubric.recommendations[0], title=hostile), *rubric.recommendations[1:])
        a = assess(
            attrs.evolve(rubric, recommendations=recs, state_party=hostile),
            [load_evidence(STATE, rubric=rubric)],
        )
        h = history([a])
        page = history_html(h)
        assert "<script" not in page
        assert "\x1b" not in page
        assert "\u202e" not in page
        assert "&lt;script&gt;" in page
        ET.fromstring(h.svg("paragraph 7"))
        for text in (history_table(h), history_markdown(h)):
            assert "\x1b" not in text
            assert "\u202e" not in text
        assert "<script" not in history_markdown(h)


class TestThemesInRubrics:
    def test_a_rubric_with_themes_loads_and_carries_them(self, rubric: Rubric) -> None:
        """`themes:` in YAML reaches the results and survives the JSON."""
        text = BUNDLED.read_text(encoding="utf-8").replace(
            "themes: [legal-safeguards]", "themes: [legal-safeguards, sexual-violence]"
        )
        mine = parse_rubric(text)
        assert mine.recommendation("para-9").themes == ("legal-safeguards", "sexual-violence")
        result = assess(mine, [load_evidence(STATE, rubric=mine)])
        assert result.recommendation(9).themes == ("legal-safeguards", "sexual-violence")
        data = json.loads(result.to_json())
        assert data["recommendations"][1]["themes"] == ["legal-safeguards", "sexual-violence"]
        assert Assessment.from_json(result.to_json()) == result

    def test_the_bundled_rubric_is_tagged_with_known_themes(self, rubric: Rubric) -> None:
        for rec in rubric.recommendations:
            assert rec.themes
            assert set(rec.themes) <= FOLLOW_UP_THEMES.keys()

    def test_a_document_without_themes_reads_as_none(self, rounds: list[Assessment]) -> None:
        data = json.loads(rounds[0].to_json())
        for rec in data["recommendations"]:
            del rec["themes"]
        back = Assessment.from_json(json.dumps(data))
        assert all(r.themes == () for r in back.recommendations)

    def test_a_theme_must_be_an_id(self) -> None:
        text = BUNDLED.read_text(encoding="utf-8").replace(
            "themes: [legal-safeguards]", "themes: [legal safeguards]"
        )
        with pytest.raises(LoadError) as info:
            parse_rubric(text)
        (problem,) = info.value.problems
        assert problem.code == "bad-id"
        assert str(problem.path).endswith(".themes")


#: Every element and attribute the page is made of: an injected one is not among them.
PAGE_TAGS = {
    *("html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ol", "li"),
    *("table", "thead", "tbody", "tr", "th", "td"),
    *("svg", "line", "text", "polyline", "g", "rect"),
}
PAGE_ATTRIBUTES = {
    *("lang", "charset", "http-equiv", "content", "class"),
    *("xmlns", "width", "height", "viewbox", "role", "font-family", "font-size", "font-weight"),
    *("x", "y", "x1", "y1", "x2", "y2", "rx", "points", "text-anchor"),
    *("fill", "stroke", "stroke-width", "stroke-dasharray"),
}


class _Parsed(HTMLParser):
    """A page's elements (with their attributes), stylesheets and text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_style = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)

    def policy(self) -> str | None:
        """The content of the page's one ``http-equiv`` meta, its Content-Security-Policy."""
        (meta,) = [a for tag, a in self.elements if tag == "meta" and "http-equiv" in a]
        assert meta["http-equiv"] == "Content-Security-Policy"
        return meta["content"]


def _allows_only(css: str) -> str:
    """The policy that allows *css* as the only style, and no request or script."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def _hostile_page(text: str) -> str:
    rubric = _hostile_rubric(text)
    return history_html(history([assess(rubric, _hostile_evidence(rubric, text))]))


def _rgb(colour: str) -> str:
    """``#1b7a3a`` as the browser computes it: ``rgb(27, 122, 58)``."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


class TestPage:
    def test_the_policy_allows_the_page_s_own_style_alone(self, rounds: list[Assessment]) -> None:
        """One Content-Security-Policy, before the one stylesheet, allowing it by its hash;
        no script, no style attribute, nothing to load."""
        page = history_html(history(rounds))
        parsed = _Parsed(page)
        (css,) = parsed.styles
        assert parsed.policy() == _allows_only(css)
        assert page.index("Content-Security-Policy") < page.index("<style>")
        tags = {tag for tag, _ in parsed.elements}
        assert tags <= PAGE_TAGS
        assert {name for _, a in parsed.elements for name in a} <= PAGE_ATTRIBUTES

    def test_the_cells_are_coloured_by_the_stylesheet(self, rounds: list[Assessment]) -> None:
        """Each graded cell's class gives it its palette colours; the notebook's fragment
        gives the same cells the same colours in style attributes."""
        h = history(rounds)
        page = history_html(h)
        (css,) = _Parsed(page).styles
        rules = {
            name: (background, ink)
            for name, background, ink in re.findall(
                r"td\.(g-[\w-]+)\{background:(#[0-9a-f]{6});color:(#[0-9a-f]{6})\}", css
            )
        }
        cells = re.findall(r'<td class="(g-[\w-]+)">([^<]*)</td>', page)
        assert len(cells) == sum(len(t.points) for t in h.tracks)
        for name, letter in cells:
            assert rules[name] == grade_colours(letter)
        inline = re.findall(
            r'<td style="background:(#\w+);color:(#\w+)">([^<]*)</td>', history_fragment(h)
        )
        assert [(grade_colours(letter), letter) for _, letter in cells] == [
            ((background, ink), letter) for background, ink, letter in inline
        ]

    @pytest.mark.parametrize("text", ATTACKS, ids=lambda t: f"attack{ATTACKS.index(t)}")
    def test_hostile_input_stays_inert(self, run: Run, tmp_path: Path, text: str) -> None:
        """A history input full of markup: the page is only its own elements and
        attributes, its one stylesheet still the one its policy allows, and the text shown
        as text."""
        rubric = _hostile_rubric(text)
        saved = tmp_path / "hostile.json"
        saved.write_text(
            assess(rubric, _hostile_evidence(rubric, text)).to_json(), encoding="utf-8"
        )
        target = tmp_path / "history.html"
        assert run("history", str(saved), "--format", "html", "-o", str(target))[0] == 0
        page = target.read_text(encoding="utf-8")
        _inert(page)
        parsed = _Parsed(page)
        assert {tag for tag, _ in parsed.elements} <= PAGE_TAGS
        assert {name for _, a in parsed.elements for name in a} <= PAGE_ATTRIBUTES
        (css,) = parsed.styles
        assert parsed.policy() == _allows_only(css)
        shown = " ".join(" ".join(parsed.text).split())
        assert " ".join(one_line(text).split()) in shown

    def test_in_the_browser(self, context: BrowserContext, tmp_path: Path) -> None:
        """Opened in Chromium, a page of every attack makes no request but for itself, runs
        nothing, has nothing refused by its policy, and is coloured by its stylesheet."""
        path = tmp_path / "history.html"
        path.write_text(_hostile_page(" ".join(ATTACKS)), encoding="utf-8")
        with _open(context, path) as opened:
            page = opened.page
            assert opened.requests == [opened.url]
            assert opened.dialogs == []
            assert opened.console == []  # a style the policy refused would be reported here
            assert (
                page.eval_on_selector_all(
                    "script, img, iframe, object, embed, link", "e => e.length"
                )
                == 0
            )
            cells = page.eval_on_selector_all(
                "td[class]",
                "cells => cells.map(c => "
                "[c.textContent, getComputedStyle(c).backgroundColor, getComputedStyle(c).color])",
            )
            assert cells
            for letter, background, ink in cells:
                assert (background, ink) == tuple(_rgb(c) for c in grade_colours(letter))


@pytest.fixture(name="saved")
def _saved(run: Run, tmp_path: Path) -> list[str]:
    names = []
    for name, args in (
        ("reply", [STATE, "--as-of", "2010-03-01"]),
        ("both", [STATE, NGO]),
        ("none", [NO_REPLY]),
    ):
        path = str(tmp_path / f"{name}.json")
        assert run("score", "cat-kaz-co-2", *args, "--format", "json", "-o", path)[0] == 0
        names.append(path)
    return names


class TestCommandLine:
    def test_table(self, run: Run, saved: list[str]) -> None:
        status, out, err = run("history", *saved)
        assert (status, err) == (0, "")
        assert "lined up by paragraph" in out
        assert re.search(r"^para 18: Appropriate penalties.* +E +E +D$", out, re.MULTILINE)

    @pytest.mark.parametrize("fmt", ["markdown", "json", "html"])
    def test_formats(self, run: Run, saved: list[str], fmt: str, tmp_path: Path) -> None:
        target = tmp_path / f"out.{fmt}"
        status, _, err = run("history", *saved, "--format", fmt, "-o", str(target))
        assert status == 0
        assert err == f"wrote {target}\n"
        text = target.read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(text)["format"] == "cat-rubric-history/1"
        elif fmt == "html":
            assert text.startswith("<!DOCTYPE html>")
            assert text.count("<svg") == 4
        else:
            assert text.startswith("# History of Kazakhstan")

    def test_yaml_is_not_an_assessment(self, run: Run) -> None:
        status, out, err = run("history", STATE)
        assert (status, out) == (1, "")
        assert "unknown-format" in err or "not an assessment" in err

    def test_writing_over_an_input_is_refused(self, run: Run, saved: list[str]) -> None:
        status, _, err = run("history", *saved, "-o", saved[0], "--force")
        assert status == 1
        assert "input" in err


def test_history_is_a_plain_value(rounds: list[Assessment]) -> None:
    """Frozen and comparable: two histories of the same assessments are equal."""
    h = history(rounds)
    assert h == history(rounds)
    assert isinstance(h, History)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        h.axis = ()  # type: ignore[misc]
