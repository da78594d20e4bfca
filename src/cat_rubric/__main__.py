"""``python -m cat_rubric``: the command line."""

from cat_rubric._cli import program

raise SystemExit(program())
