"""A State's history: several assessments as one trajectory per recommendation.

Follow-up is a series: a reply, the NGOs' answer, the Committee's grades, the next
round, then the next concluding observations re-raising the same concerns. `history`
lines assessments up in date order and follows each recommendation through them:

- assessments of **one rubric** (rounds of a cycle, or several cycles of the same
  concluding observations) are lined up by paragraph number;
- assessments of **several rubrics** (CO/2 of 2008 and CO/4 of 2023) are lined up by
  the recommendations' themes (`FOLLOW_UP_THEMES`, or one's own); a recommendation with
  no theme is *unmatched*: it keeps a track of its own, listed, never dropped.

Each track is plain data (its points: date, paragraph, grade, the parts' grades) and
draws itself as a deterministic inline SVG chart (`Track.svg`): grades colour-coded
with the report's palette and always labelled with their letter.
"""

from __future__ import annotations

import datetime as dt
import enum
import html
from collections.abc import Callable, Iterable, Sequence
from typing import Final

import attrs

from cat_rubric._palette import GRADE_COLOURS, UNGRADED, grade_colours
from cat_rubric._result import Assessment, Status
from cat_rubric._scales import CCPR_2016_LETTERS, Scale
from cat_rubric.exceptions import AssessmentError

#: The four follow-up themes CAT/C/55/3 (para. 7) names, by id, with the library's
#: paraphrase of each (not a quotation). Rubrics may use ids of their own besides.
FOLLOW_UP_THEMES: Final[dict[str, str]] = {
    "legal-safeguards": "legal safeguards for persons deprived of their liberty",
    "investigation": "prompt and impartial investigations",
    "prosecution": "prosecution and punishment of perpetrators",
    "redress": "redress for victims",
}

#: The version of the JSON document `History.to_json` writes.
HISTORY_FORMAT: Final = "cat-rubric-history/1"


class By(enum.Enum):
    """How a track lines recommendations up across assessments."""

    PARAGRAPH = "paragraph"
    """One rubric: the recommendation with this paragraph number."""
    THEME = "theme"
    """Several rubrics: every recommendation tagged with this theme."""
    UNMATCHED = "unmatched"
    """Several rubrics: a recommendation with no theme, on its own (never dropped)."""


@attrs.frozen(kw_only=True)
class Column:
    """One assessment of the history, in date order.

    Attributes:
        index: Its position (1 is the earliest).
        as_of: The date it speaks for.
        rubric: The rubric's id.
        symbol: The concluding observations' symbol.
        cycle: The follow-up cycle.
        status: Its follow-up status.
        scale: Its scale, as ``id vN``.
    """

    index: int
    as_of: dt.date
    rubric: str
    symbol: str
    cycle: str
    status: Status
    scale: str


@attrs.frozen(kw_only=True)
class PartGrade:
    """A part's grade at one point.

    Attributes:
        part: The part's id.
        grade: Its letter, or None if not graded.
    """

    part: str
    grade: str | None


@attrs.frozen(kw_only=True)
class Point:
    """A recommendation's result in one assessment.

    Attributes:
        column: The assessment's `Column.index`.
        rubric: The rubric's id.
        symbol: Its symbol.
        recommendation: The recommendation's id.
        paragraph: Its paragraph number.
        title: Its title.
        themes: Its themes.
        grade: Its roll-up letter, or None if not graded.
        status: The assessment's follow-up status.
        parts: Each part's grade.
        level: Where the chart places the grade, 0 for the axis' worst letter (None
            if not graded): see `History.axis`.
    """

    column: int
    rubric: str
    symbol: str
    recommendation: str
    paragraph: int
    title: str
    themes: tuple[str, ...]
    grade: str | None
    status: Status
    parts: tuple[PartGrade, ...]
    level: int | None


@attrs.frozen(kw_only=True)
class Track:
    """One recommendation (or theme) followed through the assessments.

    Attributes:
        key: What it follows: ``paragraph 9``, a theme id, or ``RUBRIC paragraph N``.
        by: How its points were lined up.
        label: A heading for it (the text comes from the rubrics: escape it).
        points: Its points, in column order (several in a column when a theme
            covers several recommendations of one assessment; none where the
            assessment has nothing on it).
    """

    key: str
    by: By
    label: str
    points: tuple[Point, ...]

    def at(self, column: int) -> tuple[Point, ...]:
        """The points in *column*."""
        return tuple(p for p in self.points if p.column == column)


@attrs.frozen(kw_only=True)
class History:
    """A State's assessments over rounds and cycles, one track per recommendation.

    Attributes:
        state_party: The State party.
        columns: The assessments, in date order.
        tracks: The trajectories: by paragraph (one rubric), or by theme, then the
            unmatched recommendations (several rubrics).
        axis: The letters of the charts' vertical axis, best first.
        axis_note: What the axis is: the one scale used, or the ccpr-2016
            correspondence when the assessments used several.
    """

    state_party: str
    columns: tuple[Column, ...]
    tracks: tuple[Track, ...]
    axis: tuple[str, ...]
    axis_note: str

    @property
    def unmatched(self) -> tuple[Track, ...]:
        """The tracks of recommendations no theme lines up with others."""
        return tuple(t for t in self.tracks if t.by is By.UNMATCHED)

    def track(self, key: str) -> Track:
        """The track with *key*; `KeyError` if there is none."""
        for t in self.tracks:
            if t.key == key:
                return t
        raise KeyError(key)

    def svg(self, key: str) -> str:
        """The chart of track *key* as inline SVG text (see `track_svg`)."""
        return track_svg(self, self.track(key))

    def to_json(self) -> str:
        """The history as deterministic JSON (format `HISTORY_FORMAT`)."""
        from cat_rubric._convert import converter, iso_dates
        from cat_rubric._text import json_dumps

        data = {"format": HISTORY_FORMAT, **converter().unstructure(self)}
        return json_dumps(data, default=iso_dates) + "\n"

    def _repr_html_(self) -> str:
        """The table and the charts, for a notebook."""
        return history_fragment(self)


def history(assessments: Iterable[Assessment], *, scales: Iterable[Scale] = ()) -> History:
    """Line several assessments of one State up as one trajectory per recommendation.

    Args:
        assessments: Assessments of one State party: rounds of one rubric, or of
            several (lined up by their recommendations' themes). They are put in date
            order; assessments of one date keep the order they are given in.
        scales: Scales some assessments were made on, besides the bundled ones (an
            assessment ranks only with the scale its record names: same id, version and
            sha256).

    Raises:
        AssessmentError: no assessments, several States, one assessment given twice, or
            an assessment made on a scale that is neither bundled nor given.
    """
    from cat_rubric._ranking import scale_for, scale_name

    given = list(assessments)
    if not given:
        raise AssessmentError("no assessments: give at least one (cat-rubric score --format json)")
    states = sorted({a.state_party for a in given})
    if len(states) > 1:
        raise AssessmentError(
            f"a history follows one State party; these assessments are of {', '.join(states)}"
        )
    for i, a in enumerate(given):
        if any(a == b for b in given[:i]):
            raise AssessmentError(
                f"the assessment of {a.rubric} as of {a.as_of} ({a.cycle}) is given twice: it "
                "would show as two rounds; give each assessment once"
            )
    extra = tuple(scales)
    ordered = sorted(given, key=_as_of)  # stable: one date keeps the order given
    found: list[Scale] = []
    for a in ordered:
        scale = scale_for(a.record, extra)
        if scale is None:
            raise AssessmentError(
                f"the assessment of {a.rubric} as of {a.as_of} was made on scale "
                f"{scale_name(a.record)}, which is not bundled: give the scale file "
                "(--scale FILE, or scales=[load_scale(...)])"
            )
        found.append(scale)
    columns = tuple(
        Column(
            index=i,
            as_of=a.as_of,
            rubric=a.rubric,
            symbol=a.symbol,
            cycle=a.cycle,
            status=a.status,
            scale=scale_name(a.record),
        )
        for i, a in enumerate(ordered, start=1)
    )
    # Each scale found has the id and version its record names (`scale_for`).
    names = sorted({c.scale for c in columns})
    if len(names) == 1:
        axis = found[0].letters
        note = f"scale {names[0]}"

        def level(scale: Scale, letter: str) -> int:
            return scale.rank(letter)

    else:
        axis = CCPR_2016_LETTERS
        note = (
            f"several scales ({', '.join(names)}): each grade is placed at the ccpr-2016 "
            "letter its scale says it corresponds to, and labelled with its own letter"
        )

        def level(scale: Scale, letter: str) -> int:
            return len(axis) - 1 - axis.index(scale.grade(letter).ccpr_2016)

    points = [
        Point(
            column=i,
            rubric=a.rubric,
            symbol=a.symbol,
            recommendation=r.id,
            paragraph=r.paragraph,
            title=r.title,
            themes=r.themes,
            grade=r.grade,
            status=a.status,
            parts=tuple(PartGrade(part=p.id, grade=p.grade) for p in r.parts),
            level=None if r.grade is None else level(scale, r.grade),
        )
        for i, (a, scale) in enumerate(zip(ordered, found, strict=True), start=1)
        for r in a.recommendations
    ]
    one_rubric = len({a.rubric for a in ordered}) == 1
    tracks = _by_paragraph(points) if one_rubric else _by_theme(points)
    return History(state_party=states[0], columns=columns, tracks=tracks, axis=axis, axis_note=note)


def _as_of(a: Assessment) -> dt.date:
    return a.as_of


def _themes_words(themes: Sequence[str]) -> str:
    return f" [{', '.join(themes)}]" if themes else ""


def _by_recommendation(
    points: Sequence[Point], by: By, key: Callable[[Point], str], label: Callable[[Point], str]
) -> list[Track]:
    """A track per recommendation (rubric and paragraph) of *points*, in that order.

    Its *key* and *label* are those of its latest point.
    """
    tracks = []
    for found in sorted({(p.rubric, p.paragraph) for p in points}):
        mine = tuple(p for p in points if (p.rubric, p.paragraph) == found)
        tracks.append(Track(key=key(mine[-1]), by=by, label=label(mine[-1]), points=mine))
    return tracks


def _by_paragraph(points: Sequence[Point]) -> tuple[Track, ...]:
    # One rubric: its recommendations are its paragraphs.
    return tuple(
        _by_recommendation(
            points,
            By.PARAGRAPH,
            lambda p: f"paragraph {p.paragraph}",
            lambda p: f"para {p.paragraph}: {p.title}{_themes_words(p.themes)}",
        )
    )


def _by_theme(points: Sequence[Point]) -> tuple[Track, ...]:
    used = {t for p in points for t in p.themes}
    themes = [t for t in FOLLOW_UP_THEMES if t in used] + sorted(used - FOLLOW_UP_THEMES.keys())
    tracks = [
        Track(
            key=theme,
            by=By.THEME,
            label=f"{theme}: {FOLLOW_UP_THEMES[theme]}" if theme in FOLLOW_UP_THEMES else theme,
            points=tuple(p for p in points if theme in p.themes),
        )
        for theme in themes
    ]
    tracks += _by_recommendation(
        [p for p in points if not p.themes],
        By.UNMATCHED,
        lambda p: f"{p.rubric} paragraph {p.paragraph}",
        lambda p: f"{p.symbol} para {p.paragraph}: {p.title} (no theme)",
    )
    return tuple(tracks)


# -- rendering ---------------------------------------------------------------------------

_ABSENT: Final = "—"


def _cell(track: Track, column: int) -> str:
    """A track's grade(s) in one column, not yet escaped: ``B``, ``9:B; 12:C``, or blank."""
    here = track.at(column)
    if not here:
        return ""
    if len(here) == 1:
        return here[0].grade or _ABSENT
    return "; ".join(f"{p.paragraph}:{p.grade or _ABSENT}" for p in here)


def _parts_words(track: Track) -> str:
    """Each part's grade in each column: ``9a 1:B 2:B; 9b 1:A 2:B`` (not yet escaped)."""
    parts: dict[str, list[str]] = {}
    for p in track.points:
        for pg in p.parts:
            parts.setdefault(pg.part, []).append(f"{p.column}:{pg.grade or _ABSENT}")
    return "; ".join(f"{part} {' '.join(grades)}" for part, grades in parts.items())


def _column_words(c: Column) -> str:
    return f"{c.as_of} {c.symbol}, {c.cycle} ({c.status.value}; {c.scale})"


def _title(h: History) -> str:
    by = "paragraph" if any(t.by is By.PARAGRAPH for t in h.tracks) else "theme"
    n = len(h.columns)
    return (
        f"History of {h.state_party}: {n} assessment{'s' if n != 1 else ''}, lined up by "
        f"{by}; grades on {h.axis_note}"
    )


def _unmatched_words(h: History) -> str:
    n = len(h.unmatched)
    return (
        f"{n} recommendation{' has' if n == 1 else 's have'} no theme to line "
        f"{'it' if n == 1 else 'them'} up across concluding observations, and "
        f"{'is' if n == 1 else 'each is'} shown on its own: tag recommendations with "
        "themes: in their rubrics"
    )


def _grid(
    h: History, cell: Callable[[str, int | None], str], label: int | None, *, dated: bool
) -> tuple[list[list[str]], list[str]]:
    headers = ["track", *(f"{c.index}: {c.as_of}" if dated else str(c.index) for c in h.columns)]
    rows = [
        [cell(t.label, label), *(cell(_cell(t, c.index), None) for c in h.columns)]
        for t in h.tracks
    ]
    return rows, headers


def history_table(h: History, width: int = 80) -> str:
    """The history as terminal text fitted to *width*.

    The assessments, the tracks' table (labels shortened, or columns numbered, to fit)
    and the parts' grades; long lines are wrapped, never cut.
    """
    from cat_rubric._render import _table, wrap
    from cat_rubric._text import one_line

    def cell(text: str, size: int | None) -> str:
        return one_line(text, size)

    out = [*wrap(one_line(_title(h)), width), ""]
    for c in h.columns:
        out += wrap(one_line(_column_words(c)), width, f"{c.index}. ", " " * len(f"{c.index}. "))
    # The labels matter more than the dates in the headers, which the list above gives.
    for label, dated in ((48, True), (48, False), (32, False), (20, False)):
        table = _table(*_grid(h, cell, label, dated=dated))
        if max(len(line) for line in table.splitlines()) <= width:
            break
    out += ["", table, ""]
    for t in h.tracks:
        out += wrap(one_line(f"{t.label} — parts: {_parts_words(t)}"), width, "- ", "  ")
    if h.unmatched:
        out += ["", *wrap(_unmatched_words(h), width)]
    return "\n".join(out)


def history_markdown(h: History) -> str:
    """The history as Markdown (charts are in the HTML: `history_html`)."""
    from cat_rubric._render import _table
    from cat_rubric._text import markdown

    out = [f"# {markdown(_title(h))}", ""]
    out += [f"{c.index}. {markdown(_column_words(c))}" for c in h.columns]
    out += ["", _table(*_grid(h, markdown, None, dated=True), "github"), ""]
    out += [f"- {markdown(f'{t.label} — parts: {_parts_words(t)}')}" for t in h.tracks]
    if h.unmatched:
        out += ["", markdown(_unmatched_words(h))]
    return "\n".join(out)


def _esc(text: str, width: int | None = None) -> str:
    """Untrusted text for HTML or SVG: inert, on one line, entity-escaped."""
    from cat_rubric._text import one_line

    return html.escape(one_line(text, width), quote=True)


# Chart geometry, in pixels (integers, so the SVG text is the same on every machine).
_LEFT: Final = 84
_TOP: Final = 16
_ROW: Final = 28
_COL: Final = 96
_BOX_W: Final = 30
_BOX_H: Final = 20


def track_svg(h: History, track: Track) -> str:
    """*track*'s chart: one column per assessment, one row per letter of `History.axis`.

    Every grade is a box in its palette colours with its letter written in it, so the
    colour is never the only signal; an ungraded point is a dashed box marked "—" in a
    row of its own. The line joins each column's lowest grade. The text is
    deterministic and every string from the inputs is escaped.
    """
    rows = len(h.axis) + 1  # the letters, and "not graded"
    width = _LEFT + _COL * len(h.columns) + 8
    height = _TOP + _ROW * rows + 34
    title = f"{track.label}: " + ", ".join(
        f"{h.columns[p.column - 1].as_of} {p.symbol} para {p.paragraph} {p.grade or p.status.value}"
        for p in track.points
    )

    def y(level: int | None) -> int:
        row = rows - 1 if level is None else len(h.axis) - 1 - level
        return _TOP + _ROW * row + _ROW // 2

    def x(column: int) -> int:
        return _LEFT + _COL * (column - 1) + _COL // 2

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{_esc(title)}</title>",
    ]
    for i, letter in enumerate([*h.axis, _ABSENT]):
        cy = _TOP + _ROW * i + _ROW // 2
        out.append(f'<line x1="{_LEFT}" y1="{cy}" x2="{width - 8}" y2="{cy}" stroke="#e0e0e0"/>')
        name = "not graded" if letter == _ABSENT else letter
        out.append(f'<text x="{_LEFT - 8}" y="{cy + 4}" text-anchor="end">{_esc(name, 12)}</text>')
    for c in h.columns:
        out.append(
            f'<text x="{x(c.index)}" y="{height - 12}" text-anchor="middle" '
            f'font-size="10">{c.as_of}</text>'
        )
    lowest = []
    for c in h.columns:
        graded = [p for p in track.at(c.index) if p.level is not None]
        if graded:
            lowest.append((x(c.index), y(min(p.level for p in graded if p.level is not None))))
    if len(lowest) > 1:
        path = " ".join(f"{px},{py}" for px, py in lowest)
        out.append(f'<polyline points="{path}" fill="none" stroke="#555555" stroke-width="2"/>')
    for c in h.columns:
        here = track.at(c.index)
        for k, p in enumerate(here):
            cx = x(c.index) + (k - (len(here) - 1) / 2) * (_BOX_W + 4)
            left, top = round(cx - _BOX_W / 2), y(p.level) - _BOX_H // 2
            tip = (
                f"{c.as_of} {p.symbol} para {p.paragraph}: "
                f"{p.grade if p.grade is not None else p.status.value}"
            )
            if p.grade is None:
                box = 'fill="#ffffff" stroke="#1a1a1a" stroke-dasharray="3 2"'
                ink, letter = "#1a1a1a", _ABSENT
            else:
                background, ink = grade_colours(p.grade)
                box = f'fill="{background}" stroke="#1a1a1a"'
                letter = p.grade
            out.append(
                f"<g><title>{_esc(tip)}</title>"
                f'<rect x="{left}" y="{top}" width="{_BOX_W}" height="{_BOX_H}" rx="3" {box}/>'
                f'<text x="{left + _BOX_W // 2}" y="{top + 14}" text-anchor="middle" '
                f'fill="{ink}" font-weight="bold">{_esc(letter, 4)}</text></g>'
            )
    out.append("</svg>")
    return "\n".join(out)


def history_fragment(h: History) -> str:
    """The history as an HTML fragment: the table with coloured, lettered cells, and charts."""
    return _fragment(h, _inline_colours)


def _inline_colours(letter: str) -> str:
    """A graded cell's colours as its own ``style`` attribute (for a notebook)."""
    background, ink = grade_colours(letter)
    return f' style="background:{background};color:{ink}"'


def _colour_class(letter: str) -> str:
    """A graded cell's colours as a class of `history_html`'s stylesheet (`_PAGE_STYLE`)."""
    return f' class="g-{_CLASSES[grade_colours(letter)]}"'


def _fragment(h: History, colours: Callable[[str], str]) -> str:
    """`history_fragment`, a graded cell's colours given by *colours* (its attribute)."""
    out = [
        f"<h1>History of {_esc(h.state_party)}</h1>",
        f"<p>Grades on {_esc(h.axis_note)}.</p>",
        "<ol>",
        *(f"<li>{_esc(_column_words(c))}</li>" for c in h.columns),
        "</ol>",
        '<table class="history">',
        "<thead><tr><th>track</th>"
        + "".join(f"<th>{c.index}: {c.as_of}</th>" for c in h.columns)
        + "</tr></thead><tbody>",
    ]
    for t in h.tracks:
        cells = []
        for c in h.columns:
            here = t.at(c.index)
            if len(here) == 1 and here[0].grade is not None:
                cells.append(f"<td{colours(here[0].grade)}>{_esc(here[0].grade)}</td>")
            else:
                cells.append(f"<td>{_esc(_cell(t, c.index))}</td>")
        out.append(f"<tr><th>{_esc(t.label)}</th>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    for t in h.tracks:
        out.append(f"<h2>{_esc(t.label)}</h2>")
        out.append(track_svg(h, t))
        out.append(f"<p>Parts (column:grade): {_esc(_parts_words(t))}</p>")
    return "\n".join(out)


#: The palette's colour pairs by the class `history_html`'s cells take for them.
_COLOURS: Final = {**GRADE_COLOURS, "none": UNGRADED}
_CLASSES: Final = {colours: key for key, colours in _COLOURS.items()}
#: `history_html`'s stylesheet, the only style its Content-Security-Policy allows: the
#: grade colours are classes (``g-A`` … ``g-E``, ``g-none``), not ``style`` attributes.
_PAGE_STYLE: Final = (
    "body{font-family:sans-serif;margin:2em}"
    "table.history{border-collapse:collapse}"
    "table.history th,table.history td{border:1px solid #999;padding:2px 8px}"
    "table.history td{text-align:center;font-weight:bold}"
    + "".join(
        f"table.history td.g-{key}{{background:{background};color:{ink}}}"
        for key, (background, ink) in _COLOURS.items()
    )
)


def history_html(h: History) -> str:
    """The history as one self-contained HTML page.

    Its Content-Security-Policy forbids every request and every script and allows one
    style, the page's own stylesheet, by its sha256; the grade colours are classes of
    that stylesheet. Every string from the inputs is escaped.
    """
    from cat_rubric._csp import page_policy

    policy = page_policy(_PAGE_STYLE)
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
            f"<title>History of {_esc(h.state_party)}</title>",
            f"<style>{_PAGE_STYLE}</style>",
            "</head>",
            "<body>",
            _fragment(h, _colour_class),
            "</body>",
            "</html>",
        ]
    )


__all__ = [
    "FOLLOW_UP_THEMES",
    "HISTORY_FORMAT",
    "By",
    "Column",
    "History",
    "PartGrade",
    "Point",
    "Track",
    "history",
    "history_fragment",
    "history_html",
    "history_markdown",
    "history_table",
    "track_svg",
]
