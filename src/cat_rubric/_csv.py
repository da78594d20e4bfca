r"""The assessment as CSV, safe to open in a spreadsheet (`cat_rubric.render.csv`).

The rows are `Assessment.to_records`' at the ``criteria`` or ``items`` level (the
criteria level adds each criterion's ``statement`` from the rubric, after the
``criterion`` column), under a header row of the column names. RFC 4180: commas, double
quotes where a cell needs them, CRLF line ends; no byte-order mark.

**Formulas.** A spreadsheet reads a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or carriage return before one of them) as a formula, and a formula can run
commands or send the sheet's data elsewhere. Following OWASP's guidance on CSV
injection, a text cell that begins with one of those characters is written with a single
quote (``'``) before it, which spreadsheets show as text. A text cell that already begins
with a single quote gets one too, so the rule reads back without ambiguity: **remove one
leading single quote from a cell that has one, and you have the value exactly**
(`unquote`). Numbers and booleans are written as such (``true``/``false``) and are never
prefixed.

**Other values.** None is an empty cell, a date is ``YYYY-MM-DD``, a tuple is its entries
joined with ``"; "`` (the records and the JSON keep them apart). Text is kept exactly,
line breaks included (inside quotes, as RFC 4180 allows).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from cat_rubric._tables import CRITERION_COLUMNS, ITEM_COLUMNS, Row, assessment_records, check_level

if TYPE_CHECKING:
    from cat_rubric._model import Rubric
    from cat_rubric._result import Assessment

#: The levels a CSV can be written at.
CSV_LEVELS: Final = ("criteria", "items")
#: What a text cell may not begin with: a spreadsheet could read it as a formula.
DANGEROUS: Final = ("=", "+", "-", "@", "\t", "\r")
#: Written before a text cell that begins with a `DANGEROUS` character or with itself.
PREFIX: Final = "'"
#: Between the entries of a tuple in one cell.
JOIN: Final = "; "

_NEEDS_PREFIX: Final = (*DANGEROUS, PREFIX)


def _columns(level: str) -> tuple[str, ...]:
    if level == "criteria":
        at = CRITERION_COLUMNS.index("criterion") + 1
        return (*CRITERION_COLUMNS[:at], "statement", *CRITERION_COLUMNS[at:])
    return ITEM_COLUMNS


def text_cell(text: str) -> str:
    """*text* as a cell no spreadsheet reads as a formula (see the module's docstring)."""
    return PREFIX + text if text.startswith(_NEEDS_PREFIX) else text


def unquote(cell: str) -> str:
    """The value of a text cell written by `text_cell`: one leading ``'`` removed."""
    return cell.removeprefix(PREFIX)


def cell(value: object) -> str:
    """*value* as a CSV cell: text made safe, numbers, booleans, dates, tuples joined."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return text_cell(JOIN.join(str(v) for v in value))
    return text_cell(str(value))


def write_rows(columns: Sequence[str], rows: Iterable[Row]) -> str:
    """A header of *columns* and a line per row, every cell through `cell`."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([text_cell(c) for c in columns])
    writer.writerows([cell(row.get(c)) for c in columns] for row in rows)
    return out.getvalue()


#: The byte-order mark `report_csv` starts with when asked: Excel opens a file by
#: double-click as UTF-8 only with it (else as the Windows code page: Cyrillic garbled).
BOM: Final = "\ufeff"


def report_csv(
    assessment: Assessment, rubric: Rubric, *, level: str = "criteria", bom: bool = False
) -> str:
    """The assessment as CSV: one row per criterion of every part, or per item's use.

    *level* is ``criteria`` (the `Assessment.to_records` criteria columns, with each
    criterion's ``statement`` after ``criterion``) or ``items``. With *bom*, the text
    starts with a byte-order mark (U+FEFF), for Excel; without it (the default), the
    first column's name is the first character, as other readers expect.

    A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
    a single quote is written with a single quote before it, so that no spreadsheet
    reads it as a formula (OWASP's CSV injection guidance); remove that one quote to
    get the value exactly.

    Raises:
        SettingsError: *level* is neither ``criteria`` nor ``items``.
        AssessmentError: a criterion of the assessment is not in *rubric*.
    """
    name = check_level(level, CSV_LEVELS)
    rows = assessment_records(assessment, name)
    if name == "criteria":
        rows = [{**row, "statement": _statement(rubric, row["criterion"])} for row in rows]
    return (BOM if bom else "") + write_rows(_columns(name), rows)


def _statement(rubric: Rubric, criterion: str) -> str:
    try:
        return rubric.criterion(criterion).statement
    except KeyError:
        from cat_rubric._text import one_line
        from cat_rubric.exceptions import AssessmentError

        raise AssessmentError(
            f"the assessment has criterion {one_line(criterion)!r}, which rubric "
            f"{one_line(rubric.id)!r} does not; pass the rubric the assessment was made from"
        ) from None
