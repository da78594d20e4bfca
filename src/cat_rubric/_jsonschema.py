"""JSON Schema (draft 2020-12) for rubric, evidence and scale files, generated from the models.

The schema is derived from the same attrs classes, field types and field ``checks``
that the loader's builder (`cat_rubric._schema`) walks, so an editor that validates
against it flags, as the author types, most of what ``cat-rubric validate`` would
report: unknown keys, wrong types, missing keys, blank text, malformed ids, a weight
that is not positive. Titles and descriptions come from the classes' docstrings (their
``Attributes:`` sections, and the enum members' docstrings), so editors show help on
every key and value.

A few rules the loader checks across fields are stated here too, each mirroring one
check in `cat_rubric._load` (named by its problem code in a ``$comment``); rules the
schema cannot state (unique ids, references between files, date order) are listed in
docs/format.md. The files shipped in ``cat_rubric/schemas/`` are this module's output,
and a test fails if they differ from it.

Patterns are ECMA-262 regular expressions, as JSON Schema specifies, written so that
Python's `re` reads them the same way. Only keywords that draft-07 also has are used
(besides ``$defs``, reached by plain JSON-pointer references), so editors whose
validator stops at draft-07 check the files alike.
"""

from __future__ import annotations

import ast
import datetime as dt
import enum
import functools
import inspect
import json
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

import attrs

from cat_rubric._checks import Check, identifier, non_empty, not_blank, positive, scale_id
from cat_rubric._evidence import EvidenceFile, Item, Override, Reply
from cat_rubric._model import (
    DRAFT_MARK,
    FollowUp,
    Part,
    Recommendation,
    Rubric,
    not_draft,
    theme_ids,
)
from cat_rubric._scales import CCPR_2016_LETTERS, Grade, Outcome, Rules, Scale
from cat_rubric._yaml import MAX_INT

#: The document kinds, each with the attrs class of its root.
KINDS: Final[Mapping[str, type]] = {"rubric": Rubric, "evidence": EvidenceFile, "scale": Scale}

#: The comment that tells YAML editors (yaml-language-server) which schema a file uses.
MODELINE: Final = "# yaml-language-server: $schema="

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]

_NULL: Final[Schema] = {"type": "null"}
#: Any value but null (``not`` would do, but editors cannot give its error a message).
_NOT_NULL: Final[Schema] = {"type": ["string", "number", "boolean", "object", "array"]}


def _given(present: tuple[str, ...] = (), absent: tuple[str, ...] = (), *, message: str) -> Schema:
    """Each of *present* is given and not empty (null); each of *absent* is left out or empty.

    *message*, the loader's, is the ``errorMessage`` editors show when the rule fails.
    """
    shape: Schema = {"errorMessage": message}
    if present:
        shape["required"] = list(present)
    shape["properties"] = {
        **{name: {**_NOT_NULL, "errorMessage": message} for name in present},
        **{name: {**_NULL, "errorMessage": message} for name in absent},
    }
    return shape


@functools.cache
def _whitespace() -> str:
    r"""A character class of every character `str.strip` removes, for `not_blank`'s pattern.

    Written out code point by code point: ``\s`` differs between ECMA-262 (which counts
    U+FEFF but not U+001C–U+001F) and Python, and the loader's rule is Python's.
    """
    points = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    ranges: list[list[int]] = []
    for point in points:
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)


def _message(check: Check, bad: str) -> str:
    """The loader's own message for the *bad* value, without the value it quotes.

    Given as ``patternErrorMessage``, which editors (yaml-language-server, VS Code) show
    instead of the bare pattern; validators ignore it.
    """
    found = check(bad)
    assert found is not None, (check, bad)
    return found[1].removeprefix(f"{bad!r} ")


_ID: Final = "[A-Za-z0-9][A-Za-z0-9._-]*$"


def _literal(text: str) -> str:
    """*text* in a pattern, where it must mean itself in ECMA-262 and Python alike."""
    if not re.fullmatch(r"[A-Za-z0-9 :_-]*", text):  # pragma: no cover - a fixed mark
        raise ValueError(f"{text!r} would need escaping in a pattern")
    return text


def _identifier() -> Schema:
    return {
        "pattern": f"^{_ID}",
        "patternErrorMessage": _message(identifier, " "),
        "maxLength": 100,
    }


#: What each field check (`cat_rubric._checks`) says in JSON Schema, and what a
#: description adds for the author. A check not listed here stops the generator: a new
#: check must be stated here, or the schema would let through what the loader rejects.
#: What a check forbids is written as a pattern with a lookahead, not with ``not``, so
#: that editors can show the loader's message for it.
_CHECKS: Final[dict[Check, Callable[[], tuple[Schema, str | None]]]] = {
    identifier: lambda: (
        _identifier(),
        "An id: letters, digits, '.', '_' or '-', starting with a letter or digit, at most "
        "100 characters.",
    ),
    scale_id: lambda: (
        {
            "pattern": f"^(?!.*\\.ya?ml$){_ID}",
            "patternErrorMessage": _message(scale_id, " "),
            "maxLength": 100,
        },
        "An id: letters, digits, '.', '_' or '-', starting with a letter or digit, at most "
        "100 characters, and not a file name ending in .yaml or .yml.",
    ),
    not_blank: lambda: (
        {
            "minLength": 1,
            "pattern": f"[^{_whitespace()}]",
            "patternErrorMessage": _message(not_blank, " "),
        },
        None,
    ),
    positive: lambda: (
        {"exclusiveMinimum": 0, "maximum": sys.float_info.max},
        None,
    ),
    non_empty: lambda: ({"minItems": 1}, None),
    theme_ids: lambda: (
        {"items": _identifier()},
        "Each an id: letters, digits, '.', '_' or '-', starting with a letter or digit.",
    ),
    not_draft: lambda: (
        {
            "pattern": f"^(?!{_literal(DRAFT_MARK)})",
            "patternErrorMessage": _message(not_draft, DRAFT_MARK),
        },
        f"A text beginning {DRAFT_MARK!r} is a placeholder left by cat-rubric draft: replace it.",
    ),
}

#: The field metadata the loader's builder reads: ``checks`` (above), ``yaml`` (False: not
#: a key of the file) and ``paragraph_ranges`` (`_paragraphs`). Other metadata stops the
#: generator, since it may change what the loader accepts.
_METADATA: Final = frozenset({"checks", "yaml", "paragraph_ranges"})


def _paragraphs() -> Schema:
    """A list of paragraph numbers, each a whole number or a range such as ``11-15``.

    As `cat_rubric._schema.paragraph_range` reads a range: two numbers of at most nine
    digits, joined by a hyphen or any dash, spaces allowed around each. That a range runs
    upwards from 1, over at most 1,000 paragraphs, only the loader checks.
    """
    space = f"[{_whitespace()}]*"
    dash = r"[-\u2010-\u2015\u2212]"
    number = "[0-9]{1,9}"
    return {
        "type": "array",
        "items": {
            "anyOf": [
                # Every recommendation's paragraph starts at 1 (the loader: a number below
                # names no recommendation, unknown-reference).
                {"type": "integer", "minimum": 1, "maximum": MAX_INT},
                {
                    "type": "string",
                    "pattern": f"^{space}{number}{space}{dash}{space}{number}{space}$",
                    "patternErrorMessage": "expected a paragraph number or a range of them "
                    "such as 11-15",
                    "description": "A range of paragraphs, e.g. `11-15` (or `11–15`).",
                },
            ]
        },
    }


#: Rules on single fields that the loader checks after building (`cat_rubric._load`),
#: with the problem code each mirrors.
_FIELD_RULES: Final[dict[tuple[type, str], Schema]] = {
    (Recommendation, "paragraph"): {
        "minimum": 1,
        "errorMessage": "a paragraph number starts at 1",
        "$comment": "loader: not-positive",
    },
    (FollowUp, "paragraph"): {
        "minimum": 1,
        "errorMessage": "a paragraph number starts at 1",
        "$comment": "loader: not-positive",
    },
    (Rubric, "session"): {
        "minimum": 1,
        "errorMessage": "a session number starts at 1",
        "$comment": "loader: not-positive",
    },
    (FollowUp, "within_months"): {
        "minimum": 1,
        "errorMessage": "must be at least 1 month",
        "$comment": "loader: not-positive",
    },
    (Part, "criteria"): {
        "contains": {"required": ["essential"], "properties": {"essential": {"const": True}}},
        "errorMessage": "no criterion of this part is essential, so nothing would decide an A; "
        "mark at least one criterion 'essential: true'",
        "$comment": "loader: no-essential-criterion",
    },
    (Item, "criteria"): {
        "uniqueItems": True,
        "errorMessage": "a criterion is listed twice in this item; list it once",
        "$comment": "loader: duplicate-id",
    },
    (Grade, "ccpr_2016"): {"enum": list(CCPR_2016_LETTERS), "$comment": "loader: unknown-value"},
}

_OVERRIDE_TARGET: Final = (
    "an override sets exactly one of 'criterion' (with 'finding') or 'part' (with 'grade')"
)
_NO_NEW_INFORMATION: Final = (
    "'no_new_information' describes the State party's reply (it addressed the point but "
    "brought nothing new); an independent source that says nothing on it is "
    "'no_information', one that finds nothing done is 'not_implemented'"
)

#: Rules across the fields of one mapping that the loader checks (`cat_rubric._load`),
#: each with the loader's problem code and message.
_RULES: Final[dict[type, list[Schema]]] = {
    FollowUp: [
        {
            "$comment": "loader: missing-key",
            "anyOf": [
                _given(
                    (name,),
                    message="the follow-up needs 'due' (a date) or 'within_months' "
                    "to know when it is due",
                )
                for name in ("due", "within_months")
            ],
        }
    ],
    Item: [
        {
            "$comment": "loader: missing-key",
            "anyOf": [
                _given(
                    (name,),
                    message="an item needs a 'quote' (verbatim) or a 'summary' "
                    "(your words), or both",
                )
                for name in ("quote", "summary")
            ],
        },
        {
            "$comment": "loader: finding-not-for-source",
            "if": {
                "required": ["finding"],
                "properties": {"finding": {"const": "no_new_information"}},
            },
            "then": {
                "properties": {
                    "source": {
                        "properties": {
                            "kind": {"const": "state_party", "errorMessage": _NO_NEW_INFORMATION}
                        }
                    }
                }
            },
        },
    ],
    Reply: [
        {
            "$comment": "loader: missing-key and inconsistent (a date if and only if received)",
            "if": {"required": ["received"], "properties": {"received": {"const": True}}},
            "then": _given(
                ("date",), message="the reply was received: give its 'date' (YYYY-MM-DD)"
            ),
            "else": _given(
                absent=("date",),
                message="the reply is marked not received but has "
                "a date; set 'received: true' or remove the date",
            ),
        }
    ],
    Override: [
        {
            "$comment": "loader: override-target",
            "oneOf": [
                _given(("criterion", "finding"), ("part", "grade"), message=_OVERRIDE_TARGET),
                _given(("part", "grade"), ("criterion", "finding"), message=_OVERRIDE_TARGET),
            ],
        }
    ],
}

#: Classes whose fields are the values of an enum (`Rules`: a letter per `Outcome`),
#: each described by its member's docstring under a heading.
_FIELDS_NAMED_BY: Final[dict[type, tuple[type[enum.Enum], str]]] = {
    Rules: (Outcome, "The letter for this outcome: {}"),
}

#: The class of ``attrs.Factory(...)`` defaults (typed as a function, so not usable as one).
_FACTORY: Final[type] = type(attrs.Factory(tuple))

_DATE: Final[Schema] = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "patternErrorMessage": "expected a date (YYYY-MM-DD)",
}


def schema(kind: str) -> Schema:
    """The JSON Schema for one kind of file, as a JSON-ready dict.

    Args:
        kind: ``rubric``, ``evidence`` or ``scale`` (see `KINDS`).

    Raises:
        ValueError: *kind* is none of those.
    """
    try:
        cls = KINDS[kind]
    except KeyError:
        raise ValueError(f"no schema for {kind!r}; the kinds are: {', '.join(KINDS)}") from None
    generator = _Generator()
    root = generator.object_schema(cls)
    root.pop("title")
    return {
        "$schema": DRAFT,
        "$comment": (
            "Generated from cat_rubric's models by cat_rubric._jsonschema; do not edit. "
            "Rules it cannot state (unique ids, references, dates in order) are checked by "
            "'cat-rubric validate' and listed in docs/format.md."
        ),
        "title": f"cat_rubric {kind} file",
        **root,
        "$defs": generator.defs,
    }


def render(kind: str) -> str:
    """`schema` as the JSON text shipped in ``cat_rubric/schemas/KIND.schema.json``."""
    return json.dumps(schema(kind), indent=2, ensure_ascii=False) + "\n"


def schema_path(kind: str) -> Path:
    """The schema file of *kind* that ships in the package (it may not exist for a bad kind)."""
    return Path(__file__).parent / "schemas" / f"{kind}.schema.json"


def schema_uri(kind: str) -> str:
    """The ``file:`` URI of the installed schema of *kind*, for a YAML editor's modeline.

    Percent-encoded, so any install path gives one line of plain ASCII.
    """
    return schema_path(kind).absolute().as_uri()


class _Generator:
    """One schema's worth of generating: the ``$defs`` met so far."""

    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}
        self._classes: dict[str, type] = {}

    def type_schema(self, tp: Any) -> Schema:
        """The schema of a value of type *tp*, as `cat_rubric._schema.reader` reads it."""
        if tp is str:
            return {"type": "string"}
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:  # the loader's bounded reader: at most 18 digits
            return {"type": "integer", "minimum": -MAX_INT, "maximum": MAX_INT}
        if tp is float:  # a whole number is read as a number too
            return {"type": "number"}
        if tp is dt.date:  # check-jsonschema and editors see YAML dates as strings
            return dict(_DATE)
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._define(tp, _enum_schema)
        if isinstance(tp, type) and attrs.has(tp):
            return self._define(tp, self.object_schema)
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin in (types.UnionType, typing.Union) and type(None) in args:
            rest = [a for a in args if a is not type(None)]
            if len(rest) == 1:
                return _nullable(self.type_schema(rest[0]))
        raise TypeError(f"no JSON Schema for the field type {tp!r}")

    def _define(self, cls: type, build: Callable[[Any], Schema]) -> Schema:
        name = cls.__name__
        known = self._classes.get(name)
        if known is None:
            self._classes[name] = cls
            self.defs[name] = {}  # reserved first, so $defs read in the order met
            self.defs[name] = build(cls)
        elif known is not cls:  # pragma: no cover - two model classes of one name
            raise TypeError(f"two classes named {name}: {known!r} and {cls!r}")
        return {"$ref": f"#/$defs/{name}"}

    def object_schema(self, cls: type) -> Schema:
        """The schema of a mapping built into the attrs class *cls*."""
        hints = typing.get_type_hints(cls)
        summary, docs = _class_docs(cls)
        if cls in _FIELDS_NAMED_BY:
            members, heading = _FIELDS_NAMED_BY[cls]
            docs = {value: heading.format(doc) for value, doc in _member_docs(members).items()}
        properties: dict[str, Schema] = {}
        required: list[str] = []
        for field in attrs.fields(cls):
            if field.metadata.get("yaml", True) is False:
                continue
            unknown = field.metadata.keys() - _METADATA
            if unknown:
                raise TypeError(
                    f"{cls.__name__}.{field.name} has metadata {sorted(unknown)} that may change "
                    "how the loader reads it: state it in cat_rubric._jsonschema"
                )
            if field.metadata.get("paragraph_ranges"):
                value = _paragraphs()
            else:
                value = self.type_schema(hints[field.name])
            notes = []
            for check in field.metadata.get("checks", ()):
                fragment, note = _check_schema(check)
                value = _merge(value, fragment)
                if note is not None:
                    notes.append(note)
            rule = _FIELD_RULES.get((cls, field.name))
            if rule is not None:
                value = _merge(value, rule)
            if field.default is attrs.NOTHING:
                required.append(field.name)
            elif field.default is not None and not isinstance(field.default, _FACTORY):
                value["default"] = _json_value(field.default)
            description = " ".join(filter(None, [docs.get(field.name), *notes]))
            properties[field.name] = {"description": description, **value} if description else value
        out: Schema = {
            "title": cls.__name__,
            "description": summary,
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        rules = _RULES.get(cls)
        if rules:
            out["allOf"] = rules
        return out


def _check_schema(check: Check) -> tuple[Schema, str | None]:
    build = _CHECKS.get(check)
    if build is None:
        raise TypeError(
            f"the field check {check.__module__}.{check.__qualname__} has no JSON Schema: "
            "state it in cat_rubric._jsonschema._CHECKS"
        )
    return build()


def _nullable(value: Schema) -> Schema:
    """*value*, or null (an empty value, which the loader reads as None)."""
    if "$ref" in value or "type" not in value:
        return {"anyOf": [value, _NULL]}
    out = {**value, "type": [value["type"], "null"]}
    if "enum" in out:  # pragma: no cover - enums are $defs; kept correct for inline ones
        out["enum"] = [*out["enum"], None]
    return out


def _merge(value: Schema, extra: Schema) -> Schema:
    """*value* with *extra*'s keywords; both apply (side by side when they do not clash)."""
    # An errorMessage stays with the keywords it words (editors give it for every error
    # found at its level), so a rule that has one is kept apart.
    clash = value.keys() & extra.keys() - {"$comment"}
    if "$ref" in value or "anyOf" in value or clash or "errorMessage" in extra:
        return {"allOf": [value, extra]}
    return {**value, **extra}


def _json_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _enum_schema(cls: type[enum.Enum]) -> Schema:
    summary, _ = _class_docs(cls)
    docs = _member_docs(cls)
    values = [member.value for member in cls]
    lines = [f"- {v}: {docs[v]}" if v in docs else f"- {v}" for v in values]
    description = "\n".join([summary, "", *lines]) if summary else "\n".join(lines)
    return {
        "title": cls.__name__,
        "description": description,
        "type": "string",
        "enum": values,
    }


_RST_LITERAL: Final = re.compile(r"``(.+?)``")


def _prose(lines: list[str]) -> str:
    """Docstring lines as one paragraph of text (RST literals as `x`)."""
    text = " ".join(line.strip() for line in lines if line.strip())
    return _RST_LITERAL.sub(r"`\1`", text)


def _class_docs(cls: type) -> tuple[str, dict[str, str]]:
    """A class docstring's text before its sections, and its ``Attributes:`` entries."""
    doc = inspect.cleandoc(cls.__dict__.get("__doc__") or "")
    summary: list[list[str]] = [[]]
    attributes: dict[str, list[str]] = {}
    section: str | None = None
    current: list[str] | None = None
    for line in doc.splitlines():
        header = re.fullmatch(r"([A-Z][A-Za-z ]*):", line)
        if header:
            section = header[1]
            continue
        if section is None:
            if line.strip():
                summary[-1].append(line)
            elif summary[-1]:
                summary.append([])
        elif section == "Attributes":
            entry = re.fullmatch(r" {4}(\w+): (.*)", line)
            if entry:
                current = attributes.setdefault(entry[1], [entry[2]])
            elif current is not None and line.startswith(" " * 8):
                current.append(line)
    text = "\n\n".join(_prose(paragraph) for paragraph in summary if paragraph)
    return text, {name: _prose(lines) for name, lines in attributes.items()}


def _member_docs(cls: type[enum.Enum]) -> dict[str, str]:
    """The docstrings written under an enum's members, by value (from its source)."""
    tree = _module_tree(cls.__module__)
    if tree is None:  # pragma: no cover - a package installed without its sources
        return {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            docs = {}
            for first, second in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(first, ast.Assign)
                    and len(first.targets) == 1
                    and isinstance(first.targets[0], ast.Name)
                    and isinstance(second, ast.Expr)
                    and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)
                ):
                    member = cls[first.targets[0].id]
                    lines = inspect.cleandoc(second.value.value).splitlines()
                    docs[str(member.value)] = _prose(lines)
            return docs
    return {}  # pragma: no cover - every enum is defined at a module's top level


@functools.cache
def _module_tree(module: str) -> ast.Module | None:
    try:
        source = inspect.getsource(sys.modules[module])
    except (OSError, TypeError):  # pragma: no cover - no source file
        return None
    return ast.parse(source)


__all__ = ["DRAFT", "KINDS", "MODELINE", "render", "schema", "schema_path", "schema_uri"]
