"""Start-up boundaries: what the command line's printing commands do not import, and the
table layout that replaced tabulate on their path (it must write tabulate's bytes)."""

from __future__ import annotations

import unittest.mock
from pathlib import Path
from typing import Literal

import pytest
import tabulate as tabulate_module
from hypothesis import given
from hypothesis import strategies as st
from tabulate import tabulate

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
