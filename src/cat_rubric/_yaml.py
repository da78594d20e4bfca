"""Safe, bounded YAML reading into a node tree that remembers where everything is.

PyYAML's ``safe_load`` forgets line numbers and silently keeps the last of two
duplicate keys. We compose the node tree instead (libyaml's C parser when it is
available, PyYAML's pure-Python one otherwise) and let the schema builder in
`cat_rubric._schema` walk it, so every problem carries its line and column.

Only the safe YAML subset is composed: tags outside the YAML core schema are
reported by the builder, never constructed. Scalars the core schema reads as numbers,
true/false values, nulls or dates are checked here, once, so that nothing built from
the tree meets one it cannot read (see `INVALID_TAG`).

The two parsers agree: for any text, the same nodes at the same lines and columns, or
the same problem. The pure-Python parser is taught libyaml's reading of YAML, and when
libyaml fails the pure-Python parser reports the problem (see `compose`).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from typing import Any, Final

import attrs
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cat_rubric._repr import fields_repr
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
        max_alias_nodes: Most nodes that aliases (``*name``) may add to one file when
            expanded: an alias of a list or mapping adds all the nodes in it, an alias
            of a scalar one. Bounds "billion laughs" documents.
        max_alias_chars: Most characters of text that aliases may add to one file when
            expanded: an alias of a scalar adds its length, an alias of a list or
            mapping the length of every scalar in it (keys too). Bounds documents that
            quote one long anchored text many times. Reusing a ``source:`` mapping
            across a thousand evidence items stays well within both.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    max_bytes: int = attrs.field(factory=_max_bytes_from_env)
    max_depth: int = 64
    max_alias_nodes: int = 100_000
    max_alias_chars: int = 1_000_000


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


class Document:
    """A composed YAML document with the text it came from.

    A plain class, not an attrs one: it never leaves the loader, and defining an attrs
    class costs start-up time (about 0.4 ms each).

    Attributes:
        file: The name used in messages.
        text: The decoded text.
        root: The root node.
    """

    __slots__ = ("file", "root", "text")

    def __init__(self, *, file: str, text: str, root: Node) -> None:
        self.file = file
        self.text = text
        self.root = root

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


def problem(
    file: str, line: int, column: int, code: str, message: str, path: tuple[str | int, ...] = ()
) -> Problem:
    """Shorthand for building a `Problem`."""
    return Problem(file=file, line=line, column=column, path=path, code=code, message=message)


def read_bytes(path: str | os.PathLike[str], limits: Limits, *, name: str | None = None) -> bytes:
    """Read *path*, refusing files over the size limit before reading them whole.

    *name* is the file as messages show it (default: the path).
    """
    name = os.fspath(path) if name is None else name
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        hint = "; standard input is read as /dev/stdin" if os.fspath(path) == "-" else ""
        raise LoadError(
            (problem(name, 1, 1, "file-not-found", f"no such file; check the path{hint}"),)
        ) from None
    except IsADirectoryError:
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", "this is a directory, not a YAML file"),)
        ) from None
    except OSError as exc:
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", f"cannot read the file: {exc.strerror}"),)
        ) from None
    except ValueError as exc:  # e.g. a NUL character in the name
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", f"the file name is not a usable path: {exc}"),)
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


# -- scalars that name a value: numbers, true/false, null, dates --------------------------

_TAG_PREFIX: Final = "tag:yaml.org,2002:"
INT_TAG: Final = _TAG_PREFIX + "int"
FLOAT_TAG: Final = _TAG_PREFIX + "float"
BOOL_TAG: Final = _TAG_PREFIX + "bool"
NULL_TAG: Final = _TAG_PREFIX + "null"
TIMESTAMP_TAG: Final = _TAG_PREFIX + "timestamp"

#: The tag `compose` gives a scalar tagged as a number, true/false, null or date (by an
#: explicit tag, or by YAML's reading of it) whose text is no such value, followed by the
#: tag it had: so no code that asks ``node.tag == INT_TAG`` meets a number it cannot read.
INVALID_TAG: Final = "tag:cat-rubric,2025:invalid:"

#: Longest text read as a number. No rubric or evidence file needs more, and Python's
#: limit on converting long digit strings to integers (4,300 digits) is never reached.
MAX_NUMBER_CHARS: Final = 100
#: Largest whole number accepted, in either direction: 18 digits.
MAX_INT: Final = 10**18 - 1

_DIGITS: Final = {
    2: re.compile("[01]+"),
    8: re.compile("[0-7]+"),
    10: re.compile("[0-9]+"),
    16: re.compile("[0-9a-fA-F]+"),
}
_BASE_DIGITS: Final = {
    2: "binary digits (0 and 1) after '0b'",
    8: "octal digits (0 to 7) after a leading 0",
    10: "digits",
    16: "hexadecimal digits (0-9, a-f) after '0x'",
}
_FLOAT: Final = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?")
_FLOAT_PART: Final = re.compile(r"[0-9]+(?:\.[0-9]*)?")
_NULLS: Final = frozenset({"", "~", "null", "Null", "NULL"})


class NotAValueError(ValueError):
    """A scalar's text is not a value of its tag; the message says why, in plain words."""


def _too_long(text: str) -> None:
    if len(text) > MAX_NUMBER_CHARS:
        raise NotAValueError(f"it is {len(text):,} characters long, far too long for a number")


def _sign(text: str) -> tuple[int, str]:
    """The sign and the rest of *text*, underscores removed (as PyYAML reads numbers)."""
    digits = text.replace("_", "")
    if digits[:1] in ("+", "-"):
        return (-1 if digits[0] == "-" else 1), digits[1:]
    return 1, digits


def int_value(text: str) -> int:
    """The whole number *text* denotes, as YAML 1.1 (and PyYAML) reads it.

    ``1_000``, ``-12``, ``0x1F``, ``0o17`` and ``017`` (octal), ``0b101``, ``1:30``
    (base 60) are numbers; the digits are ASCII only.

    Raises:
        NotAValueError: *text* is no whole number, or is longer than `MAX_NUMBER_CHARS`
            or beyond `MAX_INT`; the message says which.
    """
    _too_long(text)
    sign, digits = _sign(text)
    if not digits:
        raise NotAValueError("it has no digits")
    if ":" in digits:
        parts = digits.split(":")
        if not all(_DIGITS[10].fullmatch(part) for part in parts):
            raise NotAValueError("a base-60 number (like 1:30) has digits between its colons")
        value = 0
        for part in parts:
            value = value * 60 + int(part)
    else:
        base, body = 10, digits
        if digits.startswith(("0b", "0x")):
            base, body = (2 if digits[1] == "b" else 16), digits[2:]
        elif digits[0] == "0" and digits != "0":
            base, body = 8, digits.removeprefix("0o") if digits.startswith("0o") else digits[1:]
        if not _DIGITS[base].fullmatch(body):
            raise NotAValueError(f"a whole number is written with {_BASE_DIGITS[base]}")
        value = int(body, base)
    if value > MAX_INT:
        raise NotAValueError(
            f"it is too large: whole numbers have at most {len(str(MAX_INT))} digits"
        )
    return sign * value


def float_value(text: str) -> float:
    """The number *text* denotes, as YAML 1.1 (and PyYAML) reads it.

    ``2.5``, ``1e3``, ``.inf``, ``-.inf``, ``.nan`` and ``1:30.5`` (base 60) are numbers.

    Raises:
        NotAValueError: *text* is no number, or is longer than `MAX_NUMBER_CHARS`.
    """
    _too_long(text)
    sign, digits = _sign(text.lower())
    if digits == ".inf":
        return sign * math.inf
    if digits == ".nan":
        return math.nan
    if ":" in digits:
        *whole, last = digits.split(":")
        if not (all(_DIGITS[10].fullmatch(part) for part in whole) and _FLOAT_PART.fullmatch(last)):
            raise NotAValueError("a base-60 number (like 1:30.5) has digits between its colons")
        number, base = 0.0, 1
        for part in reversed([*whole, last]):  # as PyYAML sums them, to the same rounding
            number += float(part) * base
            base *= 60
        return sign * number
    if not _FLOAT.fullmatch(digits):
        raise NotAValueError("a number is written with digits and a decimal point, like 2.5")
    return sign * float(digits)


def bool_value(text: str) -> bool:
    """The true/false value *text* denotes, as YAML 1.1 reads it (``yes``, ``Off`` ...).

    Raises:
        NotAValueError: *text* is not one of them.
    """
    value = yaml.constructor.SafeConstructor.bool_values.get(text.lower())
    if value is None:
        raise NotAValueError("YAML's true/false values are true, false, yes, no, on and off")
    return value


def _null_value(text: str) -> None:
    if text not in _NULLS:
        raise NotAValueError("only an empty value, ~ or null can be marked !!null")


def _timestamp_value(text: str) -> None:
    if not yaml.constructor.SafeConstructor.timestamp_regexp.match(text):
        raise NotAValueError("a date is written YYYY-MM-DD")


_READ_AS: Final[dict[str, Callable[[str], object]]] = {
    INT_TAG: int_value,
    FLOAT_TAG: float_value,
    BOOL_TAG: bool_value,
    NULL_TAG: _null_value,
    TIMESTAMP_TAG: _timestamp_value,
}
# The tags PyYAML's resolver gives plain scalars. Its patterns admit only true/false
# values, nulls and dates that read (numbers are read all the same: '0x_' resolves to an
# int, and length is not bounded); an explicit tag is another string, always checked.
_RESOLVED_VALID: Final = frozenset(
    id(tag)
    for resolvers in _RESOLVERS.values()
    for tag, _ in resolvers
    if tag in (BOOL_TAG, NULL_TAG, TIMESTAMP_TAG)
)


def scalar_problem(tag: str, text: str) -> str | None:
    """Why *text* is not a value of the core scalar *tag*, in plain words.

    None if it is one, or if the tag names no value (text, a tag outside the core schema).
    """
    read = _READ_AS.get(tag)
    if read is None:
        return None
    try:
        read(text)
    except NotAValueError as exc:
        return str(exc)
    return None


def _check_scalar(node: ScalarNode) -> None:
    """Give *node* `INVALID_TAG` if its tag names a value its text is not."""
    tag = node.tag
    if tag is _STR_TAG or id(tag) in _RESOLVED_VALID or tag.startswith(INVALID_TAG):
        return
    if scalar_problem(tag, node.value) is not None:
        node.tag = INVALID_TAG + tag


def implicit_tag(value: str) -> str:
    """The tag YAML gives *value* written plain, with no tag (as both parsers resolve it)."""
    for tag, regexp in _BY_FIRST.get(value[:1], _ANY_FIRST):
        if regexp.match(value):
            return tag  # type: ignore[no-any-return]
    return _STR_TAG


def explicit_tag(node: ScalarNode) -> bool:
    """Whether *node*'s tag was written in the text, rather than read from its value."""
    tag = node.tag.removeprefix(INVALID_TAG)
    if node.style:  # quoted and block scalars are text unless tagged
        return tag != _STR_TAG
    return implicit_tag(node.value) != tag


def invalid_scalar(node: Node) -> tuple[str, str] | None:
    """For a scalar `compose` found to be no value of its tag: that tag and why."""
    if isinstance(node, ScalarNode) and node.tag.startswith(INVALID_TAG):
        tag = node.tag[len(INVALID_TAG) :]
        return tag, scalar_problem(tag, node.value) or "it is not a value of its tag"
    return None


def compose(
    text: str, file: str, limits: Limits, *, pure: bool = False, utf8: bytes | None = None
) -> Document:
    """Compose *text* into a `Document`, with every YAML error reported as a `Problem`.

    Both parsers give the same result for any text: the same nodes at the same lines
    and columns, or the same problems. libyaml composes; when it fails, the
    pure-Python parser (which reads YAML as libyaml does, see `cat_rubric._yaml_pure`) reads
    the text again and reports the problem, so an error costs a pure-Python parse.

    In the document returned, a scalar tagged (explicitly or by YAML's reading) as a
    number, true/false, null or date holds such a value, or is tagged `INVALID_TAG`.

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
    root = _parse(text, utf8, file, limits, pure=pure)
    if root is None:
        raise LoadError(
            (problem(file, 1, 1, "empty-file", "the file is empty; it should hold a YAML mapping"),)
        )
    # Without an anchor and an alias there is no alias: only depth and scalars to check.
    aliases = "&" in text and "*" in text
    over = _measure(root, limits) if aliases else _walk(root, limits.max_depth)
    if over is not None:
        raise _limit_error(over, file, limits)
    return Document(file=file, text=text, root=root)


def _parse(text: str, utf8: bytes, file: str, limits: Limits, *, pure: bool) -> Node | None:
    """The root node of *text* (None for no document), or the `LoadError` for its problem."""
    if _CLoader is not None and not pure:
        loader: Any = _CLoader(utf8)
        try:
            return loader.get_single_node()  # type: ignore[no-any-return]
        except (yaml.YAMLError, ValueError, RecursionError):
            # libyaml's account of the problem (or an undecodable %-escaped tag) is set
            # aside: the pure-Python parser's, below, is the one both parsers report.
            pass
        finally:
            loader.dispose()
    # The pure-Python parser, imported only when it is used: libyaml failed, or was asked
    # not to be used.
    from cat_rubric._yaml_pure import DepthExceededError, PureSafeLoader

    try:
        # libyaml drops a byte-order mark that starts the stream without counting it.
        pure_loader = PureSafeLoader(text.removeprefix("\ufeff"))
    except yaml.YAMLError as exc:  # a character YAML does not allow
        _check_characters(text, file)
        raise _parse_error(exc, file) from None
    pure_loader.max_depth = limits.max_depth
    try:
        return pure_loader.get_single_node()
    except DepthExceededError as exc:
        raise _depth_error(file, exc.line, exc.column, limits) from None
    except yaml.YAMLError as exc:
        _check_characters(text, file)
        raise _parse_error(exc, file, text.removeprefix("\ufeff")) from None
    except RecursionError:  # pragma: no cover - the depth limit stops this first
        raise LimitError((problem(file, 1, 1, "too-deep", "nesting too deep"),)) from None
    finally:
        pure_loader.dispose()


def _check_characters(text: str, file: str) -> None:
    """Raise `LoadError` at the first character YAML does not allow, if there is one.

    Both parsers refuse these characters, so a text that composed has none; on
    failure, one is looked for first, since PyYAML's own message is less helpful.
    """
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


def _parse_error(exc: yaml.YAMLError, file: str, text: str = "") -> LoadError:
    """The located problem for the pure-Python parser's error, its cause in plain words."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(filter(None, [exc.context, exc.problem]))
        from cat_rubric._yaml_hints import hint  # only for a file that does not parse

        at = [(m.line, m.column) if m else None for m in (mark, exc.context_mark)]
        cause = hint(exc.context, exc.problem, at[0], at[1], text)
        message = f"YAML syntax error: {_one_line(what)} — {cause}"
        return LoadError((problem(file, line, column, "yaml-syntax", message),))
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


def _limit_error(over: tuple[str, Node], file: str, limits: Limits) -> LimitError:
    what, node = over
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if what == "too-deep":
        return _depth_error(file, line, column, limits)
    if what == "cycle":
        message = (
            "the node here holds an alias (*name) of itself, so it would expand without end; "
            "remove the alias"
        )
    else:
        amount = (
            f"{limits.max_alias_nodes:,} nodes"
            if what == "nodes"
            else f"{limits.max_alias_chars:,} characters"
        )
        message = (
            f"aliases (*name) of the node here expand the document by more than {amount}; "
            "write the data out or use fewer aliases"
        )
    return LimitError((problem(file, line, column, "alias-expansion", message),))


def _walk(root: Node, max_depth: int) -> tuple[str, Node] | None:
    """Check the scalars of a tree without aliases; find the first collection too deep.

    The first in the order of the text, nested deeper than *max_depth*, as the
    pure-Python composer finds it.
    """
    if type(root) is ScalarNode:
        if root.tag is not _STR_TAG:
            _check_scalar(root)
        return None
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return "too-deep", node
        inner: list[tuple[Node, int]] = []
        children = (
            [child for pair in node.value for child in pair]
            if type(node) is MappingNode
            else node.value
        )
        for child in children:
            if type(child) is ScalarNode:
                if child.tag is not _STR_TAG:
                    _check_scalar(child)
            else:
                inner.append((child, depth + 1))
        stack.extend(reversed(inner))
    return None


def _measure(root: Node, limits: Limits) -> tuple[str, Node] | None:
    """Check scalars, nesting depth and alias expansion in one pass over the distinct nodes.

    Aliases make the node tree a DAG: a "billion laughs" document is a few hundred
    distinct nodes that expand to billions. Each collection's expanded size (nodes and
    characters) is computed once, memoised by identity, so measuring costs one visit per
    distinct node however large the expansion. Every node met again through an alias
    adds its expanded size to the expansion: a scalar its length, a collection its
    nodes and characters.

    Returns:
        ``("too-deep", node)`` for the first collection (in the order of the text) nested
        deeper than the limit, else ``("nodes" | "characters" | "cycle", node)`` for the
        first node whose aliases take the expansion over a limit (or that holds an alias
        of itself), else None.
    """
    sizes: dict[int, tuple[int, int]] = {}  # collections done: expanded (nodes, characters)
    seen: set[int] = set()  # scalars met
    open_: set[int] = set()  # collections being walked
    nodes = characters = 0  # the expansion so far
    over: tuple[str, Node] | None = None
    if type(root) is ScalarNode:
        if root.tag is not _STR_TAG:
            _check_scalar(root)
        return None
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children = (
            [child for pair in node.value for child in pair]
            if type(node) is MappingNode
            else node.value
        )
        if done:
            open_.discard(key)
            size, chars = 1, 0
            for child in children:
                if type(child) is ScalarNode:
                    size, chars = size + 1, chars + len(child.value)
                else:
                    inner = sizes.get(id(child), (0, 0))  # (0, 0): a cycle, reported
                    size, chars = size + inner[0], chars + inner[1]
            sizes[key] = (size, chars)
            continue
        known = sizes.get(key)
        if known is not None:  # met again through an alias
            nodes, characters = nodes + known[0], characters + known[1]
        elif key in open_:  # an alias of an enclosing collection
            over = over or ("cycle", node)
            continue
        elif depth > limits.max_depth:
            return "too-deep", node
        else:
            open_.add(key)
            stack.append((node, depth, True))
            inner_nodes: list[tuple[Node, int, bool]] = []
            for child in children:
                if type(child) is not ScalarNode:
                    inner_nodes.append((child, depth + 1, False))
                elif id(child) not in seen:
                    seen.add(id(child))
                    if child.tag is not _STR_TAG:
                        _check_scalar(child)
                else:  # a scalar met again through an alias
                    nodes, characters = nodes + 1, characters + len(child.value)
                    over = over or _over(nodes, characters, limits, child)
            stack.extend(reversed(inner_nodes))
            continue
        over = over or _over(nodes, characters, limits, node)
    return over


def _over(nodes: int, characters: int, limits: Limits, node: Node) -> tuple[str, Node] | None:
    """Which alias limit an expansion of *nodes* and *characters* goes over, at *node*."""
    if nodes > limits.max_alias_nodes:
        return "nodes", node
    if characters > limits.max_alias_chars:
        return "characters", node
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
