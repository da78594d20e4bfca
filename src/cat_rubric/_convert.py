"""The one cattrs converter: models to plain data and back, for YAML and JSON alike.

Dates stay `datetime.date` objects in the plain data (YAML writes them as dates; the
JSON writer formats them as ISO text), and are read back from ISO text. Fields marked
``metadata={"yaml": False}`` (where a model was loaded from) are never written.
cattrs is imported on first use, which keeps ``import cat_rubric`` light.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import TYPE_CHECKING, Any

import attrs

from cat_rubric._digest import sha256

if TYPE_CHECKING:
    import cattrs


@functools.cache
def converter() -> cattrs.Converter:
    """The converter every model goes through (unknown keys are refused when reading)."""
    import cattrs
    from cattrs.cols import (
        namedtuple_dict_structure_factory,
        namedtuple_dict_unstructure_factory,
    )
    from cattrs.gen import make_dict_unstructure_fn, override

    from cat_rubric._result import ItemUse

    conv = cattrs.Converter(forbid_extra_keys=True)

    def unstructure_factory(cls: type) -> Any:
        omit = {
            f.name: override(omit=True)
            for f in attrs.fields(cls)
            if f.metadata.get("yaml", True) is False
        }
        return make_dict_unstructure_fn(cls, conv, **omit)  # type: ignore[arg-type]

    conv.register_unstructure_hook_factory(attrs.has, unstructure_factory)
    conv.register_unstructure_hook(dt.date, lambda d: d)
    conv.register_structure_hook(dt.date, _structure_date)
    # Read as written, never coerced: cattrs would turn 3 into "3" and "1" into True.
    for tp in (str, int, float, bool):
        conv.register_structure_hook(tp, _strict(tp))
    # Item records are objects in the JSON, like every other record, not arrays.
    conv.register_unstructure_hook(ItemUse, namedtuple_dict_unstructure_factory(ItemUse, conv))
    forbid_extra_keys = True  # the factory's parameters are positional-only
    conv.register_structure_hook(
        ItemUse,
        namedtuple_dict_structure_factory(ItemUse, conv, "from_converter", forbid_extra_keys),
    )
    return conv


def _structure_date(value: Any, _: type) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise TypeError(f"expected a date (YYYY-MM-DD), got {type(value).__name__}")


def _strict(tp: type) -> Any:
    def structure(value: Any, _: type) -> Any:
        if tp is float and type(value) is int:
            return float(value)
        if type(value) is not tp:
            raise TypeError(f"expected {tp.__name__}, got {type(value).__name__}")
        return value

    return structure


def iso_dates(value: Any) -> Any:
    """`json.dumps`'s ``default``: a date as ISO text; anything else is an error."""
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def content_digest(model: Any) -> str:
    """The sha256 of a model's canonical JSON: for models built in memory, not loaded."""
    data = converter().unstructure(model)
    text = json.dumps(data, sort_keys=True, ensure_ascii=True, default=iso_dates)
    return sha256(text.encode("ascii"))


__all__ = ["content_digest", "converter", "iso_dates"]
