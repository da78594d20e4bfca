"""Evidence from spreadsheets: items from a CSV, every problem at its row and column."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import LoadError, evidence_from_csv, parse_evidence, parse_rubric, render
from cat_rubric._csv import text_cell
from cat_rubric._evidence_csv import COLUMNS, REPORT_EXACT, import_csv
from cat_rubric.evidence import EvidenceFile, Finding, Item, Source
from cat_rubric.exceptions import Problem
from cat_rubric.model import SourceKind
from cat_rubric.testing import evidence_files, texts
from tests.conftest import DATA, EXAMPLES, MINIMAL, MINIMAL_EVIDENCE, Run

RUBRIC = cat_rubric.load_rubric(DATA / "minimal.yaml")
#: The minimal evidence's header: everything before its items.
HEADER = MINIMAL_EVIDENCE[: MINIMAL_EVIDENCE.index("items:\n")]
GOOD = (
    "id,criteria,finding,source_kind,source_title,source_date,summary,illustrative\n"
    "sp-1,lawyer,partially_implemented,state_party,Follow-up reply,2014-06-01,"
    "The reply reports a draft.,true\n"
    'n-1,lawyer; lawyer-practice,not_implemented,ngo,"Alternative report, section 2",'
    '2014-07-01,"Lawyers come late, ""often"".",\n'
)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(name="header")
def _header(tmp_path: Path) -> Path:
    path = tmp_path / "header.yaml"
    path.write_text(HEADER, encoding="utf-8")
    return path


def write(tmp_path: Path, data: str | bytes, name: str = "items.csv") -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8"))
    else:
        path.write_bytes(data)
    return path


def problems(path: Path, header: Path) -> list[tuple[int, int, str, str]]:
    """(row, column, column name, code) of each problem, in order."""
    with pytest.raises(LoadError) as info:
        evidence_from_csv(path, header=header, rubric=RUBRIC)
    return [(p.line, p.column, str(p.path), p.code) for p in info.value.problems]


def only(path: Path, header: Path) -> Problem:
    with pytest.raises(LoadError) as info:
        evidence_from_csv(path, header=header, rubric=RUBRIC)
    (p,) = info.value.problems
    return p


class TestDocumentedColumns:
    """The documented columns make items, as an evidence file's YAML would."""

    def test_items(self, tmp_path: Path, header: Path) -> None:
        evidence = evidence_from_csv(write(tmp_path, GOOD), header=header, rubric=RUBRIC)
        first, second = evidence.items
        assert first == Item(
            id="sp-1",
            criteria=("lawyer",),
            finding=Finding.PARTIALLY_IMPLEMENTED,
            source=Source(kind=SourceKind.STATE_PARTY, title="Follow-up reply", date=_d(6, 1)),
            summary="The reply reports a draft.",
            illustrative=True,
        )
        assert second.criteria == ("lawyer", "lawyer-practice")
        assert second.source.title == "Alternative report, section 2"
        assert second.summary == 'Lawyers come late, "often".'
        assert second.illustrative is False
        assert (evidence.cycle, evidence.as_of) == ("2014 follow-up", _d(9, 1))

    def test_the_text_is_the_evidence(self, tmp_path: Path, header: Path) -> None:
        """The YAML text written loads as the same evidence; its sha256 is the record's."""
        evidence, text = import_csv(write(tmp_path, GOOD), header=header, rubric=RUBRIC)
        assert parse_evidence(text, rubric=RUBRIC) == evidence
        assert evidence.origin is not None
        assert evidence.origin.sha256 == hashlib.sha256(text.encode()).hexdigest()
        assert text.startswith("# Written by cat-rubric import-csv from ")
        result = cat_rubric.assess(RUBRIC, evidence)
        assert result.record.evidence[0].sha256 == evidence.origin.sha256

    def test_the_headers_items_come_first(self, tmp_path: Path, header: Path) -> None:
        item = (
            "items:\n  - id: h-1\n    criteria: [lawyer]\n    finding: initiated\n"
            "    source: {kind: ngo, title: T}\n    summary: s\n"
        )
        header.write_text(HEADER + item, encoding="utf-8")
        evidence = evidence_from_csv(write(tmp_path, GOOD), header=header, rubric=RUBRIC)
        assert [i.id for i in evidence.items] == ["h-1", "sp-1", "n-1"]

    def test_several_files(self, tmp_path: Path, header: Path) -> None:
        one = write(tmp_path, GOOD)
        two = write(tmp_path, GOOD.replace("sp-1", "sp-9").replace("n-1", "n-9"), "more.csv")
        evidence = evidence_from_csv([one, two], header=header, rubric=RUBRIC)
        assert [i.id for i in evidence.items] == ["sp-1", "n-1", "sp-9", "n-9"]

    def test_the_rubric_named_by_the_header(self, tmp_path: Path) -> None:
        """Without rubric=, the bundled rubric the header names checks the criteria."""
        text = (EXAMPLES / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
        header = write(tmp_path, text, "header.yaml")
        items = write(
            tmp_path,
            "id,criteria,finding,source_kind,source_title,summary\nx,kaz-9-lawyr,"
            "implemented,ngo,T,s\n",
        )
        with pytest.raises(LoadError) as info:
            evidence_from_csv(items, header=header)
        (p,) = info.value.problems
        assert (p.line, p.column, p.code) == (2, 2, "unknown-reference")

    def test_spreadsheet_headers(self, tmp_path: Path, header: Path) -> None:
        """'Source kind', 'ID' are the columns; a column named '#...' is one's own."""
        names = "ID,Criteria,Finding,Source kind,Source-Title,# notes,Summary\n"
        body = "sp-1,lawyer,implemented,state_party,Reply,call them back,s\n"
        evidence = evidence_from_csv(write(tmp_path, names + body), header=header, rubric=RUBRIC)
        assert evidence.items[0].source.title == "Reply"


class TestHostileFiles:
    """What spreadsheets and people make of CSV: read when it is safe, refused clearly."""

    def test_byte_order_mark(self, tmp_path: Path, header: Path) -> None:
        path = write(tmp_path, b"\xef\xbb\xbf" + GOOD.encode())
        assert len(evidence_from_csv(path, header=header, rubric=RUBRIC).items) == 2

    @pytest.mark.parametrize("delimiter", [";", "\t"])
    def test_european_excel(self, tmp_path: Path, header: Path, delimiter: str) -> None:
        """Semicolons (or tabs) and CRLF line ends, as European Excel writes: told apart."""
        rows = list(csv.reader(io.StringIO(GOOD)))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        evidence = evidence_from_csv(write(tmp_path, out.getvalue()), header=header, rubric=RUBRIC)
        assert evidence.items[1].source.title == "Alternative report, section 2"

    def test_excel_sep_line(self, tmp_path: Path, header: Path) -> None:
        text = (
            "sep=;\nid;criteria;finding;source_kind;source_title;summary\n"
            "sp-1;lawyer;implemented;state_party;Reply, in part;s\n"
            "n-1;lawyer;implemented;ngo;T;s\n"
        )
        evidence = evidence_from_csv(write(tmp_path, text), header=header, rubric=RUBRIC)
        assert [i.id for i in evidence.items] == ["sp-1", "n-1"]

    def test_an_unknown_delimiter(self, tmp_path: Path, header: Path) -> None:
        p = only(write(tmp_path, GOOD.replace(",", "|")), header)
        assert (p.line, p.column, p.code) == (1, 1, "csv-syntax")
        assert "the delimiter is not a comma, a semicolon or a tab" in p.message

    def test_empty_rows_are_skipped(self, tmp_path: Path, header: Path) -> None:
        text = GOOD.replace("\nn-1", "\n,,,,,,,\n\n   ,  ,\nn-1") + ",,,,,,,\n"
        evidence = evidence_from_csv(write(tmp_path, text), header=header, rubric=RUBRIC)
        assert [i.id for i in evidence.items] == ["sp-1", "n-1"]

    def test_formula_guards_come_off(self, tmp_path: Path, header: Path) -> None:
        """One leading quote comes off every cell: what the report's CSV adds to a formula."""
        text = (
            "id,criteria,finding,source_kind,source_title,summary\n"
            'sp-1,lawyer,implemented,state_party,\'-- a reply,"\'=HYPERLINK(""x"")"\n'
            "sp-2,lawyer,implemented,state_party,''quoted',=1+1\n"
        )
        one, two = evidence_from_csv(write(tmp_path, text), header=header, rubric=RUBRIC).items
        assert (one.source.title, one.summary) == ("-- a reply", '=HYPERLINK("x")')
        assert (two.source.title, two.summary) == ("'quoted'", "=1+1")  # read as written

    def test_not_utf8(self, tmp_path: Path, header: Path) -> None:
        """Saved as Windows-1252: refused, at its row, with what to do."""
        p = only(write(tmp_path, GOOD.replace("draft", "brouillon é").encode("cp1252")), header)
        assert (p.line, p.code) == (2, "not-utf8")
        assert "save the file as UTF-8" in p.message

    def test_unclosed_quote(self, tmp_path: Path, header: Path) -> None:
        p = only(write(tmp_path, GOOD + 'x-1,lawyer,implemented,ngo,"never closed,s\n'), header)
        assert (p.line, p.code) == (4, "csv-syntax")

    def test_a_row_too_long(self, tmp_path: Path, header: Path) -> None:
        p = only(write(tmp_path, GOOD + "x,lawyer,implemented,ngo,T,,s,,one too many\n"), header)
        assert (p.line, p.column, p.code) == (4, 9, "csv-syntax")

    def test_control_character(self, tmp_path: Path, header: Path) -> None:
        p = only(write(tmp_path, GOOD.replace("a draft.", "a \x1b[31mdraft.")), header)
        assert (p.line, p.column, str(p.path), p.code) == (2, 7, "summary", "bad-character")
        assert "\x1b" not in str(p)

    def test_empty_file(self, tmp_path: Path, header: Path) -> None:
        assert problems(write(tmp_path, "\n\n"), header) == [(1, 1, "", "empty-file")]

    def test_a_multi_line_cell_is_one_row(self, tmp_path: Path, header: Path) -> None:
        """Rows are counted as a spreadsheet numbers them, not as lines of text."""
        text = GOOD.replace("The reply reports a draft.", '"Two\nlines"') + (
            "x,lawyer,implemented,ngo,T,2014-13-01,s,\n"
        )
        assert problems(write(tmp_path, text), header) == [(4, 6, "source_date", "invalid-date")]


class TestCellProblems:
    """Every problem at its row and column, with the column's name as the key path."""

    def test_everything_at_once(self, tmp_path: Path, header: Path) -> None:
        text = GOOD + (
            "sp-2,lawyr,Implemented,State party,,01/06/2014,,maybe\n"
            "sp-1,lawyer lawyer,no_new_information,ngo,T,2014-02-30,,\n"
        )
        found = problems(write(tmp_path, text), header)
        assert found == [
            (4, 3, "finding", "unknown-value"),
            (4, 4, "source_kind", "unknown-value"),
            (4, 5, "source_title", "empty-value"),
            (4, 6, "source_date", "invalid-date"),
            (4, 8, "illustrative", "wrong-type"),
            (5, 1, "id", "duplicate-id"),
            (5, 6, "source_date", "invalid-date"),
        ]

    def test_the_loaders_checks(self, tmp_path: Path, header: Path) -> None:
        """Unknown criteria, a criterion twice, a finding only the State reports, no text."""
        text = GOOD + (
            "x-1,lawyr,implemented,ngo,T,,s,\n"
            "x-2,lawyer lawyer,no_new_information,ngo,T,,,\n"
            "has space,lawyer,implemented,ngo,T,,s,\n"
        )
        found = problems(write(tmp_path, text), header)
        assert found == [
            (4, 2, "criteria", "unknown-reference"),
            (5, 2, "criteria", "duplicate-id"),
            (5, 3, "finding", "finding-not-for-source"),
            (5, 7, "summary", "missing-key"),
            (6, 1, "id", "bad-id"),
        ]

    def test_messages(self, tmp_path: Path, header: Path) -> None:
        text = GOOD + "x-1,lawyr,Implemented,ngo,T,2014-06-01 10:00,s,\n"
        with pytest.raises(LoadError) as info:
            evidence_from_csv(write(tmp_path, text), header=header, rubric=RUBRIC)
        said = [str(p) for p in info.value.problems]
        assert said[0].endswith(
            "items.csv:4:3: finding: 'Implemented' is not one of: contrary, rejected, "
            "no_information, no_new_information, not_relevant, not_implemented, initiated, "
            "partially_implemented, implemented — did you mean 'implemented'? (they differ only "
            "in upper and lower case) [unknown-value]"
        )
        assert "expected a date written a date without a time, got '2014-06-01 10:00'" in said[1]

    def test_a_duplicate_of_a_header_item(self, tmp_path: Path, header: Path) -> None:
        item = (
            "items:\n  - id: sp-1\n    criteria: [lawyer]\n    finding: initiated\n"
            "    source: {kind: ngo, title: T}\n    summary: s\n"
        )
        header.write_text(HEADER + item, encoding="utf-8")
        p = only(write(tmp_path, GOOD), header)
        assert (p.line, p.code) == (2, "duplicate-id")
        assert "an item of the header file" in p.message

    @pytest.mark.parametrize(
        ("names", "expected"),
        [
            ("id,criteria,finding,source_kind,summary", [(1, 1, "source_title", "missing-key")]),
            (
                "id,criteria,finding,source_kind,source_titel,summary",
                [(1, 5, "source_titel", "unknown-key")],
            ),
            ("id,id,criteria,finding,source_kind,source_title", [(1, 2, "id", "duplicate-key")]),
        ],
    )
    def test_header_rows(
        self, tmp_path: Path, header: Path, names: str, expected: list[tuple[int, int, str, str]]
    ) -> None:
        assert problems(write(tmp_path, names + "\n"), header) == expected

    def test_an_unknown_column_suggests(self, tmp_path: Path, header: Path) -> None:
        p = only(write(tmp_path, "id,criteria,finding,source_kind,source_titel,summary\n"), header)
        assert "did you mean 'source_title'?" in p.message
        assert "a column whose name begins with '#' is ignored" in p.message

    def test_the_header_file_has_its_own_lines(self, tmp_path: Path, header: Path) -> None:
        header.write_text(HEADER.replace("as_of: 2014-09-01", "as_of: 2014-02-30"), "utf-8")
        p = only(write(tmp_path, GOOD), header)
        assert (p.file, p.line, p.code) == (str(header), 4, "invalid-date")


class TestTheReportsCSV:
    """The items CSV the report writes is read back: one item per item, on its criteria."""

    @pytest.fixture(name="kaz")
    def _kaz(self) -> tuple[cat_rubric.Rubric, list[EvidenceFile]]:
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        names = ("kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml")
        return rubric, [cat_rubric.load_evidence(EXAMPLES / n, rubric=rubric) for n in names]

    def test_round_trip(
        self, tmp_path: Path, kaz: tuple[cat_rubric.Rubric, list[EvidenceFile]]
    ) -> None:
        rubric, files = kaz
        result = cat_rubric.assess(rubric, files)
        report = write(tmp_path, render.csv(result, rubric, level="items"))
        header = write(tmp_path, cat_rubric.to_yaml(attrs.evolve(files[0], items=())), "h.yaml")
        evidence = evidence_from_csv(report, header=header, rubric=rubric)
        original = {i.id: i for f in files for i in f.items}
        order = {c: n for n, c in enumerate(rubric.criterion_ids)}
        assert {
            i.id: attrs.evolve(i, criteria=tuple(sorted(i.criteria, key=order.__getitem__)))
            for i in original.values()
        } == {i.id: i for i in evidence.items}

    def test_a_csv_without_the_items_own_columns(
        self, tmp_path: Path, kaz: tuple[cat_rubric.Rubric, list[EvidenceFile]]
    ) -> None:
        """An items CSV written before it had them: the source from the citation, as before."""
        rubric, files = kaz
        result = cat_rubric.assess(rubric, files)
        rows = list(csv.DictReader(io.StringIO(render.csv(result, rubric, level="items"))))
        kept = [c for c in rows[0] if c not in REPORT_EXACT]
        out = io.StringIO()
        writer = csv.DictWriter(out, kept, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        report = write(tmp_path, out.getvalue())
        header = write(tmp_path, cat_rubric.to_yaml(attrs.evolve(files[0], items=())), "h.yaml")
        evidence = evidence_from_csv(report, header=header, rubric=rubric)
        original = {i.id: i for f in files for i in f.items}
        assert {i.id for i in evidence.items} == set(original)
        for item in evidence.items:
            was = original[item.id]
            assert (item.criteria, item.finding, item.source.kind, item.illustrative) == (
                was.criteria,
                was.finding,
                was.source.kind,
                was.illustrative,
            )
            assert item.source.date == was.source.date
            assert item.source.title.startswith(was.source.title)
            assert (item.quote or item.summary) == (
                was.quote.strip() if was.quote else (was.summary or "").strip()
            )

    def test_rows_of_one_item_must_agree(
        self, tmp_path: Path, kaz: tuple[cat_rubric.Rubric, list[EvidenceFile]]
    ) -> None:
        rubric, files = kaz
        result = cat_rubric.assess(rubric, files)
        text = render.csv(result, rubric, level="items")
        lines = text.split("\r\n")
        # s-7a-condemnation's second row (on another criterion) says implemented: change it.
        index = next(i for i, line in enumerate(lines) if ",s-7a-condemnation," in line and i > 1)
        lines[index] = lines[index].replace(",implemented,implemented,", ",initiated,implemented,")
        header = write(tmp_path, cat_rubric.to_yaml(attrs.evolve(files[0], items=())), "h.yaml")
        with pytest.raises(LoadError) as info:
            evidence_from_csv(write(tmp_path, "\r\n".join(lines)), header=header, rubric=rubric)
        (p,) = info.value.problems
        assert (p.line, p.code, str(p.path)) == (index + 1, "inconsistent", "finding")


#: A documented items CSV of *items*, written as a spreadsheet export would (formula guard on).
def documented_csv(items: tuple[Item, ...], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for i in items:
        s = i.source
        cells = [
            i.id,
            "; ".join(i.criteria),
            i.finding.value,
            s.kind.value,
            s.title,
            s.symbol or "",
            s.locator or "",
            s.url or "",
            s.date.isoformat() if s.date else "",
            i.measure_date.isoformat() if i.measure_date else "",
            i.quote or "",
            i.summary or "",
            "true" if i.illustrative else "false",
        ]
        writer.writerow([text_cell(c) for c in cells])
    return out.getvalue()


#: Text a spreadsheet may hold: formula-like starts, quotes, delimiters, line breaks.
CELL_TEXT = texts(max_size=20).map(str.strip).filter(bool) | st.sampled_from(
    ["=1+1", "+ve", "-1", "@home", "'quoted'", 'say "x"', "a;b,c", "two\nlines"]
).filter(lambda t: t.strip() == t)


class TestLaws:
    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        evidence=evidence_files(RUBRIC, max_items=5, text=CELL_TEXT),
        delimiter=st.sampled_from([",", ";", "\t"]),
    )
    def test_round_trip(
        self, evidence: EvidenceFile, delimiter: str, tmp_path: Path, header: Path
    ) -> None:
        """Any valid items, written as a documented CSV, read back equal."""
        path = write(tmp_path, documented_csv(evidence.items, delimiter))
        read = evidence_from_csv(path, header=header, rubric=RUBRIC)
        assert read.items == evidence.items

    @settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(evidence=evidence_files(RUBRIC, max_items=5, text=CELL_TEXT))
    def test_the_reports_items_csv_reads_back_as_the_items(
        self, evidence: EvidenceFile, tmp_path: Path, header: Path
    ) -> None:
        """Assessed, written as the report's items CSV, and imported: the same items.

        Ignored items included; each item's criteria come back in the rubric's order.
        """
        result = cat_rubric.assess(RUBRIC, [evidence])
        path = write(tmp_path, render.csv(result, RUBRIC, level="items"))
        read = evidence_from_csv(path, header=header, rubric=RUBRIC)
        order = {c: i for i, c in enumerate(RUBRIC.criterion_ids)}

        def canonical(items: tuple[Item, ...]) -> dict[str, Item]:
            return {
                i.id: attrs.evolve(i, criteria=tuple(sorted(i.criteria, key=order.__getitem__)))
                for i in items
            }

        assert canonical(read.items) == canonical(evidence.items)


class TestCommand:
    def test_import(self, run: Run, tmp_path: Path, header: Path) -> None:
        rubric = write(tmp_path, MINIMAL, "rubric.yaml")
        items = write(tmp_path, GOOD)
        out = tmp_path / "evidence.yaml"
        args = ("import-csv", str(rubric), str(items), "--header", str(header), "-o", str(out))
        status, _, err = run(*args)
        assert (status, err) == (0, f"wrote {out}\n")
        assert parse_evidence(out.read_bytes(), rubric=RUBRIC).items[0].id == "sp-1"
        status, _, err = run(*args)
        assert status == 1
        assert "the file exists; add --force to replace it" in err
        status, _, err = run(*args[:-1], str(items), "--force")
        assert status == 1
        assert "it is one of the input files" in err
        status, _, _ = run("score", str(rubric), str(out))
        assert status == 0

    def test_problems(self, run: Run, tmp_path: Path, header: Path) -> None:
        rubric = write(tmp_path, MINIMAL, "rubric.yaml")
        items = write(tmp_path, GOOD.replace("partially_implemented", "partly"))
        status, out, err = run("import-csv", str(rubric), str(items), "--header", str(header))
        assert (status, out) == (1, "")
        assert f"{items}:2:3: finding: 'partly' is not one of" in err

    def test_the_header_is_required(self, run: Run, tmp_path: Path) -> None:
        status, _, err = run("import-csv", "cat-kaz-co-2", str(write(tmp_path, GOOD)))
        assert status == 2
        assert "--header" in err


def _d(month: int, day: int) -> dt.date:
    return dt.date(2014, month, day)


def test_the_minimal_rubric_is_the_fixture() -> None:
    """The rubric the tests read against is the one on disk (its criteria are lawyer ...)."""
    assert parse_rubric(MINIMAL).criterion_ids == ("lawyer", "lawyer-practice")
