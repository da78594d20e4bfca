"""Start-up boundaries: what the command line's printing commands do not import, and the
table layout that replaced tabulate on their path (it must write tabulate's bytes)."""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import os
import subprocess
import sys
import unittest.mock
from pathlib import Path
from typing import Literal

import pytest
import tabulate as tabulate_module
from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

from cat_rubric import _cli
from cat_rubric._render import _table
from cat_rubric._text import markdown, one_line
from tests.test_api import _modules_after_cli

#: Modules a command that prints a table or Markdown needs none of: tabulate (and the
#: importlib.metadata it reads its version with, ~15 ms), the file writer and what it
#: imports, argparse's terminal-width lookup (shutil), and the spelling suggestions.
NOT_FOR_PRINTING = (
    "tabulate",
    "importlib.metadata",
    "cat_rubric._io",
    "secrets",
    "shutil",
    "difflib",
    "tempfile",
)

SCORE = ["score", "cat-kaz-co-2", "examples/kaz-2010-state-reply.yaml"]


@pytest.mark.parametrize(
    "args",
    [SCORE, [*SCORE, "--format", "markdown"], ["explain", *SCORE[1:], "9b"], ["scales"]],
)
def test_printing_commands_skip_tabulate_and_the_writer(args: list[str], tmp_path: Path) -> None:
    found = _modules_after_cli(args, tmp_path)
    assert "cat_rubric._render" in found
    assert [m for m in NOT_FOR_PRINTING if m in found] == []


def test_writing_a_file_loads_the_writer(tmp_path: Path) -> None:
    """The boundary is real: ``-o`` does load `cat_rubric._io`."""
    found = _modules_after_cli([*SCORE, "-o", str(tmp_path / "out.txt")], tmp_path)
    assert "cat_rubric._io" in found


# Cells as the renderers make them: inert single-line text, Markdown, and text of our own
# (numbers, dates, words tabulate would otherwise parse: it is called with numparse off).
_CELLS = st.one_of(
    st.text().map(one_line),
    st.text().map(markdown),
    st.sampled_from(["", "True", "False", "1", "0.50 (1/2)", "1,000", "nan", "—", "2010-11-12"]),
)


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.text(max_size=10).map(one_line), min_size=n, max_size=n),
            st.lists(st.lists(_CELLS, min_size=n, max_size=n), max_size=5),
        )
    ),
    st.sampled_from(["simple", "github"]),
)
def test_table_writes_what_tabulate_writes(
    table: tuple[list[str], list[list[str]]], style: Literal["simple", "github"]
) -> None:
    headers, rows = table
    # tabulate measures wide characters when wcwidth is installed (ipykernel brings it);
    # `_table` counts code points, as tabulate does without it.
    with unittest.mock.patch.object(tabulate_module, "WIDE_CHARS_MODE", new=False):
        expected = tabulate(rows, headers=headers, tablefmt=style, disable_numparse=True)
    assert _table(rows, headers, style) == expected


#: Modules ``score`` on small files needs none of: pathlib and what it imports (3 ms;
#: names resolve with os.path), and hashlib with OpenSSL (3 ms; see cat_rubric._digest).
NOT_FOR_SMALL_FILES = ("pathlib", "urllib.parse", "ipaddress", "hashlib", "_hashlib")


@pytest.mark.parametrize("args", [SCORE, ["explain", *SCORE[1:], "9b"]])
def test_small_files_skip_pathlib_and_openssl(args: list[str], tmp_path: Path) -> None:
    found = _modules_after_cli(args, tmp_path)
    assert "cat_rubric._load" in found
    assert [m for m in NOT_FOR_SMALL_FILES if m in found] == []


class TestParser:
    """A command line that starts with a sub-command gets a parser of that one alone."""

    @given(
        st.sampled_from(sorted(_cli._SUBCOMMANDS)),
        st.lists(
            st.sampled_from(
                ["--format", "json", "--help", "-o", "x", "--bogus", "9b", "--", "--as-of", "2010"]
            ),
            max_size=5,
        ),
    )
    def test_it_parses_as_the_whole_parser(self, command: str, rest: list[str]) -> None:
        argv = [command, *SCORE[1:], *rest]
        assert _cli._command_of(argv) == command
        assert _parse(_cli._parser(command), argv) == _parse(_cli._parser(None), argv)

    @pytest.mark.parametrize("argv", [[], ["--help"], ["--version", "score"], ["--", "score"]])
    def test_anything_else_gets_the_whole_parser(self, argv: list[str]) -> None:
        assert _cli._command_of(argv) is None
        assert _cli._command_of(["scroe", *argv]) is None


def _parse(parser: object, argv: list[str]) -> tuple[object, str, str]:
    """What *parser* makes of *argv*: its namespace or exit status, and what it printed."""
    assert isinstance(parser, argparse.ArgumentParser)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(parser.parse_args(argv))
        except SystemExit as exc:
            result = exc.code
    return result, out.getvalue(), err.getvalue()


class TestProgram:
    def test_main_leaves_the_collector_alone(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Tests and notebooks call main in a long-lived process: nothing is frozen there."""
        frozen, enabled = gc.get_freeze_count(), gc.isenabled()
        assert _cli.main(SCORE) == 0
        assert (gc.get_freeze_count(), gc.isenabled()) == (frozen, enabled)
        assert "9b" in capsys.readouterr().out

    def test_program_freezes_start_up_and_prints_as_main_does(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert _cli.main(SCORE) == 0
        expected = capsys.readouterr()
        code = (
            "import gc, sys\n"
            "from cat_rubric import _cli\n"
            "sys.argv = ['cat-rubric', *sys.argv[1:]]\n"
            "status = _cli.program()\n"
            "print(gc.get_freeze_count() > 0, gc.isenabled(), status, file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, *SCORE],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parents[1],
            env={**os.environ, "COLUMNS": os.environ.get("COLUMNS", "80")},
        )
        assert done.stderr == "True True 0\n"
        assert done.stdout == expected.out
