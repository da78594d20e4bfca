"""The benchmark stays runnable: its corpus generator makes files the library accepts."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import cat_rubric
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import bench


class TestCorpus:
    def test_generated_files_load_and_assess(self, tmp_path: Path) -> None:
        """A few generated rubric/evidence pairs round-trip through YAML and assess."""
        for index in (0, 7):  # rubric 7 is one of the no-reply ones
            rubric = bench.make_rubric(index, seed=1)
            rubric_text = cat_rubric.to_yaml(rubric).encode("utf-8")
            digest = hashlib.sha256(rubric_text).hexdigest()
            evidence = bench.make_evidence(rubric, digest, 50, seed=1)
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
        one = bench.make_evidence(bench.make_rubric(3, seed=5), "x", 20, seed=5)
        two = bench.make_evidence(bench.make_rubric(3, seed=5), "x", 20, seed=5)
        assert one == two


def _small_corpus(root: Path, sizes: dict[int, int]) -> bench.Corpus:
    """Two rubrics, and per size two evidence files of the given number of items."""
    rubrics: list[Path] = []
    evidence: dict[int, list[Path]] = {size: [] for size in sizes}
    for index in (0, 1):
        rubric = bench.make_rubric(index, seed=2)
        data = cat_rubric.to_yaml(rubric).encode("utf-8")
        path = root / f"r{index}.yaml"
        path.write_bytes(data)
        rubrics.append(path)
        for size, items in sizes.items():
            ev = bench.make_evidence(rubric, hashlib.sha256(data).hexdigest(), items, seed=2)
            ev_path = root / f"e{index}-{size}.yaml"
            ev_path.write_text(cat_rubric.to_yaml(ev), encoding="utf-8")
            evidence[size].append(ev_path)
    return bench.Corpus(root, rubrics, evidence, 0, dict.fromkeys(sizes, 0), 0.0)


class TestMeasures:
    def test_growth_interleaved(self, tmp_path: Path) -> None:
        """The interleaved growth figure is held to the target."""
        corpus = _small_corpus(tmp_path, {20: 10, 400: 200})
        report = bench.Report()
        bench.measure_growth_interleaved(report, corpus, [20, 400], 1, "auto")
        growth = report.growth["load (evidence files, interleaved)"]
        assert growth["item_ratio"] == 20
        assert growth["time_ratio"] > 0
        assert [t.name for t in report.targets] == ["growth load (evidence, interleaved)"]
        assert report.targets[0].ok == (growth["time_ratio"] <= 22)
