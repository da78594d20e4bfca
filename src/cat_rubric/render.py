"""Reports and letters to send: HTML, Markdown, CSV, and the draft follow-up letter.

Every function takes the assessment and the rubric it was made from (the rubric carries
the recommendations' and criteria's wording, which the assessment refers to by id), and
returns the document as a string; nothing is written to disk here (the command line's
``report`` and ``letter`` write it atomically with ``-o``)::

    from cat_rubric import render
    page = render.html(result, rubric)            # one self-contained HTML file
    text = render.markdown(result, rubric)        # the same content, nothing truncated
    page = render.html(result, rubric, compared_with=last_round)  # and what changed since
    rows = render.csv(result, rubric)             # one row per criterion of every part
    draft = render.letter(result, rubric, style="committee")
    render.chart(result)                          # grades by paragraph; a notebook draws it

Each module behind these functions is imported only when it is called.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from cat_rubric._model import Rubric
    from cat_rubric._result import Assessment

__all__ = ["Chart", "chart", "csv", "html", "letter", "markdown"]


class Chart:
    """The chart of grades by paragraph: SVG text that a notebook shows as a picture.

    Attributes:
        svg: The chart as a standalone SVG document (deterministic; every bar carries its
            letter as text, so it reads without colour).
    """

    __slots__ = ("svg",)

    def __init__(self, svg: str) -> None:
        self.svg = svg

    def _repr_svg_(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg

    def __repr__(self) -> str:
        return f"<Chart: {len(self.svg)} characters of SVG>"


def chart(assessment: Assessment) -> Chart:
    """The report's chart of grades by paragraph, for a notebook (or ``str()`` for a file)."""
    from cat_rubric._report import chart_svg

    return Chart(chart_svg(assessment))


def _matching(assessment: Assessment, rubric: Rubric) -> None:
    """Refuse a rubric other than the one *assessment* was made from."""
    if rubric.id != assessment.rubric or rubric.symbol != assessment.symbol:
        from cat_rubric._text import one_line
        from cat_rubric.exceptions import AssessmentError

        raise AssessmentError(
            f"the assessment was made from rubric {one_line(assessment.rubric)!r} "
            f"({one_line(assessment.symbol)}), not {one_line(rubric.id)!r} "
            f"({one_line(rubric.symbol)}); pass the rubric it was made from"
        )


def html(assessment: Assessment, rubric: Rubric, *, compared_with: Assessment | None = None) -> str:
    """The assessment as one self-contained HTML page: no network, no JavaScript needed.

    The header, a grade matrix, a chart of grades by paragraph, each part's decision
    with its reason, score, conflicts, overrides, requests and what would lift it, the
    evidence quoted in full, and the provenance record. Every string is escaped.

    Args:
        assessment: The assessment.
        rubric: The rubric it was made from.
        compared_with: An earlier assessment of the same rubric (last round's, or the
            State's reply before the NGOs answered). The page then has a section "Since
            the previous assessment": each part's grade then and now, coloured and
            always lettered, with the kind of change (`cat_rubric.compare`) and why; the
            criteria whose counted finding changed and why; disputes opened or
            resolved; overrides; evidence added, removed or changed.

    Raises:
        AssessmentError: *rubric* is not the rubric the assessment was made from;
            *compared_with* is of another rubric, or dated after *assessment*.
        TypeError: *compared_with* is not an `Assessment`.
    """
    from cat_rubric._report import report_html

    _matching(assessment, rubric)
    return report_html(assessment, rubric, compared_with=compared_with)


def markdown(
    assessment: Assessment, rubric: Rubric, *, compared_with: Assessment | None = None
) -> str:
    """The same content as `html`, as Markdown; nothing is truncated.

    Args:
        assessment: The assessment.
        rubric: The rubric it was made from.
        compared_with: An earlier assessment of the same rubric: the section "Since
            the previous assessment", as in `html`.

    Raises:
        AssessmentError: *rubric* is not the rubric the assessment was made from;
            *compared_with* is of another rubric, or dated after *assessment*.
        TypeError: *compared_with* is not an `Assessment`.
    """
    from cat_rubric._report import report_markdown

    _matching(assessment, rubric)
    return report_markdown(assessment, rubric, compared_with=compared_with)


def csv(
    assessment: Assessment,
    rubric: Rubric,
    *,
    level: Literal["criteria", "items"] = "criteria",
    bom: bool = False,
) -> str:
    """One row per criterion of every part (or per evidence item), safe in a spreadsheet.

    The columns are those of `Assessment.to_records` at *level*. A cell that begins with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written so that no
    spreadsheet reads it as a formula. With *bom*, the text starts with a UTF-8
    byte-order mark, which Excel needs to open the file as UTF-8 by a double-click.

    Raises:
        AssessmentError: *rubric* is not the rubric the assessment was made from.
    """
    from cat_rubric._csv import report_csv

    _matching(assessment, rubric)
    return report_csv(assessment, rubric, level=level, bom=bom)


def letter(
    assessment: Assessment,
    rubric: Rubric,
    *,
    style: Literal["committee", "ngo"] = "committee",
    format: Literal["markdown", "text"] = "markdown",  # noqa: A002 (the CLI's --format)
) -> str:
    """A draft letter, clearly marked as a draft.

    ``committee``: the Rapporteur's follow-up letter to the State party, in the
    Committee's customary structure, with the information to request per part.
    ``ngo``: the outline of an alternative follow-up report, setting the State's claims
    against what independent sources document, with citations.

    Raises:
        AssessmentError: *rubric* is not the rubric the assessment was made from.
    """
    from cat_rubric._letter import draft_letter

    _matching(assessment, rubric)
    return draft_letter(assessment, rubric, style=style, format=format)
