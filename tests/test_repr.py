"""Every record's repr is the one attrs would write (cat_rubric._repr writes them all)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import cat_rubric
from cat_rubric import exceptions
from cat_rubric._repr import fields_repr
from cat_rubric._resolve import Kind, resolve
from cat_rubric.limits import Limits
from tests.conftest import NGO, STATE


def attrs_repr(obj: Any) -> str:
    """*obj*'s repr as attrs writes it: a twin class with attrs' own ``__repr__``."""
    cls = type(obj)
    fields = attrs.fields(cls)
    twin = attrs.make_class(
        cls.__name__,
        {f.name: attrs.field(repr=f.repr, default=None) for f in fields},
        frozen=True,
        kw_only=True,
    )
    return repr(twin(**{f.name: getattr(obj, f.name) for f in fields}))


def records(obj: Any) -> Iterator[object]:
    """*obj* and every attrs instance inside it (fields, tuples), depth first."""
    if attrs.has(type(obj)):
        yield obj
        for f in attrs.fields(type(obj)):
            yield from records(getattr(obj, f.name))
    elif isinstance(obj, tuple):
        for value in obj:
            yield from records(value)


def _examples() -> list[object]:
    rubric = cat_rubric.load_rubric("cat-kaz-co-2")
    files = [cat_rubric.load_evidence(p, rubric=rubric) for p in (STATE, NGO)]
    result = cat_rubric.assess(rubric, files)
    problem = exceptions.Problem(
        file="f.yaml", line=1, column=2, path=("a", 0), code="bad-id", message="m"
    )
    extras: list[object] = [
        problem,
        problem.path,
        Limits(),
        resolve(Kind.RUBRIC, "cat-kaz-co-2"),
        cat_rubric.Settings(),
        cat_rubric.load_scale("ccpr-2013"),
    ]
    return [rubric, *files, result, *extras]


EXAMPLES = [r for example in _examples() for r in records(example)]
RECORDS: set[type] = {type(r) for r in EXAMPLES if type(r).__repr__ is fields_repr}


def test_every_record_class_of_the_engine_is_met() -> None:
    """The walk meets the record classes of the model, evidence, scales and results."""
    names = {cls.__name__ for cls in RECORDS}
    assert {"Rubric", "Criterion", "Item", "Source", "Scale", "Grade", "Score"} <= names
    assert {"Problem", "KeyPath", "Limits", "Resolved", "Settings", "Record"} <= names


@pytest.mark.parametrize("name", sorted(cls.__name__ for cls in RECORDS))
def test_repr_is_attrs_own(name: str) -> None:
    found = [r for r in EXAMPLES if type(r).__name__ == name]
    assert found
    for record in found:
        assert repr(record) == attrs_repr(record)
