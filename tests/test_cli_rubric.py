"""The ``cat-rubric`` command line: validate, list, show, usage errors and the module entry."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import cat_rubric
from cat_rubric._cli import main
from tests.conftest import BUNDLED, ROOT

LOCATION = re.compile(r"^\S+:\d+:\d+: ", re.MULTILINE)
HOSTILE = "<script>alert(1)</script> | pipe"


@pytest.fixture(name="broken")
def _broken(tmp_path: Path, minimal_text: str) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(minimal_text.replace("weight: 2", "weight: heavy"), encoding="utf-8")
    return path


@pytest.fixture(name="valid")
def _valid(tmp_path: Path, minimal_text: str) -> Path:
    path = tmp_path / "valid.yaml"
    path.write_text(minimal_text, encoding="utf-8")
    return path


@pytest.fixture(name="hostile")
def _hostile(tmp_path: Path, minimal_text: str) -> Path:
    text = minimal_text.replace("title: Minimal rubric for tests", f"title: '{HOSTILE}'")
    text = text.replace(
        "statement: Lawyers are reached", "statement: <script>x</script> | a | b | Lawyers"
    )
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    return path


class TestValidate:
    """`validate` reports ok or every problem, with the exit status."""

    def test_bundled_file_ok(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The bundled rubric validates: exit 0 and an ok line on stdout."""
        assert main(["validate", str(BUNDLED)]) == 0
        out, err = capsys.readouterr()
        assert "ok" in out
        assert "cat-kaz-co-2" in out
        assert err == ""

    def test_bundled_id_ok(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A bundled rubric's id is accepted in place of a file."""
        assert main(["validate", "cat-kaz-co-2"]) == 0
        assert "ok" in capsys.readouterr().out

    def test_broken_file(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A broken file exits 1 with file:line:col: lines on stderr and no traceback."""
        assert main(["validate", str(broken)]) == 1
        out, err = capsys.readouterr()
        assert f"{broken}:28:21: recommendations[0].parts[0].criteria[0].weight: " in err
        assert LOCATION.search(err)
        assert "Traceback" not in out + err
        assert "ok" not in out

    def test_several_files_one_bad(
        self, valid: Path, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """With several files, one bad makes exit 1, and each file is reported."""
        assert main(["validate", str(valid), str(broken)]) == 1
        out, err = capsys.readouterr()
        assert f"{valid}: ok" in out
        assert f"{broken}:28:21:" in err
        assert f"{broken}: 1 problem" in err
        assert str(valid) not in err

    def test_bad_file_first_does_not_stop(
        self, valid: Path, broken: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad file before a good one does not stop the good one being checked."""
        assert main(["validate", str(broken), str(valid)]) == 1
        out, err = capsys.readouterr()
        assert f"{valid}: ok" in out
        assert f"{broken}:28:21:" in err

    def test_missing_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing file exits 1 with its location-style message."""
        missing = tmp_path / "missing.yaml"
        assert main(["validate", str(missing)]) == 1
        _, err = capsys.readouterr()
        assert f"{missing}:1:1: no such file" in err
        assert "Traceback" not in err

    def test_unknown_id(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown rubric id exits 1 and names the bundled ids."""
        assert main(["validate", "no-such-id"]) == 1
        _, err = capsys.readouterr()
        assert "no-such-id" in err
        assert "cat-kaz-co-2" in err

    def test_limit_error(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A file over a resource limit exits 1 with a located problem, not a traceback."""
        path = tmp_path / "deep.yaml"
        path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
        assert main(["validate", str(path)]) == 1
        _, err = capsys.readouterr()
        assert f"{path}:1:" in err
        assert "Traceback" not in err


class TestUsage:
    """Usage errors exit 2; --version exits 0."""

    def test_no_arguments(self, capsys: pytest.CaptureFixture[str]) -> None:
        """No command is a usage error."""
        assert main([]) == 2
        assert "usage:" in capsys.readouterr().err

    def test_unknown_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown command is a usage error."""
        assert main(["frobnicate"]) == 2
        assert "frobnicate" in capsys.readouterr().err

    def test_validate_without_files(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`validate` with no files is a usage error."""
        assert main(["validate"]) == 2
        assert "usage:" in capsys.readouterr().err

    def test_bad_format(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown --format is a usage error."""
        assert main(["show", "cat-kaz-co-2", "--format", "html"]) == 2
        assert "html" in capsys.readouterr().err

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the program and a version and exits 0."""
        assert main(["--version"]) == 0
        out = capsys.readouterr().out.strip()
        assert re.fullmatch(r"cat-rubric \S+", out), out


class TestListAndShow:
    """`list` and `show` render bundled and local rubrics."""

    def test_list(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`list` shows the bundled rubric with its symbol and due date."""
        assert main(["list"]) == 0
        out = capsys.readouterr().out
        row = next(line for line in out.splitlines() if line.startswith("cat-kaz-co-2"))
        assert "CAT/C/KAZ/CO/2" in row
        assert "2009-11-18" in row

    def test_scales(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`scales` lists every bundled scale with its letters."""
        assert main(["scales"]) == 0
        out = capsys.readouterr().out
        for scale_id in cat_rubric.bundled_scales():
            assert scale_id in out
        assert "B1" in out  # ccpr-2013's letters
        assert "D2" in out

    def test_show_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`show` prints a table with the rubric's part and criterion ids."""
        assert main(["show", "cat-kaz-co-2"]) == 0
        out = capsys.readouterr().out
        assert "CAT/C/KAZ/CO/2" in out
        rows = [line.split() for line in out.splitlines()]
        assert any(row[:3] == ["9", "9b", "kaz-9-safeguards-in-practice"] for row in rows)
        assert any(row[:3] == ["7", "7a", "kaz-7a-public-condemnation"] for row in rows)

    def test_show_file(self, valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`show` accepts a file path."""
        assert main(["show", str(valid)]) == 0
        out = capsys.readouterr().out
        assert "lawyer-practice" in out
        assert "9a" in out

    def test_show_markdown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`show --format markdown` prints headings and Markdown tables."""
        assert main(["show", "cat-kaz-co-2", "--format", "markdown"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("# ")
        assert "## Paragraph 9:" in out
        assert re.search(r"^\|[-|]+\|$", out, re.MULTILINE)
        assert re.search(r"^\| 9b +\| kaz\\?-9\\?-lawyer\\?-from", out, re.MULTILINE)

    def test_show_markdown_escapes(self, hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """Hostile text cannot inject HTML or break the Markdown table."""
        assert main(["show", str(hostile), "--format", "markdown"]) == 0
        out = capsys.readouterr().out
        assert "<script>" not in out
        assert "alert" in out
        rows = [line for line in out.splitlines() if line.startswith("|")]
        cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert cells == {7}, rows

    def test_show_due_beyond_the_calendar(
        self, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A follow-up period past year 9999 is reported (exit 1), not a crash."""
        path = tmp_path / "far.yaml"
        path.write_text(minimal_text.replace("within_months: 12", "within_months: 120000"))
        assert main(["show", str(path)]) == 1
        assert f"{path}:" in capsys.readouterr().err

    def test_show_broken(self, broken: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """`show` on a broken file exits 1 with located problems."""
        assert main(["show", str(broken)]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert f"{broken}:28:21:" in err


class TestModuleEntry:
    """`python -m cat_rubric` runs the command line."""

    def test_python_m(self) -> None:
        """`python -m cat_rubric validate` on the bundled rubric exits 0 with ok."""
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        result = subprocess.run(
            [sys.executable, "-m", "cat_rubric", "validate", "rubrics/cat-kaz-co-2.yaml"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert "rubrics/cat-kaz-co-2.yaml: ok" in result.stdout
