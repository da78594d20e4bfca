"""The benchmark stays runnable: its corpus generator makes files the library accepts."""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from pathlib import Path

import attrs
import pytest

import cat_rubric
import cat_rubric.evidence
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench
import corpus
import floor
import measures
import report


class TestCorpus:
    def test_generated_files_load_and_assess(self, tmp_path: Path) -> None:
        """A few generated rubric/evidence pairs round-trip through YAML and assess."""
        for index in (0, 7):  # rubric 7 is one of the no-reply ones
            rubric = corpus.make_rubric(index, seed=1)
            rubric_text = cat_rubric.to_yaml(rubric).encode("utf-8")
            digest = hashlib.sha256(rubric_text).hexdigest()
            evidence = corpus.make_evidence(rubric, digest, 50, seed=1)
            (tmp_path / "r.yaml").write_bytes(rubric_text)
            (tmp_path / "e.yaml").write_text(cat_rubric.to_yaml(evidence), encoding="utf-8")
            loaded = cat_rubric.load_rubric(tmp_path / "r.yaml")
            assert loaded == rubric
            assert cat_rubric.load_evidence(tmp_path / "e.yaml", rubric=loaded) == evidence
            result = cat_rubric.assess(loaded, evidence)
            assert len(result.parts) == 12
            assert {u.item for u in result.items} == {i.id for i in evidence.items}

    def test_generator_is_deterministic(self) -> None:
        """The same seed gives the same corpus."""
        one = corpus.make_evidence(corpus.make_rubric(3, seed=5), "x", 20, seed=5)
        two = corpus.make_evidence(corpus.make_rubric(3, seed=5), "x", 20, seed=5)
        assert one == two


def _small_corpus(root: Path, sizes: dict[int, int]) -> corpus.Corpus:
    """Two rubrics, and per size two evidence files of the given number of items."""
    rubrics: list[Path] = []
    evidence: dict[int, list[Path]] = {size: [] for size in sizes}
    for index in (0, 1):
        rubric = corpus.make_rubric(index, seed=2)
        data = cat_rubric.to_yaml(rubric).encode("utf-8")
        path = root / f"r{index}.yaml"
        path.write_bytes(data)
        rubrics.append(path)
        for size, items in sizes.items():
            ev = corpus.make_evidence(rubric, hashlib.sha256(data).hexdigest(), items, seed=2)
            ev_path = root / f"e{index}-{size}.yaml"
            ev_path.write_text(cat_rubric.to_yaml(ev), encoding="utf-8")
            evidence[size].append(ev_path)
    return corpus.Corpus(root, rubrics, evidence, 0, dict.fromkeys(sizes, 0), 0.0)


def _loaded(root: Path, items: int) -> measures.Loaded:
    """Rubrics 0-15 (two with no reply: one overdue, one pending) and their evidence, loaded."""
    rubrics: list[cat_rubric.Rubric] = []
    evidence: list[cat_rubric.EvidenceFile] = []
    for index in range(16):
        rubric = corpus.make_rubric(index, seed=3)
        data = cat_rubric.to_yaml(rubric).encode("utf-8")
        (root / f"r{index}.yaml").write_bytes(data)
        ev = corpus.make_evidence(rubric, hashlib.sha256(data).hexdigest(), items, seed=3)
        (root / f"e{index}.yaml").write_text(cat_rubric.to_yaml(ev), encoding="utf-8")
        rubrics.append(cat_rubric.load_rubric(root / f"r{index}.yaml"))
        evidence.append(cat_rubric.load_evidence(root / f"e{index}.yaml", rubric=rubrics[-1]))
    return measures.Loaded(rubrics, evidence, 0.0, 0.0)


class TestMeasures:
    def test_growth_interleaved(self, tmp_path: Path) -> None:
        """The interleaved growth figure is held to the target."""
        small = _small_corpus(tmp_path, {20: 10, 400: 200})
        rep = report.Report()
        measures.measure_growth_interleaved(rep, small, [20, 400], 1, "auto")
        growth = rep.growth["load (evidence files, interleaved)"]
        assert growth["item_ratio"] == 20
        assert growth["time_ratio"] > 0
        assert [t.name for t in rep.targets] == ["growth load (evidence, interleaved)"]
        assert rep.targets[0].ok == (growth["time_ratio"] <= 22)

    def test_quick_run_arguments(self) -> None:
        """--quick keeps its documented sizes and repeats; sizes are checked."""
        args = bench.parse_args(["--quick"])
        assert (args.sizes, args.repeat, args.cli_runs, args.python_pairs) == (
            [2000, 20000],
            1,
            5,
            20,
        )
        with pytest.raises(SystemExit):
            bench.parse_args(["--sizes", "300"])


class TestFloor:
    def test_floor_agrees_with_assess(self, tmp_path: Path) -> None:
        """The hand-written floor gives the library's grade and score on every part."""
        loaded = _loaded(tmp_path, 300)
        results = measures.assess_kept(loaded.rubrics, loaded.evidence)
        plain = measures.plain_models(loaded.rubrics, loaded.evidence)
        floor_results = measures.floor_all(plain)
        names = [r.id for r in loaded.rubrics]
        assert floor.disagreements(measures.library_grades(results), floor_results, names) == []
        assert measures.check_floor(results, floor_results, names) == 16 * 12
        grades = {p.grade for a in results for p in a.parts}
        assert {"A", "B", "C", "D", "E", None} <= grades  # every branch of the status is reached

    def test_floor_agrees_on_successive_rounds(self, tmp_path: Path) -> None:
        """Two evidence files of one cycle, as of different dates, are graded together."""
        loaded = _loaded(tmp_path, 200)
        library: list[floor.Graded] = []
        ours: list[floor.Graded] = []
        for rubric, ev in zip(loaded.rubrics, loaded.evidence, strict=True):
            half = len(ev.items) // 2
            early = attrs.evolve(
                ev,
                as_of=ev.as_of - dt.timedelta(days=90),
                items=ev.items[:half],
                reminders=ev.reminders[:1],
            )
            late = attrs.evolve(ev, items=ev.items[half:], overrides=(), reminders=())
            if ev.reply is not None and ev.reply.received:
                assert ev.reply.date is not None
                if ev.reply.date > early.as_of:  # not yet received in the first round
                    early = attrs.evolve(early, reply=cat_rubric.evidence.Reply(received=False))
            result = cat_rubric.assess(rubric, [early, late])
            library.extend(measures.library_grades([result]))
            plain = [floor.plain_evidence(early), floor.plain_evidence(late)]
            scale = floor.plain_scale(cat_rubric.load_scale(rubric.scale))
            ours.append(floor.grade(floor.plain_rubric(rubric), plain, scale))
        assert floor.disagreements(library, ours, [r.id for r in loaded.rubrics]) == []

    def test_a_disagreement_fails_loudly(self, tmp_path: Path) -> None:
        """A floor that differs from the library on one part stops the run."""
        loaded = _loaded(tmp_path, 20)
        results = measures.assess_kept(loaded.rubrics, loaded.evidence)
        floor_results = measures.floor_all(measures.plain_models(loaded.rubrics, loaded.evidence))
        parts = floor_results[0][0]
        part_id, grade, score = parts[0]
        parts[0] = (part_id, "E" if grade != "E" else "A", score)
        with pytest.raises(floor.FloorDisagreementError, match=f"part {part_id}"):
            measures.check_floor(results, floor_results, [r.id for r in loaded.rubrics])

    def test_measure_assess_reports_the_ratios(self, tmp_path: Path) -> None:
        """One run reports assess against the floor, explained, and kept against discarded."""
        loaded = _loaded(tmp_path, 20)
        rep = report.Report()
        measures.measure_assess(rep, loaded, 16 * 20, 1)
        names = [t.name for t in rep.targets]
        assert names == [
            "assess 320 items ÷ floor",
            "assess+explanations 320 items ÷ floor",
            "assess kept ÷ discarded 320 items",
        ]
        assert rep.floor["320"]["parts_checked"] == 16 * 12
        assert all(rep.floor["320"][k] > 0 for k in ("kept_vs_floor", "explained_vs_floor"))
