"""Composing a long top-level list a chunk at a time, so the node tree stays in cache.

libyaml composes a whole document into a node tree before anything can read it:
about 9.6 KB of nodes per evidence item, so a 500-item file's tree is several
megabytes and no longer fits the CPU's caches by the time the builder walks it.
Composing the ``items`` list about 16 KiB of text at a time, and building each
chunk's items before composing the next, lets every chunk's nodes be freed and
their memory reused while it is still in cache. On the benchmark's 500-item files
this takes 0.62-0.72x the time of composing them whole, and the node tree alive
at any moment is one chunk's instead of the whole file's.

Correctness comes first: the chunked composition is used only where it is the
same as composing the whole text, and any doubt falls back to the whole text,
which then reports its errors exactly as before. The argument:

1. The list is the value of a line ``items:`` at column 0 with nothing after the
   colon. A *skeleton* — the text with that line replaced by ``items: []`` and the
   list's lines blanked — is composed first. The prefix before the line is the
   same in both texts, so if the skeleton shows ``items`` as a top-level key with
   an empty list exactly where ``[]`` was written, the real text's list starts a
   new line in the root mapping too. Everything after the list (the *tail*) keeps
   its place and its line numbers in the skeleton.
2. The list runs to the first line that starts at column 0 with anything but a
   comment or (for a list written at column 0) a ``-`` entry. Its text is cut at
   lines that start an entry: a ``-`` at the list's own column followed by a space
   or a line break. Each chunk is composed on its own as a block sequence at that
   column. A cut that fell inside a quoted scalar or a flow collection leaves the
   chunk before it unterminated, so that chunk fails to compose; a block scalar or
   a plain scalar cannot span a line at the list's column. Anchors are refused
   (an alias could cross chunks, and expansion is budgeted per document), and so
   are ``%`` directives (a ``%TAG`` would not reach the chunks).
3. Marks in a chunk count lines from the chunk's start. The line each chunk starts
   at is the sum of the lines libyaml counted in the chunks before it, and the sum
   over all chunks must equal the blank lines the skeleton used (libyaml also counts
   a lone carriage return and the Unicode line separators as breaks; a mismatch
   falls back). `Document.line_offset` adds it back in every reported position.

Any chunk that fails to compose, is not one block sequence at the list's column,
is nested too deeply, or disagrees on the line count raises `StreamBrokenError` while
the builder iterates; the loader then composes the whole text instead. Short lists
(under `MIN_BYTES`) are composed whole, and so is everything when the pure-Python
parser is asked for. ``tests/test_stream.py`` states the law (same model, or same
problems at the same places) and tests it on layouts chosen to break it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Final, overload

import yaml
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cat_rubric._yaml import (
    HAVE_LIBYAML,
    Document,
    Limits,
    _compose,
    _DepthExceededError,
    _measure,
    _too_deep,
)

#: Bytes of list text composed at a time (cut at the next entry after this many).
CHUNK_BYTES: int = 16 * 1024
#: Lists shorter than this are composed with the rest of the document: the skeleton
#: and the chunks cost more than the cache saves.
MIN_BYTES: int = 48 * 1024

_SEQ_TAG: Final = yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG
# libyaml refuses nesting deeper than 1000 levels, and a chunk sits one level nearer
# the root than its entries do in the file. Under this limit ours always trips first,
# so both compositions refuse the same texts.
_MAX_DEPTH: Final = 512
_FIRST_ENTRY: Final = re.compile(rb"(?:[ ]*(?:#[^\r\n]*)?\r?\n)*([ ]*)-[ \r\n]")
# The first line at column 0 that is neither a comment nor an entry of the list.
_END_AT_0: Final = re.compile(rb"\n(?:[^ \r\n#-]|-[^ \r\n])")
_END_INDENTED: Final = re.compile(rb"\n[^ \r\n#]")


class StreamBrokenError(Exception):
    """The chunked composition cannot stand in for the whole one; compose the whole text."""


class Entries(Sequence[Node]):
    """The entries of a streamed list, composed a chunk at a time as they are read.

    Iterating composes each chunk in turn and keeps none of them, so only the chunk
    being read is alive. Indexing (to locate a problem after the build) composes
    the entry's chunk again and keeps it.
    """

    def __init__(
        self,
        data: bytes,
        bounds: list[tuple[int, int]],
        line: int,
        first_line: int,
        column: int,
        lines: int,
        limits: Limits,
    ) -> None:
        self._data = data
        self._bounds = bounds
        self._limits = limits
        #: Where the first entry is, counted from the first chunk's start, and the
        #: column every chunk's sequence must start at.
        self._first = (first_line - line, column)
        #: The blank lines the skeleton used for the list: what the chunks must add up to.
        self._lines = lines
        #: For each chunk composed so far: its first entry's index and its first line.
        self._firsts: list[int] = [0]
        self._starts: list[int] = [line]
        self._kept: dict[int, list[Node]] = {}

    def _compose(self, k: int) -> list[Node]:
        start, end = self._bounds[k]
        try:
            root = _compose(self._data[start:end], self._limits, pure=False)
        except (yaml.YAMLError, _DepthExceededError):
            raise StreamBrokenError from None
        first_line, column = self._first
        if (
            not isinstance(root, SequenceNode)
            or root.flow_style
            or (root.start_mark.line, root.start_mark.column)
            != (first_line if k == 0 else 0, column)
            or _too_deep(root, self._limits.max_depth - 1) is not None
        ):
            raise StreamBrokenError
        if k == len(self._firsts) - 1:  # the first time through: record where the next starts
            self._firsts.append(self._firsts[k] + len(root.value))
            self._starts.append(self._starts[k] + root.end_mark.line)
            if len(self._firsts) == len(self._bounds) + 1:
                counted = self._starts[-1] - self._starts[0]
                if counted != self._lines:
                    raise StreamBrokenError
        return root.value  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Node]:
        for k in range(len(self._bounds)):
            nodes = self._kept.get(k) or self._compose(k)
            yield from nodes
            del nodes  # freed before the next chunk is composed: its memory is reused

    def _chunk(self, index: int) -> int:
        """The chunk holding entry *index*, composing chunks until it is known."""
        while len(self._firsts) <= len(self._bounds) and self._firsts[-1] <= index:
            k = len(self._firsts) - 1
            self._kept[k] = self._compose(k)
        k = bisect.bisect_right(self._firsts, index) - 1
        if k >= len(self._bounds):
            raise IndexError(index)
        return k

    def __len__(self) -> int:
        while len(self._firsts) <= len(self._bounds):  # not read through yet: count the rest
            k = len(self._firsts) - 1
            self._kept[k] = self._compose(k)
        return self._firsts[-1]

    @overload
    def __getitem__(self, index: int) -> Node: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Node]: ...

    def __getitem__(self, index: int | slice) -> Node | Sequence[Node]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index < 0:
            raise IndexError(index)
        k = self._chunk(index)
        nodes = self._kept.get(k)
        if nodes is None:
            nodes = self._kept[k] = self._compose(k)
        return nodes[index - self._firsts[k]]

    def line_offset(self, index: int) -> int:
        """The line (0-based) that entry *index*'s chunk starts at in the file."""
        return self._starts[self._chunk(index)]


def compose_streamed(
    text: str, utf8: bytes | None, file: str, limits: Limits, key: str
) -> Document | None:
    """Compose *text* with the list under the top-level *key* streamed, or None.

    None means the text does not qualify (no such list, too short, anchors,
    directives, a skeleton that does not compose cleanly ...): compose the whole
    text instead, which also reports any error. See the module's docstring.
    """
    if not HAVE_LIBYAML:
        return None
    if utf8 is None:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError:
            return None
    if len(utf8) > limits.max_bytes or limits.max_depth > _MAX_DEPTH:
        return None
    plan = _plan(utf8, key.encode("ascii"))
    if plan is None:
        return None
    skeleton, key_line, first_line, first_column, bounds, lines = plan
    try:
        root = _compose(skeleton, limits, pure=False)
    except (yaml.YAMLError, _DepthExceededError):
        return None
    if root is None or not isinstance(root, MappingNode):
        return None
    over = _measure(root, limits) if b"&" in skeleton else _too_deep(root, limits.max_depth)
    if over is not None:
        return None
    found = [i for i, (k, _) in enumerate(root.value) if _is_key(k, key)]
    if len(found) != 1:
        return None
    key_node, empty = root.value[found[0]]
    if not (
        key_node.start_mark.line == key_line
        and key_node.start_mark.column == 0
        and isinstance(empty, SequenceNode)
        and empty.flow_style
        and not empty.value
        and empty.start_mark.line == key_line
        and empty.start_mark.column == len(key) + 2
    ):
        return None
    entries = Entries(utf8, bounds, key_line + 1, first_line, first_column, lines, limits)
    mark = Mark(file, bounds[0][0], first_line, first_column, None, 0)
    root.value[found[0]] = (key_node, SequenceNode(_SEQ_TAG, entries, mark, mark, flow_style=False))
    return Document(file=file, text=text, root=root, shift=(key, entries.line_offset))


def _is_key(node: Node, key: str) -> bool:
    return isinstance(node, ScalarNode) and node.value == key


_Plan = tuple[bytes, int, int, int, list[tuple[int, int]], int]


def _plan(data: bytes, key: bytes) -> _Plan | None:
    """Where to cut the list under *key*, and the skeleton; None if the text does not qualify.

    Returns:
        The skeleton, the key's line, the first entry's line and column, the chunks'
        byte ranges and the number of line breaks in the list's text.
    """
    if len(data) < MIN_BYTES:  # the list cannot be long enough: do not even look
        return None
    head = key + b":"
    at = 0 if data.startswith(head) else data.find(b"\n" + head) + 1
    if at == 0 and not data.startswith(head):
        return None
    line = re.compile(re.escape(head) + rb"[ ]*\r?\n").match(data, at)
    if line is None or data.startswith(b"%") or data.find(b"\n%", 0, at) != -1:
        return None
    body = line.end()
    first = _FIRST_ENTRY.match(data, body)
    if first is None:
        return None
    column = len(first.group(1))
    ends = _END_AT_0 if column == 0 else _END_INDENTED
    found = ends.search(data, body - 1)
    end = len(data) if found is None else found.start() + 1
    if end - body < MIN_BYTES or data.find(b"&", body, end) != -1:
        return None
    entry = re.compile(rb"\n" + b" " * column + rb"-[ \r\n]")
    starts = [body]
    target = max(body + CHUNK_BYTES, first.end())  # the first chunk holds the first entry
    while target < end:
        cut = entry.search(data, target, end)
        if cut is None:
            break
        starts.append(cut.start() + 1)
        target = cut.start() + 1 + CHUNK_BYTES
    bounds = list(zip(starts, [*starts[1:], end], strict=True))
    key_line = data.count(b"\n", 0, at)
    lines = data.count(b"\n", body, end)
    if end == len(data) and not data.endswith(b"\n"):
        lines += 1  # libyaml ends the last line at the end of the text
    first_line = key_line + 1 + data.count(b"\n", body, first.end(1))
    skeleton = b"".join((data[:at], head, b" []\n", b"\n" * lines, data[end:]))
    return skeleton, key_line, first_line, column, bounds, lines
