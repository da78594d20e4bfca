"""The ``cat-rubric`` command line: score, explain and template, their options and their errors."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import cat_rubric
from cat_rubric._cli import main
from tests.conftest import BUNDLED, EXAMPLES, Run

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
BAD_ID = "kaz-9-prompt-presentation-to-jugde"
ROW = re.compile(r"^(\d+) +(\d+[a-z]) +(\S+) ", re.MULTILINE)
STATE_ALONE = {
    "7a": "A", "7b": "C", "7c": "B", "9a": "B", "9b": "A", "9c": "C", "9d": "C",
    "18a": "E", "18b": "B", "29a": "A", "29b": "C", "29c": "C", "29d": "B",
}  # fmt: skip


@pytest.fixture(name="bad_evidence")
def _bad_evidence(tmp_path: Path) -> Path:
    """The State reply copied, with one criterion id misspelt."""
    text = (EXAMPLES / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("kaz-9-prompt-presentation-to-judge", BAD_ID), encoding="utf-8")
    return path


def table_grades(out: str) -> dict[str, str]:
    """Part id → grade, from the rows of a score table."""
    return {part: grade for _, part, grade in ROW.findall(out)}


def json_grades(out: str) -> dict[str, Any]:
    """Part id → grade, from JSON output."""
    data = json.loads(out)
    return {p["id"]: p["grade"] for r in data["recommendations"] for p in r["parts"]}


def location(path: Path, needle: str) -> str:
    """``file:line:col`` of the first occurrence of *needle* in the file at *path*."""
    text = path.read_text(encoding="utf-8")
    before = text[: text.index(needle)]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return f"{path}:{line}:{column}"


class TestScore:
    """`score`: formats and options."""

    def test_table(self, run: Run) -> None:
        """The table lists every part with the grade the State reply earns."""
        status, out, err = run("score", "cat-kaz-co-2", STATE)
        assert status == 0
        assert table_grades(out) == STATE_ALONE
        assert "para 18 (Appropriate penalties): E" in out
        assert err == ""

    def test_json(self, run: Run) -> None:
        """JSON parses, names its format, and records the sha256 of each input's bytes."""
        status, out, _ = run("score", "cat-kaz-co-2", STATE, NGO, "--format", "json")
        assert status == 0
        data = json.loads(out)
        assert data["format"] == "cat-rubric-assessment/3"
        record = data["record"]
        assert record["rubric"]["sha256"] == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
        digests = {e["file"]: e["sha256"] for e in record["evidence"]}
        assert digests == {
            name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in (STATE, NGO)
        }
        assert record["policy"] == "conservative"
        assert json_grades(out) == STATE_ALONE | {"9b": "B", "29a": "B", "29d": "C"}
        assert cat_rubric.Assessment.from_json(out).part("29d").engine_grade == "B"

    def test_markdown(self, run: Run) -> None:
        """Markdown has a heading, a table row per part and bold roll-up letters."""
        status, out, _ = run("score", "cat-kaz-co-2", STATE, "--format", "markdown")
        assert status == 0
        assert out.startswith("# CAT/C/KAZ/CO/2")
        assert re.search(r"^\| 9\s+\| 9b\s+\| A\s+\|", out, re.MULTILINE)
        assert "**E**" in out

    def test_scale_ccpr_2013(self, run: Run) -> None:
        """Under ccpr-2013 a silent part is D1 and substantive steps B1."""
        status, out, _ = run("score", "cat-kaz-co-2", STATE, "--scale", "ccpr-2013")
        assert status == 0
        grades = table_grades(out)
        assert (grades["7b"], grades["9a"], grades["9c"], grades["7a"]) == ("D1", "B1", "C1", "A")
        assert "scale ccpr-2013" in out

    def test_policy_state_only(self, run: Run) -> None:
        """state-only ignores the NGO report: 9b and 29a are A again."""
        args = ("score", "cat-kaz-co-2", STATE, NGO, "--format", "json", "--policy", "state-only")
        status, out, _ = run(*args)
        assert status == 0
        grades = json_grades(out)
        assert (grades["9b"], grades["29a"]) == ("A", "A")
        assert json.loads(out)["record"]["policy"] == "state-only"

    def test_refusal_c(self, run: Run) -> None:
        """--refusal C stops the bare refusal in 18a from making it E."""
        status, out, _ = run("score", "cat-kaz-co-2", STATE, "--format", "json", "--refusal", "C")
        assert status == 0
        assert json_grades(out)["18a"] == "B"
        assert "refusal_is_contrary=false" in json.loads(out)["record"]["settings"]

    def test_rollup_median(self, run: Run) -> None:
        """--rollup median lifts paragraph 7 (A, C, B) from C to B."""
        rollups = {}
        for how in ("lowest", "median"):
            status, out, _ = run(
                "score", "cat-kaz-co-2", STATE, "--format", "json", "--rollup", how
            )
            assert status == 0
            rollups[how] = {r["paragraph"]: r["grade"] for r in json.loads(out)["recommendations"]}
        assert (rollups["lowest"][7], rollups["median"][7]) == ("C", "B")
        assert rollups["median"][18] == "E"

    def test_as_of_pending(self, run: Run) -> None:
        """Before the reply and the due date, nothing is graded and the table says pending."""
        status, out, _ = run("score", "cat-kaz-co-2", STATE, "--as-of", "2009-06-01")
        assert status == 0
        assert "status pending" in out
        assert set(table_grades(out).values()) == {"—"}
        status, out, _ = run(
            "score", "cat-kaz-co-2", STATE, "--as-of", "2009-06-01", "--format", "json"
        )
        assert json.loads(out)["status"] == "pending"
        assert set(json_grades(out).values()) == {None}

    def test_bad_as_of(self, run: Run) -> None:
        """A malformed --as-of is a usage error: exit 2."""
        status, _, err = run("score", "cat-kaz-co-2", STATE, "--as-of", "30/06/2010")
        assert status == 2
        assert "not a date" in err


class TestOutput:
    """-o writes atomically, never over an input, and fails cleanly."""

    def test_writes_file_only(self, run: Run, tmp_path: Path) -> None:
        """-o writes the JSON to the file, nothing to stdout, and leaves no temporary file."""
        target = tmp_path / "out.json"
        status, out, err = run(
            "score", "cat-kaz-co-2", STATE, "--format", "json", "-o", str(target)
        )
        assert status == 0
        assert out == ""
        assert "wrote" in err
        assert json.loads(target.read_text(encoding="utf-8"))["format"] == "cat-rubric-assessment/3"
        assert [p.name for p in tmp_path.iterdir()] == ["out.json"]

    def test_refuses_to_overwrite_input(self, run: Run, tmp_path: Path) -> None:
        """-o naming an input file exits 1 and leaves the input as it was."""
        evidence = tmp_path / "reply.yaml"
        shutil.copy(STATE, evidence)
        before = evidence.read_bytes()
        status, out, err = run("score", "cat-kaz-co-2", str(evidence), "-o", str(evidence))
        assert status == 1
        assert "input files" in err
        assert out == ""
        assert evidence.read_bytes() == before
        assert [p.name for p in tmp_path.iterdir()] == ["reply.yaml"]

    def test_missing_directory(self, run: Run, tmp_path: Path) -> None:
        """-o into a directory that does not exist exits 1 with a one-line message."""
        target = tmp_path / "nowhere" / "out.json"
        status, out, err = run("score", "cat-kaz-co-2", STATE, "-o", str(target))
        assert status == 1
        assert out == ""
        assert err.startswith("cat-rubric: error: cannot write")
        assert err.count("\n") == 1
        assert not target.parent.exists()


class TestExplain:
    """`explain`: one part's rule, conflicts and what would lift it."""

    def test_part(self, run: Run) -> None:
        """explain --part 9b shows the rule, the conflict and the change needed for an A."""
        status, out, _ = run("explain", "cat-kaz-co-2", STATE, NGO, "--part", "9b")
        assert status == 0
        assert "== part 9b:" in out
        assert "== part 9a:" not in out
        assert "rule: substantive-steps" in out
        assert "conflict on kaz-9-lawyer-from-apprehension" in out
        assert "to reach A: kaz-9-lawyer-from-apprehension → implemented" in out

    def test_unknown_part(self, run: Run) -> None:
        """An unknown --part exits 1 and lists the parts."""
        status, out, err = run("explain", "cat-kaz-co-2", STATE, "--part", "zz")
        assert status == 1
        assert out == ""
        assert "'zz'" in err
        assert "7a, 7b, 7c, 9a, 9b, 9c, 9d, 18a, 18b, 29a, 29b, 29c, 29d" in err


class TestTemplate:
    """`template`: a blank evidence file that validates."""

    def test_template_validates(self, run: Run, tmp_path: Path) -> None:
        """The template validates and mentions every criterion of the rubric."""
        target = tmp_path / "t.yaml"
        status, out, _ = run("template", "cat-kaz-co-2", "-o", str(target))
        assert status == 0
        assert out == ""
        text = target.read_text(encoding="utf-8")
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        for _, _, criterion in rubric.iter_criteria():
            assert criterion.id in text, criterion.id
        status, out, err = run("validate", str(target))
        assert status == 0, err
        assert f"{target}: ok" in out


class TestInvalidEvidence:
    """Problems in evidence files: located, all reported, exit 1."""

    def test_validate_bad_criterion(self, run: Run, bad_evidence: Path) -> None:
        """validate reports a misspelt criterion at its file:line:col, with a suggestion."""
        status, out, err = run("validate", str(bad_evidence))
        assert status == 1
        assert "ok" not in out
        assert f"{location(bad_evidence, BAD_ID)}: items[" in err
        assert "did you mean 'kaz-9-prompt-presentation-to-judge'?" in err
        assert f"{bad_evidence}: 1 problem" in err

    def test_score_reports_every_file(self, run: Run, bad_evidence: Path, tmp_path: Path) -> None:
        """score with problems in two files reports both before assessing anything."""
        text = (EXAMPLES / "kaz-2010-ngo-report.yaml").read_text(encoding="utf-8")
        other = tmp_path / "bad-ngo.yaml"
        other.write_text(
            text.replace("finding: not_implemented", "finding: unclear", 1), encoding="utf-8"
        )
        status, out, err = run("score", "cat-kaz-co-2", str(bad_evidence), str(other))
        assert status == 1
        assert out == ""
        assert f"{location(bad_evidence, BAD_ID)}:" in err
        assert f"{location(other, 'unclear')}:" in err

    def test_other_rubric(self, run: Run, tmp_path: Path) -> None:
        """Evidence for another rubric exits 1 with a located, one-problem message."""
        text = (EXAMPLES / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
        other = tmp_path / "other.yaml"
        other.write_text(
            text.replace("rubric: cat-kaz-co-2", "rubric: cat-xyz-co-1"), encoding="utf-8"
        )
        status, out, err = run("score", "cat-kaz-co-2", str(other))
        assert status == 1
        assert out == ""
        assert f"{location(other, 'cat-xyz-co-1')}: rubric: " in err
        assert "'cat-xyz-co-1'" in err


class TestExplainPositionalPart:
    def test_part_as_last_positional_argument(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`explain RUBRIC EVIDENCE PART` explains just that part, as `--part` does."""
        evidence = str(EXAMPLES / "kaz-2010-state-reply.yaml")
        assert main(["explain", "cat-kaz-co-2", evidence, "18a"]) == 0
        positional = capsys.readouterr().out
        assert main(["explain", "cat-kaz-co-2", evidence, "--part", "18a"]) == 0
        assert positional == capsys.readouterr().out
        assert "== part 18a" in positional
        assert "== part 9b" not in positional
