r"""Keeping untrusted text as text in every output format.

Evidence quotes, summaries, titles, ids, scale letters, YAML keys and file names come
from third parties. Where they leave the library they pass through the one function
for that output kind:

- a terminal (tables, explanations, error messages): `inert`, `inert_line`, `one_line`;
- Markdown: `markdown`;
- JSON: `json_dumps`;
- a file name, wherever it is shown: `display_name`.

Control characters, bidirectional controls (they could hide or reorder what an analyst
reads) and lone surrogates (they cannot be written as UTF-8) are shown as ``\uXXXX``
escapes; Markdown's and HTML's active characters are escaped; JSON keeps every string
exactly, with the invisible or troublesome characters written as JSON escapes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any, Final


class _Lazy:
    """A regular expression compiled when first used, not at import.

    Compiling a class of characters that spans beyond Latin-1 costs about half a
    millisecond; the command line's start-up imports this module, and `score` uses
    only `_UNSAFE` and `_SPACE` of its patterns.
    """

    __slots__ = ("_compiled", "_source")

    def __init__(self, source: str) -> None:
        self._source = source
        self._compiled: re.Pattern[str] | None = None

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        """`re.Pattern.sub`."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self._source)
        return compiled.sub(repl, text)


# C0 and C1 controls except tab and newline, DEL, the bidirectional
# embedding/override/isolate controls and marks (Trojan Source, CVE-2021-42574), and
# lone surrogates (a Python string may hold them; UTF-8 cannot).
_UNSAFE_CHARS: Final = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
)
_UNSAFE: Final = re.compile(f"[{_UNSAFE_CHARS}]")
# The same, and tab, newline and the Unicode line and paragraph separators: for text
# that must stay on one line exactly as it is (a key path, a file name, a message).
_UNSAFE_LINE: Final = _Lazy(f"[\t\n\u2028\u2029{_UNSAFE_CHARS}]")
# What `json.dumps(ensure_ascii=False)` leaves raw but a JSON document should not hold
# raw: DEL and C1 controls, bidirectional controls, U+2028/U+2029 (line breaks to
# JavaScript) and lone surrogates (not UTF-8). C0 controls json.dumps escapes itself.
_JSON_ESCAPE: Final = _Lazy(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
# Characters that act inside a Markdown line (emphasis, code, links, tables, HTML,
# entities); line-start markers cannot occur because text is flattened to one line
# and always follows our own prefix.
_MARKDOWN: Final = re.compile(r"([\\`*_\[\]|~])")
# HTML's active characters become entities, which every Markdown renderer shows as text
# (a backslash escape is not honoured by all of them).
_HTML: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_SPACE: Final = re.compile(r"\s+")


def _escape_char(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert(text: str) -> str:
    r"""*text* with control, bidirectional and lone-surrogate characters as ``\uXXXX`` escapes.

    Tab and newline are kept: for text shown on several lines.
    """
    return _UNSAFE.sub(_escape_char, text)


def inert_line(text: str) -> str:
    r"""*text* made `inert`, with tab and line breaks as ``\uXXXX`` escapes too.

    For text that must be shown whole on one line, character for character: a key
    path, a file name, an error message (a newline in one could forge a line of output).
    """
    return _UNSAFE_LINE.sub(_escape_char, text)


def _flat(text: str) -> str:
    """*text* made inert, each run of whitespace one space, not yet stripped."""
    return _SPACE.sub(" ", inert(text))


def one_line(text: str, width: int | None = None) -> str:
    """*text* made inert, on one line, shortened to *width* characters with an ellipsis.

    The cost is proportional to *width*, not to the length of *text*: only a prefix
    long enough to fill *width* is cleaned, and the result is the same as cleaning the
    whole text and then cutting it.

    Raises:
        ValueError: *width* is less than 1.
    """
    if width is None:
        return _flat(text).strip()
    if width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    # Cleaning a prefix gives a prefix of the cleaned whole (escaping is per character,
    # and a whitespace run cut at the end of the prefix still becomes one space). Once
    # the cleaned prefix, without its leading space, has width + 2 characters, the whole
    # is longer than width even after stripping (no two spaces follow each other), and
    # its first width - 1 characters are known. Each character of text gives at least
    # one character unless whitespace collapses, so start there and grow if it did.
    size = width + 2
    while size < len(text):
        flat = _flat(text[:size]).lstrip()
        if len(flat) >= width + 2:
            return flat[: width - 1].rstrip() + "…"
        size *= 2
    flat = _flat(text).strip()
    if len(flat) > width:
        return flat[: width - 1].rstrip() + "…"
    return flat


def markdown(text: str, width: int | None = None) -> str:
    """*text* as an inert Markdown inline (safe inside a table cell)."""
    return _MARKDOWN.sub(r"\\\1", one_line(text, width).translate(_HTML))


def json_dumps(data: Any, *, default: Callable[[Any], Any] | None = None) -> str:
    r"""*data* as indented JSON that reads back equal and is always valid UTF-8.

    Like ``json.dumps(data, ensure_ascii=False, indent=2)`` (text stays readable, and the
    same data gives the same bytes), except that DEL and C1 controls, bidirectional
    controls, U+2028/U+2029 and lone surrogates are written as ``\uXXXX`` escapes. Those
    characters occur only inside JSON strings, where an escape means the same
    character. One limit is JSON's own: a lone high surrogate directly followed by a
    lone low surrogate reads back as the one character the pair encodes. *default* is
    `json.dumps`'s: how to write values JSON has no type for (dates, say).
    """
    import json  # only the JSON writers need it: kept off the command line's start-up

    text = json.dumps(data, ensure_ascii=False, indent=2, default=default)
    return _JSON_ESCAPE.sub(_escape_char, text)


def display_name(name: str | os.PathLike[str]) -> str:
    r"""A file name as it may be shown: undecodable bytes as ``\xNN``, controls as escapes.

    A name from the command line or the file system may hold bytes that are not UTF-8
    (Python keeps them as lone surrogates), control characters or line breaks; none may
    reach a terminal, a Markdown file or a JSON document raw. The name stays on one line.
    """
    try:
        raw = os.fsencode(name)
    except UnicodeEncodeError:  # a surrogate that no undecodable byte gives (from Python)
        return inert_line(os.fspath(name))
    return inert_line(raw.decode("utf-8", "backslashreplace"))
