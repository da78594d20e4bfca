r"""Plain words after PyYAML's: the likely cause of a YAML syntax error, and its fix.

PyYAML says what its parser met ("mapping values are not allowed here", "found
character '\t' that cannot start any token"); an author needs what they did (a colon
in unquoted text, a tab, an indentation that matches no key above, an unclosed quote
or bracket) and what to type instead. `hint` reads the lines around the error to say
so. It runs only when a file fails to parse, so it is imported then.
"""

from __future__ import annotations

import re
from typing import Final

from cat_rubric._yaml import LINE_BREAK

#: A line's leading spaces, an optional list dash, and a plain ``key:`` after them.
_KEY: Final = re.compile(
    r"(?P<indent> *)(?P<dash>(?:- +)*)(?P<key>[^\s#'\"\[\]{}:][^:#]*?):(?: |$)"
)
_RESERVED: Final = {"@": "@", "`": "a backquote (`)", "%": "%", "|": "|", ">": ">"}
#: Longest value shown quoted in an example fix; a longer one is described, not shown.
_EXAMPLE: Final = 60


def hint(
    context: str | None,
    problem: str | None,
    problem_at: tuple[int, int] | None,
    context_at: tuple[int, int] | None,
    text: str,
) -> str:
    """The likely cause of PyYAML's error and how to fix it, in plain words.

    Args:
        context: PyYAML's ``context`` ("while parsing a flow sequence"), if any.
        problem: PyYAML's ``problem`` ("expected ',' or ']', but got ':'"), if any.
        problem_at: 0-based line and column of the problem.
        context_at: 0-based line and column of the context (where the quote, bracket
            or block began).
        text: The document's text, as parsed.
    """
    context, problem = context or "", problem or ""
    lines = LINE_BREAK.split(text)
    row, col = problem_at or (0, 0)
    line = lines[row] if 0 <= row < len(lines) else ""
    found = _hint(context, problem, row, col, line, lines, context_at)
    return found or "check the quoting and the indentation on this line and the one before it"


def _hint(
    context: str,
    problem: str,
    row: int,
    col: int,
    line: str,
    lines: list[str],
    context_at: tuple[int, int] | None,
) -> str | None:
    if "tab" in problem or "'\\t'" in problem or "\t" in line[: max(col, 1)]:
        return (
            "a tab character indents this line, and YAML indents with spaces only: replace "
            "the tab with spaces (and set the editor to insert spaces for the Tab key)"
        )
    if problem.startswith("mapping values are not allowed"):
        return _colon_or_indent(row, col, line, lines)
    if "quoted scalar" in context and "end of stream" in problem:
        where = _at(context_at)
        return (
            f"the quote opened{where} is never closed: add the closing quote where the text "
            'ends (inside double quotes write a double quote as \\", inside single quotes an '
            "apostrophe as '')"
        )
    if "unknown escape character" in problem:
        return (
            "inside double quotes a backslash starts an escape (\\n, \\t ...): write a "
            "backslash as \\\\, or put the text in single quotes instead"
        )
    if "flow sequence" in context or "flow mapping" in context:
        opened, closer = ("[", "]") if "sequence" in context else ("{", "}")
        what = "list" if opened == "[" else "mapping"
        comment = ""
        if context_at is not None and " #" in lines[context_at[0]][context_at[1] :]:
            comment = f"; ' #' inside the brackets starts a comment, which hides the '{closer}'"
        return (
            f"the {what} opened with '{opened}'{_at(context_at)} is not closed before this point "
            f"(or an entry lacks its comma): close it with '{closer}'{comment}; to write text "
            f"that begins with '{opened}', put it in quotes"
        )
    if "flow node" in context:
        return "an entry of this list or mapping is empty (two commas in a row?): remove one"
    if "cannot start any token" in problem:
        char = line[col : col + 1]
        name = _RESERVED.get(char, repr(char))
        return (
            f"unquoted text cannot begin with {name} (YAML reserves it): put the whole text "
            "in quotes"
        )
    if problem.startswith("found undefined alias") or "scanning an alias" in context:
        return (
            "a value that begins with '*' refers to an anchor ('&name') defined earlier, and "
            "there is none: to write text that begins with '*', put it in quotes"
        )
    if "could not find expected ':'" in problem:
        which = "a line above this one" if context_at is None else f"line {context_at[0] + 1}"
        return (
            f"{which} has no 'key:' and is not indented under a key: if it "
            "continues the text before it, indent it further than that text's key, or put the "
            "whole text in quotes; otherwise add the key"
        )
    if problem.startswith("expected <block end>"):
        if problem.endswith("'<scalar>'"):
            return _after_quote(line, col)
        return _indentation(row, line, lines)
    return None


def _at(mark: tuple[int, int] | None) -> str:
    return "" if mark is None else f" at line {mark[0] + 1}, column {mark[1] + 1}"


def _colon_or_indent(row: int, col: int, line: str, lines: list[str]) -> str:
    """A colon in unquoted text, or a line indented as if it continued the one above."""
    match = _KEY.match(line)
    if match is not None and match.end() <= col:
        value = line[match.end() :].strip()
        key = match["key"].strip()
        example = ""
        if len(value) <= _EXAMPLE and not value.startswith(("'", '"')):
            quoted = value.replace("\\", "\\\\").replace('"', '\\"')
            example = f', e.g. {key}: "{quoted}"'
        return (
            "a colon followed by a space inside unquoted text makes YAML read a new key: put "
            f"the whole text in double quotes{example}"
        )
    above = _previous(row, lines)
    if above is not None:
        number, indent = above
        here = len(line) - len(line.lstrip(" "))
        return (
            f"this line starts in column {col_of(here)}, further in than the key on line "
            f"{number + 1} (column {col_of(indent)}), so YAML read it as more of the text on "
            "that line, where a colon followed by a space cannot appear: if it is a key of its "
            "own, start it in the same column as the key beside it; if it continues the text, "
            "put the whole text in quotes"
        )
    return "a colon followed by a space inside unquoted text makes YAML read a new key: quote it"


def col_of(indent: int) -> int:
    """A 0-based indentation as the 1-based column messages show."""
    return indent + 1


def _after_quote(line: str, col: int) -> str:
    """Text left over after a quoted value, or after a list or mapping in brackets."""
    match = _KEY.match(line)
    start = line[match.end() :].lstrip()[:1] if match else line.lstrip()[:1]
    if start in ("'", '"'):
        inner = (
            "write an apostrophe inside single quotes as two ('The State''s reply')"
            if start == "'"
            else 'write a double quote inside double quotes as \\" ("He said \\"no\\"")'
        )
        return (
            f"the value begins with a quote ({start}), so YAML reads the text up to the next "
            f"one and finds more text after it: {inner}, or quote the whole value with the "
            "other kind of quote"
        )
    if start in ("[", "{"):
        return (
            f"the value begins with '{start}', so YAML reads a list or mapping and finds text "
            "after its closing bracket: to write text that begins with a bracket, put the "
            "whole text in quotes"
        )
    return _indentation_words(col, [])


def _indentation(row: int, line: str, lines: list[str]) -> str:
    """A line whose indentation matches none of the keys or list entries above it."""
    indent = len(line) - len(line.lstrip(" "))
    levels = _open_levels(row, lines)
    for number, level, dash in levels:
        if level == indent and dash and not line.lstrip(" ").startswith("-"):
            return (
                f"this line starts in the column of the list's '- ' entries (line {number + 1}) "
                "but is not an entry: start it with '- ' for a new entry, or indent it by two "
                "more spaces to add a key to the entry above"
            )
    return _indentation_words(indent, levels)


def _indentation_words(indent: int, levels: list[tuple[int, int, bool]]) -> str:
    where = ", ".join(f"column {col_of(level)} (line {n + 1})" for n, level, _ in levels[:3])
    above = f"; the lines above it start in {where}" if where else ""
    return (
        f"the indentation does not match: this line starts in column {col_of(indent)}{above}. "
        "Start each key of one mapping, and the '- ' of each entry of one list, in the same "
        "column (YAML counts spaces)"
    )


def _previous(row: int, lines: list[str]) -> tuple[int, int] | None:
    """The nearest line above *row* with content: its number and where its key starts.

    A list entry's key starts after its dash.
    """
    for number in range(row - 1, -1, -1):
        stripped = lines[number].lstrip(" ")
        if stripped and not stripped.startswith("#"):
            match = _KEY.match(lines[number])
            if match is not None:
                return number, match.start("key")
            return number, len(lines[number]) - len(stripped)
    return None


def _open_levels(row: int, lines: list[str]) -> list[tuple[int, int, bool]]:
    """The indentations a line at *row* could belong to, nearest first.

    Each line above that is less indented than the ones between: its number, its
    indentation, and whether it is a list entry (whose keys, after the dash, are open too).
    """
    levels: list[tuple[int, int, bool]] = []
    limit: int | None = None
    for number in range(row - 1, -1, -1):
        stripped = lines[number].lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(lines[number]) - len(stripped)
        if limit is None or indent < limit:
            dash = stripped.startswith("- ") or stripped == "-"
            if dash:
                # An entry's own keys start after its dash: that column is open too.
                after = len(stripped) - len(stripped[1:].lstrip(" ")) + indent
                if limit is None or after < limit:
                    levels.append((number, after, False))
            levels.append((number, indent, dash))
            limit = indent
            if indent == 0:
                break
    return levels


__all__ = ["hint"]
