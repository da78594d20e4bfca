"""The benchmark's measures: each times one thing, prints its lines and records its figures.

In-process timings are the best of ``--repeat`` runs (`time.perf_counter`, the garbage
collector enabled and collected before each run); what is compared with a floor is
interleaved with it run by run, so that the machine's drift falls on both. Children
(start-up, peak memory) run with ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
import yaml

import cat_rubric
from cat_rubric import Assessment, EvidenceFile, Rubric
from cat_rubric.result import PartResult
from corpus import N_RUBRICS, Corpus
from floor import (
    FloorDisagreementError,
    Graded,
    PlainEvidence,
    PlainRubric,
    PlainScale,
    disagreements,
    plain_evidence,
    plain_rubric,
    plain_scale,
)
from floor import grade as floor_grade
from report import (
    ASSESS_FLOOR_TARGET,
    EXPLAIN_FLOOR_TARGET,
    GROWTH_SLACK,
    HELP_STARTUP_TARGET,
    KEPT_DISCARDED_TARGET,
    LOAD_RATIO_TARGET,
    SCORE_STARTUP_TARGET,
    Report,
    Target,
    mib,
    verdict,
)

T = TypeVar("T")

ROOT: Final = Path(__file__).resolve().parents[1]
SRC: Final = ROOT / "src"

try:
    FAST_LOADER: Any = yaml.CSafeLoader
    FAST_LOADER_NAME = "CSafeLoader"
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    FAST_LOADER = yaml.SafeLoader
    FAST_LOADER_NAME = "SafeLoader (no libyaml)"

# -- timing --------------------------------------------------------------------------


def best_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The fastest of *repeat* runs of *fn* (gc enabled, collected before each) and its result."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        result = None  # let the previous run's result go before collecting
        gc.collect()
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
    assert result is not None
    return best, result


@dataclass
class Loaded:
    """Models loaded by one run, with the time each phase took."""

    rubrics: list[Rubric]
    evidence: list[EvidenceFile]
    rubric_seconds: float
    evidence_seconds: float


def load_all(rubric_paths: Sequence[Path], evidence_paths: Sequence[Path], parser: Any) -> Loaded:
    """Load every rubric, then every evidence file against its rubric."""
    start = time.perf_counter()
    rubrics = [cat_rubric.load_rubric(p, parser=parser) for p in rubric_paths]
    middle = time.perf_counter()
    evidence = [
        cat_rubric.load_evidence(p, rubric=r, parser=parser)
        for p, r in zip(evidence_paths, rubrics, strict=True)
    ]
    end = time.perf_counter()
    return Loaded(rubrics, evidence, middle - start, end - middle)


def yaml_all(rubric_paths: Sequence[Path], evidence_paths: Sequence[Path], loader: Any) -> Loaded:
    """The floor: a bare ``yaml.load`` of the same files' bytes."""
    start = time.perf_counter()
    for p in rubric_paths:
        yaml.load(p.read_bytes(), Loader=loader)
    middle = time.perf_counter()
    for p in evidence_paths:
        yaml.load(p.read_bytes(), Loader=loader)
    end = time.perf_counter()
    return Loaded([], [], middle - start, end - middle)


def best_loads(
    repeat: int, ours: Callable[[], Loaded], floor: Callable[[], Loaded]
) -> tuple[Loaded, Loaded, Loaded]:
    """The fastest of *repeat* runs of each (by total time), and the last run of *ours*.

    The two are interleaved, so that drift in the machine's load hits both alike, and
    each runs with nothing else loaded (gc is collected before each run): the best runs
    are returned as timings only, the last run of *ours* with its models (for assess).
    """
    best: list[Loaded | None] = [None, None]
    last: Loaded | None = None
    for _ in range(repeat):
        for which, fn in enumerate((floor, ours)):
            last = None
            gc.collect()
            run = fn()
            held = best[which]
            if held is None or total(run) < total(held):
                best[which] = Loaded([], [], run.rubric_seconds, run.evidence_seconds)
            if which == 1:
                last = run
            del run, held
    floor_best, ours_best = best
    assert floor_best is not None
    assert ours_best is not None
    assert last is not None
    return ours_best, floor_best, last


def total(run: Loaded) -> float:
    return run.rubric_seconds + run.evidence_seconds


def assess_discarded(rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]) -> int:
    """Assess every rubric on its evidence file, each result dropped; the parts (a checksum)."""
    parts = 0
    for rubric, ev in zip(rubrics, evidence, strict=True):
        result = cat_rubric.assess(rubric, [ev])
        parts += sum(len(r.parts) for r in result.recommendations)
    return parts


def assess_kept(rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]) -> list[Assessment]:
    """Assess every rubric on its evidence file, every result kept alive in a list."""
    return [cat_rubric.assess(r, [e]) for r, e in zip(rubrics, evidence, strict=True)]


def _read_every_field(obj: Assessment | PartResult) -> None:
    """Read every attrs field of *obj*: whatever the engine defers is built now."""
    for f in attrs.fields(type(obj)):
        getattr(obj, f.name)


def assess_explained(
    rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]
) -> list[Assessment]:
    """`assess_kept`, then every explanation materialised through the public attributes.

    Every field of every assessment and of every part is read (the engine builds item
    records, reasons, criteria, conflicts, flags, what-if and requests when first read).
    Writing the JSON costs more again (cattrs and json): `assess_json` measures that.
    """
    results = assess_kept(rubrics, evidence)
    for result in results:
        _read_every_field(result)
        for part in result.parts:
            _read_every_field(part)
    return results


def assess_json(rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]) -> list[str]:
    """`assess_kept`, then each result's `to_json()`: the explanations written out."""
    return [r.to_json() for r in assess_kept(rubrics, evidence)]


def assess_read(
    rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]
) -> tuple[list[Assessment], list[Graded]]:
    """`assess_kept`, then what the floor computes read from it: every grade and score."""
    results = assess_kept(rubrics, evidence)
    return results, library_grades(results)


@dataclass
class Plain:
    """The loaded models as the floor takes them: plain tuples, converted once, not timed."""

    rubrics: list[PlainRubric]
    evidence: list[list[PlainEvidence]]
    scales: list[PlainScale]


def plain_models(rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]) -> Plain:
    scales = {r.scale: plain_scale(cat_rubric.load_scale(r.scale)) for r in rubrics}
    return Plain(
        [plain_rubric(r) for r in rubrics],
        [[plain_evidence(e)] for e in evidence],
        [scales[r.scale] for r in rubrics],
    )


def floor_all(plain: Plain) -> list[Graded]:
    """The floor: every rubric graded by hand (floor.py), every result kept alive."""
    return [
        floor_grade(r, e, s)
        for r, e, s in zip(plain.rubrics, plain.evidence, plain.scales, strict=True)
    ]


def library_grades(results: Sequence[Assessment]) -> list[Graded]:
    """What the floor computes, read from `assess`'s results."""
    return [
        (
            [(p.id, p.grade, p.score.value) for p in a.parts],
            [(r.id, r.grade) for r in a.recommendations],
        )
        for a in results
    ]


def check_floor(
    results: Sequence[Assessment], floor_results: Sequence[Graded], names: Sequence[str]
) -> int:
    """The parts checked; `FloorDisagreementError` unless the floor and `assess` agree on all."""
    wrong = disagreements(library_grades(results), floor_results, names)
    if wrong:
        shown = "\n    ".join(wrong[:25])
        more = f"\n    ... and {len(wrong) - 25} more" if len(wrong) > 25 else ""
        raise FloorDisagreementError(
            f"the floor (benchmarks/floor.py) and cat_rubric.assess disagree on {len(wrong)} "
            f"parts or recommendations:\n    {shown}{more}"
        )
    return sum(len(parts) for parts, _ in floor_results)


# -- subprocesses --------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """The environment for child interpreters: PYTHONPATH pointing at src first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return env


def run_child(args: Sequence[str]) -> str:
    """Run ``python ARGS`` and return its stdout; raise with its stderr if it fails."""
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=child_env(), check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child {args[:2]} failed ({proc.returncode}):\n{proc.stderr}")
    return proc.stdout


#: Linux keeps a process's peak RSS across exec, and a child spawned by this (large)
#: process inherits it; so children whose RSS is measured are started by a small
#: launcher, whose own peak (~10 MiB) is the floor of what can be measured.
_LAUNCHER: Final = """
import subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, check=False)
sys.stdout.buffer.write(proc.stdout)
raise SystemExit(proc.returncode)
"""

_RSS: Final = """
import json, resource, sys
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
hwm = None
try:
    with open("/proc/self/status") as fh:
        hwm = next(int(l.split()[1]) * 1024 for l in fh if l.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
print(json.dumps([rss if sys.platform == "darwin" else rss * 1024, hwm]))
"""

_BASELINE_CHILD: Final = "import cat_rubric\n" + _RSS

_MEMORY_CHILD: Final = (
    """
import sys
from pathlib import Path
import cat_rubric
rubric_dir, evidence_dir = Path(sys.argv[1]), Path(sys.argv[2])
rubrics = [cat_rubric.load_rubric(p) for p in sorted(rubric_dir.glob("*.yaml"))]
evidence = [
    cat_rubric.load_evidence(evidence_dir / Path(r.origin.file).name, rubric=r)
    for r in rubrics
]
results = [cat_rubric.assess(r, [e]) for r, e in zip(rubrics, evidence)]
assert len(results) == len(rubrics)
"""
    + _RSS
)


def peak_rss(code: str, *args: str) -> tuple[int, int | None]:
    """Peak RSS in bytes of a fresh interpreter running *code*: ru_maxrss, and VmHWM if known."""
    out = run_child(["-c", _LAUNCHER, sys.executable, "-c", code, *args])
    rss, hwm = json.loads(out)
    return int(rss), None if hwm is None else int(hwm)


def imported_modules(code: str) -> set[str]:
    """Top-level names of the modules in sys.modules after a child runs *code*."""
    out = run_child(["-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"])
    return {name.split(".", 1)[0] for name in out.split()}


def cached_env(pycache: Path) -> dict[str, str]:
    """`child_env` with bytecode cached under *pycache* (src/ is never written to).

    Without it, a checkout run with PYTHONDONTWRITEBYTECODE=1 compiles cat_rubric from
    source on every start while yaml, attrs and cattrs load their installed .pyc files.
    """
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def import_times(env: dict[str, str], args: Sequence[str]) -> list[tuple[str, int, int]]:
    """``(module, self µs, cumulative µs)`` for ``python -X importtime ARGS``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    rows: list[tuple[str, int, int]] = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        own, cumulative, name = (part.strip() for part in line[12:].split("|"))
        if own.isdigit():
            rows.append((name, int(own), int(cumulative)))
    return rows


#: The start-up floor: the interpreter and the libraries cat_rubric stands on.
BARE_IMPORTS: Final = ("-c", "import yaml, attrs, cattrs")
#: The CLI commands timed from start to exit, each with its target against BARE_IMPORTS.
STARTUP_COMMANDS: Final[dict[str, tuple[tuple[str, ...], float | None]]] = {
    "cat-rubric score": (
        ("-m", "cat_rubric", "score", "cat-kaz-co-2", "examples/kaz-2010-state-reply.yaml"),
        SCORE_STARTUP_TARGET,
    ),
    "cat-rubric --help": (("-m", "cat_rubric", "--help"), HELP_STARTUP_TARGET),
    "cat-rubric --version": (("-m", "cat_rubric", "--version"), None),
}


def startup_medians(
    commands: Mapping[str, Sequence[str]], runs: int, env: dict[str, str]
) -> dict[str, float]:
    """Median wall time of ``python ARGS`` for each command, output to /dev/null."""
    argvs = {name: [sys.executable, *args] for name, args in commands.items()}
    times: dict[str, list[float]] = {name: [] for name in argvs}

    def once(argv: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
            check=True,
        )
        return time.perf_counter() - start

    for argv in argvs.values():  # write bytecode caches, warm the page cache
        once(argv)
    for _ in range(runs):  # interleaved, so drift in machine load hits all alike
        for name, argv in argvs.items():
            times[name].append(once(argv))
    return {name: statistics.median(t) for name, t in times.items()}


def measure_load(report: Report, corpus: Corpus, size: int, repeat: int, parser: Any) -> Loaded:
    ev_paths = corpus.evidence[size]
    ours, floor, loaded = best_loads(
        repeat,
        lambda: load_all(corpus.rubrics, ev_paths, parser),
        lambda: yaml_all(corpus.rubrics, ev_paths, FAST_LOADER),
    )
    seconds, floor_seconds = total(ours), total(floor)
    ratio = seconds / floor_seconds
    ok = ratio <= LOAD_RATIO_TARGET
    print(
        f"load+validate {size:>7} items: {seconds:6.2f} s vs yaml.load ({FAST_LOADER_NAME}) "
        f"{floor_seconds:6.2f} s = {ratio:.2f}× (target ≤ {LOAD_RATIO_TARGET}×) {verdict(ok)}"
    )
    r_ratio = ours.rubric_seconds / floor.rubric_seconds
    e_ratio = ours.evidence_seconds / floor.evidence_seconds
    print(
        f"    rubrics  {len(corpus.rubrics)} files {mib(corpus.rubric_bytes):6.1f} MiB: "
        f"{ours.rubric_seconds:6.2f} s vs {floor.rubric_seconds:6.2f} s = {r_ratio:.2f}×"
    )
    print(
        f"    evidence {len(ev_paths)} files {mib(corpus.evidence_bytes[size]):6.1f} MiB: "
        f"{ours.evidence_seconds:6.2f} s vs {floor.evidence_seconds:6.2f} s = {e_ratio:.2f}×  "
        f"({ours.evidence_seconds / size * 1e6:.1f} µs/item)"
    )
    report.load[str(size)] = {
        "parser": parser,
        "seconds": seconds,
        "rubric_seconds": ours.rubric_seconds,
        "evidence_seconds": ours.evidence_seconds,
        "yaml_loader": FAST_LOADER_NAME,
        "yaml_seconds": floor_seconds,
        "yaml_rubric_seconds": floor.rubric_seconds,
        "yaml_evidence_seconds": floor.evidence_seconds,
        "ratio": ratio,
        "rubric_ratio": r_ratio,
        "evidence_ratio": e_ratio,
    }
    report.targets.append(
        Target(f"load+validate {size} items", f"{ratio:.2f}×", f"≤ {LOAD_RATIO_TARGET}×", ok)
    )
    return loaded


def measure_load_python(report: Report, corpus: Corpus, size: int, repeat: int, pairs: int) -> None:
    rubric_paths = corpus.rubrics[:pairs]
    ev_paths = corpus.evidence[size][:pairs]
    ours, floor, _ = best_loads(
        repeat,
        lambda: load_all(rubric_paths, ev_paths, "python"),
        lambda: yaml_all(rubric_paths, ev_paths, yaml.SafeLoader),
    )
    seconds, floor_seconds = total(ours), total(floor)
    ratio = seconds / floor_seconds
    of = "" if pairs == N_RUBRICS else f" (first {pairs} of {N_RUBRICS} rubric/evidence pairs)"
    print(
        f"load+validate {size:>7} items{of}, parser='python': {seconds:6.2f} s vs yaml.load "
        f"(SafeLoader) {floor_seconds:6.2f} s = {ratio:.2f}× (rubrics "
        f"{ours.rubric_seconds / floor.rubric_seconds:.2f}×, evidence "
        f"{ours.evidence_seconds / floor.evidence_seconds:.2f}×; no target)"
    )
    report.load_python_parser[str(size)] = {
        "pairs": pairs,
        "seconds": seconds,
        "rubric_seconds": ours.rubric_seconds,
        "evidence_seconds": ours.evidence_seconds,
        "yaml_seconds": floor_seconds,
        "yaml_rubric_seconds": floor.rubric_seconds,
        "yaml_evidence_seconds": floor.evidence_seconds,
        "ratio": ratio,
    }


def measure_assess(report: Report, loaded: Loaded, size: int, repeat: int) -> float:
    """Assess against the floor: results discarded, kept, explained; interleaved run by run.

    The floor's grades and scores are checked against the library's on every part in
    the first round (`FloorDisagreementError` if they differ); the best of *repeat* is kept.
    """
    rubrics, evidence = loaded.rubrics, loaded.evidence
    plain = plain_models(rubrics, evidence)  # converted once, not timed
    names = [r.id for r in rubrics]
    runs: dict[str, Callable[[], object]] = {
        "floor": lambda: floor_all(plain),
        "discarded": lambda: assess_discarded(rubrics, evidence),
        "kept": lambda: assess_kept(rubrics, evidence),
        "read": lambda: assess_read(rubrics, evidence),
        "explained": lambda: assess_explained(rubrics, evidence),
        "json": lambda: assess_json(rubrics, evidence),
    }
    # Warm up (the scales resolved, the library's caches filled) on one rubric per scale,
    # so that whichever run comes first in a round is not charged for it.
    first = {r.scale: i for i, r in reversed(list(enumerate(rubrics)))}
    for i in first.values():
        assess_json(rubrics[i : i + 1], evidence[i : i + 1])
    best = dict.fromkeys(runs, float("inf"))
    checked_parts: int | None = None
    floor_results: list[Graded] | None = None
    parts = 0
    for _ in range(repeat):
        for name, fn in runs.items():
            result: object = None
            gc.collect()
            start = time.perf_counter()
            result = fn()
            best[name] = min(best[name], time.perf_counter() - start)
            if name == "discarded":
                assert isinstance(result, int)
                parts = result
            elif checked_parts is None and name == "floor":
                floor_results = result  # type: ignore[assignment]
            elif checked_parts is None and name == "read":
                assert floor_results is not None
                checked_parts = check_floor(result[0], floor_results, names)  # type: ignore[index]
                floor_results = None
            del result
    seconds, floor_s = best["discarded"], best["floor"]
    kept = best["kept"]
    per_item = seconds / size * 1e6
    print(
        f"assess        {size:>7} items: {seconds:6.2f} s = {per_item:.2f} µs/item "
        f"({parts} parts graded; {seconds / len(rubrics) * 1e3:.1f} ms/rubric; results discarded)"
    )
    print(
        f"    floor (floor.py: grades and scores by hand on plain tuples) {floor_s:6.2f} s; "
        f"it agrees with assess on every one of the {checked_parts} parts"
    )
    # (key, what, seconds, compared with, its seconds, target or None for reported only)
    rows: tuple[tuple[str, str, float, str, float, float | None], ...] = (
        ("kept_vs_floor", "assess, results kept", kept, "the floor", floor_s, ASSESS_FLOOR_TARGET),
        (
            "read_vs_floor",
            "assess + every grade and score read",
            best["read"],
            "the floor",
            floor_s,
            None,
        ),
        (
            "explained_vs_floor",
            "assess + every explanation read",
            best["explained"],
            "the floor",
            floor_s,
            EXPLAIN_FLOOR_TARGET,
        ),
        (
            "json_vs_floor",
            "assess + to_json() of every result",
            best["json"],
            "the floor",
            floor_s,
            None,
        ),
        (
            "kept_vs_discarded",
            "assess, results kept ÷ discarded",
            kept,
            "discarded",
            seconds,
            KEPT_DISCARDED_TARGET,
        ),
    )
    label = {
        "kept_vs_floor": f"assess {size} items ÷ floor",
        "explained_vs_floor": f"assess+explanations {size} items ÷ floor",
        "kept_vs_discarded": f"assess kept ÷ discarded {size} items",
    }
    ratios: dict[str, float] = {}
    for key, what, secs, of, base, limit in rows:
        ratio = ratios[key] = secs / base
        if limit is None:
            judged = "(reported only)"
        else:
            ok = report.ratio_target(label[key], ratio, limit)
            judged = f"(target ≤ {limit:g}×) {verdict(ok)}"
        print(f"    {what + ':':<38} {secs:6.2f} s = {ratio:5.2f}× {of} {judged}")
    report.assess[str(size)] = {
        "seconds": seconds,
        "us_per_item": per_item,
        "ms_per_rubric": seconds / len(rubrics) * 1e3,
        "parts": parts,
        "kept_seconds": kept,
        "read_seconds": best["read"],
        "explained_seconds": best["explained"],
        "json_seconds": best["json"],
    }
    report.floor[str(size)] = {"seconds": floor_s, "parts_checked": checked_parts, **ratios}
    return seconds


def measure_growth(report: Report, sizes: Sequence[int]) -> None:
    lo, hi = sizes[0], sizes[-1]
    items = hi / lo
    limit = items * GROWTH_SLACK
    measures: tuple[tuple[str, dict[str, Any], str], ...] = (
        ("assess", report.assess, "seconds"),
        ("load (evidence files)", report.load, "evidence_seconds"),
        ("load (rubrics + evidence)", report.load, "seconds"),
    )
    for name, table, key in measures:
        ratio = float(table[str(hi)][key]) / float(table[str(lo)][key])
        ok = ratio <= limit
        print(
            f"growth {name:<26} {lo}→{hi}: time ratio {ratio:.1f} for {items:.1f}× the items "
            f"(target ≤ {limit:.1f}) {verdict(ok)}"
        )
        report.growth[name] = {"time_ratio": ratio, "item_ratio": items, "limit": limit}
        report.targets.append(
            Target(f"growth {name}", f"{ratio:.1f} for {items:.1f}×", f"≤ {limit:.1f}", ok)
        )
    # For context: the parser's floor grows too. The instructions grow linearly (counted
    # under callgrind: 9.6× for 10× the items); bigger files' node trees no longer fit the
    # CPU caches, which costs the bare parser and the library alike.
    ratio = (
        report.load[str(hi)]["yaml_evidence_seconds"]
        / report.load[str(lo)]["yaml_evidence_seconds"]
    )
    print(
        f"growth {'yaml.load floor (evidence)':<26} {lo}→{hi}: time ratio {ratio:.1f} for "
        f"{items:.1f}× the items (for context; no target)"
    )
    report.growth["yaml.load floor (evidence files)"] = {"time_ratio": ratio, "item_ratio": items}


def time_evidence_load(
    paths: Sequence[Path], rubrics: Sequence[Rubric], parser: Any, times: int = 1
) -> float:
    """Seconds to load *paths* (against *rubrics*) *times* over, every model kept alive."""
    gc.collect()
    start = time.perf_counter()
    kept = [
        cat_rubric.load_evidence(p, rubric=r, parser=parser)
        for _ in range(times)
        for p, r in zip(paths, rubrics, strict=True)
    ]
    elapsed = time.perf_counter() - start
    assert len(kept) == times * len(paths)
    return elapsed


def measure_growth_interleaved(
    report: Report, corpus: Corpus, sizes: Sequence[int], repeat: int, parser: Any
) -> None:
    """Evidence load at the smallest and the largest size, alternating run by run.

    The sizes' own figures above are taken minutes apart, and this machine's speed
    drifts by a third over minutes, which can flatter or sink their ratio. Alternating
    puts the same drift on both sides. Held to the same target.
    """
    rubrics = [cat_rubric.load_rubric(p, parser=parser) for p in corpus.rubrics]
    lo, hi = sizes[0], sizes[-1]
    small = large = float("inf")
    for _ in range(repeat):
        small = min(small, time_evidence_load(corpus.evidence[lo], rubrics, parser))
        large = min(large, time_evidence_load(corpus.evidence[hi], rubrics, parser))
    ratio, items = large / small, hi / lo
    limit = items * GROWTH_SLACK
    ok = ratio <= limit
    name = "load (evidence, interleaved)"
    print(
        f"growth {name:<26} {lo}→{hi}: time ratio {ratio:.1f} for {items:.1f}× the items, "
        f"sizes alternating run by run (target ≤ {limit:.1f}) {verdict(ok)}"
    )
    report.growth["load (evidence files, interleaved)"] = {
        "time_ratio": ratio,
        "item_ratio": items,
        "limit": limit,
        "seconds": {str(lo): small, str(hi): large},
    }
    report.targets.append(
        Target(f"growth {name}", f"{ratio:.1f} for {items:.1f}×", f"≤ {limit:.1f}", ok)
    )


def measure_growth_by_files(
    report: Report, corpus: Corpus, size: int, factor: int, repeat: int, parser: Any
) -> None:
    """Evidence load when the evidence grows by files rather than by file size.

    The smallest corpus's evidence files are loaded once, then *factor* times over,
    every model kept alive, interleaved run by run. This is how a secretariat's work
    grows (more States, cycles and sources; files of the same size), and it tells the
    cost of more evidence apart from the cost of bigger files.
    """
    rubrics = [cat_rubric.load_rubric(p, parser=parser) for p in corpus.rubrics]
    paths = corpus.evidence[size]
    one = many = float("inf")
    for _ in range(repeat):
        one = min(one, time_evidence_load(paths, rubrics, parser))
        many = min(many, time_evidence_load(paths, rubrics, parser, factor))
    ratio = many / one
    print(
        f"growth {'load (evidence, more files)':<26} {size}→{size * factor}: time ratio "
        f"{ratio:.1f} for {factor}× the items in {factor}× the files of the same size "
        "(for context; no target)"
    )
    report.growth["load (evidence, more files of the same size)"] = {
        "time_ratio": ratio,
        "item_ratio": factor,
        "seconds": {str(size): one, str(size * factor): many},
    }


def measure_memory(report: Report, corpus: Corpus, size: int) -> None:
    base, base_hwm = peak_rss(_BASELINE_CHILD)
    peak, peak_hwm = peak_rss(
        _MEMORY_CHILD, str(corpus.root / "rubrics"), str(corpus.root / f"evidence-{size}")
    )
    on_disk = corpus.rubric_bytes + corpus.evidence_bytes[size]
    print(
        f"peak RSS  load+assess {size:>7} items: {mib(peak):7.1f} MiB vs import cat_rubric "
        f"alone {mib(base):.1f} MiB (files on disk {mib(on_disk):.1f} MiB; "
        f"{(peak - base) / size / 1024:.2f} KiB/item above baseline; all models and results "
        "kept alive; no target)"
    )
    report.memory = {
        "size": size,
        "peak_rss_mib": mib(peak),
        "baseline_rss_mib": mib(base),
        "peak_vmhwm_mib": None if peak_hwm is None else mib(peak_hwm),
        "baseline_vmhwm_mib": None if base_hwm is None else mib(base_hwm),
        "corpus_mib": mib(on_disk),
    }


def measure_startup(report: Report, runs: int) -> None:
    commands = {"bare": BARE_IMPORTS} | {name: a for name, (a, _) in STARTUP_COMMANDS.items()}
    with tempfile.TemporaryDirectory(prefix="cat-rubric-pycache-") as pycache:
        env = cached_env(Path(pycache))
        medians = startup_medians(commands, runs, env)
        score_rows = import_times(env, STARTUP_COMMANDS["cat-rubric score"][0])
        version_rows = import_times(env, STARTUP_COMMANDS["cat-rubric --version"][0])
    bare = medians["bare"]
    print(
        f"CLI start-up (median of {runs}, bytecode cached, output to /dev/null) against "
        f'python -c "import yaml, attrs, cattrs" {bare * 1e3:.0f} ms:'
    )
    report.startup = {"runs": runs, "bare_imports_ms": bare * 1e3, "commands": {}}
    for name, (args, limit) in STARTUP_COMMANDS.items():
        ratio = medians[name] / bare
        if limit is None:
            judged = "(no target)"
        else:
            ok = report.ratio_target(f"start-up {name}", ratio, limit)
            judged = f"(target ≤ {limit:g}×) {verdict(ok)}"
        shown = " ".join(args[2:])
        print(f"    {name:<21} {medians[name] * 1e3:4.0f} ms = {ratio:.2f}× {judged}  [{shown}]")
        report.startup["commands"][name] = {
            "argv": ["python", *args],
            "ms": medians[name] * 1e3,
            "ratio": ratio,
            "target": limit,
        }
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        raw = startup_medians(commands, runs, child_env())
        print(
            "    as this environment runs them (PYTHONDONTWRITEBYTECODE set: cat_rubric is "
            f"compiled from source every time), against {raw['bare'] * 1e3:.0f} ms: "
            + ", ".join(
                f"{name} {raw[name] * 1e3:.0f} ms = {raw[name] / raw['bare']:.2f}×"
                for name in STARTUP_COMMANDS
            )
        )
        report.startup["uncached"] = {
            "bare_imports_ms": raw["bare"] * 1e3,
            **{
                name: {"ms": raw[name] * 1e3, "ratio": raw[name] / raw["bare"]}
                for name in STARTUP_COMMANDS
            },
        }
    slowest = sorted(score_rows, key=lambda r: -r[1])[:6]
    print(
        "    slowest imports of cat-rubric score (self time): "
        + ", ".join(f"{name} {own / 1e3:.1f} ms" for name, own, _ in slowest)
    )
    report.startup["slowest_imports_ms"] = {name: own / 1e3 for name, own, _ in slowest}
    lib = imported_modules("import cat_rubric")
    cli_mods = {name.split(".", 1)[0] for name, _, _ in version_rows}
    flags: dict[str, dict[str, bool]] = {}
    for name in ("tabulate", "hypothesis", "cattrs"):
        flags[name] = {"import cat_rubric": name in lib, "cli --version": name in cli_mods}
        print(
            f"    {name:<10} imported by `import cat_rubric`: {'yes' if name in lib else 'no'}; "
            f"by `-m cat_rubric --version`: {'yes' if name in cli_mods else 'no'}"
        )
    report.startup["imports"] = flags
    for name in ("tabulate", "hypothesis"):
        ok = not flags[name]["import cat_rubric"]
        report.targets.append(
            Target(
                f"import cat_rubric skips {name}",
                "imported" if not ok else "not imported",
                "not imported",
                ok,
            )
        )
