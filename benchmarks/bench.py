"""cat_rubric benchmark: load+validate, assess, growth, peak memory and CLI start-up.

A report, not a test: it prints figures and ratios against the targets, and exits 0
even when a target is missed (non-zero only if the run itself fails).

    PYTHONPATH=src python benchmarks/bench.py                # sizes 10000,100000
    PYTHONPATH=src python benchmarks/bench.py --quick        # smoke run, sizes 2000,20000
    PYTHONPATH=src python benchmarks/bench.py --json out.json --out benchmarks/out

The synthetic corpus is deterministic (``--seed``): 200 rubrics of 4 recommendations
x 3 parts x 8 criteria, and one evidence file per rubric holding total/200 items,
built with the library's own models and written with `cat_rubric.to_yaml`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml

import cat_rubric
from cat_rubric import (
    Criterion,
    EvidenceFile,
    Finding,
    FollowUp,
    Indicator,
    Item,
    LegalReference,
    Override,
    Part,
    Recommendation,
    Reply,
    Rubric,
    Source,
    SourceKind,
)

T = TypeVar("T")

SRC: Final = Path(__file__).resolve().parents[1] / "src"

N_RUBRICS: Final = 200
N_RECOMMENDATIONS: Final = 4
N_PARTS: Final = 3
N_CRITERIA: Final = 8

#: Targets (see benchmarks/README.md).
LOAD_RATIO_TARGET: Final = 2.0
ASSESS_US_PER_ITEM_TARGET: Final = 10.0  # 100,000 items in under 1 s
GROWTH_SLACK: Final = 1.1  # 10x the items may cost at most 11x the time

try:
    FAST_LOADER: Any = yaml.CSafeLoader
    FAST_LOADER_NAME = "CSafeLoader"
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    FAST_LOADER = yaml.SafeLoader
    FAST_LOADER_NAME = "SafeLoader (no libyaml)"

# -- text ----------------------------------------------------------------------------

_EN_WORDS: Final = """
the State party should ensure that all persons deprived of their liberty are afforded
fundamental legal safeguards from the very outset of detention including access to a
lawyer and an independent medical examination notification of relatives prompt impartial
and effective investigation of all allegations of torture and ill-treatment by law
enforcement officials prosecution of perpetrators penalties proportionate to the gravity
of the offence complaints mechanism custodial facilities pre-trial detention judicial
review habeas corpus national preventive mechanism monitoring visits unannounced places of
detention training programmes police prison staff prosecutors judges criminal code
amendment definition of torture article convention statistics disaggregated by age sex and
ethnicity redress compensation rehabilitation victims witnesses reprisals human rights
defenders order instruction circular ministry of internal affairs prosecutor general
supreme court resolution
"""
_EN: Final = tuple(_EN_WORDS.split())

_CYR_WORDS: Final = """
государство участник должно обеспечить чтобы все лица лишённые свободы пользовались
основными правовыми гарантиями с момента задержания доступ к адвокату независимое
медицинское освидетельствование расследование жалоб на пытки сотрудники правоохранительных
органов уголовный кодекс статья поправки национальный превентивный механизм места лишения
свободы прокуратура суд Қазақстан Республикасы азаптау адам құқықтары заң бап тергеу сот
прокурор өтініш қамауға алу тәуелсіз медициналық куәландыру
"""
_CYR: Final = tuple(_CYR_WORDS.split())


def text(rng: random.Random, length: int, cyrillic: float = 0.1) -> str:
    """A sentence of roughly *length* characters (±25 %), Cyrillic with probability *cyrillic*."""
    words = _CYR if rng.random() < cyrillic else _EN
    target = max(8, int(length * rng.uniform(0.75, 1.25)))
    out: list[str] = []
    size = 0
    while size < target:
        word = rng.choice(words)
        out.append(word)
        size += len(word) + 1
    sentence = " ".join(out)
    return sentence[0].upper() + sentence[1:] + "."


# -- the corpus ----------------------------------------------------------------------

_STATES: Final = (
    ("Kazakhstan", "KAZ"),
    ("Қазақстан", "KAZ"),
    ("Кыргызстан", "KGZ"),
    ("Uzbekistan", "UZB"),
    ("Tajikistan", "TJK"),
    ("Georgia", "GEO"),
    ("Armenia", "ARM"),
    ("Azerbaijan", "AZE"),
    ("Republic of Moldova", "MDA"),
    ("Беларусь", "BLR"),
)

_FINDINGS: Final = (
    (Finding.IMPLEMENTED, 20),
    (Finding.PARTIALLY_IMPLEMENTED, 25),
    (Finding.INITIATED, 16),
    (Finding.NOT_IMPLEMENTED, 17),
    (Finding.NO_INFORMATION, 10),
    (Finding.NOT_RELEVANT, 9),
)
#: Refusals and contrary measures, drawn only for the few "contested" criteria of each
#: rubric: a refusal anywhere in a part grades it E, so spreading them over every
#: criterion would make nearly every part E at 500 items per rubric.
_CONTESTED_FINDINGS: Final = (*_FINDINGS, (Finding.REJECTED, 8), (Finding.CONTRARY, 4))

_KINDS: Final = (
    (SourceKind.STATE_PARTY, 45),
    (SourceKind.NGO, 20),
    (SourceKind.NHRI, 8),
    (SourceKind.NPM, 5),
    (SourceKind.UN_BODY, 7),
    (SourceKind.COURT, 5),
    (SourceKind.MEDIA, 7),
    (SourceKind.OTHER, 3),
)


def _weighted(rng: random.Random, table: Sequence[tuple[T, int]]) -> T:
    return rng.choices([v for v, _ in table], weights=[w for _, w in table])[0]


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def make_rubric(index: int, seed: int) -> Rubric:
    """Rubric number *index*: 4 recommendations x 3 parts x 8 criteria."""
    rng = random.Random(f"rubric-{seed}-{index}")
    state, code = _STATES[index % len(_STATES)]
    adopted = _day(rng, dt.date(2005, 1, 1), dt.date(2022, 12, 31))
    paragraphs = sorted(rng.sample(range(5, 40), N_RECOMMENDATIONS))
    recs: list[Recommendation] = []
    for para in paragraphs:
        parts: list[Part] = []
        for p in range(N_PARTS):
            letter = "abcdefgh"[p]
            criteria = tuple(
                Criterion(
                    id=f"{code.lower()}-{para}{letter}-{k}",
                    statement=text(rng, 100),
                    indicator=rng.choice(list(Indicator)),
                    essential=k == 0 or rng.random() < 0.25,
                    weight=rng.choice((1.0, 1.0, 1.0, 2.0, 0.5, 3.0)),
                    evidence=tuple(rng.sample(list(SourceKind), rng.randint(1, 4))),
                    guidance=text(rng, 220),
                    request=text(rng, 150),
                    legal_references=(
                        (
                            LegalReference(
                                instrument="Criminal Code of 1997",
                                article=f"{rng.randint(100, 400)}-{rng.randint(1, 3)}",
                                title=text(rng, 30, cyrillic=0.3),
                            ),
                        )
                        if rng.random() < 0.2
                        else ()
                    ),
                )
                for k in range(N_CRITERIA)
            )
            parts.append(
                Part(
                    id=f"{para}{letter}",
                    label=f"({letter})",
                    title=text(rng, 60),
                    text=text(rng, 250),
                    criteria=criteria,
                )
            )
        recs.append(
            Recommendation(
                id=f"para-{para}",
                paragraph=para,
                title=text(rng, 40),
                articles=tuple(str(a) for a in sorted(rng.sample(range(1, 17), 2))),
                concern=text(rng, 350),
                recommendation=text(rng, 500),
                parts=tuple(parts),
            )
        )
    stated_due = rng.random() < 0.5
    return Rubric(
        id=f"bench-{index:03d}",
        title=f"Concluding observations on the periodic report of {state} ({text(rng, 40)})",
        treaty_body="CAT",
        state_party=state,
        symbol=f"CAT/C/{code}/CO/{rng.randint(2, 5)}",
        session=rng.randint(30, 80),
        adopted=adopted,
        follow_up=FollowUp(
            paragraph=paragraphs[-1] + 5,
            recommendations=tuple(paragraphs),
            within_months=12,
            due=adopted + dt.timedelta(days=366) if stated_due else None,
            text=text(rng, 200),
        ),
        recommendations=tuple(recs),
        scale="cat-2015",
        language="en",
        source_url="https://tbinternet.ohchr.org/",
        notes=text(rng, 300),
    )


def make_evidence(rubric: Rubric, rubric_sha256: str, n_items: int, seed: int) -> EvidenceFile:
    """An evidence file of *n_items* items for *rubric* (1 rubric in 8 has no reply)."""
    index = int(rubric.id.rsplit("-", 1)[1])
    rng = random.Random(f"evidence-{seed}-{index}-{n_items}")
    due = rubric.due
    assert due is not None
    criteria = [c.id for _, _, c in rubric.iter_criteria()]
    parts = [p.id for _, p in rubric.iter_parts()]
    received = index % 8 != 0
    pending = index % 16 == 8  # no reply, and not yet due
    if pending:
        as_of = due - dt.timedelta(days=rng.randint(20, 120))
    else:
        as_of = due + dt.timedelta(days=rng.randint(60, 540))
    reply = (
        Reply(
            received=True,
            date=_day(rng, max(rubric.adopted, due - dt.timedelta(days=60)), as_of),
            symbol=f"{rubric.symbol}/Add.1",
            title=f"Follow-up reply of {rubric.state_party}",
        )
        if received
        else Reply(received=False)
    )
    reminders: tuple[dt.date, ...] = ()
    if not received and not pending:
        reminders = tuple(
            sorted(
                {_day(rng, due + dt.timedelta(days=30), as_of) for _ in range(1 + (index % 3 == 0))}
            )
        )
    titles = {
        kind: [f"{kind.value} document {n}: {text(rng, 60, cyrillic=0.3)}" for n in range(4)]
        for kind, _ in _KINDS
    }
    early = rubric.adopted - dt.timedelta(days=700)
    items: list[Item] = []
    contested = set(rng.sample(criteria, len(criteria) // 32))
    for k in range(n_items):
        kind = _weighted(rng, _KINDS)
        on = tuple(rng.sample(criteria, rng.choices((1, 2, 3), (6, 3, 1))[0]))
        undated = rng.random() < 0.05
        source_date = (
            None if undated else _day(rng, due - dt.timedelta(days=400), as_of + dt.timedelta(30))
        )
        measure = None if rng.random() < 0.5 else _day(rng, early, as_of + dt.timedelta(days=200))
        quote = text(rng, 120, cyrillic=0.35) if rng.random() < 0.35 else None
        summary = None if quote is not None and rng.random() < 0.3 else text(rng, 150)
        items.append(
            Item(
                id=f"{kind.value[0]}{k:05d}",
                criteria=on,
                finding=_weighted(
                    rng, _CONTESTED_FINDINGS if contested.intersection(on) else _FINDINGS
                ),
                source=Source(
                    kind=kind,
                    title=rng.choice(titles[kind]),
                    symbol=f"{rubric.symbol}/Add.1" if kind is SourceKind.STATE_PARTY else None,
                    locator=f"para. {rng.randint(1, 120)}",
                    url=None if rng.random() < 0.6 else f"https://example.org/{index}/{k}",
                    date=source_date,
                ),
                measure_date=measure,
                quote=quote,
                summary=summary,
                illustrative=rng.random() < 0.05,
            )
        )
    overrides: list[Override] = []
    if received and rng.random() < 0.5:
        made = _day(rng, due, as_of)
        overrides.append(
            Override(
                criterion=rng.choice(criteria),
                finding=_weighted(rng, _FINDINGS),
                by="Benchmark analyst",
                date=made,
                reason=text(rng, 120),
            )
        )
        overrides.append(
            Override(
                part=rng.choice(parts),
                grade=rng.choice("ABCE"),
                by="Benchmark analyst",
                date=made,
                reason=text(rng, 120),
                until=made + dt.timedelta(days=rng.randint(0, 400)),
            )
        )
    return EvidenceFile(
        rubric=rubric.id,
        rubric_sha256=rubric_sha256,
        cycle=f"{due.year}–{due.year + 1} follow-up",
        assessor="Benchmark generator",
        as_of=as_of,
        reply=reply,
        reminders=reminders,
        notes=text(rng, 200),
        items=tuple(items),
        overrides=tuple(overrides),
    )


@dataclass
class Corpus:
    """The files written for one run."""

    root: Path
    rubrics: list[Path]
    evidence: dict[int, list[Path]]
    rubric_bytes: int
    evidence_bytes: dict[int, int]
    seconds: float


def write_corpus(root: Path, sizes: Sequence[int], seed: int) -> Corpus:
    """Write the 200 rubrics and, for each size, 200 evidence files into *root*."""
    start = time.perf_counter()
    (root / "rubrics").mkdir(parents=True, exist_ok=True)
    rubric_paths: list[Path] = []
    rubric_bytes = 0
    evidence: dict[int, list[Path]] = {size: [] for size in sizes}
    evidence_bytes = dict.fromkeys(sizes, 0)
    for size in sizes:
        (root / f"evidence-{size}").mkdir(parents=True, exist_ok=True)
    for index in range(N_RUBRICS):
        rubric = make_rubric(index, seed)
        data = cat_rubric.to_yaml(rubric).encode("utf-8")
        path = root / "rubrics" / f"{rubric.id}.yaml"
        path.write_bytes(data)
        rubric_paths.append(path)
        rubric_bytes += len(data)
        digest = hashlib.sha256(data).hexdigest()
        for size in sizes:
            ev = make_evidence(rubric, digest, size // N_RUBRICS, seed)
            ev_data = cat_rubric.to_yaml(ev).encode("utf-8")
            ev_path = root / f"evidence-{size}" / f"{rubric.id}.yaml"
            ev_path.write_bytes(ev_data)
            evidence[size].append(ev_path)
            evidence_bytes[size] += len(ev_data)
    return Corpus(
        root=root,
        rubrics=rubric_paths,
        evidence=evidence,
        rubric_bytes=rubric_bytes,
        evidence_bytes=evidence_bytes,
        seconds=time.perf_counter() - start,
    )


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


def assess_all(rubrics: Sequence[Rubric], evidence: Sequence[EvidenceFile]) -> int:
    """Assess every rubric on its evidence file; the number of part results (a checksum)."""
    parts = 0
    for rubric, ev in zip(rubrics, evidence, strict=True):
        result = cat_rubric.assess(rubric, [ev])
        parts += sum(len(r.parts) for r in result.recommendations)
    return parts


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


def import_times(env: dict[str, str]) -> list[tuple[str, int, int]]:
    """``(module, self µs, cumulative µs)`` for ``-X importtime -m cat_rubric --version``."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cat_rubric", "--version"],
        capture_output=True,
        text=True,
        env=env,
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


def startup_medians(runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time of ``-m cat_rubric --version`` and of importing yaml, attrs, cattrs."""
    cli = [sys.executable, "-m", "cat_rubric", "--version"]
    bare = [sys.executable, "-c", "import yaml, attrs, cattrs"]
    times: dict[int, list[float]] = {0: [], 1: []}
    for warm in (cli, bare):  # write bytecode caches, warm the page cache
        subprocess.run(warm, capture_output=True, env=env, check=True)
    for _ in range(runs):  # interleaved, so drift in machine load hits both alike
        for which, cmd in enumerate((cli, bare)):
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env, check=True)
            times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


# -- the report ----------------------------------------------------------------------


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
    growth: dict[str, Any] = field(default_factory=dict)
    memory: dict[str, Any] = field(default_factory=dict)
    startup: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISS"


def mib(n: int) -> float:
    return n / (1024 * 1024)


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
    seconds, parts = best_of(repeat, lambda: assess_all(loaded.rubrics, loaded.evidence))
    per_item = seconds / size * 1e6
    print(
        f"assess        {size:>7} items: {seconds:6.2f} s = {per_item:.2f} µs/item "
        f"({parts} parts graded; {seconds / len(loaded.rubrics) * 1e3:.1f} ms/rubric)"
    )
    report.assess[str(size)] = {
        "seconds": seconds,
        "us_per_item": per_item,
        "ms_per_rubric": seconds / len(loaded.rubrics) * 1e3,
        "parts": parts,
    }
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
    with tempfile.TemporaryDirectory(prefix="cat-rubric-pycache-") as pycache:
        env = cached_env(Path(pycache))
        cli, bare = startup_medians(runs, env)
        rows = import_times(env)
    ratio = cli / bare
    print(
        f"CLI start-up (median of {runs}, bytecode cached): python -m cat_rubric --version "
        f'{cli * 1e3:.0f} ms vs python -c "import yaml, attrs, cattrs" {bare * 1e3:.0f} ms '
        f"= {ratio:.2f}× (no target)"
    )
    report.startup = {
        "runs": runs,
        "cli_version_ms": cli * 1e3,
        "bare_imports_ms": bare * 1e3,
        "ratio": ratio,
    }
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        raw_cli, raw_bare = startup_medians(runs, child_env())
        print(
            f"    as this environment runs it (PYTHONDONTWRITEBYTECODE set: cat_rubric is "
            f"compiled from source every time): {raw_cli * 1e3:.0f} ms vs "
            f"{raw_bare * 1e3:.0f} ms = {raw_cli / raw_bare:.2f}×"
        )
        report.startup["uncached"] = {
            "cli_version_ms": raw_cli * 1e3,
            "bare_imports_ms": raw_bare * 1e3,
            "ratio": raw_cli / raw_bare,
        }
    slowest = sorted(rows, key=lambda r: -r[1])[:6]
    print(
        "    slowest imports of --version (self time): "
        + ", ".join(f"{name} {own / 1e3:.1f} ms" for name, own, _ in slowest)
    )
    report.startup["slowest_imports_ms"] = {name: own / 1e3 for name, own, _ in slowest}
    lib = imported_modules("import cat_rubric")
    cli_mods = {name.split(".", 1)[0] for name, _, _ in rows}
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


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default="10000,100000",
        help="total evidence items per corpus, comma-separated (default 10000,100000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="best of N in-process runs")
    parser.add_argument("--cli-runs", type=int, default=15, help="runs for the start-up median")
    parser.add_argument("--seed", type=int, default=20081118, help="corpus seed")
    parser.add_argument(
        "--out", type=Path, help="write the corpus here (kept) instead of a temp dir"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: sizes 2000,20000, repeat 1, 5 CLI runs, 20 pairs for parser='python'",
    )
    parser.add_argument(
        "--python-pairs",
        type=int,
        default=N_RUBRICS,
        help="rubric/evidence pairs for the pure-Python parser comparison (default all 200)",
    )
    parser.add_argument(
        "--no-python-parser",
        action="store_true",
        help="skip the pure-Python parser comparison (the slowest part)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "2000,20000", 1
        if args.cli_runs == parser.get_default("cli_runs"):
            args.cli_runs = 5
        if args.python_pairs == parser.get_default("python_pairs"):
            args.python_pairs = 20
    try:
        sizes = sorted({int(s) for s in str(args.sizes).split(",") if s.strip()})
    except ValueError:
        parser.error(f"--sizes: expected comma-separated whole numbers, got {args.sizes!r}")
    if not sizes or any(s < N_RUBRICS or s % N_RUBRICS for s in sizes):
        parser.error(f"--sizes: each size must be a positive multiple of {N_RUBRICS}")
    if args.repeat < 1 or args.cli_runs < 1:
        parser.error("--repeat and --cli-runs must be at least 1")
    if not 1 <= args.python_pairs <= N_RUBRICS:
        parser.error(f"--python-pairs must be between 1 and {N_RUBRICS}")
    args.sizes = sizes
    return args


def run(args: argparse.Namespace, root: Path) -> Report:
    sizes: list[int] = args.sizes
    report = Report()
    parser = "c" if cat_rubric.HAVE_LIBYAML else "auto"
    report.environment = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyyaml": yaml.__version__,
        "libyaml": cat_rubric.HAVE_LIBYAML,
        "yaml_loader": FAST_LOADER_NAME,
        "parser": parser,
        "repeat": args.repeat,
        "seed": args.seed,
        "sizes": sizes,
    }
    print(
        f"cat_rubric benchmark — Python {report.environment['python']}, PyYAML {yaml.__version__}"
        f" (libyaml {'yes' if cat_rubric.HAVE_LIBYAML else 'no'}), {os.cpu_count()} CPUs, "
        f"parser={parser!r}, best of {args.repeat}, seed {args.seed}"
    )
    corpus = write_corpus(root, sizes, args.seed)
    # Flush the corpus to disk before timing anything, so that writing back ~70 MiB
    # cannot overlap the first figures (the smallest size's) and skew growth ratios.
    os.sync()
    n_crit = N_RUBRICS * N_RECOMMENDATIONS * N_PARTS * N_CRITERIA
    print(
        f"corpus: {N_RUBRICS} rubrics × {N_RECOMMENDATIONS} recommendations × {N_PARTS} parts × "
        f"{N_CRITERIA} criteria = {n_crit:,} criteria ({mib(corpus.rubric_bytes):.1f} MiB); "
        + ", ".join(f"{s:,} items ({mib(corpus.evidence_bytes[s]):.1f} MiB)" for s in sizes)
        + f"; written in {corpus.seconds:.1f} s to {root}"
    )
    report.corpus = {
        "rubrics": N_RUBRICS,
        "criteria": n_crit,
        "rubric_mib": mib(corpus.rubric_bytes),
        "evidence_mib": {str(s): mib(b) for s, b in corpus.evidence_bytes.items()},
        "generate_seconds": corpus.seconds,
    }
    print()
    for size in sizes:
        loaded = measure_load(report, corpus, size, args.repeat, parser)
        measure_assess(report, loaded, size, args.repeat)
        del loaded
    # Stated per 100,000 items: the target is "100,000 items in under 1 s".
    top = report.assess[str(sizes[-1])]
    ok = top["us_per_item"] <= ASSESS_US_PER_ITEM_TARGET
    report.targets.append(
        Target(
            f"assess {sizes[-1]} items",
            f"{top['seconds']:.2f} s ({top['us_per_item']:.2f} µs/item)",
            f"≤ {ASSESS_US_PER_ITEM_TARGET:g} µs/item (100k < 1 s)",
            ok,
        )
    )
    if not args.no_python_parser:
        print()
        measure_load_python(report, corpus, sizes[0], args.repeat, args.python_pairs)
    if len(sizes) > 1:
        print()
        measure_growth(report, sizes)
        measure_growth_interleaved(report, corpus, sizes, args.repeat, parser)
        factor = sizes[-1] // sizes[0]
        measure_growth_by_files(report, corpus, sizes[0], factor, args.repeat, parser)
    print()
    measure_memory(report, corpus, sizes[-1])
    print()
    measure_startup(report, args.cli_runs)
    print_summary(report.targets)
    return report


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        report = run(args, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="cat-rubric-bench-") as tmp:
            report = run(args, Path(tmp))
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(report), indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
