"""One ``__repr__`` for the frozen attrs records, instead of one compiled for each.

attrs writes the source of a ``__repr__`` for every class it builds and compiles it at
import. For the records ``cat-rubric score`` imports that was about a twentieth of the
command's instructions (5 ms of its start-up, measured with callgrind). `fields_repr`
writes the same text as attrs' own, ``Name(field=value, ...)`` over the fields whose
``repr`` is true, so each record class takes it (``__repr__ = fields_repr``), and attrs,
which writes none for a class that has its own, skips the work. tests/test_repr.py
holds every record's repr equal to the one attrs would write.
"""

from __future__ import annotations

from typing import Any

import attrs


def fields_repr(self: Any) -> str:
    """``Name(field=value, ...)``, as attrs writes it, for an instance of an attrs class."""
    cls = type(self)
    names = _SHOWN.get(cls)
    if names is None:
        names = _SHOWN[cls] = tuple(f.name for f in attrs.fields(cls) if f.repr)
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
    return f"{cls.__qualname__.rsplit('>.', 1)[-1]}({shown})"


#: The fields each class shows, in order.
_SHOWN: dict[type, tuple[str, ...]] = {}


__all__ = ["fields_repr"]
