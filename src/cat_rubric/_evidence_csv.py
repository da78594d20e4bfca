"""Evidence items from a spreadsheet: a CSV of items, with a YAML header, to an evidence file.

Analysts gather evidence in spreadsheets. A CSV has no place for an evidence file's
header (the rubric, the cycle, the assessor, the as-of date, the reply), so the header
stays a small YAML file (``cat-rubric template`` writes one) and the CSV holds the items,
one per row, in the columns of `COLUMNS` (docs/format.md). `import_csv` reads both and
gives the evidence file, and the YAML text ``cat-rubric import-csv`` writes: the YAML
is what is assessed, validated and recorded by its sha256, so an assessment always names
the exact evidence it used. Edit the spreadsheet and import again.

The CSV the report writes (``cat-rubric report --format csv --level items``, one row per
item and criterion) is read too: its rows of one item become one item on all their
criteria, read from the columns that hold the item as its file gives it
(``source_title`` to ``summary``, the documented columns' names), so that it reads back
into the same items. An items CSV written before the report had those columns is read
from its citation (the title, and the date at its end) and its passage (the quote in
quotation marks, else the summary): it kept no symbol, locator or measure date apart.

Every problem is located like a YAML one: the row as the line (the header row is 1, as a
spreadsheet numbers it, a cell with line breaks being one row), the column's number as
the column, and the column's name as the key path. The checks are the loader's: once
each cell is read, the items are checked by `cat_rubric.parse_evidence` against the
rubric, and each problem is brought back to its row and column.

Spreadsheets write CSV in more than one way. UTF-8 with or without a byte-order mark is
read (another encoding is ``not-utf8``: save as "CSV UTF-8"); the delimiter is a comma, a
semicolon (European Excel) or a tab, told from the header row (or from Excel's ``sep=;``
first line); empty rows are skipped; a cell that begins with a single quote loses one,
as `cat_rubric.render.csv` adds one before a cell a spreadsheet would read as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from cat_rubric._csv import unquote
from cat_rubric._digest import sha256
from cat_rubric._evidence import EvidenceFile, Finding, Item, Source
from cat_rubric._load import load_evidence, load_rubric, parse_evidence
from cat_rubric._model import Origin, Rubric, SourceKind, remember_loaded
from cat_rubric._resolve import Kind, bundled
from cat_rubric._scales import Scale
from cat_rubric._similar import alike, fold
from cat_rubric._tables import ITEM_OWN_COLUMNS
from cat_rubric._text import display_name
from cat_rubric._yaml import Limits, decode, read_bytes
from cat_rubric.exceptions import LoadError, Problem

#: The columns of an items CSV, in the order docs/format.md gives them.
COLUMNS: Final = ("id", "criteria", "finding", "source_kind", *ITEM_OWN_COLUMNS, "illustrative")
#: The columns every row must fill.
REQUIRED: Final = ("id", "criteria", "finding", "source_kind", "source_title")
#: The columns of the report's items CSV whose values are the item's own, as the
#: documented columns give them: read exactly when present (a CSV written before the
#: report had them falls back on the citation and the passage).
REPORT_EXACT: Final = ITEM_OWN_COLUMNS
#: The columns of the report's items CSV that hold an item's own data.
REPORT_COLUMNS: Final = (
    "file",
    "item",
    "criterion",
    "source_kind",
    "citation",
    "passage",
    "finding",
    *REPORT_EXACT,
    "illustrative",
)
#: The report's columns the engine worked out: read past, never into an item.
REPORT_DERIVED: Final = (
    "paragraph",
    "recommendation",
    "part",
    "effective",
    "use",
    "reason",
    "flags",
)
_REPORT_REQUIRED: Final = ("item", "criterion", "finding", "source_kind", "citation")
#: Where each of an item's fields is written, in each format (an item's own data).
_FIELD_COLUMN: Final = {
    "documented": {
        ("id",): "id",
        ("criteria",): "criteria",
        ("finding",): "finding",
        ("source", "kind"): "source_kind",
        ("source", "title"): "source_title",
        ("source", "symbol"): "source_symbol",
        ("source", "locator"): "source_locator",
        ("source", "url"): "source_url",
        ("source", "date"): "source_date",
        ("measure_date",): "measure_date",
        ("quote",): "quote",
        ("summary",): "summary",
        ("illustrative",): "illustrative",
    },
    "report": {
        ("id",): "item",
        ("criteria",): "criterion",
        ("finding",): "finding",
        ("source", "kind"): "source_kind",
        ("source", "title"): "citation",
        ("quote",): "passage",
        ("summary",): "passage",
        ("illustrative",): "illustrative",
    },
}
#: The report's CSV with the item's own columns: those locate its fields.
_FIELD_COLUMN["report_exact"] = {
    **_FIELD_COLUMN["report"],
    **{f: c for f, c in _FIELD_COLUMN["documented"].items() if c in REPORT_EXACT},
}
_DELIMITERS: Final = (",", ";", "\t")
_SEP_LINE: Final = re.compile(r'"?sep=(.)"?\r?\n')
_SPLIT: Final = re.compile(r"[;,\s]+")
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_CONTROL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE: Final = frozenset({"true", "yes", "1"})
_FALSE: Final = frozenset({"false", "no", "0", ""})
_CURLY: Final = ("\u201c", "\u201d")
_CITED_DATE: Final = re.compile(r", (\d{4}-\d{2}-\d{2})\Z")


@attrs.frozen
class _Cell:
    row: int
    column: int
    name: str
    text: str


@attrs.frozen(kw_only=True)
class _Built:
    """One item read from the CSV, and where each of its fields is written."""

    item: Item
    where: dict[tuple[str | int, ...], _Cell]
    row: int


class _Reader:
    """One CSV file's worth of reading: its problems, in rows and columns."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []
        #: Every item id given, with its cell, whether or not its row built an item.
        self.ids: list[tuple[str, _Cell]] = []

    def report(
        self, cell: _Cell | tuple[int, int], code: str, message: str, name: str = ""
    ) -> None:
        if isinstance(cell, _Cell):
            row, column, name = cell.row, cell.column, cell.name
        else:
            row, column = cell
        self.problems.append(
            Problem(
                file=self.file,
                line=row,
                column=column,
                path=(name,) if name else (),
                code=code,
                message=message,
            )
        )


def import_csv(
    items: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    header: str | os.PathLike[str],
    rubric: Rubric | None = None,
    scale: Scale | str | None = None,
    limits: Limits | None = None,
) -> tuple[EvidenceFile, str]:
    """Read items CSV files and a YAML header into one evidence file, and its YAML text.

    Args:
        items: The CSV file (or files) of items.
        header: An evidence YAML file: its header (rubric, cycle, assessor, as-of date,
            reply) and overrides are kept, and its items come before the CSV's.
        rubric: The rubric; if omitted, the bundled rubric the header names, if any.
        scale: The scale part overrides are graded on (see `cat_rubric.load_evidence`).
        limits: Resource limits for reading the files.

    Returns:
        The evidence file, and the YAML text it is (what ``cat-rubric import-csv``
        writes): loading that text gives the same evidence file, with the text's sha256
        as its origin's.

    Raises:
        LoadError: listing every problem, in the header file (at its lines) or in the
            CSV files (at their rows and columns).
    """
    limits = limits or Limits()
    paths = [items] if isinstance(items, str | os.PathLike) else list(items)
    head = load_evidence(header, rubric=rubric, scale=scale, limits=limits)
    if rubric is None and head.rubric in bundled(Kind.RUBRIC):
        rubric = load_rubric(head.rubric)
    problems: list[Problem] = []
    built: list[tuple[str, _Built]] = []
    ids: list[tuple[str, str, _Cell]] = []
    for path in paths:
        name = display_name(path)
        reader = _Reader(name)
        built += [(name, b) for b in _read(reader, read_bytes(Path(path), limits, name=name))]
        problems += reader.problems
        ids += [(name, ident, cell) for ident, cell in reader.ids]
    problems += _duplicates(head, ids)
    evidence = attrs.evolve(head, items=(*head.items, *(b.item for _, b in built)))
    text = _yaml_text(evidence, display_name(header), [display_name(p) for p in paths])
    try:
        parsed = parse_evidence(text, rubric=rubric, scale=scale, file="<import>", limits=limits)
    except LoadError as exc:
        problems += _located(exc.problems, len(head.items), built)
        parsed = None
    if problems or parsed is None:
        raise LoadError(_unique(problems))
    named = " + ".join(display_name(p) for p in paths)
    origin = Origin(file=named, sha256=sha256(text.encode()))
    imported = attrs.evolve(parsed, origin=origin)
    remember_loaded(imported)  # it is what the text holds, as if loaded from it
    return imported, text


def evidence_from_csv(
    items: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    header: str | os.PathLike[str],
    rubric: Rubric | None = None,
    scale: Scale | str | None = None,
    limits: Limits | None = None,
) -> EvidenceFile:
    """The evidence file a YAML header and items CSV files make (see docs/format.md).

    The header is an evidence file (``cat-rubric template`` writes one); the CSV holds
    one item per row in the documented columns (``id``, ``criteria``, ``finding``,
    ``source_kind``, ``source_title`` ...), or is the items CSV the report writes.
    Every problem is located at its file's row and column. The result's origin records
    the sha256 of the YAML text ``cat-rubric import-csv`` would write for it.

    Args:
        items: The CSV file (or files) of items.
        header: The evidence YAML file whose header and overrides are kept.
        rubric: The rubric; if omitted, the bundled rubric the header names, if any.
        scale: The scale part overrides are graded on (default: the rubric's).
        limits: Resource limits for reading the files.

    Raises:
        LoadError: listing every problem, each at its file's line or row and column.
    """
    return import_csv(items, header=header, rubric=rubric, scale=scale, limits=limits)[0]


# -- rows ---------------------------------------------------------------------------------


def _read(reader: _Reader, data: bytes) -> list[_Built]:
    text = decode(data, reader.file)  # strict UTF-8, a byte-order mark dropped
    first = 1
    delimiter: str | None = None
    sep = _SEP_LINE.match(text)
    if sep is not None:  # Excel's "sep=;" line
        delimiter, text, first = sep.group(1), text[sep.end() :], 2
    rows = _records(reader, text, delimiter, first)
    if rows is None:
        return []
    (header_row, names), body = rows[0], rows[1:]
    folded = {fold(unquote(n)) for n in names}
    kind = "report" if "item" in folded and "id" not in folded else "documented"
    allowed = (*REPORT_COLUMNS, *REPORT_DERIVED) if kind == "report" else COLUMNS
    columns = _columns(reader, header_row, names, allowed)
    if columns is None:
        return []
    required = _REPORT_REQUIRED if kind == "report" else REQUIRED
    missing = [c for c in required if c not in columns]
    for name in missing:
        reader.report(
            (header_row, 1),
            "missing-key",
            f"the header row has no column {name!r}; the columns an items CSV needs: "
            f"{', '.join(required)}",
            name,
        )
    if missing:
        return []
    cells = []
    for row, values in body:
        if not any(v.strip() for v in values):
            continue  # an empty row (a spreadsheet's trailing ;;;; lines)
        if len(values) > len(names):
            reader.report(
                (row, len(names) + 1),
                "csv-syntax",
                f"row {row} has {len(values)} cells, the header row {len(names)}: a cell "
                "holds the delimiter without quotes, or the row has one cell too many",
            )
            continue
        cells.append(
            {
                name: _Cell(row, index + 1, name, values[index] if index < len(values) else "")
                for name, index in columns.items()
            }
        )
    if kind == "report":
        return _report_items(reader, cells)
    return [b for b in (_item(reader, row) for row in cells) if b is not None]


def _records(
    reader: _Reader, text: str, delimiter: str | None, first: int
) -> list[tuple[int, list[str]]] | None:
    """The CSV's records with their row numbers, or None (reported) if it is no CSV."""
    if not text.strip():
        reader.report((first, 1), "empty-file", "the file has no header row and no items")
        return None
    if delimiter is None:
        delimiter = _delimiter(text)
    out: list[tuple[int, list[str]]] = []
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = first - 1
    try:
        for values in records:
            row += 1
            out.append((row, values))
    except csv.Error as exc:
        reader.report(
            (row + 1, 1),
            "csv-syntax",
            f'row {row + 1} is not valid CSV ({exc}): a quote (") that opens a cell must '
            'close it, and a quote inside a quoted cell is written twice ("")',
        )
        return None
    return out


def _delimiter(text: str) -> str:
    """The delimiter that makes the most known column names of the header row."""
    line = text.split("\n", 1)[0]
    known = {fold(c) for c in (*COLUMNS, *REPORT_COLUMNS)}

    def score(delimiter: str) -> int:
        names = next(csv.reader([line], delimiter=delimiter), [])
        return sum(fold(unquote(n)) in known for n in names)

    return max(_DELIMITERS, key=lambda d: (score(d), d == ","))


def _columns(
    reader: _Reader, row: int, names: list[str], allowed: Sequence[str]
) -> dict[str, int] | None:
    """Column name → index; names that differ only in case, spaces or dashes are taken.

    A column's name may be written ``Source kind`` for ``source_kind``: spreadsheets'
    headers are for people. Any other name is refused (a typo would otherwise drop the
    column's data without a word), unless it begins with ``#``.
    """
    by_fold = {fold(c): c for c in allowed}
    if len(names) == 1 and fold(unquote(names[0])) not in by_fold:
        reader.report(
            (row, 1),
            "csv-syntax",
            f"the header row is one cell ({unquote(names[0])[:60]!r}): the delimiter is not a "
            "comma, a semicolon or a tab, or the file is not a CSV of items",
        )
        return None
    out: dict[str, int] = {}
    for index, raw in enumerate(names):
        name = unquote(raw).strip()
        cell = (row, index + 1)
        if name.startswith("#") or (not name and index == len(names) - 1):
            continue  # a column of one's own, or a trailing delimiter
        column = by_fold.get(fold(name))
        if column is None:
            close = _suggest(name, allowed)
            hint = f"; did you mean {close!r}?" if close else ""
            reader.report(
                cell,
                "unknown-key",
                f"unknown column {name!r}{hint} (the columns: {', '.join(allowed)}; a column "
                "whose name begins with '#' is ignored)",
                name,
            )
            continue
        if column in out:
            reader.report(
                cell,
                "duplicate-key",
                f"the column {column!r} is given twice (first as column {out[column] + 1}); "
                "keep one",
                column,
            )
            continue
        out[column] = index
    if reader.problems:
        return None
    return out


def _suggest(word: str, candidates: Sequence[str]) -> str | None:
    import difflib  # only for a misspelling

    return alike(word, candidates) or next(
        iter(difflib.get_close_matches(word.lower(), candidates, 1)), None
    )


# -- cells --------------------------------------------------------------------------------


def _text(reader: _Reader, cell: _Cell | None) -> str | None:
    """The cell's text (one formula-guard quote removed), None if empty or invalid."""
    if cell is None:
        return None
    value = unquote(cell.text)
    bad = _CONTROL.search(value)
    if bad is not None:
        reader.report(
            cell,
            "bad-character",
            f"the cell holds the control character U+{ord(bad.group()):04X}, often pasted from "
            "a PDF; remove it",
        )
        return None
    return value if value.strip() else None


def _required(reader: _Reader, cell: _Cell | None, what: str) -> str | None:
    value = _text(reader, cell)
    if value is None and cell is not None and not _CONTROL.search(cell.text):
        reader.report(cell, "empty-value", f"the cell is empty; every item needs its {what}")
    return value


def _enum(reader: _Reader, cell: _Cell, cls: type[Finding | SourceKind]) -> Any:
    value = _required(reader, cell, cell.name.replace("_", " "))
    if value is None:
        return None
    members = {m.value: m for m in cls}
    found = members.get(value.strip())
    if found is not None:
        return found
    close = _suggest(value, tuple(members))
    from cat_rubric._schema import did_you_mean

    hint = f" — {did_you_mean(value, close)}" if close else ""
    reader.report(cell, "unknown-value", f"{value!r} is not one of: {', '.join(members)}{hint}")
    return None


def _date(reader: _Reader, cell: _Cell | None) -> dt.date | None:
    """The cell's date; None if it is empty, or invalid (reported)."""
    value = _text(reader, cell)
    if value is None or cell is None:
        return None
    text = value.strip()
    if _ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            reader.report(
                cell, "invalid-date", f"{text} is not a real calendar date; check the day and month"
            )
            return None
    hint = (
        "a date without a time"
        if re.match(r"\d{4}-\d{2}-\d{2}[ T]", text)
        else "YYYY-MM-DD (set the column's format to that in the spreadsheet)"
    )
    reader.report(cell, "invalid-date", f"expected a date written {hint}, got {text!r}")
    return None


def _bool(reader: _Reader, cell: _Cell | None) -> bool | None:
    value = _text(reader, cell) or ""
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    assert cell is not None
    reader.report(
        cell,
        "wrong-type",
        f"expected true or false (or yes/no, 1/0, or empty for false), got {value!r}",
    )
    return None


# -- items --------------------------------------------------------------------------------


def _item(reader: _Reader, row: dict[str, _Cell]) -> _Built | None:
    before = len(reader.problems)
    ident = _required(reader, row["id"], "id")
    if ident is not None:
        reader.ids.append((ident.strip(), row["id"]))
    criteria = _criteria(reader, row["criteria"])
    item = _own_item(reader, row, (ident or "").strip(), criteria)
    if item is None or len(reader.problems) > before:
        return None
    return _Built(item=item, where=_where(row, "documented", len(criteria)), row=row["id"].row)


def _own_item(
    reader: _Reader, row: dict[str, _Cell], ident: str, criteria: tuple[str, ...]
) -> Item | None:
    """The item *row*'s documented columns give, from ``finding`` to ``illustrative``.

    None, with the problems reported, if a cell is wrong. The caller reads the id and the
    criteria: they are laid out differently in the documented CSV and the report's.
    """
    before = len(reader.problems)
    finding = _enum(reader, row["finding"], Finding)
    kind = _enum(reader, row["source_kind"], SourceKind)
    title = _required(reader, row["source_title"], "source title")
    date = _date(reader, row.get("source_date"))
    measure = _date(reader, row.get("measure_date"))
    illustrative = _bool(reader, row.get("illustrative"))
    texts = {
        k: _text(reader, row.get(k))
        for k in ("source_symbol", "source_locator", "source_url", "quote", "summary")
    }
    if len(reader.problems) > before:
        return None
    # Each of these is None (or empty) only with a problem reported, just checked.
    assert title is not None
    assert illustrative is not None
    return Item(
        id=ident,
        criteria=criteria,
        finding=finding,
        source=Source(
            kind=kind,
            title=title,
            symbol=texts["source_symbol"],
            locator=texts["source_locator"],
            url=texts["source_url"],
            date=date,
        ),
        measure_date=measure,
        quote=texts["quote"],
        summary=texts["summary"],
        illustrative=illustrative,
    )


def _criteria(reader: _Reader, cell: _Cell) -> tuple[str, ...]:
    value = _required(reader, cell, "criteria (criterion ids, separated by ';')")
    if value is None:
        return ()
    return tuple(c for c in _SPLIT.split(value) if c)


def _where(row: dict[str, _Cell], kind: str, n: int) -> dict[tuple[str | int, ...], _Cell]:
    where: dict[tuple[str | int, ...], _Cell] = {}
    for field, column in _FIELD_COLUMN[kind].items():
        cell = row.get(column)
        if cell is not None:
            where[field] = cell
    for c in range(n):
        where[("criteria", c)] = where[("criteria",)]
    return where


def _report_items(reader: _Reader, rows: list[dict[str, _Cell]]) -> list[_Built]:
    """The report's rows, one per item and criterion, as items on all their criteria."""
    groups: dict[tuple[str, str], list[dict[str, _Cell]]] = {}
    for row in rows:
        file = unquote(row["file"].text) if "file" in row else ""
        ident = _required(reader, row["item"], "item id")
        if ident is not None:
            group = groups.setdefault((file, ident.strip()), [])
            if not group:
                reader.ids.append((ident.strip(), row["item"]))
            group.append(row)
    out: list[_Built] = []
    for (_, ident), group in groups.items():
        built = _report_item(reader, ident, group)
        if built is not None:
            out.append(built)
    return out


def _report_item(reader: _Reader, ident: str, group: list[dict[str, _Cell]]) -> _Built | None:
    before = len(reader.problems)
    first = group[0]
    exact = "source_title" in first
    for row in group[1:]:
        for column in (
            "finding",
            "source_kind",
            "citation",
            "passage",
            "illustrative",
            *(REPORT_EXACT if exact else ()),
        ):
            if column in row and unquote(row[column].text) != unquote(first[column].text):
                reader.report(
                    row[column],
                    "inconsistent",
                    f"row {row[column].row} gives item {ident!r} another {column} than row "
                    f"{first[column].row}: the rows of one item (one per criterion) must agree",
                )
    criteria = tuple(c for row in group for c in _criteria(reader, row["criterion"]))
    if exact:
        return _exact_report_item(reader, ident, criteria, group)
    finding = _enum(reader, first["finding"], Finding)
    kind = _enum(reader, first["source_kind"], SourceKind)
    illustrative = _bool(reader, first.get("illustrative"))
    title = _required(reader, first["citation"], "citation")
    passage = _text(reader, first.get("passage"))
    if len(reader.problems) > before:
        return None
    assert title is not None
    assert illustrative is not None
    # The citation is "title[, symbol][, locator][, date][ (illustrative)]": the suffix
    # and the date are read back; the rest stays the title.
    if illustrative and title.endswith(" (illustrative)"):
        title = title.removesuffix(" (illustrative)")
    date = None
    dated = _CITED_DATE.search(title)
    if dated is not None:
        try:
            date = dt.date.fromisoformat(dated.group(1))
            title = title[: dated.start()]
        except ValueError:
            date = None
    quote = summary = None
    if passage is not None and passage.startswith(_CURLY[0]) and passage.endswith(_CURLY[1]):
        quote = passage[1:-1]
    else:
        summary = passage
    item = Item(
        id=ident,
        criteria=criteria,
        finding=finding,
        source=Source(kind=kind, title=title, date=date),
        quote=quote,
        summary=summary,
        illustrative=illustrative,
    )
    where = _where(first, "report", 0)
    for c, row in enumerate(group):
        where[("criteria", c)] = row["criterion"]
    return _Built(item=item, where=where, row=first["item"].row)


def _exact_report_item(
    reader: _Reader, ident: str, criteria: tuple[str, ...], group: list[dict[str, _Cell]]
) -> _Built | None:
    """An item of the report's CSV that has the item's own columns: read as written."""
    first = group[0]
    item = _own_item(reader, first, ident, criteria)
    if item is None:
        return None
    where = _where(first, "report_exact", 0)
    for c, row in enumerate(group):
        where[("criteria", c)] = row["criterion"]
    return _Built(item=item, where=where, row=first["item"].row)


# -- checks across rows, and the loader's checks brought back to rows ------------------------


def _duplicates(head: EvidenceFile, ids: list[tuple[str, str, _Cell]]) -> list[Problem]:
    """Item ids used twice: across the CSV files, and against the header's items."""
    seen: dict[str, str] = {i.id: f"an item of the header file {head.file}" for i in head.items}
    out = []
    for file, ident, cell in ids:
        first = seen.get(ident)
        if first is not None:
            out.append(
                Problem(
                    file=file,
                    line=cell.row,
                    column=cell.column,
                    path=(cell.name,),
                    code="duplicate-id",
                    message=f"item id {ident!r} is used twice (first as {first}); ids "
                    "must be unique within the evidence file",
                )
            )
        else:
            seen[ident] = f"row {cell.row} of {file}"
    return out


def _located(
    problems: Iterable[Problem], offset: int, built: list[tuple[str, _Built]]
) -> list[Problem]:
    """The loader's problems with the items it was given, at their CSV rows and columns.

    A problem that is no CSV item's (none is expected: the header loaded on its own) is
    kept as the loader said it, rather than lost.
    """
    out = []
    for p in problems:
        steps = p.path.steps
        if p.code == "duplicate-id" and steps[-1:] == ("id",):
            continue  # said in words of rows by _duplicates
        index = -1
        if len(steps) >= 2 and steps[0] == "items" and isinstance(steps[1], int):
            index = steps[1] - offset
        if not 0 <= index < len(built):
            out.append(p)
            continue
        file, b = built[index]
        rest = steps[2:]
        cell = b.where.get(rest) or b.where.get(rest[:1])
        if cell is None:  # the item as a whole (a quote or a summary missing)
            cell = b.where.get(("summary",)) or b.where[("id",)]
        out.append(attrs.evolve(p, file=file, line=cell.row, column=cell.column, path=(cell.name,)))
    return out


def _unique(problems: list[Problem]) -> tuple[Problem, ...]:
    seen: dict[tuple[Any, ...], Problem] = {}
    for p in problems:
        seen.setdefault((p.file, p.line, p.column, p.code, p.message), p)
    return tuple(sorted(seen.values(), key=lambda p: (p.file, p.line, p.column)))


# -- the YAML text ------------------------------------------------------------------------


def _yaml_text(evidence: EvidenceFile, header: str, items: list[str]) -> str:
    from cat_rubric._dump import to_yaml

    sources = ", ".join(items)
    lines = [
        f"# Written by cat-rubric import-csv from {header} (header) and {sources} (items).",
        "# Edit the spreadsheet and import again rather than this file; check it with",
        "# cat-rubric validate THIS_FILE.",
    ]
    return "\n".join(_comment(line) for line in lines) + "\n" + to_yaml(evidence)


def _comment(line: str) -> str:
    """A comment line that stays one line (a file name may hold a line break)."""
    from cat_rubric._text import inert_line

    return inert_line(line)


__all__ = ["COLUMNS", "REQUIRED", "evidence_from_csv", "import_csv"]
