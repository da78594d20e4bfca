"""examples/analyst.ipynb, executed as an analyst runs it: in a real Jupyter kernel.

The notebook is copied with the example evidence into a temporary folder and run there
by nbclient, cell by cell, with the kernel of this interpreter. A cell that raises fails
the test with the cell's source and traceback; then the outputs are read as a person
meets them: the rich HTML displays, the tables, the chart, the written report and the
letter.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import cat_rubric

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "analyst.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    work = tmp_path_factory.mktemp("analyst")
    for name in ("analyst.ipynb", "kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml"):
        shutil.copy(ROOT / "examples" / name, work / name)
    nb = nbformat.read(work / "analyst.ipynb", as_version=4)  # type: ignore[no-untyped-call]
    # ipykernel's "python3" spec: jupyter_client starts it with this interpreter.
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(work)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        pytest.fail(f"a cell of examples/analyst.ipynb failed:\n{exc}")
    return nb, work


def _outputs(cell: Any) -> dict[str, str]:
    """The cell's rich outputs by MIME type (the last of each), and its stream text."""
    found: dict[str, str] = {}
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            found["stream"] = found.get("stream", "") + out["text"]
        for mime, data in out.get("data", {}).items():
            found[mime] = data if isinstance(data, str) else "".join(data)
    return found


def _code_cell(nb: Any, needle: str) -> dict[str, str]:
    cells = [c for c in nb.cells if c.cell_type == "code" and needle in c.source]
    assert len(cells) == 1, f"expected one code cell containing {needle!r}"
    return _outputs(cells[0])


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def test_every_cell_ran_without_error(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None
            assert all(out["output_type"] != "error" for out in cell.outputs), cell.source


def test_the_assessment_displays_its_grades_not_a_repr(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    out = _code_cell(nb, "result = cat_rubric.assess")
    shown = out["text/html"]
    expected = cat_rubric.assess(
        cat_rubric.load_rubric("cat-kaz-co-2"),
        [
            cat_rubric.load_evidence(ROOT / "examples" / name)
            for name in ("kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml")
        ],
    )
    text = _text(shown)
    for part in expected.parts:
        assert part.id in text
        assert part.grade is not None
        assert re.search(rf"\b{re.escape(part.grade)}\b", text)
    assert len(shown) < 20_000, "a summary, not a wall of text"


def test_tables_are_dataframes(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    parts = _code_cell(nb, 'parts = result.to_frame("parts")')
    assert "<table" in parts["text/html"]
    assert "9b" in _text(parts["text/html"])
    disputed = _text(_code_cell(nb, 'criteria[criteria["disputed"]]')["text/html"])
    for criterion in (
        "kaz-9-lawyer-from-apprehension",
        "kaz-18-torture-charged-as-torture",
        "kaz-29-courts-act-on-torture-allegations",
    ):
        assert criterion in disputed


def test_the_chart_is_an_svg_with_every_paragraph(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    svg = _code_cell(nb, "render.chart(result)")["image/svg+xml"]
    assert svg.lstrip().startswith("<svg")
    for paragraph in ("7", "9", "18", "29"):
        assert re.search(rf">\s*(?:para(?:graph)?\.?\s*)?{paragraph}\s*<", svg)


def test_the_comparison_shows_what_the_ngo_changed(executed: tuple[Any, Path]) -> None:
    nb, _ = executed
    text = _text(_code_cell(nb, "state_only = cat_rubric.assess")["text/html"])
    assert "grade (State only)" in text
    assert "grade (with NGO)" in text


def test_the_report_and_the_letter(executed: tuple[Any, Path]) -> None:
    nb, work = executed
    page = (work / "kaz-2010-report.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "29d" in page
    letter = _code_cell(nb, "render.letter(")["text/markdown"]
    assert "DRAFT" in letter
    assert "CAT/C/KAZ/CO/2" in letter
