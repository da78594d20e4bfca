"""One rule for names: a bundled id is never shadowed by a file, and a path is a path.

Each test sets up the trap the rule exists for (a file or directory in the current
directory named like a bundled id, a rubric naming a path as its scale) and checks
that what is loaded, and what the assessment records, is what the name means.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import LoadError, NotFoundError
from cat_rubric._resolve import Kind, is_path, resolve
from cat_rubric.exceptions import KeyPath
from tests.conftest import BUNDLED, EXAMPLES, ROOT, Run

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
SCALE = ROOT / "src" / "cat_rubric" / "scales" / "cat-2015.yaml"


@pytest.fixture(name="here")
def _here(tmp_path: Path) -> Iterator[Path]:
    """A fresh current directory."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _all_a_scale() -> str:
    """The bundled cat-2015 scale, doctored so that every outcome gets an A."""
    text = SCALE.read_text(encoding="utf-8")
    head, rules = text.split("\nrules:", 1)
    lines = [
        line.split(":")[0] + ": A" if line.startswith("  ") else line for line in rules.split("\n")
    ]
    return head + "\nrules:" + "\n".join(lines)


class TestTheRule:
    @given(st.text(min_size=1, max_size=30))
    def test_a_name_is_a_path_exactly_when_it_looks_like_one(self, name: str) -> None:
        """A name with a '/' or a .yaml/.yml ending is a path; nothing else is."""
        looks = "/" in name or name.endswith((".yaml", ".yml")) or (os.sep in name)
        assert is_path(name) == looks
        assert is_path(Path(name or "x"))

    def test_bundled_ids_are_not_paths(self) -> None:
        """Every bundled id is read as an id, so it can always be named."""
        for kind in Kind:
            for name in resolve.__globals__["bundled"](kind):
                assert not is_path(name)
                assert resolve(kind, name).bundled


class TestNoShadowing:
    def test_a_file_named_like_a_scale_does_not_replace_it(self, here: Path, run: Run) -> None:
        """A file `cat-2015` in the current directory is not the bundled scale."""
        (here / "cat-2015").write_text(_all_a_scale(), encoding="utf-8")
        status, out, _ = run("score", "cat-kaz-co-2", STATE, NGO, "--format", "json")
        assert status == 0
        grades = [p["grade"] for r in json.loads(out)["recommendations"] for p in r["parts"]]
        assert grades.count("A") == 1
        record = json.loads(out)["record"]["scale_file"]
        assert record["bundled"] is True
        assert record["sha256"] == cat_rubric.load_scale("cat-2015").origin.sha256  # type: ignore[union-attr]

    def test_the_file_is_used_when_named_as_a_path(self, here: Path, run: Run) -> None:
        """./cat-2015 is the file, and the record says so, with its own sha256."""
        (here / "cat-2015").write_text(_all_a_scale(), encoding="utf-8")
        status, out, _ = run(
            "score", "cat-kaz-co-2", STATE, "--scale", "./cat-2015", "--format", "json"
        )
        assert status == 0
        data = json.loads(out)
        grades = [p["grade"] for r in data["recommendations"] for p in r["parts"]]
        assert set(grades) == {"A"}
        assert data["record"]["scale_file"]["bundled"] is False
        assert data["record"]["scale_file"]["file"] == "./cat-2015"
        assert data["record"]["scale_file"]["sha256"] != (
            cat_rubric.load_scale("cat-2015").origin.sha256  # type: ignore[union-attr]
        )

    def test_the_table_header_shows_which_scale(self, here: Path, run: Run) -> None:
        """A swapped scale is visible in the table too, not only in the JSON."""
        (here / "cat-2015").write_text(_all_a_scale(), encoding="utf-8")
        _, bundled, _ = run("score", "cat-kaz-co-2", STATE)
        _, swapped, _ = run("score", "cat-kaz-co-2", STATE, "--scale", "./cat-2015")
        assert "(bundled" in bundled.splitlines()[2]
        assert "./cat-2015" in swapped.splitlines()[2]

    @pytest.mark.parametrize("make", ["dir", "file"])
    def test_a_file_or_directory_named_like_a_rubric(self, here: Path, run: Run, make: str) -> None:
        """A directory or file `cat-kaz-co-2` here changes nothing about the bundled rubric."""
        target = here / "cat-kaz-co-2"
        if make == "dir":
            target.mkdir()
        else:
            target.write_text("not: a rubric\n", encoding="utf-8")
        assert cat_rubric.load_rubric("cat-kaz-co-2").origin.bundled  # type: ignore[union-attr]
        status, out, _ = run("show", "cat-kaz-co-2")
        assert status == 0
        assert "CAT/C/KAZ/CO/2" in out

    def test_an_unknown_id_with_a_file_of_that_name_says_how(self, here: Path) -> None:
        """Not bundled, but a file of that name exists: the error says to write ./NAME."""
        shutil.copy(BUNDLED, here / "mine")
        with pytest.raises(NotFoundError, match=r"write \./mine"):
            cat_rubric.load_rubric("mine")
        assert cat_rubric.load_rubric("./mine").id == "cat-kaz-co-2"
        assert cat_rubric.load_rubric(Path("mine")).id == "cat-kaz-co-2"

    def test_scales_follow_the_same_rule(self, here: Path) -> None:
        """load_scale: an id is bundled or unknown; a path is a file."""
        (here / "ccpr-2016").write_text(_all_a_scale(), encoding="utf-8")
        assert cat_rubric.load_scale("ccpr-2016").id == "ccpr-2016"
        assert cat_rubric.load_scale("./ccpr-2016").id == "cat-2015"
        with pytest.raises(NotFoundError, match="not the id of a bundled scale"):
            cat_rubric.load_scale("nope")


class TestRubricScaleKey:
    @pytest.mark.parametrize("value", ["/etc/passwd", "/dev/stdin", "my-scale.yaml", "../s.yml"])
    def test_a_path_is_refused(self, value: str) -> None:
        """A rubric names its scale by id; a path is a located problem, never read."""
        text = BUNDLED.read_text(encoding="utf-8").replace("scale: cat-2015", f"scale: {value}")
        assert f"scale: {value}" in text
        with pytest.raises(LoadError) as info:
            cat_rubric.parse_rubric(text)
        [problem] = info.value.problems
        assert problem.path == KeyPath(("scale",))
        assert problem.code == "bad-id"
        assert "--scale" in problem.message
        assert "root:" not in str(info.value)  # nothing of /etc/passwd is shown

    def test_an_unbundled_id_needs_the_scale_given(self, tmp_path: Path) -> None:
        """A rubric naming a scale that is not bundled is assessed only with the scale given."""
        text = BUNDLED.read_text(encoding="utf-8").replace("scale: cat-2015", "scale: my-own")
        rubric = cat_rubric.parse_rubric(text)
        reply = cat_rubric.load_evidence(STATE)
        with pytest.raises(NotFoundError, match=r"my-own.*--scale"):
            cat_rubric.assess(rubric, [reply])
        scale = tmp_path / "my-own.yaml"
        scale.write_text(SCALE.read_text(encoding="utf-8"), encoding="utf-8")
        result = cat_rubric.assess(rubric, [reply], scale=cat_rubric.load_scale(scale))
        assert result.record.scale_file.file == str(scale)

    def test_the_scale_file_is_an_input(self, tmp_path: Path, run: Run) -> None:
        """-o naming the scale file given is refused, even with --force."""
        scale = tmp_path / "s.yaml"
        scale.write_text(SCALE.read_text(encoding="utf-8"), encoding="utf-8")
        before = scale.read_bytes()
        status, _, err = run(
            "score", "cat-kaz-co-2", STATE, "--scale", str(scale), "-o", str(scale), "--force"
        )
        assert status == 1
        assert "input" in err
        assert scale.read_bytes() == before


class TestRecord:
    def test_every_assessment_records_the_scale_it_used(self) -> None:
        """Bundled, from a file, or built in memory: the record carries its sha256."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        reply = cat_rubric.load_evidence(STATE, rubric=rubric)
        bundled = cat_rubric.assess(rubric, [reply]).record.scale_file
        assert bundled.bundled
        assert bundled.file == "cat-2015"
        import hashlib

        assert bundled.sha256 == hashlib.sha256(SCALE.read_bytes()).hexdigest()
        import attrs

        scale = cat_rubric.load_scale("cat-2015")
        memory = attrs.evolve(scale, origin=None, title="Changed in memory")
        record = cat_rubric.assess(rubric, [reply], scale=memory).record.scale_file
        assert record.file == "<in memory>"
        assert record.sha256 not in (bundled.sha256, "")


class TestRecordOfEvolvedModels:
    """A model evolved from a loaded one keeps the file's origin; the record must not
    claim the file's sha256 for other content."""

    def test_evolved_copied_and_orphaned(self, tmp_path: Path) -> None:
        import copy
        import gc

        import attrs

        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        reply = cat_rubric.load_evidence(STATE, rubric=rubric)
        assert reply.origin is not None
        assert rubric.origin is not None

        def evidence_record(files: list[cat_rubric.EvidenceFile]) -> tuple[str, str]:
            record = cat_rubric.assess(rubric, files).record.evidence[0]
            return record.file, record.sha256

        as_file = (reply.origin.file, reply.origin.sha256)
        assert evidence_record([reply]) == as_file
        assert evidence_record([copy.deepcopy(reply)]) == as_file  # the same content
        fewer = attrs.evolve(reply, items=reply.items[1:])
        file, digest = evidence_record([fewer])
        assert file == "<in memory>"
        assert digest != reply.origin.sha256
        assert attrs.evolve(fewer, items=reply.items) == reply
        assert evidence_record([attrs.evolve(fewer, items=reply.items)]) == as_file
        # A rubric whose weight an analyst changed to see what follows.
        part = rubric.recommendations[0].parts[0]
        lighter = attrs.evolve(part.criteria[0], weight=part.criteria[0].weight + 1)
        changed = attrs.evolve(
            rubric,
            recommendations=(
                attrs.evolve(
                    rubric.recommendations[0],
                    parts=(
                        attrs.evolve(part, criteria=(lighter, *part.criteria[1:])),
                        *rubric.recommendations[0].parts[1:],
                    ),
                ),
                *rubric.recommendations[1:],
            ),
        )
        assert cat_rubric.assess(changed, [reply]).record.rubric.file == "<in memory>"
        # Comparing the two versions names them the same way.
        sides = cat_rubric.compare_rubrics(rubric, changed)
        assert (sides.old.file, sides.old.sha256) == (rubric.origin.file, rubric.origin.sha256)
        assert sides.new.file == "<in memory>"
        assert sides.new.sha256 != rubric.origin.sha256
        # When nothing loaded from the file lives, a copy's content is not known to be it
        # (a file of its own, which no other test holds loaded).
        path = tmp_path / "reply.yaml"
        path.write_bytes(Path(STATE).read_bytes())
        loaded = cat_rubric.load_evidence(path, rubric=rubric)
        alone = copy.deepcopy(loaded)
        assert evidence_record([alone])[0] == str(path)
        del loaded
        gc.collect()
        assert evidence_record([alone])[0] == "<in memory>"


class TestExplainPart:
    def test_a_part_and_a_file_of_that_name_is_refused(self, here: Path, run: Run) -> None:
        """`explain RUBRIC EVIDENCE 9b` with a file `9b` here: refused, with both ways out."""
        (here / "9b").write_text("x: 1\n", encoding="utf-8")
        status, _, err = run("explain", "cat-kaz-co-2", STATE, "9b")
        assert status == 1
        assert "--part 9b" in err
        assert "./9b" in err
        status, out, _ = run("explain", "cat-kaz-co-2", STATE, "--part", "9b")
        assert status == 0
        assert "== part 9b" in out

    def test_a_part_is_a_part(self, here: Path, run: Run) -> None:
        """With no such file, the last argument naming a part explains that part only."""
        status, out, _ = run("explain", "cat-kaz-co-2", STATE, "9b")
        assert status == 0
        assert out.count("== part ") == 1

    def test_neither_part_nor_file(self, here: Path, run: Run) -> None:
        """A last argument that is neither says so, listing the parts."""
        status, _, err = run("explain", "cat-kaz-co-2", STATE, "9x")
        assert status == 1
        assert "neither a part" in err
        assert "29d" in err
