"""The terminal: `score` and `explain` fit the width, wrap rather than cut, and lose nothing.

A line may run past the width only when it is one word (an id or a URL longer than a
line) after its indent and list marker: nothing is ever cut to fit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import Assessment, EvidenceFile, Rubric, assess, load_evidence, load_rubric
from cat_rubric._cli import _width
from cat_rubric._render import (
    EXPLANATION_FORMAT,
    MIN_WIDTH,
    assessment_markdown,
    assessment_table,
    count,
    explain_json,
    explain_markdown,
    explain_text,
    wrap,
)
from cat_rubric._text import markdown, one_line
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import BUNDLED, DATA, EXAMPLES, ROOT, Run
from tests.test_hostile import (
    HOSTILE,
    _hostile_evidence,
    _hostile_rubric,
    _inert,
    _markdown_escaped,
)

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
WIDTHS = (40, 80, 200)
#: Words that would be wrong after the number 1.
WRONG_SINGULAR = re.compile(
    r"(?<![\d.])1 (parts|overrides|criteria|disputed criteria|evidence uses|items|"
    r"recommendations)\b"
)
_WORDY = st.sampled_from(["x", "Қазақстан", "a title of several words " * 4, "w" * 90])


def _fits(text: str, width: int) -> list[str]:
    """The lines of *text* longer than *width* that are more than one word."""
    return [line for line in text.splitlines() if len(line) > width and " " in line.lstrip(" -")]


def _flat(text: str) -> str:
    """*text* with every run of whitespace one space: wrapped lines joined again."""
    return " ".join(text.split())


@pytest.fixture(name="example")
def _example() -> Assessment:
    rubric = load_rubric("cat-kaz-co-2")
    files = [load_evidence(name, rubric=rubric) for name in (STATE, NGO)]
    return assess(rubric, files)


def _complete(a: Assessment, text: str, *, evidence: bool) -> None:
    """Every part's reason is in *text* in full; for `score` (not *evidence*) every roll-up,
    conflict and override too, and for `explain` (*evidence*) every passage, citation and
    request."""
    flat = _flat(text)
    for part in a.parts:
        assert _flat(one_line(part.reason)) in flat, part.id
        if evidence:
            for missing in part.missing:
                assert one_line(missing) in flat
            for conflict in part.conflicts:
                assert one_line("; ".join(conflict.state) or "none") in flat
    if evidence:
        for use in a.items:
            if any(use.criterion == c.id for p in a.parts for c in p.criteria):
                assert one_line(use.passage) in flat, use.item
                assert one_line(use.citation) in flat, use.item
    else:
        for rec in a.recommendations:
            assert f"({one_line(rec.title)}): {one_line(rec.grade or '—')}" in flat
            assert one_line(rec.rollup) in flat
        for o in a.overrides:
            assert one_line(o.reason) in flat
        for part in a.parts:
            for conflict in part.conflicts:
                assert one_line("; ".join(conflict.independent) or "none") in flat


class TestWrap:
    @given(
        st.text(st.sampled_from("ab Қ-\u3000\t\n"), max_size=200).map(one_line),
        st.integers(MIN_WIDTH, 120),
        st.sampled_from(["", "- ", "      "]),
        st.sampled_from(["", "  ", "        "]),
    )
    def test_lines_fit_and_rejoin(self, text: str, width: int, first: str, rest: str) -> None:
        """Each line fits unless it is one word; joined again, the lines are the text."""
        lines = wrap(text, width, first, rest)
        assert lines[0].startswith(first.rstrip())
        assert all(line.startswith(rest) for line in lines[1:])
        for line in lines:
            body = line.removeprefix(rest if line is not lines[0] else first)
            assert len(line) <= width or " " not in body
        bodies = [lines[0][len(first) :], *(line.removeprefix(rest) for line in lines[1:])]
        assert " ".join(b for b in bodies if b) == text

    def test_a_long_word_stands_alone(self) -> None:
        assert wrap("a " + "w" * 30 + " b", 20, "- ", "  ") == ["- a", "  " + "w" * 30, "  b"]


class TestFit:
    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize(
        ("command", "also"),
        [
            (
                "score",
                "13 parts: 1 A, 5 B, 6 C, 1 E; 3 disputed criteria; 1 override; 33 evidence uses",
            ),
            ("explain", "== part 29d: Prosecution of those responsible"),
        ],
    )
    def test_fits_and_keeps_everything(
        self,
        run: Run,
        example: Assessment,
        command: str,
        also: str,
        width: int,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        """At every width, nothing is cut: score keeps every reason, roll-up, conflict and
        override, and explain every passage, citation and request (`_complete`)."""
        monkeypatch.setenv("COLUMNS", str(width))
        status, out, _ = run(command, "cat-kaz-co-2", STATE, NGO)
        assert status == 0
        assert _fits(out, width) == []
        assert "…" not in out
        _complete(example, out, evidence=command == "explain")
        assert _flat(also) in _flat(out)

    def test_the_table_is_kept_where_it_fits(
        self, run: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At 80 columns score shows its table; at 40 a block per part, with the same facts."""
        monkeypatch.setenv("COLUMNS", "80")
        _, wide, _ = run("score", "cat-kaz-co-2", STATE, NGO)
        assert re.search(
            r"^29 +29d +C \(override; engine B\) +0\.50 \(1\.5/3\) +thorough$", wide, re.MULTILINE
        )
        monkeypatch.setenv("COLUMNS", "40")
        _, narrow, _ = run("score", "cat-kaz-co-2", STATE, NGO)
        assert "- 29d (para 29): C (override; engine B); score 0.50 (1.5/3);" in _flat(narrow)
        monkeypatch.setenv("COLUMNS", "200")
        _, explained, _ = run("explain", "cat-kaz-co-2", STATE, NGO, "9b")
        assert re.search(
            r"^kaz-9-lawyer-from-apprehension +yes +2 +partially_implemented",
            explained,
            re.MULTILINE,
        )

    @given(
        data=st.data(),
        width=st.integers(1, 160),
    )
    def test_any_assessment_fits(self, data: st.DataObject, width: int) -> None:
        """For generated rubrics and evidence: every line fits, nothing is lost, plurals agree."""
        rubric = data.draw(rubrics(max_recommendations=2, max_parts=2, max_criteria=3, text=_WORDY))
        evidence = data.draw(evidence_files(rubric, max_items=6, text=_WORDY))
        result = assess(rubric, evidence)
        shown_width = max(width, MIN_WIDTH)
        table = assessment_table(result, width)
        explained = explain_text(result, None, width)
        for text in (table, explained):
            assert _fits(text, shown_width) == []
            assert not WRONG_SINGULAR.search(text)
        _complete(result, table, evidence=False)
        _complete(result, explained, evidence=True)

    @pytest.mark.parametrize("index", range(len(HOSTILE)))
    def test_hostile_text_stays_inert_when_wrapped(self, index: int) -> None:
        rubric = _hostile_rubric(HOSTILE[index])
        result = assess(rubric, _hostile_evidence(rubric, HOSTILE[index]))
        for width in WIDTHS:
            for text in (assessment_table(result, width), explain_text(result, None, width)):
                _inert(text)
                assert _fits(text, width) == []


class TestWidth:
    def _args(self, output: str | None = None) -> argparse.Namespace:
        return argparse.Namespace(output=output)

    def test_columns_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("COLUMNS", "123")
        assert _width(self._args(), sys.stdout) == 123
        assert _width(self._args("out.txt"), sys.stdout) == 123

    @pytest.mark.parametrize("value", ["", "0", "-5", "wide"])
    def test_no_usable_columns_and_no_terminal_is_80(
        self, monkeypatch: pytest.MonkeyPatch, value: str, tmp_path: Path
    ) -> None:
        monkeypatch.setenv("COLUMNS", value)
        with (tmp_path / "f").open("w", encoding="utf-8") as regular:
            assert _width(self._args(), regular) == 80

    @pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
    def test_the_terminal_it_writes_to(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without COLUMNS: the terminal's own width, unless the output goes to a file."""
        import termios

        monkeypatch.delenv("COLUMNS", raising=False)
        leader, follower = os.openpty()
        try:
            termios.tcsetwinsize(follower, (24, 97))
            with open(follower, "w", encoding="utf-8", closefd=False) as tty:
                assert _width(self._args(), tty) == 97
                assert _width(self._args("out.txt"), tty) == 80
        finally:
            os.close(leader)
            os.close(follower)

    def test_piped_output_is_80_columns_and_complete(
        self, run: Run, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Piped to another program, explain is what an 80-column run prints, in full."""
        env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
        env["PYTHONPATH"] = str(ROOT / "src")
        piped = subprocess.run(
            [sys.executable, "-m", "cat_rubric", "explain", "cat-kaz-co-2", STATE, NGO],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=True,
            timeout=120,
        ).stdout
        monkeypatch.setenv("COLUMNS", "80")
        _, out, _ = run("explain", "cat-kaz-co-2", STATE, NGO)
        assert piped == out

    def test_a_file_is_80_columns(
        self, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("COLUMNS", raising=False)
        target = tmp_path / "score.txt"
        assert run("score", "cat-kaz-co-2", STATE, NGO, "-o", str(target))[0] == 0
        monkeypatch.setenv("COLUMNS", "80")
        _, out, _ = run("score", "cat-kaz-co-2", STATE, NGO)
        assert target.read_text(encoding="utf-8") == out


class TestExplainFormats:
    def test_markdown_keeps_everything(self, run: Run, example: Assessment) -> None:
        status, out, _ = run("explain", "cat-kaz-co-2", STATE, NGO, "--format", "markdown")
        assert status == 0
        assert out.startswith("# CAT/C/KAZ/CO/2")
        assert "…" not in out
        assert out.count("\n## Part ") == len(example.parts)
        for use in example.items:
            if use.use.value != "ignored":
                assert markdown(use.passage) in out
                assert markdown(use.citation) in out
        for part in example.parts:
            assert markdown(part.reason) in out
            for missing in part.missing:
                assert f"- {markdown(missing)}" in out

    @pytest.mark.parametrize("index", range(len(HOSTILE)))
    def test_markdown_escapes_hostile_text(self, index: int) -> None:
        rubric = _hostile_rubric(HOSTILE[index])
        result = assess(rubric, _hostile_evidence(rubric, HOSTILE[index]))
        _markdown_escaped(explain_markdown(result))
        _markdown_escaped(assessment_markdown(result))

    def test_json_is_the_parts_with_their_evidence(self, run: Run, example: Assessment) -> None:
        """Each part is the assessment JSON's part object, with its paragraph and item records."""
        status, out, _ = run("explain", "cat-kaz-co-2", STATE, NGO, "--format", "json")
        assert status == 0
        data = json.loads(out)
        whole = json.loads(example.to_json())
        assert data["format"] == EXPLANATION_FORMAT
        assert data["record"] == whole["record"]
        assert (data["symbol"], data["as_of"], data["status"]) == (
            whole["symbol"],
            whole["as_of"],
            whole["status"],
        )
        expected = [(r, p) for r in whole["recommendations"] for p in r["parts"]]
        assert len(data["parts"]) == len(expected)
        for got, (rec, part) in zip(data["parts"], expected, strict=True):
            evidence = got.pop("evidence")
            assert (got.pop("recommendation"), got.pop("paragraph")) == (
                rec["id"],
                rec["paragraph"],
            )
            assert got == part
            criteria = {c["id"] for c in part["criteria"]}
            assert evidence == [u for u in whole["items"] if u["criterion"] in criteria]

    def test_json_of_one_part_is_deterministic(self, run: Run) -> None:
        outs = {run("explain", "cat-kaz-co-2", NGO, STATE, "9b", "--format", "json")[1]}
        outs.add(run("explain", "cat-kaz-co-2", STATE, NGO, "--part", "9b", "--format", "json")[1])
        (out,) = outs
        assert [p["id"] for p in json.loads(out)["parts"]] == ["9b"]
        rubric = load_rubric("cat-kaz-co-2")
        no_reply = load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=rubric)
        assert explain_json(assess(rubric, no_reply)).count('"id": "7a"') == 1


class TestPlurals:
    def test_count(self) -> None:
        assert [count(n, "part") for n in (0, 1, 2)] == ["0 parts", "1 part", "2 parts"]
        assert count(1, "criterion", "criteria") == "1 criterion"
        assert count(3, "criterion", "criteria") == "3 criteria"

    def test_validate_says_one_override(self, run: Run) -> None:
        status, out, _ = run("validate", NGO, str(DATA / "minimal.yaml"))
        assert status == 0
        assert "1 override," in out
        assert "1 recommendation, 1 part, 2 criteria" in out
        assert not WRONG_SINGULAR.search(out)

    def test_one_part_one_disputed_criterion(self) -> None:
        """An assessment of a single part says "1 part" and "1 disputed criterion"."""
        rubric = load_rubric(BUNDLED)
        only = attrs.evolve(
            rubric,
            recommendations=(
                attrs.evolve(rubric.recommendations[1], parts=rubric.recommendations[1].parts[1:2]),
            ),
            follow_up=attrs.evolve(rubric.follow_up, recommendations=(9,)),
            origin=None,
        )
        files = [_only(load_evidence(name, rubric=rubric), only) for name in (STATE, NGO)]
        table = assessment_table(assess(only, files))
        assert "1 part: 1 B; 1 disputed criterion; 0 overrides;" in _flat(table)


def _only(evidence: EvidenceFile, rubric: Rubric) -> EvidenceFile:
    """*evidence* with only the items and overrides that concern *rubric*."""
    ids = set(rubric.criterion_ids)
    parts = {p.id for _, p in rubric.iter_parts()}
    return attrs.evolve(
        evidence,
        items=tuple(i for i in evidence.items if set(i.criteria) <= ids),
        overrides=tuple(o for o in evidence.overrides if o.part in parts or o.criterion in ids),
        origin=None,
    )
