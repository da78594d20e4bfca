"""Writing models back to YAML: the inverse of loading, lossless for every valid model."""

from __future__ import annotations

import re
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


#: Plain scalars that a YAML 1.2 reader (the core schema: editors, check-jsonschema) takes
#: for a number, a boolean or null, though PyYAML's YAML 1.1 reads them as text.
_NOT_TEXT_IN_YAML_1_2 = re.compile(
    r"""null|Null|NULL|~|true|True|TRUE|false|False|FALSE
    |[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+
    |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN""",
    re.VERBOSE,
)


def _text(dumper: _Dumper, data: str) -> yaml.Node:
    """Text, quoted where a YAML 1.2 reader would take the plain scalar for a number."""
    if _NOT_TEXT_IN_YAML_1_2.fullmatch(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _text)


def to_yaml(model: Any) -> str:
    """Serialise an attrs model (a rubric, an evidence file) as YAML text.

    The text loads back into an equal model with `parse_rubric` or `parse_evidence`.
    Keys keep the model's field order; ``None`` values are left out. Text that a YAML 1.2
    reader would take for a number (``1e3``, ``0o17``) is quoted, so editors and schema
    validators read the file as cat_rubric does.
    """
    data = _drop_none(converter().unstructure(model))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _drop_none(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list | tuple):
        return [_drop_none(v) for v in data]
    return data
