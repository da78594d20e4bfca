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
