"""The benchmark's report: the targets, the figures kept for the JSON file, and the summary.

Every measure (benchmarks/measures.py) prints its own lines and records its figures in a
`Report`; a measure held to a target also appends a `Target`. `print_summary` prints
them all at the end: value, target and verdict. A missed target is reported, never
raised: the benchmark exits 0 either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

#: Targets (see benchmarks/README.md).
LOAD_RATIO_TARGET: Final = 2.0  # load+validate ÷ a bare yaml.load of the same bytes
ASSESS_US_PER_ITEM_TARGET: Final = 10.0  # 100,000 items in under 1 s
GROWTH_SLACK: Final = 1.1  # 10x the items may cost at most 11x the time
ASSESS_FLOOR_TARGET: Final = 3.0  # assess (results kept) ÷ the hand-written floor
EXPLAIN_FLOOR_TARGET: Final = 10.0  # assess + every result's to_json() ÷ the floor
KEPT_DISCARDED_TARGET: Final = 1.1  # assess with results kept ÷ results discarded
SCORE_STARTUP_TARGET: Final = 1.3  # `cat-rubric score ...` ÷ importing yaml, attrs, cattrs
HELP_STARTUP_TARGET: Final = 1.2  # `cat-rubric --help` ÷ the same


@dataclass
class Target:
    """One target and whether it was met."""

    name: str
    value: str
    target: str
    ok: bool


@dataclass
class Report:
    """Every figure of the run, for the JSON file."""

    environment: dict[str, Any] = field(default_factory=dict)
    corpus: dict[str, Any] = field(default_factory=dict)
    load: dict[str, Any] = field(default_factory=dict)
    load_python_parser: dict[str, Any] = field(default_factory=dict)
    assess: dict[str, Any] = field(default_factory=dict)
    floor: dict[str, Any] = field(default_factory=dict)
    growth: dict[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    startup: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)

    def ratio_target(self, name: str, ratio: float, limit: float) -> bool:
        """Record *ratio* against ``≤ limit×`` under *name*; whether it was met."""
        ok = ratio <= limit
        self.targets.append(Target(name, f"{ratio:.2f}×", f"≤ {limit:g}×", ok))
        return ok


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISS"


def mib(n: int) -> float:
    return n / (1024 * 1024)


def print_summary(targets: Sequence[Target]) -> None:
    width = max(len(t.name) for t in targets)
    vwidth = max(len(t.value) for t in targets)
    twidth = max(len(t.target) for t in targets)
    print()
    print("Summary of targets")
    print(f"{'measure':<{width}}  {'value':<{vwidth}}  {'target':<{twidth}}  result")
    print(f"{'-' * width}  {'-' * vwidth}  {'-' * twidth}  ------")
    for t in targets:
        print(f"{t.name:<{width}}  {t.value:<{vwidth}}  {t.target:<{twidth}}  {verdict(t.ok)}")
    missed = sum(not t.ok for t in targets)
    print(f"{len(targets) - missed} of {len(targets)} targets met")
