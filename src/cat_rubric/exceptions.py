"""Exceptions raised by cat_rubric.

Every exception the library raises on purpose derives from `CatRubricError`, and
each also derives from the closest builtin so callers can catch either::

    CatRubricError
    ├── LoadError (ValueError)          a rubric, evidence or scale file has problems
    │   └── LimitError                  a file exceeds a resource limit (size, depth, aliases)
    ├── NotFoundError (LookupError)     no bundled rubric or scale has that id
    ├── AssessmentError (ValueError)    inputs that load but cannot be assessed together
    ├── OutputError (ValueError)        a refusal to write a file (e.g. over an input)
    └── SettingsError (ValueError)      a setting or environment variable has a bad value

`LoadError` carries its problems as data (`LoadError.problems`), one `Problem`
per finding, each with file, line, column, key path (a `KeyPath`), a stable code and
a message.
"""

from __future__ import annotations

import attrs

from cat_rubric._repr import fields_repr


@attrs.frozen
class KeyPath:
    """Where a node is inside a document: the keys and list indexes from the root to it.

    ``str(path)`` is the text messages show, e.g. ``recommendations[2].parts[0].id`` for
    ``KeyPath(("recommendations", 2, "parts", 0, "id"))``; the document itself is the
    empty path, ``KeyPath()``, shown as ``""`` (and false, like an empty tuple).

    Attributes:
        steps: Mapping keys (`str`) and list indexes (`int`), from the root down. A key
            is kept exactly as the document spells it, control characters included.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    steps: tuple[str | int, ...] = ()

    def __str__(self) -> str:
        out: list[str] = []
        for step in self.steps:
            if isinstance(step, int):
                out.append(f"[{step}]")
            else:
                out.append(f".{step}" if out else step)
        return "".join(out)

    def __bool__(self) -> bool:
        return bool(self.steps)


def _key_path(value: KeyPath | tuple[str | int, ...]) -> KeyPath:
    if isinstance(value, KeyPath):
        return value
    if not isinstance(value, tuple):
        raise TypeError(f"a key path is a KeyPath or a tuple of steps, not {value!r}")
    return KeyPath(value)


@attrs.frozen(kw_only=True)
class Problem:
    """One problem found in an input file.

    ``str(problem)`` is ``file:line:column: key.path: message [code]`` (without the key
    path for the document itself), on one line, every part of it made inert.

    Attributes:
        file: The file as the user named it (or ``<string>``).
        line: 1-based line of the offending node.
        column: 1-based column of the offending node.
        path: Where in the document, as a `KeyPath`: ``str(problem.path)`` is e.g.
            ``recommendations[2].parts[0].id``, and ``""`` for the document itself. A
            tuple of steps given here is made a `KeyPath`.
        code: A stable, documented identifier (see docs/errors.md), e.g. ``unknown-key``.
        message: What is wrong and what to do, in plain words.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    file: str
    line: int
    column: int
    path: KeyPath = attrs.field(converter=_key_path)
    code: str
    message: str

    def __str__(self) -> str:
        # The fields keep the exact data; the text shown is inert and on one line, since
        # a file name, a YAML key in the path or a value quoted in the message may hold
        # terminal escapes, bidirectional controls or line breaks.
        from cat_rubric._text import display_name, inert_line

        # The code ends the line, as docs/errors.md is organised by it.
        path = str(self.path)
        where = f"{inert_line(path)}: " if path else ""
        return (
            f"{display_name(self.file)}:{self.line}:{self.column}: "
            f"{where}{inert_line(self.message)} [{inert_line(self.code)}]"
        )


#: Every `Problem.code` the loaders can report; docs/errors.md explains each with an
#: example and the fix.
PROBLEM_CODES = frozenset(
    {
        "alias-expansion",
        "bad-character",
        "bad-id",
        "bad-key",
        "bad-range",
        "bad-scalar",
        "csv-syntax",
        "duplicate-id",
        "duplicate-key",
        "duplicate-override",
        "draft-placeholder",
        "empty-file",
        "empty-list",
        "empty-value",
        "file-not-found",
        "file-too-large",
        "file-unreadable",
        "finding-not-for-source",
        "impossible-date",
        "inconsistent",
        "invalid-date",
        "json-syntax",
        "merge-key",
        "missing-key",
        "no-essential-criterion",
        "not-monotonic",
        "not-positive",
        "not-utf8",
        "nothing-to-draft",
        "override-target",
        "rehash-by-hand",
        "rubric-changed",
        "too-deep",
        "unknown-format",
        "unknown-key",
        "unknown-kind",
        "unknown-reference",
        "unknown-value",
        "unsupported-tag",
        "wrong-kind",
        "wrong-rubric",
        "wrong-type",
        "yaml-syntax",
    }
)


class CatRubricError(Exception):
    """Root of every error raised on purpose by cat_rubric."""


class LoadError(CatRubricError, ValueError):
    """A file could not be loaded; `problems` lists everything that is wrong with it."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__(self._render())

    def _render(self) -> str:
        noun = "problem" if len(self.problems) == 1 else "problems"
        lines = [f"{len(self.problems)} {noun} found:"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


class LimitError(LoadError):
    """A file exceeds a resource limit (size, nesting depth, alias expansion)."""


class NotFoundError(CatRubricError, LookupError):
    """No bundled rubric or grading scale has the requested id."""


class AssessmentError(CatRubricError, ValueError):
    """Inputs that load on their own but cannot be assessed together."""


class OutputError(CatRubricError, ValueError):
    """cat_rubric refused to write a file, for example over one of its inputs."""


class SettingsError(CatRubricError, ValueError):
    """A setting or environment variable (e.g. ``CAT_RUBRIC_MAX_BYTES``) has a bad value."""


class MissingExtraError(CatRubricError, ImportError):
    """An optional dependency is not installed; the message names the extra to install.

    ``Assessment.to_frame`` raises it without pandas: ``pip install 'cat_rubric[pandas]'``.
    """


__all__ = [
    "PROBLEM_CODES",
    "AssessmentError",
    "CatRubricError",
    "KeyPath",
    "LimitError",
    "LoadError",
    "MissingExtraError",
    "NotFoundError",
    "OutputError",
    "Problem",
    "SettingsError",
]
