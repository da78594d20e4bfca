"""The two comparisons as terminal text and as Markdown.

Each comparison is first laid out as titled sections of *logical lines*, a bullet depth
and text not yet escaped (`_sections`, `_rubric_sections`); the terminal text then
wraps each line to a width with `cat_rubric._render.wrap` (never cutting it) after
`one_line`, and the Markdown escapes it with `cat_rubric._text.markdown`. Every id,
title and file name in the text comes from the inputs, so nothing is written unescaped.

The HTML (the report's section, and the page of ``cat-rubric diff --format html``) is
in `cat_rubric._compare_report`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from cat_rubric._comparison import ABSENT, Change, Comparison, Edit, ItemRef, Side
from cat_rubric._evidence import Finding
from cat_rubric._render import _table, count, wrap
from cat_rubric._rubric_diff import Impact, RubricComparison, RubricSide
from cat_rubric._text import markdown, one_line

#: A logical line: (bullet depth, text not yet escaped). Depth 0 is a plain line.
_Line = tuple[int, str]
_Sections = list[tuple[str, list[_Line]]]


def _text_lines(depth: int, text: str, width: int) -> list[str]:
    """A logical line as terminal text: a bullet indented by depth, wrapped to *width*."""
    first = "" if depth == 0 else "  " * (depth - 1) + "- "
    return wrap(one_line(text), width, first, " " * len(first))


def _markdown_line(depth: int, text: str) -> str:
    """A logical line as Markdown: a bullet nested by depth, or a paragraph's line."""
    return markdown(text) if depth == 0 else f"{'  ' * (depth - 1)}- {markdown(text)}"


# -- two assessments ---------------------------------------------------------------------


def _f(finding: Finding | None) -> str:
    return ABSENT if finding is None else finding.value


def _g(grade: str | None) -> str:
    return grade or ABSENT


def _refs(refs: Sequence[ItemRef]) -> str:
    return ", ".join(f"{r.item} ({r.source_kind.value}): {r.finding.value}" for r in refs)


def count_words(c: Comparison) -> str:
    """The comparison in one sentence: how parts moved, and how many of each change."""
    moved = [f"{c.count(k)} {k.value}" for k in Change if c.count(k) and k is not Change.UNCHANGED]
    opened = sum(1 for d in c.disputes if d.opened)
    edits = {e: sum(1 for i in c.evidence if i.edit is e) for e in Edit}
    return (
        f"{count(len(c.parts), 'part')}: "
        f"{', '.join([*moved, f'{c.count(Change.UNCHANGED)} unchanged'])}; "
        f"{count(len(c.criteria), 'criterion', 'criteria')} changed; "
        f"{count(opened, 'dispute')} opened, {len(c.disputes) - opened} resolved; "
        f"{count(len(c.overrides), 'override')} changed; "
        f"{count(edits[Edit.ADDED], 'item')} added, {edits[Edit.REMOVED]} removed, "
        f"{edits[Edit.CHANGED]} changed"
    )


def side_words(s: Side) -> str:
    """One side of the comparison in words: cycle, date, status, files, policy, scale."""
    return (
        f"{s.cycle}, as of {s.as_of}, {s.status.value}; "
        f"{count(len(s.evidence), 'evidence file')}; policy {s.policy}; scale {s.scale}"
    )


def ranking_words(c: Comparison) -> str:
    """The scale grades are ranked on, or why they are not ranked."""
    if c.ranked_on:
        return f"grades ranked on scale {c.ranked_on}"
    return f"grades not ranked: {c.unranked or ''}"


def _sections(c: Comparison) -> _Sections:
    """The comparison after its table, as titled sections of logical lines."""
    why: list[_Line] = []
    for p in c.parts:
        if not p.reasons:
            continue
        then = _g(p.grade_then) if p.then is not None else "absent"
        now = _g(p.grade_now) if p.now is not None else "absent"
        though = ", though" if p.change is Change.UNCHANGED else ""
        why.append((1, f"{p.part} {p.change.value} ({then} → {now}){though}:"))
        why += [(2, r.text) for r in p.reasons]
    disputes: list[_Line] = []
    for d in c.disputes:
        verb = "opened" if d.opened else "resolved"
        counted = d.counted_now if d.opened else d.counted_then
        disputes.append(
            (
                1,
                f"{verb}: {d.criterion} (part {d.part}): State [{_refs(d.state)}] vs independent "
                f"[{_refs(d.independent)}]; counted {_f(counted)}",
            )
        )
    overrides: list[_Line] = [
        (
            1,
            f"{o.target}: {o.why.value} ({_g(o.then)} → {_g(o.now)}), by {o.by} in {o.file} — "
            f"{o.reason}",
        )
        for o in c.overrides
    ]
    evidence: list[_Line] = []
    for e in c.evidence:
        gone = e.edit is Edit.REMOVED
        crit = e.criteria_then if gone else e.criteria_now
        finding = e.finding_then if gone else e.finding_now
        use = e.use_then if gone else e.use_now
        was = (
            f" (was {_f(e.finding_then)} on {', '.join(e.criteria_then)})"
            if e.edit is Edit.CHANGED
            else ""
        )
        reason = f": {e.reason}" if e.reason else ""
        evidence.append(
            (
                1,
                f"{e.edit.value}: {e.file} {e.item} ({e.source_kind.value}) on {', '.join(crit)}: "
                f"{_f(finding)}{was}, {use.value if use else ABSENT}{reason}",
            )
        )
    recs: list[_Line] = [
        (1, f"para {r.paragraph} ({r.title}): {_g(r.then)} → {_g(r.now)}, {r.change.value}")
        for r in c.recommendations
        if r.change is not Change.UNCHANGED
    ]
    same = [r for r in c.recommendations if r.change is Change.UNCHANGED]
    if same:
        listing = ", ".join(f"para {r.paragraph} {_g(r.now)}" for r in same)
        recs.append((1, f"unchanged: {listing}"))
    return [
        ("Why parts moved", why),
        ("Recommendations", recs),
        ("Disputes opened or resolved", disputes),
        ("Overrides", overrides),
        ("Evidence added, removed or changed", evidence),
    ]


def _head(c: Comparison) -> list[str]:
    return [f"old: {side_words(c.old)}", f"new: {side_words(c.new)}", ranking_words(c)]


def _part_rows(c: Comparison, cell: Callable[[str], str]) -> list[list[str]]:
    return [
        [
            str(p.paragraph),
            cell(p.part),
            cell(_g(p.grade_then) if p.then is not None else "(absent)"),
            cell(_g(p.grade_now) if p.now is not None else "(absent)"),
            p.change.value,
        ]
        for p in c.parts
    ]


_PART_HEADERS: Final = ["para", "part", "then", "now", "change"]


def title(c: Comparison) -> str:
    """The comparison's title (not yet escaped)."""
    return f"{c.new.symbol} — {c.new.state_party}: what changed"


def comparison_table(c: Comparison, width: int = 80) -> str:
    """The comparison as terminal text fitted to *width*: the parts, then why they moved.

    Long lines are wrapped, never cut (`cat_rubric._render.wrap`).
    """
    out = [line for text in (title(c), *_head(c)) for line in _text_lines(0, text, width)]
    out.append("")
    if c.context:
        out.append("What differs:")
        for f in c.context:
            out += _text_lines(1, f"{f.field}: {f.then} → {f.now}", width)
        out.append("")
    out += [_table(_part_rows(c, one_line), _PART_HEADERS), ""]
    for name, body in _sections(c):
        out.append(f"{name}:" if body else f"{name}: none")
        for depth, text in body:
            out += _text_lines(depth, text, width)
        out.append("")
    out += _text_lines(0, count_words(c), width)
    return "\n".join(out)


def comparison_markdown(c: Comparison) -> str:
    """The comparison as Markdown: a table of the parts and a section per kind of change."""
    out = [f"# {markdown(title(c))}", "", *(_markdown_line(1, line) for line in _head(c)), ""]
    if c.context:
        out += ["## What differs", ""]
        out += [_markdown_line(1, f"{f.field}: {f.then} → {f.now}") for f in c.context]
        out.append("")
    out += ["## Parts", "", _table(_part_rows(c, markdown), _PART_HEADERS, "github"), ""]
    for name, body in _sections(c):
        out += [f"## {name}", ""]
        out += [_markdown_line(depth, text) for depth, text in body] or ["none"]
        out.append("")
    out.append(markdown(count_words(c)))
    return "\n".join(out)


# -- two versions of a rubric ------------------------------------------------------------

_AGAINST: Final = {
    "old": "gathered against the old version (its rubric_sha256)",
    "new": "gathered against the new version (its rubric_sha256)",
    "neither": "its rubric_sha256 is of neither version",
    "unknown": "records no rubric_sha256 (or a version is not from a file)",
}


def _rubric_sections(rc: RubricComparison) -> tuple[str, _Sections]:
    """The rubric comparison's title, and its sections of logical lines."""

    def side(s: RubricSide) -> str:
        return f"{s.id} ({s.file}, sha256 {s.sha256[:12]})"

    heading = f"{rc.new.symbol}: rubric {side(rc.old)} → {side(rc.new)}"
    header: list[_Line] = [(1, f"{f.field}: {f.old} → {f.new}") for f in rc.header]
    header += [
        (1, f"renumbered: {r.recommendation} paragraph {r.old} → {r.new}") for r in rc.renumbered
    ]
    if rc.empty:
        header = [(0, "the two versions are the same, field for field")]
    sections: _Sections = [("", header)]
    for name, changes in (
        ("Recommendations", rc.recommendations),
        ("Parts", rc.parts),
        ("Criteria", rc.criteria),
    ):
        if changes:
            body: list[_Line] = []
            for ch in changes:
                body.append((1, f"{', '.join(ch.kinds)}: {ch.id}"))
                body += [(2, f"{f.field}: {f.old} → {f.new}") for f in ch.fields]
            sections.append((name, body))
    if rc.evidence or rc.affected:
        body = [(1, f"{e.file}: {_AGAINST[e.against]}") for e in rc.evidence]
        body += [
            (
                1,
                f"{a.impact.value}: {a.file} {'override' if a.override else 'item'} {a.item} — "
                f"{a.detail}",
            )
            for a in rc.affected
        ]
        if not rc.affected:
            body.append((1, "no item or override names a criterion or part that changed"))
        sections.append(("Evidence gathered against the old version", body))
    edits = [
        f"{count(sum(1 for ch in changes if ch.edit is e), noun, plural)} {e.value}"
        for noun, plural, changes in (
            ("recommendation", None, rc.recommendations),
            ("part", None, rc.parts),
            ("criterion", "criteria", rc.criteria),
        )
        for e in Edit
        if any(ch.edit is e for ch in changes)
    ]
    removed = sum(1 for a in rc.affected if a.impact is Impact.CRITERION_REMOVED)
    summary = (
        f"{'; '.join(edits) or 'no element changed'}; {len(rc.renumbered)} renumbered; "
        f"{count(len(rc.affected), 'evidence entry', 'evidence entries')} affected "
        f"({removed} on removed criteria)"
    )
    sections.append(("", [(0, summary)]))
    return heading, sections


def rubric_comparison_table(rc: RubricComparison, width: int = 80) -> str:
    """The rubric comparison as terminal text, wrapped to *width*, never cut."""
    heading, sections = _rubric_sections(rc)
    out = _text_lines(0, heading, width)
    for name, body in sections:
        out.append("")
        if name:
            out.append(f"{name}:")
        for depth, text in body:
            out += _text_lines(depth, text, width)
    return "\n".join(out)


def rubric_comparison_markdown(rc: RubricComparison) -> str:
    """The rubric comparison as Markdown."""
    heading, sections = _rubric_sections(rc)
    out = [f"# {markdown(heading)}"]
    for name, body in sections:
        out.append("")
        if name:
            out += [f"## {name}", ""]
        out += [_markdown_line(depth, text) for depth, text in body]
    return "\n".join(out)


__all__ = [
    "comparison_markdown",
    "comparison_table",
    "count_words",
    "ranking_words",
    "rubric_comparison_markdown",
    "rubric_comparison_table",
    "side_words",
    "title",
]
