"""cat_rubric benchmark: load+validate, assess against a floor, growth, memory and start-up.

A report, not a test: it prints figures and ratios against the targets, and exits 0
even when a target is missed (non-zero only if the run itself fails, or if the floor
and the library disagree on a grade or a score).

    PYTHONPATH=src python benchmarks/bench.py                # sizes 10000,100000
    PYTHONPATH=src python benchmarks/bench.py --quick        # smoke run, sizes 2000,20000
    PYTHONPATH=src python benchmarks/bench.py --json out.json --out benchmarks/out

This file parses the arguments and runs the measures in order. The rest is in
``corpus.py`` (the synthetic corpus), ``measures.py`` (what is timed and how),
``floor.py`` (the hand-written floor for assess) and ``report.py`` (targets, summary).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import yaml

import cat_rubric
import cat_rubric.limits
from corpus import N_CRITERIA, N_PARTS, N_RECOMMENDATIONS, N_RUBRICS, write_corpus
from measures import (
    FAST_LOADER_NAME,
    measure_assess,
    measure_growth,
    measure_growth_by_files,
    measure_growth_interleaved,
    measure_load,
    measure_load_python,
    measure_memory,
    measure_startup,
)
from report import ASSESS_US_PER_ITEM_TARGET, Report, Target, mib, print_summary


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
    parser = "c" if cat_rubric.limits.HAVE_LIBYAML else "auto"
    report.environment = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "pyyaml": yaml.__version__,
        "libyaml": cat_rubric.limits.HAVE_LIBYAML,
        "yaml_loader": FAST_LOADER_NAME,
        "parser": parser,
        "repeat": args.repeat,
        "seed": args.seed,
        "sizes": sizes,
    }
    print(
        f"cat_rubric benchmark — Python {report.environment['python']}, PyYAML {yaml.__version__}"
        f" (libyaml {'yes' if cat_rubric.limits.HAVE_LIBYAML else 'no'}), {os.cpu_count()} CPUs, "
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
