"""Rendering rubrics and assessments for people: terminal tables and Markdown.

Tables are laid out by `_table`, which writes what tabulate's ``simple`` and ``github``
formats write for single-line text cells (``disable_numparse=True``, no wide-character
widths), without tabulate's import (about 20 ms of start-up, most of it
importlib.metadata). tabulate is imported only by `rubric_table`, whose long cells it
wraps; this module is imported only when something is rendered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Literal

from cat_rubric._model import Rubric
from cat_rubric._result import Assessment, PartResult, Use
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


def _scale_source(a: Assessment) -> str:
    """Where the scale came from, and the start of its sha256: a swapped scale shows."""
    used = a.record.scale_file
    where = "bundled" if used.bundled else f"from {one_line(used.file)}"
    return f"{where}, sha256 {used.sha256[:12]}"


def _score_cell(part: PartResult) -> str:
    earned = part.score.value * part.score.weight_total
    return f"{part.score.value:.2f} ({earned:g}/{part.score.weight_total:g})"


def _summary(a: Assessment) -> str:
    grades = [p.grade for p in a.parts]
    counts = Counter(g for g in grades if g is not None)
    shown = ", ".join(f"{n} {one_line(g)}" for g, n in sorted(counts.items()))
    ungraded = sum(1 for g in grades if g is None)
    bits = [f"{len(grades)} parts: {shown or 'none graded'}"]
    if ungraded:
        bits.append(f"{ungraded} not graded ({a.status.value})")
    disputed = sum(1 for p in a.parts for c in p.criteria if c.disputed)
    bits.append(f"{disputed} disputed criteria")
    applied = sum(1 for o in a.overrides if o.applied)
    bits.append(f"{applied} override{'s' if applied != 1 else ''}")
    ignored = sum(1 for u in a.items if u.use is Use.IGNORED)
    bits.append(f"{len(a.items)} evidence uses ({ignored} ignored)")
    return "; ".join(bits)


def _assessment_rows(a: Assessment, cell: Callable[[str, int | None], str]) -> list[list[str]]:
    rows = []
    for rec in a.recommendations:
        for part in rec.parts:
            grade = part.grade or "—"
            if part.override is not None and part.override.applied:
                grade += f" (override; engine {part.engine_grade})"
            rows.append(
                [
                    str(rec.paragraph),
                    cell(part.id, None),
                    cell(grade, None),
                    _score_cell(part),
                    cell(part.information_quality or "", None),
                    cell(part.reason, 70),
                ]
            )
    return rows


_ASSESSMENT_HEADERS = ["para", "part", "grade", "score", "information", "key reason"]


def assessment_table(a: Assessment) -> str:
    """The assessment as a terminal table, with roll-ups, conflicts and overrides."""
    table = _table(_assessment_rows(a, one_line), _ASSESSMENT_HEADERS)
    lines = [*_assessment_header(a), "", table, ""]
    for rec in a.recommendations:
        lines.append(
            f"para {rec.paragraph} ({one_line(rec.title, 50)}): {one_line(rec.grade or '—')} — "
            f"{one_line(rec.rollup)}"
        )
    lines += _conflict_lines(a, one_line)
    lines += _override_lines(a, one_line)
    lines += ["", _summary(a)]
    return "\n".join(lines)


def _conflict_lines(a: Assessment, cell: Callable[[str, int | None], str]) -> list[str]:
    out = []
    for part in a.parts:
        for c in part.conflicts:
            mark = "DISPUTED" if c.disputed else "sources differ"
            out.append(
                f"- {mark}: {cell(c.criterion, None)} (part {cell(part.id, None)}): State "
                f"[{cell('; '.join(c.state) or 'none', None)}] vs independent "
                f"[{cell('; '.join(c.independent) or 'none', None)}]; counted: {c.counted.value}"
            )
    return ["", "Conflicts between sources:", *out] if out else []


def _override_lines(a: Assessment, cell: Callable[[str, int | None], str]) -> list[str]:
    out = []
    for o in a.overrides:
        state = "applied" if o.applied else f"LAPSED on {o.until}"
        out.append(
            f"- {cell(o.target, None)}: {cell(o.value, None)} (engine: {cell(o.engine, None)}), "
            f"by {cell(o.by, None)} on {o.date}, {state} — {cell(o.reason, None)}"
        )
    return ["", "Analyst overrides:", *out] if out else []


def assessment_markdown(a: Assessment) -> str:
    """The assessment as Markdown; every text from the inputs is escaped."""
    head = _assessment_header(a)
    table = _table(_assessment_rows(a, markdown), _ASSESSMENT_HEADERS, "github")
    lines = [f"# {markdown(head[0])}", "", *(markdown(h) + "  " for h in head[1:]), "", table, ""]
    lines += ["## Recommendations", ""]
    for rec in a.recommendations:
        lines.append(
            f"- para {rec.paragraph} ({markdown(rec.title)}): **{markdown(rec.grade or '—')}** — "
            f"{markdown(rec.rollup)}"
        )
    conflicts = _conflict_lines(a, markdown)
    if conflicts:
        lines += ["", "## Conflicts between sources", *conflicts[2:]]
    overrides = _override_lines(a, markdown)
    if overrides:
        lines += ["", "## Analyst overrides", *overrides[2:]]
    lines += ["", markdown(_summary(a))]
    return "\n".join(lines) + "\n"


def explain_text(a: Assessment, part_id: str | None = None) -> str:
    """Why each part (or one part) got its grade: rule, criteria, evidence, what is missing."""
    parts = [a.part(part_id)] if part_id is not None else list(a.parts)
    out = [*_assessment_header(a), ""]
    for part in parts:
        out += _explain_part(a, part)
    return "\n".join(out)


def _explain_part(a: Assessment, part: PartResult) -> list[str]:
    out = [f"== part {one_line(part.id)}: {one_line(part.title)}"]
    grade = one_line(part.grade or "not graded")
    out.append(f"grade: {grade} ({part.status.value}); rule: {one_line(part.rule)}")
    if part.override is not None:
        o = part.override
        state = "applied" if o.applied else f"lapsed on {o.until}"
        out.append(
            f"override: {one_line(o.value)} by {one_line(o.by)} on {o.date} ({state}); the engine "
            f"said {one_line(o.engine)}; reason: {one_line(o.reason)}"
        )
    out.append(f"why: {one_line(part.reason)}")
    counts = one_line(", ".join(part.score.counts))
    out.append(f"score: {part.score.value:.2f} = {one_line(part.score.formula)}  [{counts}]")
    out.append("       (implemented 1, partially_implemented 0.5, initiated 0.25, other 0)")
    if part.information_quality is not None:
        out.append(f"information quality: {one_line(part.information_quality)}")
    rows = []
    for c in part.criteria:
        finding = c.finding.value
        if c.finding is not c.engine_finding:
            finding += f" (override; engine {c.engine_finding.value})"
        rows.append(
            [
                one_line(c.id),
                "yes" if c.essential else "",
                f"{c.weight:g}",
                finding,
                c.state_finding.value if c.state_finding else "—",
                c.independent_finding.value if c.independent_finding else "—",
                "DISPUTED" if c.disputed else "",
                one_line(", ".join(c.items), 40),
            ]
        )
    out += [
        "",
        _table(
            rows,
            ["criterion", "essential", "weight", "counts as", "State", "independent", "", "items"],
        ),
    ]
    for conflict in part.conflicts:
        state = one_line("; ".join(conflict.state) or "none")
        independent = one_line("; ".join(conflict.independent) or "none")
        out.append(
            f"conflict on {one_line(conflict.criterion)}: State [{state}] vs independent "
            f"[{independent}] → {conflict.counted.value}"
        )
    out += [f"flag: {one_line(f)}" for f in part.flags]
    if part.missing:
        out.append("information to request:")
        out += [f"  - {one_line(m)}" for m in part.missing]
    if part.what_if is not None:
        w = part.what_if
        alternatives = one_line(", ".join(w.alternatives))
        alt = f" (or instead of the first: {alternatives})" if w.alternatives else ""
        out.append(f"to reach {one_line(w.grade)}: {one_line('; '.join(w.changes))}{alt}")
    criteria = {c.id for c in part.criteria}
    used = [u for u in a.items if u.criterion in criteria]
    if used:
        out.append("evidence:")
        for u in used:
            why = f" — {one_line(u.reason)}" if u.reason else ""
            out.append(
                f"  - {one_line(u.item)} [{u.source_kind.value}] on {one_line(u.criterion)}: "
                f"{u.finding.value}→{u.effective.value}, {u.use.value}{why}"
            )
            out.append(f"      {one_line(u.citation, 110)}")
            out.append(f"      {one_line(u.passage, 110)}")
    out.append("")
    return out


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
