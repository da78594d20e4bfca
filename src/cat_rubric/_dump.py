"""Writing models back to YAML: the inverse of loading, lossless for every valid model."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import attrs
import yaml

if TYPE_CHECKING:
    import cattrs

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - machines without libyaml
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class _Dumper(_BaseDumper):
    """A safe dumper that writes every value out in full: never an anchor or an alias.

    PyYAML anchors any non-string object met twice (one `datetime.date` shared by two
    items, say), which turns a hand-editable file into ``&id001`` and ``*id001``.
    """

    def ignore_aliases(self, data: Any) -> bool:  # noqa: ARG002 - PyYAML's signature
        return True


@functools.cache
def yaml_converter() -> cattrs.Converter:
    """The converter that turns models into YAML-ready data (dates stay dates)."""
    import cattrs  # imported on first use: keeps `import cat_rubric` light
    from cattrs.gen import make_dict_unstructure_fn, override

    converter = cattrs.Converter()

    def factory(cls: type) -> Any:
        omit = {
            f.name: override(omit=True)
            for f in attrs.fields(cls)
            if f.metadata.get("yaml", True) is False
        }
        return make_dict_unstructure_fn(cls, converter, **omit)  # type: ignore[arg-type]

    converter.register_unstructure_hook_factory(attrs.has, factory)
    converter.register_unstructure_hook(dt.date, lambda d: d)
    return converter


def to_yaml(model: Any) -> str:
    """Serialise an attrs model (a rubric, an evidence file) as YAML text.

    The text loads back into an equal model with `parse_rubric` or `parse_evidence`.
    Keys keep the model's field order; ``None`` values are left out.
    """
    data = _drop_none(yaml_converter().unstructure(model))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [_drop_none(v) for v in data]
    return data
