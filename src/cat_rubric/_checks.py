"""Field checks: what a valid value looks like, as data the loaders apply.

The models declare their checks in field metadata (``checks(not_blank)``); the schema
builder in `cat_rubric._schema` runs them while loading. This module imports nothing,
so the models stay free of loading and I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

Check = Callable[[Any], tuple[str, str] | None]

_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def identifier(value: str) -> tuple[str, str] | None:
    """An id: letters, digits, dot, underscore, hyphen; starting with a letter or digit."""
    if _ID.match(value) and len(value) <= 100:
        return None
    return (
        "bad-id",
        f"{value!r} is not a usable id; use letters, digits, '.', '_' or '-' "
        "(at most 100 characters), starting with a letter or digit",
    )


def scale_id(value: str) -> tuple[str, str] | None:
    """A rubric's ``scale``: the id of a bundled scale, never a path."""
    if identifier(value) is None and not value.endswith((".yaml", ".yml")):
        return None
    return (
        "bad-id",
        f"{value!r} is not a scale id; a rubric names its grading scale by id (bundled: "
        "cat-2015, ccpr-2016, ccpr-2013). Give a scale of your own when scoring instead: "
        "--scale ./my-scale.yaml, or assess(..., scale=load_scale('my-scale.yaml'))",
    )


def not_blank(value: str) -> tuple[str, str] | None:
    """Text that is more than whitespace."""
    if value.strip():
        return None
    return ("empty-value", "is blank; write the text or remove the key if it is optional")


def positive(value: float) -> tuple[str, str] | None:
    """A finite number above zero."""
    if value > 0 and value != float("inf"):
        return None
    return ("not-positive", f"must be a positive number, got {value}")


def non_empty(value: tuple[Any, ...]) -> tuple[str, str] | None:
    """A list with at least one entry."""
    if value:
        return None
    return ("empty-list", "must list at least one entry")


def checks(*fns: Check) -> dict[str, tuple[Check, ...]]:
    """Field metadata carrying *fns* for the builder."""
    return {"checks": fns}


__all__ = ["Check", "checks", "identifier", "non_empty", "not_blank", "positive", "scale_id"]
