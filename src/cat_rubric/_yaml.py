"""Safe, bounded YAML reading into a node tree that remembers where everything is.

PyYAML's ``safe_load`` forgets line numbers and silently keeps the last of two
duplicate keys. We compose the node tree instead (libyaml's C parser when it is
available, PyYAML's pure-Python one otherwise) and let the schema builder in
`cat_rubric._schema` walk it, so every problem carries its line and column.

Only the safe YAML subset is composed: tags outside the YAML core schema are
reported by the builder, never constructed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Final, cast

import attrs
import yaml
from yaml.composer import Composer
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cat_rubric.exceptions import LimitError, LoadError, Problem, SettingsError

try:
    from yaml import CSafeLoader as _CSafeLoader
except ImportError:  # pragma: no cover - exercised on machines without libyaml
    _CSafeLoader = None  # type: ignore[assignment,misc]

# PyYAML's implicit tag resolution (null, bool, int, float, timestamp ...), read once:
# by first character, with the resolvers that apply to any character after them.
_RESOLVERS: Final = yaml.resolver.Resolver.yaml_implicit_resolvers
_ANY_FIRST: Final = tuple(_RESOLVERS.get(None, ()))
_BY_FIRST: Final = {k: (*v, *_ANY_FIRST) for k, v in _RESOLVERS.items() if k is not None}
_STR_TAG: Final = yaml.resolver.Resolver.DEFAULT_SCALAR_TAG
_SEQ_TAG: Final = yaml.resolver.Resolver.DEFAULT_SEQUENCE_TAG
_MAP_TAG: Final = yaml.resolver.Resolver.DEFAULT_MAPPING_TAG

_CLoader: Any = None  # the C loader, when libyaml is available
if _CSafeLoader is not None:

    class _FastCLoader(_CSafeLoader):
        """libyaml's safe loader, resolving tags as PyYAML's safe loader does, faster.

        libyaml's composer asks Python for every node's tag. PyYAML's general
        resolver also supports path resolvers, which the safe loader never has;
        this one answers from the same table without them. The pure-Python parser
        keeps PyYAML's own resolver, and both parsers are tested to agree.
        """

        def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in _BY_FIRST.get(value[:1], _ANY_FIRST):
                        if regexp.match(value):
                            return tag  # type: ignore[no-any-return]
                return _STR_TAG
            return _SEQ_TAG if kind is SequenceNode else _MAP_TAG

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            """No path resolvers: nothing to track."""

        def ascend_resolver(self) -> None:
            """No path resolvers: nothing to track."""

    _CLoader = _FastCLoader

#: Whether libyaml's C parser is available to PyYAML on this machine.
HAVE_LIBYAML: Final = _CLoader is not None

_DEFAULT_MAX_BYTES: Final = 16 * 1024 * 1024


def _max_bytes_from_env() -> int:
    raw = os.environ.get("CAT_RUBRIC_MAX_BYTES")
    if raw is None:
        return _DEFAULT_MAX_BYTES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise SettingsError(
            f"CAT_RUBRIC_MAX_BYTES must be a positive whole number of bytes, got {raw!r}"
        )
    return value


@attrs.frozen(kw_only=True)
class Limits:
    """Resource limits applied to every file cat_rubric reads.

    Attributes:
        max_bytes: Largest file accepted, in bytes (default 16 MiB; the environment
            variable ``CAT_RUBRIC_MAX_BYTES`` overrides the default).
        max_depth: Deepest nesting of mappings and sequences accepted.
        max_alias_nodes: Most nodes that aliases (``*name``) may expand to in one file;
            bounds "billion laughs" documents.
    """

    max_bytes: int = attrs.field(factory=_max_bytes_from_env)
    max_depth: int = 64
    max_alias_nodes: int = 100_000


#: The UTF-8 byte-order mark, which a file may start with and the text leaves out.
BOM: Final = b"\xef\xbb\xbf"

#: YAML's line breaks (YAML 1.1, as PyYAML and libyaml count lines).
LINE_BREAK: Final = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _location(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character *index* in *text*, counting lines as YAML does."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


class _DepthLimitedComposer(Composer):
    """PyYAML's pure-Python composer, stopping at a nesting depth instead of recursing on."""

    max_depth: int = 64
    _depth: int = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark  # type: ignore[attr-defined]
                raise _DepthExceededError(mark.line + 1, mark.column + 1)
            return cast("Node", super().compose_node(parent, index))
        finally:
            self._depth -= 1


class _DepthExceededError(Exception):
    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


class _PureSafeLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _DepthLimitedComposer,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """The pure-Python safe loader with a bounded composer."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


@attrs.frozen(kw_only=True)
class Document:
    """A composed YAML document with the text it came from.

    Attributes:
        file: The name used in messages.
        text: The decoded text.
        root: The root node.
    """

    file: str
    text: str
    root: Node

    def locate(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        """Line and column (1-based) of the node at *path*, or of its nearest ancestor.

        For a mapping key the location of the value is given; for a missing key, the
        location of the mapping that lacks it.
        """
        node: Node = self.root
        for step in path:
            child = _child(node, step)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1, node.start_mark.column + 1

    @staticmethod
    def child(node: Node, step: str | int) -> Node | None:
        """The child of *node* under a key (mappings) or at an index (sequences), if any."""
        return _child(node, step)


def _child(node: Node, step: str | int) -> Node | None:
    if isinstance(node, MappingNode) and isinstance(step, str):
        for key, value in reversed(node.value):
            if isinstance(key, ScalarNode) and key.value == step:
                return value  # type: ignore[no-any-return]
    elif isinstance(node, SequenceNode) and isinstance(step, int):
        if 0 <= step < len(node.value):
            return node.value[step]  # type: ignore[no-any-return]
    return None


def problem(file: str, line: int, column: int, code: str, message: str, path: str = "") -> Problem:
    """Shorthand for building a `Problem`."""
    return Problem(file=file, line=line, column=column, path=path, code=code, message=message)


def read_bytes(path: Path, limits: Limits) -> bytes:
    """Read *path*, refusing files over the size limit before reading them whole."""
    name = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise LoadError(
            (problem(name, 1, 1, "file-not-found", "no such file; check the path"),)
        ) from None
    except IsADirectoryError:
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", "this is a directory, not a YAML file"),)
        ) from None
    except OSError as exc:
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", f"cannot read the file: {exc.strerror}"),)
        ) from None
    if len(data) > limits.max_bytes:
        raise LimitError(
            (
                problem(
                    name,
                    1,
                    1,
                    "file-too-large",
                    f"the file is larger than the limit of {limits.max_bytes:,} bytes; split it, "
                    "or raise the limit (Limits(max_bytes=...) or CAT_RUBRIC_MAX_BYTES)",
                ),
            )
        )
    return data


def decode(data: bytes, file: str) -> str:
    """Decode UTF-8 strictly, reporting the first bad byte with its line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8").removeprefix("\ufeff")
        line, column = _location(good, len(good))
        raise LoadError(
            (
                problem(
                    file,
                    line,
                    column,
                    "not-utf8",
                    f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
                ),
            )
        ) from None
    return text.removeprefix("\ufeff")


def compose(
    text: str, file: str, limits: Limits, *, pure: bool = False, utf8: bytes | None = None
) -> Document:
    """Compose *text* into a `Document`, with every YAML error reported as a `Problem`.

    Args:
        text: The YAML text.
        file: The name used in messages.
        limits: Resource limits.
        pure: Use PyYAML's pure-Python parser even when libyaml is available.
        utf8: *text* encoded as UTF-8, when the caller has it: libyaml reads it as it
            is instead of encoding the text again.
    """
    if utf8 is None:
        try:
            utf8 = text.encode("utf-8")
        except UnicodeEncodeError as exc:
            line, column = _location(text, exc.start)
            raise LoadError(
                (
                    problem(
                        file, line, column, "not-utf8", "lone surrogate character; not valid text"
                    ),
                )
            ) from None
    if len(utf8) > limits.max_bytes:
        raise LimitError(
            (
                problem(
                    file,
                    1,
                    1,
                    "file-too-large",
                    f"the text is larger than the limit of {limits.max_bytes:,} bytes",
                ),
            )
        )
    try:
        root = _compose(text if pure else utf8, limits, pure=pure)
    except (_DepthExceededError, yaml.YAMLError) as exc:
        # Both parsers refuse the characters YAML does not allow, so a text that
        # composed has none; on failure, one is looked for first, since libyaml
        # reports it at a byte offset and PyYAML's own message is less helpful.
        _check_characters(text, file)
        raise _parse_error(exc, file, limits) from None
    except RecursionError:  # pragma: no cover - the depth limit stops this first
        raise LimitError((problem(file, 1, 1, "too-deep", "nesting too deep"),)) from None
    if root is not None:
        # Without an anchor there can be no alias: only the depth needs checking.
        over = _measure(root, limits) if "&" in text else _too_deep(root, limits.max_depth)
        if over is not None:
            code, node = over
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            if code == "too-deep":
                raise _depth_error(file, line, column, limits)
            raise LimitError(
                (
                    problem(
                        file,
                        line,
                        column,
                        "alias-expansion",
                        f"aliases (*name) of the node here expand the document by more than "
                        f"{limits.max_alias_nodes:,} nodes; write the data out or use fewer "
                        "aliases",
                    ),
                )
            )
    if root is None:
        raise LoadError(
            (problem(file, 1, 1, "empty-file", "the file is empty; it should hold a YAML mapping"),)
        )
    return Document(file=file, text=text, root=root)


def _check_characters(text: str, file: str) -> None:
    """Raise `LoadError` at the first character YAML does not allow, if there is one."""
    bad = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if bad is not None:
        line, column = _location(text, bad.start())
        raise LoadError(
            (
                problem(
                    file,
                    line,
                    column,
                    "bad-character",
                    f"the character U+{ord(bad.group()):04X} is not allowed in YAML; remove it "
                    "(control characters must be written as escapes inside double quotes)",
                ),
            )
        )


def _parse_error(exc: _DepthExceededError | yaml.YAMLError, file: str, limits: Limits) -> LoadError:
    """The located problem for a parser's error."""
    if isinstance(exc, _DepthExceededError):
        return _depth_error(file, exc.line, exc.column, limits)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        code = "too-deep" if "maximum nesting depth" in what else "yaml-syntax"
        error = LimitError if code == "too-deep" else LoadError
        return error((problem(file, line, column, code, f"YAML syntax error: {_one_line(what)}"),))
    return LoadError((problem(file, 1, 1, "yaml-syntax", f"YAML error: {_one_line(str(exc))}"),))


def _depth_error(file: str, line: int, column: int, limits: Limits) -> LimitError:
    return LimitError(
        (
            problem(
                file,
                line,
                column,
                "too-deep",
                f"nesting deeper than {limits.max_depth} levels; no rubric or evidence file "
                "needs this — check for runaway brackets or indentation",
            ),
        )
    )


def _too_deep(root: Node, max_depth: int) -> tuple[str, Node] | None:
    """The first collection nested deeper than *max_depth*, in a tree without aliases."""
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return "too-deep", node
        if type(node) is MappingNode:
            for _, value in node.value:
                if type(value) is not ScalarNode:
                    stack.append((value, depth + 1))
        elif type(node) is SequenceNode:
            for value in node.value:
                if type(value) is not ScalarNode:
                    stack.append((value, depth + 1))
    return None


def _measure(root: Node, limits: Limits) -> tuple[str, Node] | None:
    """Check nesting depth and alias expansion in one pass over the distinct nodes.

    Aliases make the node tree a DAG: a "billion laughs" document is a few hundred
    distinct nodes that expand to billions. Each collection's expanded size is
    computed once (memoised by identity), so measuring costs one visit per distinct
    node, however large the expansion.

    Returns:
        ``("too-deep", node)`` or ``("alias-expansion", node)`` for the first node over
        a limit, or None.
    """
    sizes: dict[int, int] = {}
    extra = 0
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        children = (
            [v for pair in node.value for v in pair]
            if isinstance(node, MappingNode)
            else node.value
            if isinstance(node, SequenceNode)
            else None
        )
        if children is None:
            continue
        if done:
            sizes[id(node)] = 1 + sum(sizes.get(id(c), 1) for c in children)
            continue
        if depth > limits.max_depth:
            return "too-deep", node
        known = sizes.get(id(node))
        if known is not None:  # met again through an alias: its expansion counts again
            extra += known
            if extra > limits.max_alias_nodes:
                return "alias-expansion", node
            continue
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if not isinstance(c, ScalarNode))
    return None


def _compose(stream: str | bytes, limits: Limits, *, pure: bool) -> Node | None:
    if _CLoader is not None and not pure:
        loader: Any = _CLoader(stream)
    else:
        loader = _PureSafeLoader(cast("str", stream))
        loader.max_depth = limits.max_depth
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    finally:
        loader.dispose()


def _one_line(text: str) -> str:
    return " ".join(text.split())
