"""The HTML report as a reader meets it: opened in a real headless Chromium (Debian's),
driven by Playwright. The page makes no request but for itself, shows every grade and
dispute, is not blank, prints, and keeps hostile strings as text: no dialog, no script,
no injected element.

Locally the tests skip, with the reason, when no Chromium is installed; with ``CI`` set
they fail instead (``.ci/run`` installs Debian's ``chromium``).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from cat_rubric import Assessment, Rubric, assess, load_evidence, load_rubric
from cat_rubric._compare import compare
from cat_rubric._compare_report import comparison_html
from cat_rubric._palette import GRADE_COLOURS
from cat_rubric._report import report_html
from cat_rubric._text import one_line
from cat_rubric.evidence import Item, Source
from cat_rubric.model import SourceKind
from tests.conftest import EXAMPLES
from tests.test_hostile import HOSTILE, _hostile_evidence, _hostile_rubric

#: Where a Chromium may be: Debian's path, then the names on PATH.
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-headless-shell")
#: Strings that would run or inject something if the page let them through as markup.
ATTACKS = [
    *HOSTILE,
    "</style><script>alert(2)</script><style>",
    '"><script>alert(3)</script><b x="',
    "<iframe src=\"javascript:alert('frame')\"></iframe><object data=x></object><embed src=x>",
    "<svg onload=alert(4)><a href=javascript:alert(5)>click</a></svg>",
    "</textarea></title></blockquote><body onload=alert(6)>",
    "<a href='javascript:alert(7)'>x</a> [x](javascript:alert(8)) <details open ontoggle=alert(9)>",
    "&lt;script&gt;alert(10)&lt;/script&gt; &#60;img src=x onerror=alert(11)&#62;",
    "<meta http-equiv=refresh content='0;url=javascript:alert(12)'><base href=javascript:x//>",
    '<link rel=stylesheet href="http://example.invalid/x.css"><img src="http://example.invalid/p">',
]
SPACE = re.compile(r"\s+")


def _find_browser() -> str | None:
    for candidate in CANDIDATES:
        found = shutil.which(candidate)
        if found is not None:
            return found
    return None


@pytest.fixture(name="browser", scope="module")
def _browser() -> Iterator[Browser]:
    path = _find_browser()
    if path is None:
        reason = f"no Chromium found (looked for {', '.join(CANDIDATES)})"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must have one: .ci/run installs Debian's chromium")
        pytest.skip(f"{reason}; install Debian's chromium to run the browser tests")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield browser
        browser.close()


@attrs.define
class Opened:
    """A page as loaded, with every request, dialog and console message it made."""

    page: Page
    url: str
    requests: list[str] = attrs.Factory(list)
    dialogs: list[str] = attrs.Factory(list)
    console: list[str] = attrs.Factory(list)


@pytest.fixture(name="context", scope="module")
def _context(browser: Browser) -> Iterator[BrowserContext]:
    """One context for the module: a new one costs about 0.4 s, a new page far less."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    yield context
    context.close()


@contextlib.contextmanager
def _open(context: BrowserContext, path: Path) -> Iterator[Opened]:
    page = context.new_page()
    opened = Opened(page=page, url=path.resolve().as_uri())

    def dialog(d: Any) -> None:
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("dialog", dialog)
    page.on("console", lambda m: opened.console.append(f"{m.type}: {m.text}"))
    page.goto(opened.url, wait_until="load")
    try:
        yield opened
    finally:
        page.close()


@pytest.fixture(name="kaz", scope="module")
def _kaz() -> Rubric:
    return load_rubric("cat-kaz-co-2")


@pytest.fixture(name="example", scope="module")
def _example(kaz: Rubric) -> Assessment:
    names = ("kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml")
    return assess(kaz, [load_evidence(EXAMPLES / n, rubric=kaz) for n in names])


@pytest.fixture(name="report", scope="module")
def _report(
    context: BrowserContext,
    example: Assessment,
    kaz: Rubric,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Opened]:
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(report_html(example, kaz), encoding="utf-8")
    with _open(context, path) as opened:
        yield opened


def _flat(text: str) -> str:
    return SPACE.sub(" ", text).strip()


# -- reading a screenshot without an image library ------------------------------------


def _pixels(png: bytes) -> tuple[int, int, list[bytes], int]:
    """A PNG's width, height, unfiltered rows and bytes per pixel (8-bit RGB or RGBA)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8
    assert colour in (2, 6)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(data)
    stride = width * bpp
    rows: list[bytes] = []
    prior = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prior[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = prior[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        prior = line
    return width, height, rows, bpp


def _colours(png: bytes) -> dict[tuple[int, int, int], int]:
    """How many pixels of each RGB colour the image has."""
    width, _, rows, bpp = _pixels(png)
    counts: dict[tuple[int, int, int], int] = {}
    for row in rows:
        for x in range(width):
            rgb = (row[x * bpp], row[x * bpp + 1], row[x * bpp + 2])
            counts[rgb] = counts.get(rgb, 0) + 1
    return counts


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16))


def _near(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 3 for x, y in zip(a, b, strict=True))


def _luminance(css: str) -> float:
    """WCAG's relative luminance of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(v) / 255 for v in re.findall(r"\d+", css)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(colour: str, background: str) -> float:
    assert background.startswith("rgb("), background  # opaque: a background of its own
    high, low = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# -- the example report -----------------------------------------------------------------


class TestExampleReport:
    def test_no_request_but_the_page(self, report: Opened) -> None:
        """Loading the page requests nothing but the file itself: no font, image or script."""
        report.page.wait_for_load_state("networkidle")
        assert report.requests == [report.url]

    def test_no_console_message(self, report: Opened) -> None:
        """No error and no Content-Security-Policy refusal: the stylesheet's hash is right."""
        assert report.console == []

    def test_every_grade_and_dispute_in_the_dom(self, report: Opened, example: Assessment) -> None:
        """Every part's heading ends with its grade; every disputed criterion's row says so."""
        headings = report.page.locator("h3[id^='part-']").all_inner_texts()
        assert len(headings) == len(example.parts)
        for part, heading in zip(example.parts, headings, strict=True):
            assert _flat(heading).startswith(f"Part {part.id}")
            assert _flat(heading).endswith(f"— {part.grade}")
        rows = report.page.eval_on_selector_all(
            "tr", "rows => rows.map(r => Array.from(r.cells, c => c.innerText.trim()))"
        )
        marked = {row[0].split("\n")[0] for row in rows if "DISPUTED" in row}  # id, statement
        disputed = {c.id for p in example.parts for c in p.criteria if c.disputed}
        assert marked == disputed
        assert len(disputed) == 3
        body = _flat(report.page.inner_text("body"))
        for part in example.parts:
            for line in part.missing:
                assert _flat(line) in body

    def test_grades_are_coloured_and_written(self, report: Opened, example: Assessment) -> None:
        """The stylesheet applies: each matrix cell has its letter's colour and shows the letter."""
        cells = report.page.eval_on_selector_all(
            "td.g",
            "cells => cells.map(c => [c.className, c.innerText.trim(), "
            "getComputedStyle(c).backgroundColor])",
        )
        assert len(cells) == len(example.parts) + len(example.recommendations)
        for class_name, text, background in cells:
            key = class_name.split("g-")[1]
            r, g, b = _rgb(GRADE_COLOURS[key][0])
            assert background == f"rgb({r}, {g}, {b})"
            assert re.search(rf"\b{key}\b", text), text

    def test_every_coloured_letter_is_readable(self, report: Opened) -> None:
        """Wherever a grade is coloured, its text and background contrast at least 4.5:1."""
        pairs = report.page.eval_on_selector_all(
            "[class*='g-']",
            "els => els.map(e => [e.innerText, getComputedStyle(e).color, "
            "getComputedStyle(e).backgroundColor])",
        )
        assert len(pairs) > 30
        for text, colour, background in pairs:
            assert _contrast(colour, background) >= 4.5, (text, colour, background)

    def test_the_screenshot_is_not_blank(self, report: Opened, example: Assessment) -> None:
        """The page is drawn: many colours, ink on a good share of it, the grade colours."""
        counts = _colours(
            report.page.screenshot(clip={"x": 0, "y": 0, "width": 960, "height": 720})
        )
        total = sum(counts.values())
        white = sum(n for c, n in counts.items() if min(c) >= 250)
        assert len(counts) > 50
        assert total - white > total // 50
        matrix = _colours(report.page.locator("table").first.screenshot())
        for letter in {p.grade[0] for p in example.parts if p.grade}:
            wanted = _rgb(GRADE_COLOURS[letter][0])
            assert sum(n for c, n in matrix.items() if _near(c, wanted)) > 100, letter

    def test_the_chart_is_drawn(self, report: Opened, example: Assessment) -> None:
        bars = report.page.eval_on_selector_all(
            "figure svg rect", "rects => rects.map(r => r.getBBox().height)"
        )
        assert len(bars) == len(example.parts)
        assert all(h > 0 for h in bars)
        label = report.page.locator("figure svg title").first.text_content()
        assert label == "Grades by paragraph"

    def test_it_prints(self, report: Opened) -> None:
        """The print stylesheet hides the contents list; the PDF has several A4 pages."""
        page = report.page
        page.emulate_media(media="print")
        try:
            assert page.eval_on_selector("nav.toc", "n => getComputedStyle(n).display") == "none"
            pdf = page.pdf(format="A4")
        finally:
            page.emulate_media(media="screen")
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page\b", pdf)) > 3


# -- since the previous assessment -------------------------------------------------------


class TestSinceSection:
    def test_the_comparison_is_drawn_with_no_request(
        self, context: BrowserContext, example: Assessment, kaz: Rubric, tmp_path: Path
    ) -> None:
        """The report's section "Since the previous assessment", and diff's page of it: each
        part's grade then and now in its letter's colours, readable, and nothing requested."""
        earlier = assess(kaz, [load_evidence(EXAMPLES / "kaz-2010-state-reply.yaml", rubric=kaz)])
        pages = {
            "report.html": report_html(example, kaz, compared_with=earlier),
            "diff.html": comparison_html(earlier, example, compare(earlier, example)),
        }
        for name, html in pages.items():
            path = tmp_path / name
            path.write_text(html, encoding="utf-8")
            with _open(context, path) as opened:
                page = opened.page
                page.wait_for_load_state("networkidle")
                assert opened.requests == [opened.url]
                assert opened.console == []
                assert opened.dialogs == []
                section = page.locator("section[aria-labelledby='since']")
                box = section.bounding_box()
                assert box is not None
                assert box["height"] > 600
                cells = section.locator("h3#since-parts + table td.g").evaluate_all(
                    "cells => cells.map(c => [c.className, c.innerText.trim(), "
                    "getComputedStyle(c).color, getComputedStyle(c).backgroundColor])"
                )
                letters = [g for p in example.parts for g in (earlier.part(p.id).grade, p.grade)]
                assert [text for _, text, _, _ in cells] == letters
                for class_name, text, colour, background in cells:
                    r, g, b = _rgb(GRADE_COLOURS[class_name.split("g-")[1]][0])
                    assert background == f"rgb({r}, {g}, {b})"
                    assert class_name.endswith(f"g-{text[0]}")
                    assert _contrast(colour, background) >= 4.5
                drawn = _colours(section.locator("h3#since-parts + table").screenshot())
                for letter in {text[0] for _, text, _, _ in cells}:
                    wanted = _rgb(GRADE_COLOURS[letter][0])
                    assert sum(n for c, n in drawn.items() if _near(c, wanted)) > 100, letter


# -- hostile strings ---------------------------------------------------------------------


def _attack_report(text: str) -> tuple[Rubric, Assessment]:
    """Every text of a rubric and its evidence is *text*; a citation's locator and URL too."""
    rubric = _hostile_rubric(text)
    evidence = _hostile_evidence(rubric, text)
    criterion = rubric.recommendations[0].parts[0].criteria[0].id
    extra = Item(
        id="m-1",
        criteria=(criterion,),
        finding=evidence.items[1].finding,
        source=Source(kind=SourceKind.MEDIA, title=text, locator=text, url=text),
        quote=text,
    )
    return rubric, assess(rubric, attrs.evolve(evidence, items=(*evidence.items, extra)))


class TestHostileStrings:
    @pytest.mark.parametrize("text", ATTACKS, ids=lambda t: f"attack{ATTACKS.index(t)}")
    def test_inert_in_the_browser(self, context: BrowserContext, tmp_path: Path, text: str) -> None:
        """No dialog, script, frame, image or javascript: link; the text is shown as text."""
        rubric, result = _attack_report(text)
        path = tmp_path / "hostile.html"
        path.write_text(report_html(result, rubric), encoding="utf-8")
        with _open(context, path) as opened:
            page = opened.page
            assert opened.dialogs == []
            assert opened.requests == [opened.url]
            assert page.eval_on_selector_all("script", "s => s.length") == 0
            found = page.eval_on_selector_all(
                "img, iframe, object, embed, link, base, a[href^='javascript'], [onload], "
                "[onerror], details, textarea",
                "els => els.map(e => e.outerHTML)",
            )
            assert found == []
            hrefs = page.eval_on_selector_all(
                "a", "links => links.map(a => a.getAttribute('href'))"
            )
            assert all(h.startswith("#") for h in hrefs)
            assert page.eval_on_selector_all("meta[http-equiv]", "m => m.length") == 1
            assert page.eval_on_selector_all("style", "s => s.length") == 1
            shown = _flat(page.inner_text("body"))
            assert _flat(one_line(text)) in shown
            assert opened.console == []

    def test_the_dialog_check_catches_a_script(
        self, context: BrowserContext, tmp_path: Path
    ) -> None:
        """The checks above can fail: a page that does run a script is caught by them."""
        path = tmp_path / "bad.html"
        path.write_text("<!DOCTYPE html><p>x</p><script>alert('ran')</script>", encoding="utf-8")
        with _open(context, path) as opened:
            assert opened.dialogs == ["ran"]
            assert opened.page.eval_on_selector_all("script", "s => s.length") == 1
