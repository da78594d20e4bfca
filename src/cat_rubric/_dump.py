"""Writing models back to YAML: the inverse of loading, lossless for every valid model."""

from __future__ import annotations

from typing import Any

import yaml

from cat_rubric._convert import converter

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


def to_yaml(model: Any) -> str:
    """Serialise an attrs model (a rubric, an evidence file) as YAML text.

    The text loads back into an equal model with `parse_rubric` or `parse_evidence`.
    Keys keep the model's field order; ``None`` values are left out.
    """
    data = _drop_none(converter().unstructure(model))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [_drop_none(v) for v in data]
    return data
