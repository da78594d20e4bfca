"""Reading an assessment's JSON back, with every problem located like a YAML problem.

`Assessment.from_json` calls `read_assessment`. Whatever the text, the result is an
`Assessment` or a `LoadError` whose problems name the line, column and key: never a
decoder's, cattrs' or the interpreter's own exception.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any, Final

from cat_rubric._text import inert
from cat_rubric.exceptions import LimitError, LoadError, Problem

if TYPE_CHECKING:
    from cat_rubric._result import Assessment

_STEP: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^']*)'\]")
_WS: Final = re.compile(r"[ \t\n\r]*")


def read_assessment(text: str | bytes, file: str) -> Assessment:
    """Parse and check an assessment written by `Assessment.to_json`.

    Raises:
        LoadError: the text is not JSON, not this format's version, or not an assessment.
    """
    import cattrs

    from cat_rubric._convert import converter
    from cat_rubric._result import JSON_FORMAT, Assessment

    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _error(file, 1, 1, (), "not-utf8", f"byte {exc.start} is not UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _error(
            file, exc.lineno, exc.colno, (), "json-syntax", f"not valid JSON: {exc.msg}"
        ) from None
    except RecursionError:
        raise LimitError(
            (_problem(file, 1, 1, (), "too-deep", "the JSON is nested too deeply"),)
        ) from None
    except ValueError as exc:  # e.g. an integer over the interpreter's digit limit
        raise _error(file, 1, 1, (), "json-syntax", f"not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise _error(
            file, *_locate(text, ()), (), "wrong-type", "expected a JSON object (an assessment)"
        )
    found = data.pop("format", None)
    if found != JSON_FORMAT:
        line, column = _locate(text, ("format",))
        what = "has no 'format'" if found is None else f"is format {found!r}"
        raise _error(
            file,
            line,
            column,
            ("format",),
            "unknown-format",
            f"this JSON {what}; this version of cat_rubric reads {JSON_FORMAT!r} — score the "
            "evidence again with it to get that format",
        )
    try:
        return converter().structure(data, Assessment)
    except RecursionError:
        raise LimitError(
            (_problem(file, 1, 1, (), "too-deep", "the JSON is nested too deeply"),)
        ) from None
    except Exception as exc:  # noqa: BLE001 - cattrs raises groups of any error
        messages = (
            cattrs.transform_error(exc, path="$")
            if isinstance(exc, cattrs.BaseValidationError)
            else [f"{exc} @ $"]
        )
        problems = []
        for message in messages:
            what, _, where = message.rpartition(" @ ")
            steps = _steps(where)
            line, column = _locate(text, steps)
            code = (
                "missing-key"
                if "required field missing" in what
                else "unknown-key"
                if "extra fields" in what
                else "wrong-type"
            )
            problems.append(
                _problem(
                    file,
                    line,
                    column,
                    steps,
                    code,
                    f"{what or message}; this is not an assessment as cat_rubric writes it "
                    "(was it edited by hand?)",
                )
            )
        raise LoadError(tuple(problems)) from None


def _problem(
    file: str, line: int, column: int, path: tuple[str | int, ...], code: str, message: str
) -> Problem:
    return Problem(
        file=file, line=line, column=column, path=path, code=code, message=inert(message)
    )


def _error(
    file: str, line: int, column: int, path: tuple[str | int, ...], code: str, message: str
) -> LoadError:
    return LoadError((_problem(file, line, column, path, code, message),))


def _steps(where: str) -> tuple[str | int, ...]:
    """``$.a[2].b`` → ``("a", 2, "b")``."""
    steps: list[str | int] = []
    for match in _STEP.finditer(where):
        name, index, quoted = match.groups()
        steps.append(int(index) if index is not None else name or quoted or "")
    return tuple(steps)


def _locate(text: str, steps: tuple[str | int, ...]) -> tuple[int, int]:
    """Line and column (1-based) of the value at *steps*, or of its nearest ancestor."""
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 0).end()  # type: ignore[union-attr]
    for step in steps:
        found = _child(decoder, text, pos, step)
        if found is None:
            break
        pos = found
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _child(decoder: json.JSONDecoder, text: str, pos: int, step: str | int) -> int | None:
    """Where the value under *step* of the object or array at *pos* starts, if it exists."""
    try:
        opener = text[pos]
        if opener not in "{[" or (opener == "{") != isinstance(step, str):
            return None
        pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
        index = 0
        while text[pos] not in "}]":
            key: Any = index
            if opener == "{":
                key, pos = json.decoder.scanstring(text, pos + 1)  # type: ignore[attr-defined]
                pos = _WS.match(text, pos).end() + 1  # type: ignore[union-attr]  # the colon
                pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if key == step:
                return pos
            _, pos = decoder.raw_decode(text, pos)
            pos = _WS.match(text, pos).end()  # type: ignore[union-attr]
            if text[pos] == ",":
                pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            index += 1
    except (IndexError, ValueError, RecursionError):
        return None
    return None


__all__ = ["read_assessment"]
