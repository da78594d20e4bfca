"""Tidy tables: `Assessment.to_records`/`to_frame` and `Rubric.to_records`/`to_frame`."""

from __future__ import annotations

import datetime as dt
import enum
import json
import subprocess
import sys
from collections import Counter
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import (
    Assessment,
    AssessmentError,
    CatRubricError,
    Rubric,
    Settings,
    assess,
)
from cat_rubric._evidence import Finding, Item, Source
from cat_rubric._model import SourceKind
from cat_rubric._rules import Policy
from cat_rubric._tables import (
    COLUMNS,
    CONFLICT_COLUMNS,
    CRITERION_COLUMNS,
    DATE_COLUMNS,
    ITEM_COLUMNS,
    LEVELS,
    PART_COLUMNS,
    RECOMMENDATION_COLUMNS,
    REQUEST_COLUMNS,
    RUBRIC_COLUMNS,
    Level,
)
from cat_rubric.exceptions import MissingExtraError, SettingsError
from cat_rubric.result import Use
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import ROOT, ExampleFiles, as_real

# Text plays no part in the tables' shape: cheap text keeps generation fast.
_TEXT = st.sampled_from(["x", "Қазақстан"])
small_rubrics = rubrics(max_recommendations=2, max_parts=2, max_criteria=3, text=_TEXT)


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    rubric = draw(small_rubrics)
    files = [draw(evidence_files(rubric, max_items=8, text=_TEXT))]
    if draw(st.booleans()):  # a second file as of the same date, agreeing on the reply
        second = draw(
            evidence_files(rubric, max_items=4, as_of=files[0].as_of, item_prefix="j", text=_TEXT)
        )
        files.append(attrs.evolve(second, reply=files[0].reply))
    return assess(rubric, files, settings=Settings(policy=draw(st.sampled_from(Policy))))


def _date_safe(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON-safe: {value!r}")


class TestColumns:
    def test_the_columns_are_pinned(self) -> None:
        """Each level's column names are a documented decision: changing one fails here."""
        assert dict(COLUMNS) == {
            "recommendations": RECOMMENDATION_COLUMNS,
            "parts": PART_COLUMNS,
            "criteria": CRITERION_COLUMNS,
            "items": ITEM_COLUMNS,
            "conflicts": CONFLICT_COLUMNS,
            "requests": REQUEST_COLUMNS,
        }
        assert RECOMMENDATION_COLUMNS == (
            "paragraph", "recommendation", "title", "grade", "rollup", "parts_differ",
            "parts", "illustrative",
        )  # fmt: skip
        assert PART_COLUMNS == (
            "paragraph", "recommendation", "part", "title", "status", "grade",
            "engine_grade", "outcome", "rule", "reason", "score", "formula",
            "information_quality", "n_criteria", "n_disputed", "n_requests", "what_if_grade",
            "what_if_changes", "overridden", "override_by", "override_date",
            "override_reason", "flags", "illustrative",
        )  # fmt: skip
        assert CRITERION_COLUMNS == (
            "paragraph", "recommendation", "part", "criterion", "essential", "weight",
            "finding", "engine_finding", "overridden", "state_finding", "independent_finding",
            "disputed", "items", "request", "illustrative",
        )  # fmt: skip
        assert ITEM_COLUMNS == (
            "paragraph", "recommendation", "part", "criterion", "file", "item",
            "source_kind", "citation", "passage", "finding", "effective", "use", "reason",
            "flags", "source_title", "source_symbol", "source_locator", "source_url",
            "source_date", "measure_date", "quote", "summary", "illustrative",
        )  # fmt: skip
        assert CONFLICT_COLUMNS == (
            "paragraph", "recommendation", "part", "criterion", "state", "independent",
            "counted", "disputed", "illustrative",
        )  # fmt: skip
        assert REQUEST_COLUMNS == (
            "paragraph", "recommendation", "part", "criterion", "finding", "disputed",
            "request", "illustrative",
        )  # fmt: skip
        assert RUBRIC_COLUMNS == (
            "paragraph", "recommendation", "part", "criterion", "statement", "indicator",
            "essential", "weight", "evidence", "guidance", "request", "legal_references",
        )  # fmt: skip

    def test_the_docs_list_every_column(self) -> None:
        """docs/tables.md names every column of every level."""
        doc = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
        for level, columns in [*COLUMNS.items(), ("rubric", RUBRIC_COLUMNS)]:
            section = doc.split(f"## `{level}`", 1)[1].split("\n## ", 1)[0]
            for column in columns:
                assert f"| `{column}` |" in section, (level, column)

    def test_below_the_recommendation_every_row_has_paragraph_and_part(self) -> None:
        """Every level but recommendations starts with paragraph, recommendation, part."""
        for level, columns in [*COLUMNS.items(), ("rubric", RUBRIC_COLUMNS)]:
            if level != "recommendations":
                assert columns[:3] == ("paragraph", "recommendation", "part"), level
            assert "illustrative" in columns or level == "rubric", level


class TestProperties:
    @given(result=assessments())
    def test_columns_are_stable(self, result: Assessment) -> None:
        """Every row of every level has exactly the level's columns, in order."""
        for level in LEVELS:
            for row in result.to_records(level):
                assert tuple(row) == COLUMNS[level]

    @given(result=assessments())
    def test_each_thing_appears_exactly_once_at_its_level(self, result: Assessment) -> None:
        """Every recommendation, part, criterion, item use and conflict is one row."""
        recs = result.to_records("recommendations")
        assert [r["recommendation"] for r in recs] == [r.id for r in result.recommendations]
        parts = result.to_records("parts")
        assert [(r["paragraph"], r["part"]) for r in parts] == [
            (rec.paragraph, p.id) for rec in result.recommendations for p in rec.parts
        ]
        criteria = result.to_records("criteria")
        assert Counter((r["part"], r["criterion"]) for r in criteria) == Counter(
            (p.id, c.id) for p in result.parts for c in p.criteria
        )
        assert len(criteria) == sum(len(p.criteria) for p in result.parts)
        items = result.to_records("items")
        assert Counter((r["file"], r["item"], r["criterion"]) for r in items) == Counter(
            (u.file, u.item, u.criterion) for u in result.items
        )
        assert len(items) == len(result.items)
        conflicts = result.to_records("conflicts")
        assert Counter((r["part"], r["criterion"]) for r in conflicts) == Counter(
            (p.id, c.criterion) for p in result.parts for c in p.conflicts
        )

    @given(result=assessments())
    def test_paragraph_and_part_are_where_the_criterion_is(self, result: Assessment) -> None:
        """A row's paragraph, recommendation and part are those of its criterion."""
        where = {
            c.id: (rec.paragraph, rec.id, p.id)
            for rec in result.recommendations
            for p in rec.parts
            for c in p.criteria
        }
        levels: tuple[Level, ...] = ("criteria", "items", "conflicts", "requests")
        for level in levels:
            for row in result.to_records(level):
                got = (row["paragraph"], row["recommendation"], row["part"])
                assert got == where[row["criterion"]], level

    @given(result=assessments())
    def test_requests_are_the_parts_missing_sentences(self, result: Assessment) -> None:
        """The requests level holds exactly each part's `missing`, sentence for sentence."""
        rows = result.to_records("requests")
        for part in result.parts:
            mine = [f"{r['criterion']}: {r['request']}" for r in rows if r["part"] == part.id]
            assert mine == list(part.missing)
            if part.grade is None:
                assert mine == []
            for c in part.criteria:  # no overrides here: a disputed criterion is requested
                if c.disputed and part.grade is not None:
                    assert any(r["criterion"] == c.id for r in rows)

    @given(result=assessments())
    def test_records_are_plain_and_json_safe_apart_from_dates(self, result: Assessment) -> None:
        """No enum, no attrs object, no list: JSON takes every record once dates are text."""
        for level in LEVELS:
            records = result.to_records(level)
            json.dumps(records, default=_date_safe)
            dates = DATE_COLUMNS.get(level, ())
            for row in records:
                for name, value in row.items():
                    assert not isinstance(value, enum.Enum | list | dict)
                    assert not attrs.has(type(value))
                    if isinstance(value, dt.date):
                        assert name in dates, (level, name)
                    if isinstance(value, tuple):
                        assert all(isinstance(v, str) for v in value)

    @given(result=assessments())
    def test_the_frame_has_the_records_rows_and_columns(self, result: Assessment) -> None:
        """to_frame holds the same rows, in the same order, under the same columns."""
        for level in LEVELS:
            records = result.to_records(level)
            table = result.to_frame(level)
            assert tuple(table.columns) == COLUMNS[level]
            assert len(table) == len(records)
            for row, got in zip(records, table.to_dict("records"), strict=True):
                for name, value in row.items():
                    _same(value, got[name])

    @given(rubric=rubrics(max_recommendations=2, max_parts=2, max_criteria=3))
    def test_rubric_rows_are_its_criteria(self, rubric: Rubric) -> None:
        """One row per criterion of the rubric, in order, with the columns; frame the same."""
        records = rubric.to_records()
        assert [r["criterion"] for r in records] == [c.id for _, _, c in rubric.iter_criteria()]
        for row, (rec, part, crit) in zip(records, rubric.iter_criteria(), strict=True):
            assert tuple(row) == RUBRIC_COLUMNS
            assert (row["paragraph"], row["recommendation"], row["part"]) == (
                rec.paragraph,
                rec.id,
                part.id,
            )
            assert row["statement"] == crit.statement
            assert row["indicator"] == crit.indicator.value
            assert row["evidence"] == tuple(k.value for k in crit.evidence)
            assert len(row["legal_references"]) == len(crit.legal_references)
        json.dumps(records)
        table = rubric.to_frame()
        assert tuple(table.columns) == RUBRIC_COLUMNS
        assert list(table["criterion"]) == [r["criterion"] for r in records]


def _same(value: Any, got: Any) -> None:
    if value is None:
        assert got is None or pd.isna(got)
    elif isinstance(value, dt.date):
        assert isinstance(got, pd.Timestamp)
        assert got.date() == value
    else:
        assert got == value
        assert type(got) is not str or isinstance(value, str)


class TestValues:
    def test_enums_are_plain_strings(self, example: Assessment) -> None:
        """Statuses, outcomes, findings, uses and source kinds are their string values."""
        part = example.to_records("parts")[0]
        assert part["status"] == "graded"
        assert part["outcome"] == example.parts[0].outcome.value  # type: ignore[union-attr]
        item = example.to_records("items")[0]
        assert item["use"] in {u.value for u in Use}
        assert item["source_kind"] == example.items[0].source_kind.value

    def test_a_part_override_has_a_real_date(self, example: Assessment) -> None:
        """The 29d override: who, when (a `datetime.date`), why; datetime64 in the frame."""
        row = next(r for r in example.to_records("parts") if r["part"] == "29d")
        override = example.part("29d").override
        assert override is not None
        assert row["overridden"] is True
        assert (row["grade"], row["engine_grade"]) == ("C", "B")
        assert row["override_date"] == override.date
        assert type(row["override_date"]) is dt.date
        assert row["override_by"] == override.by
        table = example.to_frame("parts")
        assert str(table["override_date"].dtype) == "datetime64[s]"
        assert table.loc[table["part"] == "29d", "override_date"].item().date() == override.date
        assert table.loc[table["part"] == "7a", "override_date"].isna().item()

    def test_disputed_criteria_are_flagged_and_requested(self, example: Assessment) -> None:
        """The three disputed criteria are disputed in the criteria and requests levels."""
        disputed = {c.id for p in example.parts for c in p.criteria if c.disputed}
        assert len(disputed) == 3
        criteria = {r["criterion"] for r in example.to_records("criteria") if r["disputed"]}
        requests = {r["criterion"] for r in example.to_records("requests") if r["disputed"]}
        assert criteria == requests == disputed

    def test_illustrative_follows_the_evidence_considered(
        self, kaz: Rubric, example_files: ExampleFiles
    ) -> None:
        """An NGO report that is not illustrative unmarks what only it speaks to."""
        state, ngo = example_files
        result = assess(kaz, [state, as_real(ngo)])
        items = result.to_records("items")
        assert [r["illustrative"] for r in items] == [u.illustrative for u in result.items]
        assert any(r["illustrative"] for r in items)
        assert not all(r["illustrative"] for r in items)
        criteria = {r["criterion"]: r["illustrative"] for r in result.to_records("criteria")}
        assert criteria["kaz-9-safeguards-in-practice"] is False  # the NGO alone
        assert criteria["kaz-9-lawyer-from-apprehension"] is True  # the State's reply too
        conflicts = {r["criterion"]: r["illustrative"] for r in result.to_records("conflicts")}
        assert conflicts["kaz-9-lawyer-from-apprehension"] is True
        parts = {r["part"]: r["illustrative"] for r in result.to_records("parts")}
        assert parts["9b"] is True

    def test_an_item_on_an_unknown_criterion_has_no_part(
        self, kaz: Rubric, example_files: ExampleFiles
    ) -> None:
        """An item recorded on a criterion the rubric lacks still has its row.

        `assess` now refuses such an item; an assessment written by an earlier version,
        which recorded it as ignored, still reads back and tabulates.
        """
        state, _ = example_files
        stray = Item(
            id="stray",
            criteria=("no-such-criterion",),
            finding=Finding.IMPLEMENTED,
            source=Source(kind=SourceKind.NGO, title="t"),
            summary="s",
        )
        with pytest.raises(AssessmentError, match="names criterion 'no-such-criterion'"):
            assess(kaz, [attrs.evolve(state, items=(*state.items, stray))])
        data = json.loads(assess(kaz, [state]).to_json())
        stray_use = {"item": "stray", "criterion": "no-such-criterion", "use": "ignored"}
        data["items"].append({**data["items"][0], **stray_use})
        result = Assessment.from_json(json.dumps(data))
        row = next(r for r in result.to_records("items") if r["item"] == "stray")
        assert (row["paragraph"], row["recommendation"], row["part"]) == (None, None, None)
        assert row["use"] == "ignored"

    def test_item_records_hold_the_item_as_its_file_gives_it(
        self, kaz: Rubric, example_files: ExampleFiles
    ) -> None:
        """The source, measure date, quote and summary of each record are the item's own;
        a format-3 document written before they were recorded reads with them empty."""
        items = {(f.file, i.id): i for f in example_files for i in f.items}
        result = assess(kaz, list(example_files))
        for use, row in zip(result.items, result.to_records("items"), strict=True):
            item = items[use.file, use.item]
            assert (use.source, use.measure_date, use.quote, use.summary) == (
                item.source,
                item.measure_date,
                item.quote,
                item.summary,
            )
            assert (row["source_title"], row["source_date"], row["measure_date"]) == (
                item.source.title,
                item.source.date,
                item.measure_date,
            )
        data = json.loads(result.to_json())
        for record in data["items"]:
            for key in ("source", "measure_date", "quote", "summary"):
                del record[key]
        older = Assessment.from_json(json.dumps(data))
        assert [u.source for u in older.items] == [None] * len(result.items)
        assert {r["source_title"] for r in older.to_records("items")} == {None}
        assert older.parts == result.parts

    def test_rubric_legal_references_are_one_line_each(self, kaz: Rubric) -> None:
        """A legal reference reads ``instrument, art. N (title)``, a note after a colon."""
        rows = [r for r in kaz.to_records() if r["legal_references"]]
        assert rows
        crit = kaz.criterion(rows[0]["criterion"])
        ref = crit.legal_references[0]
        assert rows[0]["legal_references"][0].startswith(
            f"{ref.instrument}, art. {ref.article} ({ref.title})"
        )


class TestErrors:
    @pytest.mark.parametrize("level", ["part", "", "Parts", None, 3])
    def test_an_unknown_level_lists_the_levels(self, example: Assessment, level: Any) -> None:
        """A level that does not exist is a SettingsError naming every level."""
        for method in (example.to_records, example.to_frame):
            with pytest.raises(SettingsError) as info:
                method(level)
            message = str(info.value)
            assert repr(level) in message
            assert all(name in message for name in LEVELS)

    def test_without_pandas_to_frame_names_the_extra(
        self, example: Assessment, kaz: Rubric, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With pandas missing, to_frame says which extra to install; to_records works."""
        monkeypatch.setitem(sys.modules, "pandas", None)
        with pytest.raises(MissingExtraError) as info:
            example.to_frame("criteria")
        with pytest.raises(MissingExtraError) as again:
            kaz.to_frame()
        for error in (info.value, again.value):
            assert isinstance(error, CatRubricError)
            assert isinstance(error, ImportError)
            assert "pip install 'cat_rubric[pandas]'" in str(error)
        assert len(example.to_records("criteria")) == 40

    def test_records_import_neither_pandas_nor_jinja(self) -> None:
        """to_records needs no pandas, and leaves it unimported."""
        code = (
            "import sys, cat_rubric\n"
            "r = cat_rubric.load_rubric('cat-kaz-co-2')\n"
            "e = cat_rubric.load_evidence('examples/kaz-2010-state-reply.yaml', rubric=r)\n"
            "a = cat_rubric.assess(r, [e])\n"
            "assert a.to_records('items') and r.to_records()\n"
            "print(sorted(m for m in ('pandas', 'jinja2', 'numpy') if m in sys.modules))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == "[]"
