"""The ``cat-rubric`` command line: parses arguments, calls the API, renders.

Exit status: 0 success, 1 invalid input (problems are printed to stderr) or a
refused or failed write, 2 usage error, 130 interrupted, 141 standard output closed
early (see `main`).

Start-up: ``--help``, ``--version`` and usage errors import only argparse, this module
and `cat_rubric._stdio`; each command imports what it needs when it runs, so the engine
is loaded only by the commands that grade, tabulate only by ``show``'s table, and
`cat_rubric._io` (secrets, signal, threading) only to write a file (``-o``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import importlib
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import TextIO

    from cat_rubric._evidence import EvidenceFile
    from cat_rubric._model import Rubric
    from cat_rubric._result import Assessment
    from cat_rubric._scales import Scale
    from cat_rubric.exceptions import LoadError, Problem

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Values:
    """The values of one of the engine's enums, as argparse ``choices``.

    The enum's module is imported only when argparse looks at the choices: to check a
    value given on the command line, or to show them in a command's usage or help. So
    ``cat-rubric --help`` does not load the engine, and the choices never drift from
    the enum's members. They are set on the action after ``add_argument``, which would
    otherwise list them at once (to check the metavar).
    """

    def __init__(self, module: str, name: str) -> None:
        self._module = module
        self._name = name

    @functools.cached_property
    def _values(self) -> tuple[str, ...]:
        enum = getattr(importlib.import_module(self._module), self._name)
        return tuple(member.value for member in enum)

    def __contains__(self, value: object) -> bool:
        return value in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that imports shutil (2 ms) only to print help, usage or an error.

    `add_argument` formats each argument's metavar once, to check it, with a formatter
    whose width argparse reads from the terminal through shutil; that width is unused by
    the check, so a fixed one is given. Every formatter that prints is argparse's own.
    """

    _checking = False

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        self._checking = True
        try:
            return super().add_argument(*args, **kwargs)
        finally:
            self._checking = False

    def _get_formatter(self, *args: Any, **kwargs: Any) -> argparse.HelpFormatter:
        if self._checking:
            return argparse.HelpFormatter(self.prog, width=80)  # our parsers use no other
        return super()._get_formatter(*args, **kwargs)  # (Python 3.14 adds a `file`)


def _parser(command: str | None) -> argparse.ArgumentParser:
    """The command line's parser: every sub-command, or only *command*, when given.

    Building every sub-command's arguments cost more than the rest of argparse's work
    on a ``score`` run (argparse also translates, through gettext, the titles and help
    it adds to each parser), so a command line that starts with a sub-command gets a
    parser of that one alone (`_command_of`). Anything else (``--help``, ``--version``,
    an unknown command, ``--`` first) gets the whole parser, as before.
    """
    parser = _Parser(
        prog="cat-rubric",
        description="Rubrics and graded follow-up assessments for UN treaty-body recommendations.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    # prog given, as argparse would compute it with a (terminal-wide) formatter.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog="cat-rubric")
    for name, (text, add_arguments) in _SUBCOMMANDS.items():
        if command is None or name == command:
            p = sub.add_parser(name, help=text)
            if add_arguments is not None:
                add_arguments(p)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The sub-command *argv* starts with, or None: argparse runs that one in any case."""
    return argv[0] if argv and argv[0] in _SUBCOMMANDS else None


def _output_arguments(p: argparse.ArgumentParser) -> None:
    """``-o FILE`` and ``--force``: for every command that can write its output to a file."""
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="rubric or evidence YAML files (or bundled ids)"
    )
    p.add_argument(
        "--rubric",
        metavar="RUBRIC",
        help="check evidence files against this rubric (default: the bundled rubric they name)",
    )
    p.add_argument(
        "--scale",
        metavar="S",
        help="check part overrides' letters against this scale (a bundled id or a file's path; "
        "default: the rubric's)",
    )


def _show_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rubric", metavar="RUBRIC", help="a rubric file or a bundled rubric's id")
    p.add_argument("--format", choices=("table", "markdown"), default="table")


def _grading_arguments(p: argparse.ArgumentParser, name: str) -> None:
    """The arguments of score, explain, report and letter: a rubric, evidence, settings."""
    p.add_argument("rubric", metavar="RUBRIC", help="a rubric file or a bundled rubric's id")
    if name == "explain":
        p.add_argument(
            "evidence",
            nargs="+",
            metavar="EVIDENCE [PART]",
            help="evidence YAML files, then optionally the part to explain (e.g. 9b)",
        )
        p.add_argument("--part", metavar="PART", help="explain only this part (e.g. 9b)")
    else:
        p.add_argument("evidence", nargs="+", metavar="EVIDENCE", help="evidence YAML files")
    if name == "score":
        p.add_argument(
            "--format",
            choices=("table", "markdown", "json"),
            default="table",
            help="output format (json: deterministic, with a reproducibility record)",
        )
    if name == "explain":
        p.add_argument(
            "--format",
            choices=("text", "markdown", "json"),
            default="text",
            help="output format (text fits the terminal's width; json: the parts' "
            "results with their evidence)",
        )
    if name == "report":
        p.add_argument("--format", choices=("html", "markdown", "csv"), default="html")
        p.add_argument(
            "--compared-with",
            metavar="FILE",
            help="an earlier assessment's JSON (score --format json): the report gets a "
            "section 'Since the previous assessment'",
        )
        p.add_argument(
            "--level",
            choices=("criteria", "items"),
            help="with --format csv: one row per criterion of every part (default) or "
            "per evidence item",
        )
        p.add_argument(
            "--bom",
            action="store_true",
            help="with --format csv: start with a UTF-8 byte-order mark, so that Excel opens "
            "the file as UTF-8 (without it, Cyrillic and other non-ASCII text is garbled)",
        )
    if name == "letter":
        p.add_argument(
            "--style",
            choices=("committee", "ngo"),
            default="committee",
            help="the Rapporteur's letter to the State (default), or the outline of an "
            "NGO's alternative follow-up report",
        )
        p.add_argument("--format", choices=("markdown", "text"), default="markdown")
    p.add_argument(
        "--scale",
        metavar="S",
        help="a bundled scale's id, or a scale file's path (with a '/' or ending in "
        ".yaml); default: the rubric's",
    )
    p.add_argument(
        "--policy",
        default="conservative",
        help="how conflicting sources on a criterion are reconciled",
    ).choices = _Values("cat_rubric._rules", "Policy")
    p.add_argument(
        "--refusal",
        choices=("E", "C"),
        default="E",
        help="grade a bare refusal as contrary (E, default) or as not satisfactory",
    )
    p.add_argument(
        "--rollup",
        default="lowest",
        help="how a recommendation's letter is drawn from its parts'",
    ).choices = _Values("cat_rubric._rules", "Rollup")
    p.add_argument("--as-of", metavar="DATE", type=_date, help="assess as of this date")
    _output_arguments(p)


def _diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "sides",
        nargs="*",
        metavar="OLD NEW",
        help="two assessment JSON files (score --format json), or two rubrics (files or "
        "bundled ids); a file is told by its content",
    )
    p.add_argument(
        "--old",
        nargs="+",
        metavar="X",
        help="the old side: an assessment JSON file, or RUBRIC EVIDENCE... to assess",
    )
    p.add_argument("--new", nargs="+", metavar="X", help="the new side, as --old")
    p.add_argument(
        "--evidence",
        nargs="+",
        metavar="FILE",
        help="with two rubrics: evidence gathered against the old one, to list what the "
        "change touches",
    )
    p.add_argument(
        "--format",
        choices=("table", "markdown", "json", "html"),
        default="table",
        help="html (two assessments): one self-contained page, in the report's style",
    )
    p.add_argument(
        "--scale",
        metavar="S",
        help="the scale for RUBRIC EVIDENCE sides, and to rank grades made on a scale file",
    )
    p.add_argument(
        "--policy", default="conservative", help="for RUBRIC EVIDENCE sides"
    ).choices = _Values("cat_rubric._rules", "Policy")
    p.add_argument("--refusal", choices=("E", "C"), default="E", help="for RUBRIC EVIDENCE sides")
    p.add_argument(
        "--rollup", default="lowest", help="for RUBRIC EVIDENCE sides"
    ).choices = _Values("cat_rubric._rules", "Rollup")
    _output_arguments(p)


def _history_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="assessment JSON files (score --format json)"
    )
    p.add_argument(
        "--format",
        choices=("table", "markdown", "json", "html"),
        default="table",
        help="html: a page with an inline SVG chart per recommendation",
    )
    p.add_argument(
        "--scale", metavar="S", help="a scale file assessments were made on (bundled: known)"
    )
    _output_arguments(p)


def _template_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rubric", metavar="RUBRIC", help="a rubric file or a bundled rubric's id")
    p.add_argument(
        "--source",
        default="state_party",
        help="who the evidence comes from (default state_party; another source's file leaves "
        "the State's reply to the State's file)",
    ).choices = _Values("cat_rubric._model", "SourceKind")
    _output_arguments(p)


def _rehash_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rubric", metavar="RUBRIC", help="the rubric as it is now (a file or an id)")
    p.add_argument("evidence", nargs="+", metavar="EVIDENCE", help="evidence YAML files")
    p.add_argument(
        "--was",
        metavar="OLD_RUBRIC",
        help="the version the evidence was gathered against, to show what changed "
        "(default: found in the rubric file's git history)",
    )
    p.add_argument(
        "--write",
        action="store_true",
        help="update each stale file in place, atomically (default: only report; exit 1 if "
        "any is stale)",
    )
    p.set_defaults(output=None)  # it prints to standard output only (see _width)


def _import_csv_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("rubric", metavar="RUBRIC", help="a rubric file or a bundled rubric's id")
    p.add_argument(
        "items", nargs="+", metavar="ITEMS.csv", help="CSV files of items (docs/format.md)"
    )
    p.add_argument(
        "--header",
        required=True,
        metavar="HEADER.yaml",
        help="an evidence file whose header (cycle, assessor, as_of, reply) and overrides are "
        "kept: cat-rubric template writes one",
    )
    p.add_argument("--scale", metavar="S", help="check part overrides' letters against this scale")
    _output_arguments(p)


def _draft_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "text", metavar="CO.txt", help="the concluding observations as UTF-8 text (pdftotext)"
    )
    p.add_argument(
        "--all",
        action="store_true",
        help="draft every numbered paragraph with a recommendation, not only those the "
        "follow-up paragraph names",
    )
    _output_arguments(p)


def _schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=("rubric", "evidence", "scale"), help="which kind of file")
    _output_arguments(p)


def _grading(name: str) -> Callable[[argparse.ArgumentParser], None]:
    return functools.partial(_grading_arguments, name=name)


#: Each sub-command, in the order ``--help`` lists them: its help and what adds its arguments.
_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None] | None]] = {
    "validate": (
        "check rubric and evidence files; report every problem with its location",
        _validate_arguments,
    ),
    "list": ("list the bundled rubrics", None),
    "show": ("show a rubric's recommendations, parts and criteria", _show_arguments),
    "scales": ("list the bundled grading scales and their letters", None),
    "score": (
        "grade the follow-up: a table of parts, grades, scores and reasons",
        _grading("score"),
    ),
    "explain": (
        "why each part got its grade: rule, criteria, evidence, what is missing",
        _grading("explain"),
    ),
    "report": (
        "a report to send: one self-contained HTML file, Markdown, or CSV",
        _grading("report"),
    ),
    "letter": (
        "draft the follow-up letter to the State (or an NGO's alternative report)",
        _grading("letter"),
    ),
    "diff": (
        "compare two assessments (each part then and now, and why) or two versions of a rubric",
        _diff_arguments,
    ),
    "history": (
        "a State's assessments over rounds and cycles, one trajectory each",
        _history_arguments,
    ),
    "template": ("a blank evidence file for a rubric, to fill in", _template_arguments),
    "rehash": (
        "update rubric_sha256 in evidence files after a rubric edit, showing what changed",
        _rehash_arguments,
    ),
    "import-csv": (
        "an evidence file from a spreadsheet: items from a CSV, the header from YAML",
        _import_csv_arguments,
    ),
    "draft": ("draft a rubric from concluding observations given as plain text", _draft_arguments),
    "schema": (
        "the JSON Schema of rubric, evidence or scale files, for editors",
        _schema_arguments,
    ),
}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status.

    Exit status:

    - 0: success;
    - 1: invalid input (problems are printed to stderr), a refused or failed ``-o`` write,
      or standard output that cannot be written (e.g. a full device; one line on stderr);
    - 2: usage error (including ``-o ""``);
    - 130: interrupted (Ctrl-C);
    - 141: standard output was closed early (``| head``), silently: the status a shell
      shows for SIGPIPE.

    A SIGTERM or SIGHUP while an ``-o`` file is written removes the temporary file, then
    ends the process by that signal (a shell shows 128 + the signal's number).
    Characters standard output's encoding cannot show are written as escapes.
    """
    return _main(argv, program=False)


def program() -> int:
    """The ``cat-rubric`` program and ``python -m cat_rubric``: `main`, in a process of its own.

    Start-up (imports, the parser) builds only what lives until the process ends:
    modules, classes, functions. So the cyclic garbage collector is held off while it
    runs, and what it built is then frozen (`gc.freeze`): no later collection walks it,
    nor the last one, at exit. On ``score`` with the bundled example that is about a
    tenth of the run. Then the collector runs as usual for the command's own work.
    `main`, which tests and notebooks call in a long-lived process, leaves the collector
    alone: frozen objects are never collected.
    """
    gc.disable()
    try:
        return _main(None, program=True)
    finally:
        gc.enable()


def _main(argv: Sequence[str] | None, *, program: bool) -> int:
    from cat_rubric._stdio import configure_std_streams, guarded_stdout

    configure_std_streams()

    def run(out: TextIO) -> int:
        parser = _parser(_command_of(sys.argv[1:] if argv is None else argv))
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        if args.version:
            import cat_rubric

            print(f"cat-rubric {cat_rubric.__version__}", file=out)
            return EXIT_OK
        if args.command is None:
            parser.print_usage(sys.stderr)
            print("cat-rubric: error: a COMMAND is required (see --help)", file=sys.stderr)
            return EXIT_USAGE
        if getattr(args, "output", None) == "":
            parser.print_usage(sys.stderr)
            print(
                "cat-rubric: error: -o needs a file name (leave -o out to write to standard "
                "output)",
                file=sys.stderr,
            )
            return EXIT_USAGE
        for option, given in (("--level", "level"), ("--bom", "bom")):
            if getattr(args, given, None) not in (None, False) and args.format != "csv":
                parser.print_usage(sys.stderr)
                print(
                    f"cat-rubric: error: {option} is for --format csv, not --format {args.format}",
                    file=sys.stderr,
                )
                return EXIT_USAGE
        command: Callable[[argparse.Namespace, TextIO], int] = _COMMANDS[args.command]
        if program:  # the end of start-up: see `program`
            for module in _IMPORTS.get(args.command, ()):
                importlib.import_module(module)
            gc.freeze()
            gc.enable()
        from cat_rubric._text import inert_line
        from cat_rubric.exceptions import CatRubricError, LoadError

        try:
            return command(args, out)
        except LoadError as exc:
            _print_problems(exc)
            return EXIT_INVALID
        except CatRubricError as exc:
            print(f"cat-rubric: error: {inert_line(str(exc))}", file=sys.stderr)
            return EXIT_INVALID
        except KeyboardInterrupt:
            print("cat-rubric: interrupted", file=sys.stderr)
            return 130

    return guarded_stdout(run)


def _print_problems(exc: LoadError) -> None:
    for problem in exc.problems:
        print(problem, file=sys.stderr)


def _validate(args: argparse.Namespace, out: TextIO) -> int:
    from pathlib import Path  # imported by the loader in any case

    from cat_rubric._load import load_any, load_rubric, load_scale
    from cat_rubric._model import Rubric
    from cat_rubric._text import display_name, inert_line
    from cat_rubric.exceptions import CatRubricError, LoadError

    status = EXIT_OK
    against = load_rubric(args.rubric) if args.rubric else None
    scale = load_scale(args.scale) if args.scale else None
    rubrics: dict[str, Rubric] = {}  # the rubrics given on the command line, by id
    # Evidence naming a rubric not bundled and not yet given is read again at the end,
    # once every rubric of the command line is known: the order of the files is free.
    queue, later = list(args.files), list[str]()
    while queue or later:
        deferred = not queue
        name = queue.pop(0) if queue else later.pop(0)
        shown = display_name(name)
        try:
            model = load_any(name, rubric=against, rubrics=rubrics, scale=scale)
        except LoadError as exc:
            unknown = any(
                p.code == "unknown-reference" and p.path.steps == ("rubric",) for p in exc.problems
            )
            if unknown and not deferred and against is None and Path(name).is_file():
                later.append(name)
                continue
            _print_problems(exc)
            noun = "problem" if len(exc.problems) == 1 else "problems"
            print(f"{shown}: {len(exc.problems)} {noun}", file=sys.stderr)
            status = EXIT_INVALID
            continue
        except CatRubricError as exc:
            print(f"{shown}: {inert_line(str(exc))}", file=sys.stderr)
            status = EXIT_INVALID
            continue
        print(f"{shown}: ok — {_describe(model)}", file=out)
        if isinstance(model, Rubric):
            rubrics.setdefault(model.id, model)
    return status


def _describe(model: Rubric | EvidenceFile | Scale) -> str:
    from cat_rubric._model import Rubric
    from cat_rubric._render import count
    from cat_rubric._scales import Scale
    from cat_rubric._text import one_line

    if isinstance(model, Rubric):
        recommendations = count(len(model.recommendations), "recommendation")
        parts = count(sum(1 for _ in model.iter_parts()), "part")
        criteria = count(sum(1 for _ in model.iter_criteria()), "criterion", "criteria")
        return (
            f"rubric {model.id} ({one_line(model.symbol)}): {recommendations}, {parts}, {criteria}"
        )
    if isinstance(model, Scale):
        return (
            f"scale {model.id} v{model.version}: letters {', '.join(map(one_line, model.letters))}"
        )
    return (
        f"evidence for {model.rubric}: {count(len(model.items), 'item')}, "
        f"{count(len(model.overrides), 'override')}, as of {model.as_of}"
    )


def _list(_args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import bundled_rubrics, load_rubric
    from cat_rubric._render import rubric_list

    rubrics = [load_rubric(rid) for rid in bundled_rubrics()]
    print(rubric_list(rubrics), file=out)
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import load_rubric
    from cat_rubric._render import rubric_markdown, rubric_table

    rubric = load_rubric(args.rubric)
    render = rubric_table if args.format == "table" else rubric_markdown
    print(render(rubric), file=out)
    return EXIT_OK


def _scales(_args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import bundled_scales, load_scale
    from cat_rubric._render import scale_table

    print(scale_table([load_scale(s) for s in bundled_scales()]), file=out)
    return EXIT_OK


def _assess(args: argparse.Namespace, rubric: Rubric | None = None) -> tuple[Assessment, list[str]]:
    from cat_rubric._api import assess
    from cat_rubric._load import load_evidence, load_rubric, load_scale
    from cat_rubric._resolve import Kind, resolve
    from cat_rubric._rules import Policy, Rollup, Settings
    from cat_rubric.exceptions import LoadError

    rubric = rubric or load_rubric(args.rubric)
    # Loaded first: part overrides' letters are checked against the scale graded with.
    scale = load_scale(args.scale) if args.scale else None
    problems: list[Problem] = []
    files = []
    for name in args.evidence:
        try:
            files.append(load_evidence(name, rubric=rubric, scale=scale))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:  # every file's problems at once, before any assessing
        raise LoadError(tuple(problems))
    settings = Settings(
        policy=Policy(args.policy),
        refusal_is_contrary=args.refusal == "E",
        rollup=Rollup(args.rollup),
    )
    result = assess(rubric, files, scale=scale, settings=settings, as_of=args.as_of)
    # Every file read counts as an input, never to be written over.
    inputs = [str(resolve(Kind.RUBRIC, args.rubric).path), *args.evidence]
    if args.scale:
        inputs.append(str(resolve(Kind.SCALE, args.scale).path))
    return result, inputs


def _emit(text: str, args: argparse.Namespace, inputs: list[str], out: TextIO) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if args.output is not None:  # main refuses an empty name; write_atomic too
        from cat_rubric._io import write_atomic
        from cat_rubric._text import display_name

        write_atomic(args.output, text, inputs=inputs, force=args.force)
        print(f"wrote {display_name(args.output)}", file=sys.stderr)
    else:
        out.write(text)


def _score(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._render import assessment_markdown, assessment_table

    result, inputs = _assess(args)
    if args.format == "json":
        text = result.to_json()
    elif args.format == "markdown":
        text = assessment_markdown(result)
    else:
        text = assessment_table(result, _width(args, out))
    _emit(text, args, inputs, out)
    return EXIT_OK


def _width(args: argparse.Namespace, out: TextIO) -> int:
    """The columns text output may fill: ``COLUMNS``, else the terminal's, else 80.

    As `shutil.get_terminal_size` reads it (a positive ``COLUMNS`` wins), but asked of
    the stream written to, and without importing shutil (see tests/test_startup.py): a
    file written with ``-o`` and output piped to another program have no terminal, and
    get 80 columns.
    """
    from cat_rubric._render import DEFAULT_WIDTH

    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    if args.output is None:
        try:
            fd = out.fileno()
            if os.isatty(fd):
                columns = os.get_terminal_size(fd).columns
        except (AttributeError, OSError, ValueError):  # not a file, or not a terminal
            columns = 0
    return columns if columns > 0 else DEFAULT_WIDTH


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import load_rubric
    from cat_rubric._render import explain_json, explain_markdown, explain_text
    from cat_rubric._resolve import is_path
    from cat_rubric._text import display_name
    from cat_rubric.exceptions import AssessmentError

    rubric = load_rubric(args.rubric)
    # `explain RUBRIC EVIDENCE... [PART]`: the last argument is the part when it names
    # one of the rubric's parts and is not written as a path. A name that is both a
    # part and a file here is refused, never guessed.
    last = args.evidence[-1]
    if len(args.evidence) > 1 and args.part is None and not is_path(last):
        is_part = any(part.id == last for _, part in rubric.iter_parts())
        if is_part and os.path.lexists(last):
            shown = display_name(last)
            raise AssessmentError(
                f"{shown!r} is both a part of rubric {rubric.id} and a file here; write "
                f"--part {shown} for the part, or ./{shown} for the file"
            )
        if is_part:
            args.part = last
            args.evidence = args.evidence[:-1]
        elif not os.path.lexists(last):
            parts = ", ".join(part.id for _, part in rubric.iter_parts())
            raise AssessmentError(
                f"{display_name(last)!r} is neither a part of rubric {rubric.id} ({parts}) "
                "nor a file"
            )
    result, inputs = _assess(args, rubric)
    if args.part is not None:
        try:
            result.part(args.part)
        except KeyError:
            known = ", ".join(p.id for p in result.parts)
            raise AssessmentError(
                f"no part {display_name(args.part)!r}; the parts are: {known}"
            ) from None
    if args.format == "json":
        text = explain_json(result, args.part)
    elif args.format == "markdown":
        text = explain_markdown(result, args.part)
    else:
        text = explain_text(result, args.part, _width(args, out))
    _emit(text, args, inputs, out)
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric import render
    from cat_rubric._load import load_rubric

    if args.compared_with is not None and args.format == "csv":
        print(
            "cat-rubric: error: --compared-with is for --format html or markdown", file=sys.stderr
        )
        return EXIT_USAGE
    rubric = load_rubric(args.rubric)
    result, inputs = _assess(args, rubric)
    earlier = None
    if args.compared_with is not None:
        from cat_rubric._compare_read import read_assessment

        earlier = read_assessment(args.compared_with)
        inputs.append(args.compared_with)
    if args.format == "html":
        text = render.html(result, rubric, compared_with=earlier)
    elif args.format == "markdown":
        text = render.markdown(result, rubric, compared_with=earlier)
    else:
        text = render.csv(result, rubric, level=args.level or "criteria", bom=args.bom)
    _emit(text, args, inputs, out)
    return EXIT_OK


def _letter(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric import render
    from cat_rubric._load import load_rubric

    rubric = load_rubric(args.rubric)
    result, inputs = _assess(args, rubric)
    text = render.letter(result, rubric, style=args.style, format=args.format)
    _emit(text, args, inputs, out)
    return EXIT_OK


def _diff(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric import _compare_render
    from cat_rubric._compare import compare
    from cat_rubric._compare_read import read_side
    from cat_rubric._load import load_scale
    from cat_rubric._model import Rubric
    from cat_rubric._result import Assessment
    from cat_rubric.exceptions import AssessmentError

    sides = args.old is not None or args.new is not None
    if (sides and (args.sides or args.old is None or args.new is None)) or (
        not sides and len(args.sides) != 2
    ):
        print(
            "cat-rubric: error: diff takes OLD NEW, or --old ... --new ... (not both); see "
            "cat-rubric diff --help",
            file=sys.stderr,
        )
        return EXIT_USAGE
    inputs: list[str] = []
    if sides:
        old, new = _diff_side(args, args.old, inputs), _diff_side(args, args.new, inputs)
    else:
        old, new = (read_side(name) for name in args.sides)
        inputs += [_input_path(name) for name in args.sides]
    if isinstance(old, Rubric) and isinstance(new, Rubric):
        if args.format == "html":
            print(
                "cat-rubric: error: --format html is for comparing two assessments; two "
                "rubrics are compared as a table, markdown or json",
                file=sys.stderr,
            )
            return EXIT_USAGE
        from cat_rubric._rubric_diff import compare_rubrics

        rubric = compare_rubrics(old, new, evidence=_old_evidence(args, old, inputs))
        text = (
            rubric.to_json()
            if args.format == "json"
            else _compare_render.rubric_comparison_markdown(rubric)
            if args.format == "markdown"
            else _compare_render.rubric_comparison_table(rubric, _width(args, out))
        )
    elif isinstance(old, Assessment) and isinstance(new, Assessment):
        if args.evidence:
            print("cat-rubric: error: --evidence is for comparing two rubrics", file=sys.stderr)
            return EXIT_USAGE
        scales = [load_scale(args.scale)] if args.scale else []
        if args.scale:
            inputs.append(_input_path(args.scale))
        found = compare(old, new, scales=scales)
        if args.format == "html":
            from cat_rubric._compare_report import comparison_html

            _emit(comparison_html(old, new, found, scales=scales), args, inputs, out)
            return EXIT_OK
        text = (
            found.to_json()
            if args.format == "json"
            else _compare_render.comparison_markdown(found)
            if args.format == "markdown"
            else _compare_render.comparison_table(found, _width(args, out))
        )
    else:
        raise AssessmentError(
            "diff compares two assessments or two rubrics, not one of each; to compare a saved "
            "assessment with a fresh one: diff --old OLD.json --new RUBRIC EVIDENCE..."
        )
    _emit(text, args, inputs, out)
    return EXIT_OK


def _input_path(name: str) -> str:
    """The file a diff side or scale named by *name* reads (an id names a bundled file)."""
    from cat_rubric._resolve import Kind, is_path, resolve

    if is_path(name) or name.endswith(".json"):
        return name
    return str(resolve(Kind.RUBRIC, name).path)


def _diff_side(
    args: argparse.Namespace, names: list[str], inputs: list[str]
) -> Assessment | Rubric:
    """One ``--old``/``--new`` side: an assessment JSON file, or RUBRIC EVIDENCE... assessed."""
    from cat_rubric._compare_read import read_side
    from cat_rubric._model import Rubric
    from cat_rubric.exceptions import AssessmentError

    if len(names) == 1:
        side = read_side(names[0])
        if isinstance(side, Rubric):
            raise AssessmentError(
                f"{side.id}: one name after --old or --new is an assessment JSON file; a rubric "
                "is assessed with its evidence files after it: --old RUBRIC EVIDENCE..."
            )
        inputs.append(_input_path(names[0]))
        return side
    one = argparse.Namespace(**{**vars(args), "rubric": names[0], "evidence": names[1:]})
    one.as_of = None
    result, read = _assess(one)
    inputs += read
    return result


def _old_evidence(args: argparse.Namespace, old: Rubric, inputs: list[str]) -> list[EvidenceFile]:
    """``--evidence`` files, checked against the old rubric (whatever their rubric_sha256)."""
    import attrs

    from cat_rubric._load import load_evidence
    from cat_rubric.exceptions import LoadError

    against = attrs.evolve(old, origin=None)  # no origin: the sha256 is compared, not refused
    problems: list[Problem] = []
    files = []
    for name in args.evidence or ():
        try:
            files.append(load_evidence(name, rubric=against))
        except LoadError as exc:
            problems.extend(exc.problems)
        inputs.append(name)
    if problems:
        raise LoadError(tuple(problems))
    return files


def _history_cmd(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric import _history
    from cat_rubric._compare_read import read_assessment
    from cat_rubric._load import load_scale
    from cat_rubric.exceptions import LoadError

    problems: list[Problem] = []
    assessments = []
    for name in args.files:
        try:
            assessments.append(read_assessment(name))
        except LoadError as exc:
            problems.extend(exc.problems)
    if problems:
        raise LoadError(tuple(problems))
    inputs = list(args.files)
    if args.scale:
        inputs.append(_input_path(args.scale))
    found = _history.history(assessments, scales=[load_scale(args.scale)] if args.scale else ())
    if args.format == "table":
        text = _history.history_table(found, _width(args, out))
    else:
        render = {"json": _history.History.to_json, "markdown": _history.history_markdown}
        text = render.get(args.format, _history.history_html)(found)
    _emit(text, args, inputs, out)
    return EXIT_OK


def _import_csv(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._evidence_csv import import_csv
    from cat_rubric._load import load_rubric, load_scale
    from cat_rubric._resolve import Kind, resolve

    rubric = load_rubric(args.rubric)
    scale = load_scale(args.scale) if args.scale else None
    _, text = import_csv(args.items, header=args.header, rubric=rubric, scale=scale)
    inputs = [str(resolve(Kind.RUBRIC, args.rubric).path), args.header, *args.items]
    _emit(text, args, inputs, out)
    return EXIT_OK


def _rehash(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import load_rubric
    from cat_rubric._rehash import rehash, rehash_text
    from cat_rubric._resolve import Kind, resolve
    from cat_rubric._text import display_name
    from cat_rubric.exceptions import LoadError

    rubric = load_rubric(args.rubric)
    was = load_rubric(args.was) if args.was else None
    # The rubric files are never written, even when named as evidence by mistake.
    inputs = [str(resolve(Kind.RUBRIC, n).path) for n in (args.rubric, args.was) if n]
    width = _width(args, out)
    status = EXIT_OK
    for name in args.evidence:
        try:
            result = rehash(rubric, name, was=was)
        except LoadError as exc:
            _print_problems(exc)
            print(f"{display_name(name)}: not checked", file=sys.stderr)
            status = EXIT_INVALID
            continue
        written = False
        if args.write and result.text is not None:
            from cat_rubric._io import write_atomic

            # Replacing the file is what was asked for: --write is the --force here.
            write_atomic(name, result.text, inputs=inputs, force=True)
            written = True
        out.write(rehash_text(result, width, written=written))
        if result.problems:
            _print_problems(LoadError(result.problems))
            noun = "problem" if len(result.problems) == 1 else "problems"
            print(
                f"{result.file}: not updated: {len(result.problems)} {noun} against the rubric "
                "as it is now; fix them, then run rehash again",
                file=sys.stderr,
            )
            status = EXIT_INVALID
        elif result.stale and not written:
            status = EXIT_INVALID
    return status


def _template(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._load import load_rubric
    from cat_rubric._resolve import Kind, resolve
    from cat_rubric._template import evidence_template

    rubric = load_rubric(args.rubric)
    text = evidence_template(rubric, source=args.source)
    _emit(text, args, [str(resolve(Kind.RUBRIC, args.rubric).path)], out)
    return EXIT_OK


def _draft(args: argparse.Namespace, out: TextIO) -> int:
    import shlex

    from cat_rubric._draft import draft_file
    from cat_rubric._text import display_name

    drafted = draft_file(args.text, all_paragraphs=args.all)
    _emit(drafted.text, args, [args.text], out)  # the text read is never written over
    numbers = ", ".join(map(str, drafted.paragraphs))
    source = f" (follow-up paragraph {drafted.follow_up})" if drafted.follow_up else ""
    target = shlex.quote(display_name(args.output)) if args.output is not None else "FILE"
    print(
        f"drafted paragraphs {numbers}{source}; {drafted.placeholders} placeholders to replace: "
        f"cat-rubric validate {target} lists them",
        file=sys.stderr,
    )
    return EXIT_OK


def _schema_cmd(args: argparse.Namespace, out: TextIO) -> int:
    from cat_rubric._jsonschema import render

    _emit(render(args.kind), args, [], out)
    return EXIT_OK


#: What a command imports, most of it in a function it calls: imported by `program`
#: while start-up is still on, before the collector resumes. Only a matter of speed;
#: a command imports what it uses in any case.
_IMPORTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("explain", "letter", "report", "score"),
        ("cat_rubric._api", "cat_rubric._explain", "cat_rubric._load", "cat_rubric._render"),
    ),
    **dict.fromkeys(
        ("list", "rehash", "show", "scales", "template", "validate"), ("cat_rubric._load",)
    ),
}

_COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "diff": _diff,
    "draft": _draft,
    "explain": _explain,
    "history": _history_cmd,
    "letter": _letter,
    "import-csv": _import_csv,
    "list": _list,
    "rehash": _rehash,
    "report": _report,
    "scales": _scales,
    "schema": _schema_cmd,
    "score": _score,
    "show": _show,
    "template": _template,
    "validate": _validate,
}
