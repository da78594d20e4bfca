"""Keeping untrusted text as text in every output format.

Evidence quotes, summaries and titles come from third parties. Before they reach a
terminal table or a Markdown file they are made inert: control characters and
bidirectional overrides are shown as escapes (they could hide or reorder what an
analyst reads), and Markdown's active characters are backslash-escaped.
"""

from __future__ import annotations

import os
import re
from typing import Final

# C0 and C1 controls except tab and newline, DEL, and the bidirectional
# embedding/override/isolate controls and marks (Trojan Source, CVE-2021-42574).
_UNSAFE: Final = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
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
    """*text* with control and bidirectional-override characters shown as ``U+XXXX`` escapes."""
    return _UNSAFE.sub(_escape_char, text)


def one_line(text: str, width: int | None = None) -> str:
    """*text* made inert, on one line, shortened to *width* characters with an ellipsis."""
    flat = _SPACE.sub(" ", inert(text)).strip()
    if width is not None and len(flat) > width:
        return flat[: width - 1].rstrip() + "…"
    return flat


def markdown(text: str, width: int | None = None) -> str:
    """*text* as an inert Markdown inline (safe inside a table cell)."""
    return _MARKDOWN.sub(r"\\\1", one_line(text, width).translate(_HTML))


def display_name(name: str | os.PathLike[str]) -> str:
    """A file name as it may be shown: undecodable bytes as ``\\xNN``, controls as escapes.

    A name from the command line or the file system may hold bytes that are not UTF-8
    (Python keeps them as lone surrogates) or control characters; neither may reach a
    terminal, a Markdown file or a JSON document raw.
    """
    raw = os.fsencode(name)
    text = raw.decode("utf-8", "backslashreplace")
    return inert(text)
