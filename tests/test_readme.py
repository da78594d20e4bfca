"""The README tells the truth: its commands are the ones CI runs and its outputs are real.

Refresh the outputs after a deliberate change with::

    python tests/test_readme.py --update
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import sys
import unittest.mock
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ cat-rubric (?P<args>[^\n]*)\n(?P<body>.*?)```", re.DOTALL)


def _run(args: str) -> str:
    """What the command prints, at the 80 columns of a terminal whose width is unknown."""
    from cat_rubric._cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(ROOT),
        unittest.mock.patch.dict(os.environ, {"COLUMNS": "80"}),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        main(shlex.split(args))
    return out.getvalue() + err.getvalue()


def _blocks(text: str) -> list[re.Match[str]]:
    return list(BLOCK.finditer(text))


class TestReadme:
    def test_opens_with_the_two_commands(self) -> None:
        """The first two shell blocks install-and-run and install-and-test, in that order."""
        blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.DOTALL)
        run, test = blocks[0], blocks[1]
        assert run.startswith("python3 -m venv .venv && .venv/bin/pip install")
        assert "cat-rubric score cat-kaz-co-2 examples/" in run
        assert test.endswith(".venv/bin/python -m pytest")

    def test_python_examples_run_and_say_what_they_show(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each ``python`` block runs; a line ending in ``# 'X'`` (a value) gives that value."""
        monkeypatch.chdir(ROOT)
        text = README.read_text(encoding="utf-8")
        shown = re.compile(
            r"(?P<expr>[\w.()\[\]\", =-]+?)\s+# (?P<value>\(.*?\)|'[^']*'|True|False)"
        )
        namespace: dict[str, object] = {}
        checked = 0
        for block in re.findall(r"```python\n(.*?)\n```", text, re.DOTALL):
            exec(block, namespace)
            for line in block.splitlines():
                found = shown.match(line)
                if found and "=" not in found["expr"].split("(")[0]:
                    value = eval(found["expr"], namespace)
                    assert repr(value) == found["value"], line
                    checked += 1
        assert checked >= 5

    def test_ci_runs_the_readme_commands(self) -> None:
        """.ci/run runs both of the README's opening commands verbatim."""
        blocks = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.DOTALL)
        ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        assert blocks[0] in ci_lines
        assert blocks[1] in ci_lines

    def test_the_example_files_of_the_main_command_exist(self) -> None:
        """Every file the README's commands name exists."""
        for match in _blocks(README.read_text(encoding="utf-8")):
            for arg in shlex.split(match["args"]):
                if arg.endswith(".yaml"):
                    assert (ROOT / arg).is_file(), arg

    @pytest.mark.parametrize(
        "index", range(len(_blocks(README.read_text(encoding="utf-8")))), ids=lambda i: f"block{i}"
    )
    def test_console_output_is_real(self, index: int) -> None:
        """Each console block shows exactly what the command prints."""
        match = _blocks(README.read_text(encoding="utf-8"))[index]
        assert _run(match["args"]) == match["body"]

    def test_python_example_claims(self) -> None:
        """The values the README's Python example shows in its comments are what it returns."""
        import cat_rubric

        with contextlib.chdir(ROOT):
            rubric = cat_rubric.load_rubric("cat-kaz-co-2")
            reply = cat_rubric.load_evidence("examples/kaz-2010-state-reply.yaml", rubric=rubric)
            ngo = cat_rubric.load_evidence("examples/kaz-2010-ngo-report.yaml", rubric=rubric)
        result = cat_rubric.assess(rubric, [reply, ngo])
        part = result.part("9b")
        assert (part.grade, part.rule) == ("B", "substantive-steps")
        assert part.criterion("kaz-9-lawyer-from-apprehension").disputed
        assert part.what_if is not None
        assert part.what_if.grade == "A"
        assert part.what_if.changes == ("kaz-9-lawyer-from-apprehension → implemented",)
        assert result.recommendation(18).grade == "E"
        assert cat_rubric.assess(rubric, [reply], scale="ccpr-2013").part("7b").grade == "D1"
        settings = cat_rubric.Settings(
            policy=cat_rubric.Policy.STATE_ONLY, refusal_is_contrary=False
        )
        assert cat_rubric.assess(rubric, [reply, ngo], settings=settings).part("18a").grade == "B"
        assert Path(README).read_text(encoding="utf-8").count("('B', 'substantive-steps')") == 1


def _update() -> None:
    text = README.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        return f"```console\n$ cat-rubric {match['args']}\n{_run(match['args'])}```"

    README.write_text(BLOCK.sub(fill, text), encoding="utf-8")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        sys.path.insert(0, str(ROOT / "src"))
        _update()
    else:
        sys.exit("usage: python tests/test_readme.py --update")
