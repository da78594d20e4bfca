"""Rendering rubrics and assessments for people: terminal text, Markdown, and explain's JSON.

Tables are laid out by `_table`, which writes what tabulate's ``simple`` and ``github``
formats write for single-line text cells (``disable_numparse=True``, no wide-character
widths), without tabulate's import (about 20 ms of start-up, most of it
importlib.metadata). tabulate is imported only by `rubric_table`, whose long cells it
wraps; this module is imported only when something is rendered.

The assessment's terminal text (`assessment_table`, `explain_text`) is fitted to a width
(the command line passes the terminal's): long text is wrapped by `wrap`, never cut, and
a table is shown only where it fits, a list otherwise. Widths count code points, so a
wide (East Asian) character counts as one column, as in `_table`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Final, Literal

from cat_rubric._model import Rubric
from cat_rubric._result import Assessment, Conflict, CriterionResult, ItemUse, PartResult, Use
from cat_rubric._scales import Scale
from cat_rubric._text import markdown, one_line


def _table(
    rows: Sequence[Sequence[str]],
    headers: Sequence[str],
    style: Literal["simple", "github"] = "simple",
) -> str:
    """*rows* under *headers* as tabulate's ``simple`` or ``github`` table, left-aligned.

    Each cell must be one line of inert text (`one_line`, `markdown`, or text of our own),
    so no cell holds a line break or a terminal escape. As in tabulate, cells are
    stripped, a column is at least its header's width plus 2, and ``simple`` rows lose
    their trailing spaces.
    """
    body = [[cell.strip() for cell in row] for row in rows]
    widths = [len(h) + 2 for h in headers]
    for row in body:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    if style == "github":

        def line(cells: Sequence[str]) -> str:
            return "|" + "|".join(f" {c:<{w}} " for c, w in zip(cells, widths, strict=True)) + "|"

        rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    else:

        def line(cells: Sequence[str]) -> str:
            return "  ".join(f"{c:<{w}}" for c, w in zip(cells, widths, strict=True)).rstrip()

        rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *map(line, body)])


def _header(rubric: Rubric) -> list[str]:
    session = f", session {rubric.session}" if rubric.session is not None else ""
    paragraphs = ", ".join(str(n) for n in rubric.follow_up.recommendations)
    due = f"due {rubric.due}" if rubric.due else "no due date"
    return [
        f"{one_line(rubric.symbol)} — {one_line(rubric.state_party)} — {one_line(rubric.title)}",
        f"{one_line(rubric.treaty_body)}{session}, adopted {rubric.adopted}; "
        f"follow-up on paragraphs {paragraphs}, {due}; scale {one_line(rubric.scale)}",
    ]


def _rows(rubric: Rubric) -> list[list[str]]:
    return [
        [
            f"{rec.paragraph}",
            one_line(part.id),
            one_line(crit.id),
            one_line(crit.statement),
            crit.indicator.value,
            "yes" if crit.essential else "",
            f"{crit.weight:g}",
        ]
        for rec, part, crit in rubric.iter_criteria()
    ]


_HEADERS = ["para", "part", "criterion", "statement", "indicator", "essential", "weight"]


def rubric_table(rubric: Rubric) -> str:
    """The rubric as a terminal table: one row per criterion."""
    from tabulate import tabulate  # only this table wraps its cells

    table = tabulate(
        _rows(rubric),
        headers=_HEADERS,
        tablefmt="simple",
        maxcolwidths=[None, None, 28, 60, None, None, None],
        disable_numparse=True,
    )
    return "\n".join([*_header(rubric), "", table])


def rubric_markdown(rubric: Rubric) -> str:
    """The rubric as Markdown: a heading per recommendation, a table of its criteria."""
    lines = [f"# {markdown(_header(rubric)[0])}", "", markdown(_header(rubric)[1]), ""]
    for rec in rubric.recommendations:
        lines += [f"## Paragraph {rec.paragraph}: {markdown(rec.title)}", ""]
        lines += [f"> {markdown(rec.recommendation)}", ""]
        rows = [
            [
                markdown(part.id),
                markdown(crit.id),
                markdown(crit.statement),
                crit.indicator.value,
                "yes" if crit.essential else "",
                f"{crit.weight:g}",
            ]
            for part in rec.parts
            for crit in part.criteria
        ]
        lines.append(_table(rows, _HEADERS[1:], "github"))
        lines.append("")
    return "\n".join(lines)


def rubric_list(rubrics: Sequence[Rubric]) -> str:
    """A table of rubrics: id, symbol, State party, adoption, follow-up."""
    rows = [
        [
            one_line(r.id),
            one_line(r.symbol),
            one_line(r.state_party),
            str(r.adopted),
            ", ".join(str(n) for n in r.follow_up.recommendations),
            str(r.due or ""),
        ]
        for r in rubrics
    ]
    return _table(rows, ["id", "symbol", "State party", "adopted", "follow-up paras", "due"])


# -- fitting text to a width -------------------------------------------------------------

#: The width when the terminal's cannot be known (output piped, or written with ``-o``).
DEFAULT_WIDTH: Final = 80
#: Narrower widths are taken as this one: indents and table rules need some room.
MIN_WIDTH: Final = 30


def wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    """*text* broken at spaces into lines of at most *width* characters, nothing cut.

    *first* begins the first line and *rest* (default: *first*) every following one.
    A word longer than a line stands alone on its line: nothing is ever cut, so joining
    the lines (without their prefixes) with single spaces gives *text* back, its
    whitespace runs made single spaces. *text* must be inert one-line text (`one_line`,
    `markdown`, or text of our own). Widths are counted in code points, as `_table`
    counts them.
    """
    rest = first if rest is None else rest
    lines: list[str] = []
    prefix, line = first, ""
    for word in text.split():
        if not line:
            line = word
        elif len(prefix) + len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(prefix + line)
            prefix, line = rest, word
    lines.append((prefix + line).rstrip())
    return lines


def count(n: int, singular: str, plural: str | None = None) -> str:
    """*n* and the noun in the number *n* takes: ``1 part``, ``2 parts``, ``0 criteria``."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def _fitted(rows: Sequence[Sequence[str]], headers: Sequence[str], width: int) -> str | None:
    """The `_table` of *rows*, or None when one of its lines is wider than *width*."""
    table = _table(rows, headers)
    if max(len(line) for line in table.splitlines()) > width:
        return None
    return table


# -- assessments ---------------------------------------------------------------------


def _assessment_header(a: Assessment) -> list[str]:
    if a.reply_received:
        reply = f"reply received {a.reply_date}"
    else:
        reply = "no reply"
    reminders = ", ".join(str(d) for d in a.reminders) or "none"
    return [
        f"{one_line(a.symbol)} — {one_line(a.state_party)} — {one_line(a.cycle)}",
        f"as of {a.as_of}; due {a.due or '—'}; {reply}; reminders: {reminders}",
        f"scale {one_line(a.record.scale)} v{a.record.scale_version} ({_scale_source(a)})",
        f"conflict policy {one_line(a.record.policy)}; status {a.status.value}",
    ]


def _wrapped_header(a: Assessment, width: int) -> list[str]:
    return [line for head in _assessment_header(a) for line in wrap(head, width, "", "  ")]


def _scale_source(a: Assessment) -> str:
    """Where the scale came from, and the start of its sha256: a swapped scale shows."""
    used = a.record.scale_file
    where = "bundled" if used.bundled else f"from {one_line(used.file)}"
    return f"{where}, sha256 {used.sha256[:12]}"


def _score_cell(part: PartResult) -> str:
    earned = part.score.value * part.score.weight_total
    return f"{part.score.value:.2f} ({earned:g}/{part.score.weight_total:g})"


def _grade_cell(part: PartResult) -> str:
    """The part's letter, and the engine's when an analyst's override replaced it (raw)."""
    grade = part.grade or "—"
    if part.override is not None and part.override.applied:
        grade += f" (override; engine {part.engine_grade})"
    return grade


def _summary(a: Assessment) -> str:
    grades = [p.grade for p in a.parts]
    counts = Counter(g for g in grades if g is not None)
    shown = ", ".join(f"{n} {one_line(g)}" for g, n in sorted(counts.items()))
    ungraded = sum(1 for g in grades if g is None)
    bits = [f"{count(len(grades), 'part')}: {shown or 'none graded'}"]
    if ungraded:
        bits.append(f"{ungraded} not graded ({a.status.value})")
    disputed = sum(1 for p in a.parts for c in p.criteria if c.disputed)
    bits.append(count(disputed, "disputed criterion", "disputed criteria"))
    bits.append(count(sum(1 for o in a.overrides if o.applied), "override"))
    ignored = sum(1 for u in a.items if u.use is Use.IGNORED)
    bits.append(f"{count(len(a.items), 'evidence use')} ({ignored} ignored)")
    return "; ".join(bits)


_ASSESSMENT_HEADERS = ["para", "part", "grade", "score", "information", "key reason"]


def _part_rows(a: Assessment, cell: Callable[[str], str], *, reason: bool) -> list[list[str]]:
    """A row per part under `_ASSESSMENT_HEADERS`, its text made safe by *cell*.

    The key reason, the last column, only if *reason*.
    """
    return [
        [
            str(rec.paragraph),
            cell(part.id),
            cell(_grade_cell(part)),
            _score_cell(part),
            cell(part.information_quality or ""),
            *([cell(part.reason)] if reason else []),
        ]
        for rec in a.recommendations
        for part in rec.parts
    ]


def assessment_table(a: Assessment, width: int = DEFAULT_WIDTH) -> str:
    """The assessment for a terminal *width* columns wide, with roll-ups, conflicts, overrides.

    A table of the parts (paragraph, part, grade, score, information quality) with each
    part's key reason listed below it; where even that table is wider than *width*,
    each part is a short block instead. Long text is wrapped onto following lines,
    never cut; only a word longer than a line runs past *width*.
    """
    width = max(width, MIN_WIDTH)
    rows = _part_rows(a, one_line, reason=False)
    lines = [*_wrapped_header(a, width), ""]
    table = _fitted(rows, _ASSESSMENT_HEADERS[:-1], width)
    if table is not None:
        lines += [table, "", "key reasons:"]
        for part in a.parts:
            lines += wrap(f"{one_line(part.id)}: {one_line(part.reason)}", width, "- ", "  ")
    else:
        for (para, part_id, grade, score, quality), part in zip(rows, a.parts, strict=True):
            info = f"; information {quality}" if quality else ""
            entry = (
                f"{part_id} (para {para}): {grade}; score {score}{info} — {one_line(part.reason)}"
            )
            lines += wrap(entry, width, "- ", "  ")
    lines.append("")
    for rec in a.recommendations:
        rollup = (
            f"para {rec.paragraph} ({one_line(rec.title)}): {one_line(rec.grade or '—')} — "
            f"{one_line(rec.rollup)}"
        )
        lines += wrap(rollup, width, "", "  ")
    for block in (_conflict_lines(a, one_line), _override_lines(a, one_line)):
        if block:
            lines += ["", block[0]]
            lines += [line for entry in block[1:] for line in wrap(entry, width, "- ", "  ")]
    lines += ["", *wrap(_summary(a), width, "", "  ")]
    return "\n".join(lines)


def _conflict_lines(a: Assessment, cell: Callable[[str], str]) -> list[str]:
    """A heading and one entry per conflict (without its ``- ``), or nothing."""
    out = []
    for part in a.parts:
        for c in part.conflicts:
            mark = "DISPUTED" if c.disputed else "sources differ"
            out.append(
                f"{mark}: {cell(c.criterion)} (part {cell(part.id)}): State "
                f"[{cell('; '.join(c.state) or 'none')}] vs independent "
                f"[{cell('; '.join(c.independent) or 'none')}]; counted: {c.counted.value}"
            )
    return ["Conflicts between sources:", *out] if out else []


def _override_lines(a: Assessment, cell: Callable[[str], str]) -> list[str]:
    """A heading and one entry per override (without its ``- ``), or nothing."""
    out = []
    for o in a.overrides:
        state = "applied" if o.applied else f"LAPSED on {o.until}"
        out.append(
            f"{cell(o.target)}: {cell(o.value)} (engine: {cell(o.engine)}), "
            f"by {cell(o.by)} on {o.date}, {state} — {cell(o.reason)}"
        )
    return ["Analyst overrides:", *out] if out else []


def assessment_markdown(a: Assessment) -> str:
    """The assessment as Markdown; every text from the inputs is escaped, nothing is cut."""
    head = _assessment_header(a)
    table = _table(_part_rows(a, markdown, reason=True), _ASSESSMENT_HEADERS, "github")
    lines = [f"# {markdown(head[0])}", "", *(markdown(h) + "  " for h in head[1:]), "", table, ""]
    lines += ["## Recommendations", ""]
    for rec in a.recommendations:
        lines.append(
            f"- para {rec.paragraph} ({markdown(rec.title)}): **{markdown(rec.grade or '—')}** — "
            f"{markdown(rec.rollup)}"
        )
    for block in (_conflict_lines(a, markdown), _override_lines(a, markdown)):
        if block:
            lines += ["", f"## {block[0].rstrip(':')}", *(f"- {entry}" for entry in block[1:])]
    lines += ["", markdown(_summary(a))]
    return "\n".join(lines) + "\n"


# -- explanations ----------------------------------------------------------------------

#: The version of the JSON document `explain_json` writes (see docs/json.md).
EXPLANATION_FORMAT: Final = "cat-rubric-explanation/1"

_WEIGHTS = "(implemented 1, partially_implemented 0.5, initiated 0.25, other 0)"
_CRITERIA_HEADERS = ["criterion", "essential", "weight", "counts as", "State", "independent"]


def _selected(a: Assessment, part_id: str | None) -> list[PartResult]:
    return [a.part(part_id)] if part_id is not None else list(a.parts)


def _uses(a: Assessment, part: PartResult) -> list[ItemUse]:
    """The item records about *part*'s criteria, in the assessment's order."""
    criteria = {c.id for c in part.criteria}
    return [u for u in a.items if u.criterion in criteria]


def explain_text(a: Assessment, part_id: str | None = None, width: int = DEFAULT_WIDTH) -> str:
    """Why each part (or one part) got its grade: rule, criteria, evidence, what is missing.

    Fitted to *width* columns as `assessment_table` is: the criteria are a table when
    it fits and a list otherwise, and every reason, citation and passage is shown in
    full, wrapped.
    """
    width = max(width, MIN_WIDTH)
    out = [*_wrapped_header(a, width), ""]
    for part in _selected(a, part_id):
        out += _explain_part(a, part, width)
    return "\n".join(out)


def _finding_cell(c: CriterionResult) -> str:
    finding = c.finding.value
    if c.finding is not c.engine_finding:
        finding += f" (override; engine {c.engine_finding.value})"
    return finding


def _criteria_rows(part: PartResult, cell: Callable[[str], str]) -> list[list[str]]:
    """A row per criterion of *part*, its text made safe by *cell*.

    The columns are `_CRITERIA_HEADERS`, then the dispute mark and the items.
    """
    return [
        [
            cell(c.id),
            "yes" if c.essential else "",
            f"{c.weight:g}",
            _finding_cell(c),
            c.state_finding.value if c.state_finding else "—",
            c.independent_finding.value if c.independent_finding else "—",
            "DISPUTED" if c.disputed else "",
            cell(", ".join(c.items)),
        ]
        for c in part.criteria
    ]


def _override_text(part: PartResult, cell: Callable[[str], str]) -> str | None:
    o = part.override
    if o is None:
        return None
    state = "applied" if o.applied else f"lapsed on {o.until}"
    return (
        f"{cell(o.value)} by {cell(o.by)} on {o.date} ({state}); the engine said "
        f"{cell(o.engine)}; reason: {cell(o.reason)}"
    )


def _conflict_text(conflict: Conflict, cell: Callable[[str], str]) -> str:
    state = cell("; ".join(conflict.state) or "none")
    independent = cell("; ".join(conflict.independent) or "none")
    return (
        f"{cell(conflict.criterion)}: State [{state}] vs independent [{independent}] → "
        f"{conflict.counted.value}"
    )


def _what_if_text(part: PartResult, cell: Callable[[str], str]) -> str | None:
    w = part.what_if
    if w is None:
        return None
    alt = f" (or instead of the first: {cell(', '.join(w.alternatives))})" if w.alternatives else ""
    return f"to reach {cell(w.grade)}: {cell('; '.join(w.changes))}{alt}"


def _use_head(u: ItemUse, cell: Callable[[str], str]) -> str:
    why = f" — {cell(u.reason)}" if u.reason else ""
    return (
        f"{cell(u.item)} [{u.source_kind.value}] on {cell(u.criterion)}: "
        f"{u.finding.value}→{u.effective.value}, {u.use.value}{why}"
    )


def _explain_part(a: Assessment, part: PartResult, width: int) -> list[str]:
    out = wrap(f"== part {one_line(part.id)}: {one_line(part.title)}", width, "", "   ")
    grade = one_line(part.grade or "not graded")
    out += wrap(
        f"grade: {grade} ({part.status.value}); rule: {one_line(part.rule)}", width, "", "  "
    )
    override = _override_text(part, one_line)
    if override is not None:
        out += wrap(f"override: {override}", width, "", "  ")
    out += wrap(f"why: {one_line(part.reason)}", width, "", "  ")
    counts = one_line(", ".join(part.score.counts))
    score = f"score: {part.score.value:.2f} = {one_line(part.score.formula)} [{counts}]"
    out += wrap(score, width, "", "       ")
    out += wrap(_WEIGHTS, width, "       ")
    if part.information_quality is not None:
        out += wrap(f"information quality: {one_line(part.information_quality)}", width, "", "  ")
    rows = _criteria_rows(part, one_line)
    table = _fitted(rows, [*_CRITERIA_HEADERS, "", "items"], width)
    if table is not None:
        out += ["", table]
    else:
        out += ["", "criteria:"]
        for cid, essential, weight, counts_as, state, independent, disputed, items in rows:
            bits = [f"{'essential, ' if essential else ''}weight {weight}"]
            bits += [f"counts as {counts_as}", f"State {state}", f"independent {independent}"]
            bits += [disputed] if disputed else []
            bits += [f"items: {items}"] if items else []
            out += wrap(f"{cid}: {'; '.join(bits)}", width, "  - ", "    ")
    for conflict in part.conflicts:
        out += wrap(f"conflict on {_conflict_text(conflict, one_line)}", width, "", "  ")
    for flag in part.flags:
        out += wrap(f"flag: {one_line(flag)}", width, "", "  ")
    if part.missing:
        out.append("information to request:")
        for m in part.missing:
            out += wrap(one_line(m), width, "  - ", "    ")
    what_if = _what_if_text(part, one_line)
    if what_if is not None:
        out += wrap(what_if, width, "", "  ")
    used = _uses(a, part)
    if used:
        out.append("evidence:")
        for u in used:
            out += wrap(_use_head(u, one_line), width, "  - ", "    ")
            out += wrap(one_line(u.citation), width, "      ", "        ")
            out += wrap(one_line(u.passage), width, "      ", "        ")
    out.append("")
    return out


def explain_markdown(a: Assessment, part_id: str | None = None) -> str:
    """The explanation of each part (or one part) as Markdown: escaped, nothing cut."""
    head = _assessment_header(a)
    out = [f"# {markdown(head[0])}", "", *(markdown(h) + "  " for h in head[1:]), ""]
    for part in _selected(a, part_id):
        out += [f"## Part {markdown(part.id)}: {markdown(part.title)}", ""]
        out.append(
            f"- **grade:** {markdown(part.grade or 'not graded')} ({part.status.value}); "
            f"**rule:** {markdown(part.rule)}"
        )
        override = _override_text(part, markdown)
        if override is not None:
            out.append(f"- **override:** {override}")
        out.append(f"- **why:** {markdown(part.reason)}")
        out.append(
            f"- **score:** {part.score.value:.2f} = {markdown(part.score.formula)} "
            f"\\[{markdown(', '.join(part.score.counts))}\\] {markdown(_WEIGHTS)}"
        )
        if part.information_quality is not None:
            out.append(f"- **information quality:** {markdown(part.information_quality)}")
        rows = _criteria_rows(part, markdown)
        out += ["", _table(rows, [*_CRITERIA_HEADERS, "disputed", "items"], "github"), ""]
        sections = [
            ("Conflicts", [_conflict_text(c, markdown) for c in part.conflicts]),
            ("Flags", [markdown(f) for f in part.flags]),
            ("Information to request", [markdown(m) for m in part.missing]),
        ]
        for title, entries in sections:
            if entries:
                out += [f"### {title}", "", *(f"- {e}" for e in entries), ""]
        what_if = _what_if_text(part, markdown)
        if what_if is not None:
            out += ["### What would lift the grade", "", what_if, ""]
        used = _uses(a, part)
        if used:
            out += ["### Evidence", ""]
            for u in used:
                out += [
                    f"- {_use_head(u, markdown)}",
                    f"  - source: {markdown(u.citation)}",
                    f"  - passage: {markdown(u.passage)}",
                ]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def explain_json(a: Assessment, part_id: str | None = None) -> str:
    """The explained parts (or one part) as JSON, with the item records about each.

    The shape is in docs/json.md: the assessment's header, then each part object as in
    `Assessment.to_json` with its paragraph and the item records on its criteria, then
    the reproducibility record. Deterministic, like `Assessment.to_json`.
    """
    from cat_rubric._convert import converter, iso_dates
    from cat_rubric._text import json_dumps

    conv = converter()
    paragraph = {p.id: (rec.id, rec.paragraph) for rec in a.recommendations for p in rec.parts}
    parts = []
    for part in _selected(a, part_id):
        rec_id, para = paragraph[part.id]
        parts.append(
            {
                "recommendation": rec_id,
                "paragraph": para,
                **conv.unstructure(part),
                "evidence": [conv.unstructure(u) for u in _uses(a, part)],
            }
        )
    data = {
        "format": EXPLANATION_FORMAT,
        "rubric": a.rubric,
        "symbol": a.symbol,
        "state_party": a.state_party,
        "cycle": a.cycle,
        "as_of": a.as_of,
        "due": a.due,
        "reply_received": a.reply_received,
        "reply_date": a.reply_date,
        "reminders": list(a.reminders),
        "status": a.status.value,
        "parts": parts,
        "record": conv.unstructure(a.record),
    }
    return json_dumps(data, default=iso_dates) + "\n"


def scale_table(scales: Sequence[Scale]) -> str:
    """The scales with their letters and how far their wording is verified."""
    rows = []
    for s in scales:
        for g in s.grades:
            rows.append(
                [
                    f"{one_line(s.id)} v{s.version}",
                    one_line(g.letter),
                    one_line(g.label, 60),
                    "verbatim" if g.verified else "unverified",
                    one_line(g.ccpr_2016),
                ]
            )
    return _table(rows, ["scale", "letter", "label", "wording", "ccpr-2016"])
