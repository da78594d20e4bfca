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
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import types
import typing
from collections.abc import Callable
from typing import Any, Final

import attrs
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cat_rubric._checks import Check, checks, identifier, non_empty, not_blank, positive
from cat_rubric._yaml import Document, Limits
from cat_rubric.exceptions import Problem

Path = tuple[str | int, ...]

_TAG: Final = "tag:yaml.org,2002:"
STR: Final = _TAG + "str"
INT: Final = _TAG + "int"
FLOAT: Final = _TAG + "float"
BOOL: Final = _TAG + "bool"
NULL: Final = _TAG + "null"
TIMESTAMP: Final = _TAG + "timestamp"
_SEQ: Final = _TAG + "seq"
_MAP: Final = _TAG + "map"
_CORE_TAGS: Final = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, _SEQ, _MAP})
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


class _Invalid:
    """Marker for a value that could not be built; its problems are already recorded."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Final = _Invalid()

_constructor = SafeConstructor()


def render_path(path: Path) -> str:
    """Render ``("a", 2, "b")`` as ``a[2].b``."""
    out: list[str] = []
    for step in path:
        if isinstance(step, int):
            out.append(f"[{step}]")
        else:
            out.append(f".{step}" if out else step)
    return "".join(out)


def describe(node: Node) -> str:
    """Say in plain words what a node holds, for "expected X, got Y" messages."""
    if isinstance(node, MappingNode):
        return "a mapping (key: value lines)"
    if isinstance(node, SequenceNode):
        return "a list"
    value = node.value
    shown = value if len(value) <= 40 else value[:37] + "..."
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

    def __init__(self, doc: Document, limits: Limits) -> None:
        self.doc = doc
        self.limits = limits
        self.problems: list[Problem] = []
        #: The root mapping's fields that built cleanly, even when the root did not:
        #: document-wide checks run on them so every problem is reported at once.
        self.root_fields: dict[str, Any] = {}

    # -- reporting -------------------------------------------------------------------

    def report(self, node: Node, path: Path, code: str, message: str) -> None:
        """Record a problem at *node*."""
        mark = node.start_mark
        self.problems.append(
            Problem(
                file=self.doc.file,
                line=mark.line + 1,
                column=mark.column + 1,
                path=render_path(path),
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
                path=render_path(path),
                code=code,
                message=message,
            )
        )

    def expected(self, node: Node, path: Path, what: str) -> _Invalid:
        """Record a type mismatch (or an unsupported tag) and return INVALID."""
        if node.tag not in _CORE_TAGS:
            self.report(
                node,
                path,
                "unsupported-tag",
                f"the tag {node.tag} is not supported; cat_rubric reads plain YAML only — "
                "remove the tag",
            )
        elif node.tag == NULL:
            self.report(node, path, "empty-value", f"is empty; expected {what}")
        else:
            hint = ""
            if what == "text" and isinstance(node, ScalarNode):
                hint = f"; if you meant the text, put it in quotes: {node.value!r}"
            elif what.startswith("a list") and isinstance(node, ScalarNode):
                hint = "; write each entry on its own line starting with '- ', or use [a, b]"
            self.report(node, path, "wrong-type", f"expected {what}, got {describe(node)}{hint}")
        return INVALID

    # -- the walk --------------------------------------------------------------------

    def build(self, node: Node, tp: Any, path: Path) -> Any:
        """Build a value of type *tp* from *node*; INVALID if it has problems."""
        return reader(tp)(self, node, path)


Reader = Callable[[Builder, Node, Path], Any]


def _read_str(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == STR and isinstance(node, ScalarNode):
        return node.value
    return b.expected(node, path, "text")


def yaml_int(node: ScalarNode) -> int:
    """The integer a YAML int scalar denotes (``1_000``, ``0x10`` and all)."""
    return int(_constructor.construct_yaml_int(node))


def _read_int(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == INT and isinstance(node, ScalarNode):
        return _constructor.construct_yaml_int(node)
    return b.expected(node, path, "a whole number")


def _read_float(b: Builder, node: Node, path: Path) -> Any:
    if isinstance(node, ScalarNode):
        if node.tag == FLOAT:
            return _constructor.construct_yaml_float(node)
        if node.tag == INT:
            return float(_constructor.construct_yaml_int(node))
    return b.expected(node, path, "a number")


def _read_bool(b: Builder, node: Node, path: Path) -> Any:
    if node.tag == BOOL and isinstance(node, ScalarNode):
        return _constructor.construct_yaml_bool(node)
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
    allowed = ", ".join(members)

    def read(b: Builder, node: Node, path: Path) -> Any:
        if node.tag == STR and isinstance(node, ScalarNode):
            member = members.get(node.value)
            if member is not None:
                return member
            close = difflib.get_close_matches(node.value, members, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
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
        if node.tag == NULL:
            return None
        return inner(b, node, path)

    return read


def _tuple_reader(inner: Reader) -> Reader:
    def read(b: Builder, node: Node, path: Path) -> Any:
        if not isinstance(node, SequenceNode):
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


@attrs.frozen
class _FieldPlan:
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
            read=reader(hints[field.name]),
            required=field.default is attrs.NOTHING,
            checks=tuple(field.metadata.get("checks", ())),
        )
    required = tuple(name for name, plan in plans.items() if plan.required)
    names = list(plans)

    def read(b: Builder, node: Node, path: Path) -> Any:
        if not isinstance(node, MappingNode):
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
                close = difflib.get_close_matches(key, names, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(names)}"
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
