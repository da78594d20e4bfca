"""The ``cat-rubric`` command line: parses arguments, calls the API, renders.

Exit status: 0 success, 1 invalid input (problems are printed to stderr),
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from cat_rubric._load import bundled_rubrics, load_rubric
from cat_rubric.exceptions import CatRubricError, LoadError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cat-rubric",
        description="Rubrics and graded follow-up assessments for UN treaty-body recommendations.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check rubric files; report every problem with its location")
    p.add_argument("files", nargs="+", metavar="FILE", help="rubric YAML files (or bundled ids)")

    sub.add_parser("list", help="list the bundled rubrics")

    p = sub.add_parser("show", help="show a rubric's recommendations, parts and criteria")
    p.add_argument("rubric", metavar="RUBRIC", help="a rubric file or a bundled rubric's id")
    p.add_argument("--format", choices=("table", "markdown"), default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.version:
        import cat_rubric

        print(f"cat-rubric {cat_rubric.__version__}")
        return EXIT_OK
    if args.command is None:
        parser.print_usage(sys.stderr)
        print("cat-rubric: error: a COMMAND is required (see --help)", file=sys.stderr)
        return EXIT_USAGE
    command: Callable[[argparse.Namespace, TextIO], int] = _COMMANDS[args.command]
    try:
        return command(args, sys.stdout)
    except LoadError as exc:
        _print_problems(exc)
        return EXIT_INVALID
    except CatRubricError as exc:
        print(f"cat-rubric: error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except KeyboardInterrupt:
        print("cat-rubric: interrupted", file=sys.stderr)
        return 130


def _print_problems(exc: LoadError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    status = EXIT_OK
    for name in args.files:
        try:
            rubric = load_rubric(name)
        except LoadError as exc:
            _print_problems(exc)
            noun = "problem" if len(exc.problems) == 1 else "problems"
            print(f"{name}: {len(exc.problems)} {noun}", file=sys.stderr)
            status = EXIT_INVALID
            continue
        except CatRubricError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = EXIT_INVALID
            continue
        parts = sum(1 for _ in rubric.iter_parts())
        criteria = sum(1 for _ in rubric.iter_criteria())
        print(
            f"{name}: ok — rubric {rubric.id} ({rubric.symbol}): "
            f"{len(rubric.recommendations)} recommendations, {parts} parts, {criteria} criteria",
            file=out,
        )
    return status


def _list(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._render import rubric_list

    rubrics = [load_rubric(rid) for rid in bundled_rubrics()]
    print(rubric_list(rubrics), file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._render import rubric_markdown, rubric_table

    rubric = load_rubric(args.rubric)
    render = rubric_table if args.format == "table" else rubric_markdown
    print(render(rubric), file=out)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "list": _list,
    "show": _show,
    "validate": _validate,
}

