"""Build frozen attrs models straight from a YAML node tree, collecting every problem.

cattrs structures plain Python data, which has already lost its line numbers and
its duplicate keys. This builder walks the composed node tree once, guided by the
attrs classes' own field types, so that each problem points at the exact node and
the happy path costs one pass. It is strict where cattrs is lenient: ``no`` is not
text, ``1`` is not text, a string is not a list, unknown keys are errors.

Supported field types: ``str``, ``int``, ``float``, ``bool``, ``datetime.date``,
``enum.Enum`` subclasses with string values, attrs classes, ``tuple[X, ...]`` and
``X | None``. Field metadata may carry ``checks``: callables returning an
``(code, message)`` pair for a bad value, or ``None``.

Numbers and true/false values are read with `cat_rubric._yaml`'s bounded readers: a
scalar that names no value (``0x_``, ``!!int "abc"``, a 5,000-digit number) is a
``bad-scalar`` problem, never an exception.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Final, NamedTuple

import attrs
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cat_rubric._checks import Check, checks, identifier, non_empty, not_blank, positive
from cat_rubric._yaml import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    TIMESTAMP_TAG,
    Document,
    Limits,
    NotAValueError,
    bool_value,
    explicit_tag,
    float_value,
    int_value,
    invalid_scalar,
)
from cat_rubric.exceptions import KeyPath, Problem

Path = tuple[str | int, ...]

# The core schema's tags, named once in cat_rubric._yaml.
_TAG: Final = "tag:yaml.org,2002:"
STR: Final = _TAG + "str"
INT: Final = INT_TAG
FLOAT: Final = FLOAT_TAG
BOOL: Final = BOOL_TAG
NULL: Final = NULL_TAG
TIMESTAMP: Final = TIMESTAMP_TAG
_SEQ: Final = _TAG + "seq"
_MAP: Final = _TAG + "map"
_CORE_TAGS: Final = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, _SEQ, _MAP})
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
#: What each core scalar tag names, in messages.
_KINDS: Final = {
    STR: "text",
    INT: "a whole number",
    FLOAT: "a number",
    BOOL: "a true/false value",
    NULL: "an empty value",
    TIMESTAMP: "a date",
}


class _Invalid:
    """Marker for a value that could not be built; its problems are already recorded."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()


def render_path(path: Path) -> str:
    """Render ``("a", 2, "b")`` as ``a[2].b`` (the text of `KeyPath`)."""
    return str(KeyPath(path))


def short_tag(tag: str) -> str:
    """``!!int`` for ``tag:yaml.org,2002:int``; other tags as they are."""
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _shown(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def describe(node: Node) -> str:
    """Say in plain words what a node holds, for "expected X, got Y" messages."""
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    value = node.value
    shown = _shown(value)
    if invalid_scalar(node) is not None:
        return f"the value {shown!r}"
    kind = {
        STR: "the text",
        INT: "the whole number",
        FLOAT: "the number",
        BOOL: "the true/false value",
        TIMESTAMP: "the date",
    }.get(node.tag)
    if node.tag == NULL:
        return "nothing (an empty value)"
    if kind is None:
        return f"a value tagged {node.tag}"
    return f"{kind} {shown!r}" if node.tag == STR else f"{kind} {shown}"


class Builder:
    """One document's worth of building: the problems found and the alias budget."""

    #: Most did-you-mean suggestions computed for one document: each costs a difflib
    #: comparison with every candidate, and a file of thousands of misspelt ids would
    #: otherwise take seconds to report. Later problems say what to do without one.
    suggestion_budget: ClassVar[int] = 100

    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.limits = limits
        self.problems: list[Problem] = []
        #: The root mapping's fields that built cleanly, even when the root did not:
        #: document-wide checks run on them so every problem is reported at once.
        self.root_fields: dict[str, Any] = {}
        self._suggestions: dict[tuple[str, int], tuple[Sequence[str], str | None]] = {}
        self._suggestions_left = self.suggestion_budget

    def suggest(self, word: str, candidates: Sequence[str]) -> str | None:
        """The candidate closest to *word* (difflib's close match), or None.

        Suggestions are computed while this document's budget lasts
        (`suggestion_budget`); the same word among the same candidates is answered
        from memory, at no cost. Past the budget the answer is None, so a message
        must say what to do without a suggestion.
        """
        key = (word, id(candidates))
        known = self._suggestions.get(key)
        if known is not None and known[0] is candidates:
            return known[1]
        if self._suggestions_left <= 0:
            return None
        self._suggestions_left -= 1
        from cat_rubric._similar import alike  # only for a document with a misspelling

        # 'NPM' for 'npm', a dash for an underscore: difflib ranks these low or not at all.
        found = alike(word, candidates)
        if found is None:
            import difflib  # kept off start-up too

            close = difflib.get_close_matches(word, candidates, n=1)
            found = close[0] if close else None
        # The candidates are kept with the answer, so that their id is not reused.
        self._suggestions[key] = (candidates, found)
        return found

    # -- reporting -------------------------------------------------------------------

    def report(self, node: Node, path: Path, code: str, message: str) -> None:
        """Record a problem at *node*."""
        mark = node.start_mark
        self.problems.append(
            Problem(
                file=self.doc.file,
                line=mark.line + 1,
                column=mark.column + 1,
                path=path,
                code=code,
                message=message,
            )
        )

    def report_at(self, path: Path, code: str, message: str) -> None:
        """Record a problem at the node found by following *path* from the root."""
        line, column = self.doc.locate(path)
        self.problems.append(
            Problem(
                file=self.doc.file,
                line=line,
                column=column,
                path=path,
                code=code,
                message=message,
            )
        )

    def expected(self, node: Node, path: Path, what: str) -> _Invalid:
        """Record a type mismatch (or an unsupported tag, or a bad scalar); return INVALID."""
        if isinstance(node, ScalarNode) and self.bad_scalar(node, path):
            return INVALID
        misplaced = node.tag in _CORE_TAGS and (
            node.tag != (_MAP if isinstance(node, MappingNode) else _SEQ)
            if isinstance(node, MappingNode | SequenceNode)
            else node.tag in (_MAP, _SEQ)
        )
        if node.tag not in _CORE_TAGS:
            self.report(
                node,
                path,
                "unsupported-tag",
                f"the tag {node.tag} is not supported; cat_rubric reads plain YAML only — "
                "remove the tag",
            )
        elif misplaced:
            kind = "a single value" if isinstance(node, ScalarNode) else describe(node)
            self.report(
                node,
                path,
                "unsupported-tag",
                f"the tag {short_tag(node.tag)} cannot mark {kind}; remove the tag",
            )
        elif node.tag == NULL:
            self.report(node, path, "empty-value", f"is empty; expected {what}")
        else:
            hint = ""
            if isinstance(node, ScalarNode) and node.tag != STR and explicit_tag(node):
                hint = f"; remove the tag {short_tag(node.tag)}"
            elif what == "text" and isinstance(node, ScalarNode):
                hint = f"; if you meant the text, put it in quotes: {node.value!r}"
            elif what.startswith("a list") and isinstance(node, ScalarNode):
                hint = "; write each entry on its own line starting with '- ', or use [a, b]"
            self.report(node, path, "wrong-type", f"expected {what}, got {describe(node)}{hint}")
        return INVALID

    def bad_scalar(self, node: ScalarNode, path: Path, reason: str | None = None) -> bool:
        """Report *node* as ``bad-scalar`` if it names no value of its tag.

        *reason* is given by a reader that failed to read the value; otherwise the
        node is reported if `cat_rubric._yaml.compose` marked it invalid.
        """
        tag = node.tag
        if reason is None:
            found = invalid_scalar(node)
            if found is None:
                return False
            tag, reason = found
        kind = _KINDS.get(tag, "a value")
        shown = repr(_shown(node.value))
        if explicit_tag(node):
            message = (
                f"{shown} is marked {short_tag(tag)} ({kind}), but it is not one: {reason}; "
                f"remove the tag {short_tag(tag)} if it is text, or correct the value"
            )
        else:
            message = (
                f"{shown} reads as {kind}, but it is not a valid one: {reason}; correct it, "
                "or put it in quotes if it is text"
            )
        self.report(node, path, "bad-scalar", message)
        return True

    # -- the walk --------------------------------------------------------------------

    def build(self, node: Node, tp: Any, path: Path) -> Any:
        """Build a value of type *tp* from *node*; INVALID if it has problems."""
        return reader(tp)(self, node, path)


Reader = Callable[[Builder, Node, Path], Any]


def did_you_mean(word: str, close: str) -> str:
    """``did you mean 'npm'?``, saying what differs when only case, a dash or space does."""
    from cat_rubric._similar import difference

    how = difference(word, close)
    return f"did you mean {close!r}?" + (f" ({how})" if how else "")


def _read_str(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == STR and isinstance(node, ScalarNode):
        return node.value
    return b.expected(node, path, "text")


def yaml_int(node: ScalarNode) -> int:
    """The integer a YAML int scalar denotes (``1_000``, ``0x10`` and all).

    Safe on any node tagged ``INT`` in a document from `cat_rubric._yaml.compose`,
    which tags every int scalar that names no integer (or one over 18 digits) as
    invalid instead.

    Raises:
        cat_rubric._yaml.NotAValueError: (a ValueError) for a scalar that names no
            integer, which a composed document does not hold under ``INT``.
    """
    return int_value(node.value)


def _read(b: Builder, node: ScalarNode, path: Path, read: Callable[[str], Any]) -> Any:
    try:
        return read(node.value)
    except NotAValueError as exc:  # not in a composed document: see yaml_int
        b.bad_scalar(node, path, str(exc))
        return INVALID


def _read_int(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == INT and isinstance(node, ScalarNode):
        return _read(b, node, path, int_value)
    return b.expected(node, path, "a whole number")


#: ``11-15`` or ``11–15`` (any dash), spaces allowed: paragraphs 11 to 15.
_RANGE: Final = re.compile(r"\s*([0-9]{1,9})\s*[-\u2010-\u2015\u2212]\s*([0-9]{1,9})\s*\Z")
#: Most paragraphs one range may name: no concluding observations have more.
MAX_RANGE: Final = 1000


class RangeError(ValueError):
    """A text that is no range of paragraphs: its problem code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def paragraph_range(text: str) -> tuple[int, ...]:
    """The paragraphs a range such as ``11-15`` (or ``11–15``) names, in order.

    Raises:
        RangeError: *text* is no such range, or names more than `MAX_RANGE` paragraphs.
    """
    match = _RANGE.match(text)
    if match is None:
        raise RangeError(
            "wrong-type",
            f"expected a paragraph number or a range of them such as 11-15, got the text "
            f"{_shown(text)!r}",
        )
    low, high = int(match[1]), int(match[2])
    if low < 1 or high < low:
        fix = f"write {high}-{low}" if high < low and high >= 1 else "paragraphs start at 1"
        raise RangeError(
            "bad-range",
            f"{_shown(text)!r} is not a range of paragraphs, which runs from a paragraph "
            f"number up to a higher one: {fix}",
        )
    if high - low >= MAX_RANGE:
        raise RangeError(
            "bad-range",
            f"{_shown(text)!r} names {high - low + 1:,} paragraphs, more than a range may "
            f"({MAX_RANGE:,}); check the numbers",
        )
    return tuple(range(low, high + 1))


def _read_paragraphs(b: Builder, node: Node, path: Path) -> Any:
    """A list of paragraph numbers, in which a text such as ``11-15`` names a range."""
    if not isinstance(node, SequenceNode) or node.tag != _SEQ:
        return b.expected(node, path, "a list of paragraph numbers")
    out: list[int] = []
    indices: list[int] = []
    ok = True
    for index, child in enumerate(node.value):
        numbers: tuple[int, ...]
        if isinstance(child, ScalarNode) and child.tag == STR:
            try:
                numbers = paragraph_range(child.value)
            except RangeError as exc:
                b.report(child, (*path, index), exc.code, exc.message)
                ok = False
                continue
        else:
            value = _read_int(b, child, (*path, index))
            if value is INVALID:
                ok = False
                continue
            numbers = (value,)
        out.extend(numbers)
        indices.extend(index for _ in numbers)
    if ok:
        return tuple(out)
    # As for any list: the valid entries, for the document-wide checks.
    return PartialTuple(out, indices) if out else INVALID


def _read_float(b: Builder, node: Node, path: Path) -> Any:
    if isinstance(node, ScalarNode):
        if node.tag == FLOAT:
            return _read(b, node, path, float_value)
        if node.tag == INT:
            value = _read(b, node, path, int_value)
            return value if value is INVALID else float(value)
    return b.expected(node, path, "a number")


def _read_bool(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == BOOL and isinstance(node, ScalarNode):
        return _read(b, node, path, bool_value)
    return b.expected(node, path, "true or false")


def _read_date(b: Builder, node: Node, path: Path) -> Any:
    if isinstance(node, ScalarNode) and node.tag in (TIMESTAMP, STR):
        text = node.value.strip()
        if _ISO_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                b.report(
                    node,
                    path,
                    "invalid-date",
                    f"{text} is not a real calendar date; check the day and month",
                )
                return INVALID
        if node.tag == TIMESTAMP:
            b.report(
                node,
                path,
                "invalid-date",
                f"expected a date without a time (YYYY-MM-DD), got {text}",
            )
            return INVALID
    return b.expected(node, path, "a date (YYYY-MM-DD)")


def _enum_reader(cls: type[enum.Enum]) -> Reader:
    members = {m.value: m for m in cls}
    names = tuple(members)
    allowed = ", ".join(members)

    def read(b: Builder, node: Node, path: Path) -> Any:
        if node.tag == STR and isinstance(node, ScalarNode):
            member = members.get(node.value)
            if member is not None:
                return member
            close = b.suggest(node.value, names)
            hint = f" — {did_you_mean(node.value, close)}" if close else ""
            b.report(
                node,
                path,
                "unknown-value",
                f"{node.value!r} is not one of: {allowed}{hint}",
            )
            return INVALID
        return b.expected(node, path, f"one of: {allowed}")

    return read


def _optional_reader(inner: Reader) -> Reader:
    def read(b: Builder, node: Node, path: Path) -> Any:
        if node.tag == NULL and isinstance(node, ScalarNode):
            return None
        return inner(b, node, path)

    return read


def _tuple_reader(inner: Reader) -> Reader:
    def read(b: Builder, node: Node, path: Path) -> Any:
        if not isinstance(node, SequenceNode) or node.tag != _SEQ:
            return b.expected(node, path, "a list")
        out = []
        indices = []
        for index, child in enumerate(node.value):
            value = inner(b, child, (*path, index))
            if value is not INVALID:
                out.append(value)
                indices.append(index)
        if len(out) == len(node.value):
            return tuple(out)
        if not out:
            return INVALID
        # Invalid entries are already reported; keeping the valid ones, with their
        # positions in the file, lets document-wide checks still run on them.
        return PartialTuple(out, indices)

    return read


class PartialTuple(tuple[Any, ...]):
    """The valid entries of a list some of whose entries had problems."""

    indices: list[int]

    def __new__(cls, items: list[Any], indices: list[int]) -> PartialTuple:
        self = super().__new__(cls, items)
        self.indices = indices
        return self


def positions(items: tuple[Any, ...]) -> list[tuple[int, Any]]:
    """``(index in the file, item)`` pairs, also for a `PartialTuple`."""
    if isinstance(items, PartialTuple):
        return list(zip(items.indices, items, strict=True))
    return list(enumerate(items))


class _FieldPlan(NamedTuple):
    name: str
    read: Reader
    required: bool
    checks: tuple[Check, ...]


def _attrs_reader(cls: type) -> Reader:
    hints = typing.get_type_hints(cls)
    plans: dict[str, _FieldPlan] = {}
    for field in attrs.fields(cls):
        if field.metadata.get("yaml", True) is False:
            continue
        plans[field.name] = _FieldPlan(
            name=field.name,
            read=(
                _read_paragraphs
                if field.metadata.get("paragraph_ranges")
                else reader(hints[field.name])
            ),
            required=field.default is attrs.NOTHING,
            checks=tuple(field.metadata.get("checks", ())),
        )
    required = tuple(name for name, plan in plans.items() if plan.required)
    names = tuple(plans)

    def read(b: Builder, node: Node, path: Path) -> Any:
        if not isinstance(node, MappingNode) or node.tag != _MAP:
            return b.expected(node, path, "a mapping (key: value lines)")
        kwargs: dict[str, Any] = {}
        seen: dict[str, Node] = {}
        ok = True
        for key_node, value_node in node.value:
            if not (isinstance(key_node, ScalarNode) and key_node.tag == STR):
                if key_node.tag == _TAG + "merge":
                    b.report(
                        key_node,
                        path,
                        "merge-key",
                        "merge keys (<<) are not supported; write the keys out",
                    )
                elif isinstance(key_node, ScalarNode) and b.bad_scalar(key_node, path):
                    pass
                else:
                    b.report(
                        key_node,
                        path,
                        "bad-key",
                        f"keys must be plain words, got {describe(key_node)}",
                    )
                ok = False
                continue
            key = key_node.value
            if key in seen:
                first = seen[key].start_mark.line + 1
                b.report(
                    key_node,
                    (*path, key),
                    "duplicate-key",
                    f"duplicate key {key!r} (first at line {first}); YAML would keep "
                    "only the last one — merge the two or remove one",
                )
                ok = False
                continue
            seen[key] = key_node
            plan = plans.get(key)
            if plan is None:
                close = b.suggest(key, names)
                hint = did_you_mean(key, close) if close else f"allowed: {', '.join(names)}"
                b.report(key_node, (*path, key), "unknown-key", f"unknown key {key!r}; {hint}")
                ok = False
                continue
            value = plan.read(b, value_node, (*path, key))
            if value is INVALID:
                ok = False
                continue
            for check in plan.checks:
                found = check(value)
                if found is not None:
                    b.report(value_node, (*path, key), *found)
                    ok = False
            kwargs[key] = value
        for name in required:
            if name not in seen:
                b.report(
                    node,
                    (*path, name),
                    "missing-key",
                    f"missing required key {name!r}; add it to this mapping",
                )
                ok = False
        if not path:
            b.root_fields = kwargs
        if not ok:
            return INVALID
        return cls(**kwargs)

    return read


@functools.cache
def reader(tp: Any) -> Reader:
    """The (cached) reader function for type *tp*."""
    if tp is str:
        return _read_str
    if tp is bool:
        return _read_bool
    if tp is int:
        return _read_int
    if tp is float:
        return _read_float
    if tp is dt.date:
        return _read_date
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum_reader(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return _attrs_reader(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return _tuple_reader(reader(args[0]))
    if origin in (types.UnionType, typing.Union) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return _optional_reader(reader(rest[0]))
    raise TypeError(f"cat_rubric's schema builder does not support {tp!r}")  # pragma: no cover


__all__ = [
    "INVALID",
    "Builder",
    "PartialTuple",
    "checks",
    "identifier",
    "non_empty",
    "not_blank",
    "positions",
    "positive",
    "reader",
    "render_path",
    "yaml_int",
]
