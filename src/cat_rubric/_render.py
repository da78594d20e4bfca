"""Rendering rubrics and assessments for people: terminal tables and Markdown.

tabulate is imported here, and this module is imported only when something is
rendered, so ``import cat_rubric`` stays light.
"""

from __future__ import annotations

from collections.abc import Sequence

from tabulate import tabulate

from cat_rubric._model import Rubric
from cat_rubric._text import markdown, one_line


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
        lines.append(
            tabulate(rows, headers=_HEADERS[1:], tablefmt="github", disable_numparse=True)
        )
        lines.append("")
    return "\n".join(lines)


def rubric_list(rubrics: Sequence[Rubric]) -> str:
    """A table of rubrics: id, symbol, State party, adoption, follow-up."""
    rows = [
        [
            r.id,
            one_line(r.symbol),
            one_line(r.state_party),
            str(r.adopted),
            ", ".join(str(n) for n in r.follow_up.recommendations),
            str(r.due or ""),
        ]
        for r in rubrics
    ]
    return tabulate(
        rows,
        headers=["id", "symbol", "State party", "adopted", "follow-up paras", "due"],
        tablefmt="simple",
        disable_numparse=True,
    )
