"""rubric_sha256 kept honest: `cat-rubric rehash` after a rubric edit."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import LoadError, load_rubric, parse_evidence, parse_rubric
from cat_rubric._rehash import from_git, rehash, set_rubric_sha256
from cat_rubric.testing import evidence_files
from tests.conftest import MINIMAL, MINIMAL_EVIDENCE, Run

RUBRIC = parse_rubric(MINIMAL)
DIGEST = hashlib.sha256(MINIMAL.encode()).hexdigest()
OTHER = "ab" * 32
#: The minimal evidence with what a rehash must leave as written: comments, quotes.
EVIDENCE = "# Evidence on the minimal rubric (a comment that must survive).\n" + (
    MINIMAL_EVIDENCE.replace(
        "rubric: test-minimal\n", "rubric: test-minimal   # the rubric's id\n"
    ).replace("cycle: 2014 follow-up\n", "cycle: '2014 follow-up'\n")
)
assert "# the rubric's id" in EVIDENCE
assert "'2014 follow-up'" in EVIDENCE
HAVE_GIT = shutil.which("git") is not None


def flat(text: str) -> str:
    """*text* with its line wrapping undone, to read a message whatever the width."""
    return " ".join(text.split())


def with_hash(value: str, text: str = EVIDENCE) -> str:
    """*text* with a rubric_sha256 line (written as *value*) after rubric:."""
    first, rest = text.split("cycle:", 1)
    return f"{first}rubric_sha256: {value}\ncycle:{rest}"


def changed(lines_before: str, lines_after: str) -> list[tuple[str, str]]:
    """The lines that differ, pairwise (the texts must have as many lines)."""
    a, b = lines_before.splitlines(keepends=True), lines_after.splitlines(keepends=True)
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


class TestTheEdit:
    """Only the value of rubric_sha256 changes; every other character stays."""

    @pytest.mark.parametrize(
        ("written", "expected"),
        [
            (OTHER, DIGEST),
            (f'"{OTHER}"', f'"{DIGEST}"'),
            (f"'{OTHER}'", f"'{DIGEST}'"),
            (f"{OTHER}   # gathered in June", f"{DIGEST}   # gathered in June"),
            ("~", DIGEST),
            ("null  # not yet", f"{DIGEST}  # not yet"),
        ],
    )
    def test_the_value_is_replaced_in_its_quotes(self, written: str, expected: str) -> None:
        before = with_hash(written)
        after = set_rubric_sha256(before, DIGEST)
        ((old, new),) = changed(before, after)
        assert (old, new) == (f"rubric_sha256: {written}\n", f"rubric_sha256: {expected}\n")
        assert parse_evidence(after, rubric=RUBRIC).rubric_sha256 == DIGEST

    def test_an_empty_value_is_filled(self) -> None:
        before = with_hash("").replace("rubric_sha256: \n", "rubric_sha256:\n")
        ((old, new),) = changed(before, set_rubric_sha256(before, DIGEST))
        assert (old, new) == ("rubric_sha256:\n", f"rubric_sha256: {DIGEST}\n")

    def test_a_missing_key_goes_after_rubric(self) -> None:
        """Inserted on the line after 'rubric:', its comment kept on that line."""
        after = set_rubric_sha256(EVIDENCE, DIGEST)
        lines = after.splitlines()
        assert lines[1] == "rubric: test-minimal   # the rubric's id"
        assert lines[2] == f"rubric_sha256: {DIGEST}"
        assert after.replace(f"rubric_sha256: {DIGEST}\n", "") == EVIDENCE

    def test_line_ends_are_kept(self) -> None:
        crlf = EVIDENCE.replace("\n", "\r\n")
        after = set_rubric_sha256(crlf, DIGEST)
        assert f"rubric_sha256: {DIGEST}\r\n" in after
        assert "\n" not in after.replace("\r\n", "")

    def test_a_file_that_ends_on_rubric(self) -> None:
        assert set_rubric_sha256("rubric: x", DIGEST) == f"rubric: x\nrubric_sha256: {DIGEST}"

    def test_a_mapping_in_braces(self) -> None:
        text = f"{{rubric: test-minimal, rubric_sha256: {OTHER}, cycle: x}}\n"
        assert set_rubric_sha256(text, DIGEST) == text.replace(OTHER, DIGEST)

    @pytest.mark.parametrize(
        "text",
        [
            with_hash(f"|\n  {OTHER}"),
            with_hash(f">-\n  {OTHER}"),
            with_hash(f'"{OTHER[:10]}\n  {OTHER[10:]}"'),
            with_hash("[a, b]"),
            "{rubric: test-minimal, cycle: x}\n",
            "- not a mapping\n",
            "cycle: x\n",
        ],
    )
    def test_what_cannot_be_edited_in_place_is_refused(self, text: str) -> None:
        """A block, two lines, a list, no rubric: key: a clear problem, never a rewrite."""
        with pytest.raises(LoadError) as info:
            set_rubric_sha256(text, DIGEST, file="e.yaml")
        (p,) = info.value.problems
        assert p.code == "rehash-by-hand"
        assert "edit it by hand" in p.message

    def test_only_a_sha256_is_written(self) -> None:
        with pytest.raises(ValueError, match="sha256"):
            set_rubric_sha256(EVIDENCE, "ABC\nitems: []")

    @given(
        evidence=evidence_files(RUBRIC, max_items=3),
        style=st.sampled_from(["", '"', "'"]),
        present=st.booleans(),
        digest=st.binary(min_size=1, max_size=8).map(lambda b: hashlib.sha256(b).hexdigest()),
    )
    def test_law_only_the_hash_changes(
        self, evidence: cat_rubric.EvidenceFile, style: str, present: bool, digest: str
    ) -> None:
        """For any evidence file: the update loads as the file with the new hash, and the
        text differs in one line (the hash's), or by one line (the inserted key)."""
        text = cat_rubric.to_yaml(evidence)
        if present:
            text = text.replace("cycle:", f"rubric_sha256: {style}{OTHER}{style}\ncycle:", 1)
        after = set_rubric_sha256(text, digest)
        assert parse_evidence(after) == attrs.evolve(evidence, rubric_sha256=digest)
        if present:
            assert len(changed(text, after)) == 1
        else:
            assert after.replace(f"rubric_sha256: {digest}\n", "", 1) == text


@pytest.fixture(name="files")
def _files(tmp_path: Path) -> tuple[Path, Path]:
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text(MINIMAL, encoding="utf-8")
    evidence = tmp_path / "evidence.yaml"
    evidence.write_text(with_hash(f'"{DIGEST}"'), encoding="utf-8")
    return rubric, evidence


def edit_rubric(rubric: Path, old: str, new: str) -> None:
    text = rubric.read_text(encoding="utf-8")
    assert old in text
    rubric.write_text(text.replace(old, new, 1), encoding="utf-8")


class TestRehash:
    """Per file: the hash recorded, the rubric's, and what it takes to update."""

    def test_current(self, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        found = rehash(load_rubric(rubric), evidence)
        assert (found.stale, found.text, found.recorded) == (False, None, DIGEST)

    def test_stale_after_a_comment(self, files: tuple[Path, Path]) -> None:
        """A one-line comment changes the sha256: stale, and the update is ready."""
        rubric, evidence = files
        rubric.write_text("# a comment\n" + MINIMAL, encoding="utf-8")
        new = load_rubric(rubric)
        found = rehash(new, evidence, history=False)
        assert found.stale
        assert found.recorded == DIGEST
        assert found.text is not None
        assert parse_evidence(found.text, rubric=new).rubric_sha256 == new.origin.sha256  # type: ignore[union-attr]
        assert found.changes is None  # the old version is not known from the hash alone
        assert found.note is not None
        assert "--was OLD.yaml" in found.note

    def test_with_the_old_version(self, files: tuple[Path, Path], tmp_path: Path) -> None:
        """--was: what changed is shown, with the items the change touches."""
        rubric, evidence = files
        old = tmp_path / "old.yaml"
        shutil.copy(rubric, old)
        edit_rubric(rubric, "Lawyers are reached in practice", "Lawyers are reached, in practice,")
        found = rehash(load_rubric(rubric), evidence, was=load_rubric(old))
        assert found.old is not None
        assert found.changes is not None
        (criterion,) = found.changes.criteria
        assert (criterion.id, criterion.kinds) == ("lawyer-practice", ("reworded",))
        assert found.note is None

    def test_an_old_version_that_is_not_the_one_recorded(
        self, files: tuple[Path, Path], tmp_path: Path
    ) -> None:
        rubric, evidence = files
        old = tmp_path / "old.yaml"
        old.write_text("# another\n" + MINIMAL, encoding="utf-8")
        edit_rubric(rubric, "title: Minimal", "title: A minimal")
        found = rehash(load_rubric(rubric), evidence, was=load_rubric(old))
        assert found.note is not None
        assert "is not the version this evidence was gathered against" in found.note

    def test_items_on_a_removed_criterion_block_the_update(self, files: tuple[Path, Path]) -> None:
        """The hash would claim a review that has not happened: reported, not prepared."""
        rubric, evidence = files
        edit_rubric(rubric, "id: lawyer\n", "id: counsel\n")
        found = rehash(load_rubric(rubric), evidence, history=False)
        assert found.stale
        assert found.text is None
        assert [p.code for p in found.problems] == ["unknown-reference"]
        assert "'lawyer'" in found.problems[0].message

    def test_evidence_for_another_rubric(self, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        evidence.write_text(
            evidence.read_text(encoding="utf-8").replace("test-minimal", "other"), "utf-8"
        )
        with pytest.raises(LoadError) as info:
            rehash(load_rubric(rubric), evidence)
        assert "wrong-rubric" in {p.code for p in info.value.problems}

    def test_a_rubric_built_in_memory_has_no_hash(self, files: tuple[Path, Path]) -> None:
        _, evidence = files
        with pytest.raises(ValueError, match="no sha256"):
            rehash(attrs.evolve(RUBRIC, origin=None), evidence)

    def test_a_byte_order_mark_is_kept(self, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        evidence.write_bytes(b"\xef\xbb\xbf" + EVIDENCE.encode())
        found = rehash(load_rubric(rubric), evidence)
        assert found.text is not None
        assert found.text.startswith("\ufeffrubric:") is False
        assert found.text.startswith("\ufeff# Evidence")


@pytest.mark.skipif(not HAVE_GIT, reason="git is not installed")
class TestGitHistory:
    """In a git work tree, the version the hash names is found in the rubric's history."""

    @pytest.fixture(name="repo")
    def _repo(self, files: tuple[Path, Path]) -> tuple[Path, Path]:
        rubric, evidence = files
        env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}

        def git(*args: str) -> None:
            subprocess.run(
                ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                cwd=rubric.parent,
                check=True,
                capture_output=True,
                env=env,
            )

        git("init", "-q")
        git("add", rubric.name)
        git("commit", "-q", "-m", "the rubric")
        edit_rubric(rubric, "Lawyers are reached in practice", "Lawyers are reached, in practice,")
        git("commit", "-q", "-am", "reworded")
        rubric.rename(rubric.parent / "renamed.yaml")
        git("add", "-A")
        git("commit", "-q", "-m", "renamed")
        return rubric.parent / "renamed.yaml", evidence

    def test_the_old_version_is_found(self, repo: tuple[Path, Path]) -> None:
        rubric, evidence = repo
        found = rehash(load_rubric(rubric), evidence)
        assert found.old is not None
        assert "at git commit" in found.old.source
        assert found.changes is not None
        assert [c.id for c in found.changes.criteria] == ["lawyer-practice"]

    def test_from_git_follows_renames_and_misses_quietly(self, repo: tuple[Path, Path]) -> None:
        rubric, _ = repo
        assert from_git(rubric, DIGEST) is not None
        assert from_git(rubric, OTHER) is None
        assert from_git(rubric.parent / "untracked.yaml", DIGEST) is None

    def test_without_git_on_the_path(
        self, repo: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """git not on the PATH: no history, and no failure."""
        rubric, evidence = repo
        monkeypatch.setenv("PATH", "")
        found = rehash(load_rubric(rubric), evidence)
        assert found.old is None
        assert found.text is not None
        assert found.note is not None
        assert "--was" in found.note

    def test_outside_a_work_tree(self, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        edit_rubric(rubric, "title: Minimal", "title: A minimal")
        assert from_git(rubric, DIGEST) is None
        assert rehash(load_rubric(rubric), evidence).old is None


class TestCommand:
    """cat-rubric rehash: a report by default (exit 1 if stale), --write to update."""

    def test_report_only(self, run: Run, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        status, out, _ = run("rehash", str(rubric), str(evidence))
        assert status == 0
        assert f"{evidence}: current — rubric_sha256 {DIGEST[:12]} is the rubric's" in flat(out)
        rubric.write_text("# edited\n" + MINIMAL, encoding="utf-8")
        before = evidence.read_bytes()
        status, out, _ = run("rehash", str(rubric), str(evidence))
        assert status == 1  # stale: scripts can check
        assert f"{evidence}: stale — rubric_sha256 {DIGEST[:12]}" in flat(out)
        assert "run again with --write to update it" in flat(out)
        assert evidence.read_bytes() == before  # nothing written

    def test_write(self, run: Run, files: tuple[Path, Path], tmp_path: Path) -> None:
        rubric, evidence = files
        old = tmp_path / "old.yaml"
        shutil.copy(rubric, old)
        edit_rubric(rubric, "Lawyers are reached in practice", "Lawyers are reached, in practice,")
        rubric_bytes = rubric.read_bytes()
        status, out, _ = run("rehash", str(rubric), str(evidence), "--was", str(old), "--write")
        assert status == 0
        new = load_rubric(rubric)
        assert new.origin is not None
        assert f"updated: rubric_sha256 is now {new.origin.sha256[:12]}" in flat(out)
        assert "reworded: lawyer-practice" in out
        assert rubric.read_bytes() == rubric_bytes  # the rubric is never written
        assert load_rubric(old).origin.sha256 == DIGEST  # type: ignore[union-attr]
        text = evidence.read_text(encoding="utf-8")
        assert text == with_hash(f'"{new.origin.sha256}"')
        status, _, _ = run("score", str(rubric), str(evidence))
        assert status == 0
        status, out, _ = run("rehash", str(rubric), str(evidence))
        assert (status, "current" in out) == (0, True)

    def test_write_refuses_a_file_with_problems(self, run: Run, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        edit_rubric(rubric, "id: lawyer\n", "id: counsel\n")
        before = evidence.read_bytes()
        status, _, err = run("rehash", str(rubric), str(evidence), "--write")
        assert status == 1
        assert "has no criterion 'lawyer'" in err
        assert "not updated: 1 problem against the rubric as it is now" in flat(err)
        assert evidence.read_bytes() == before

    def test_each_file_on_its_own(self, run: Run, files: tuple[Path, Path], tmp_path: Path) -> None:
        """A broken file is reported; the others are still updated."""
        rubric, evidence = files
        broken = tmp_path / "broken.yaml"
        broken.write_text("rubric: [\n", encoding="utf-8")
        rubric.write_text("# edited\n" + MINIMAL, encoding="utf-8")
        status, _, err = run("rehash", str(rubric), str(broken), str(evidence), "--write")
        assert status == 1
        assert f"{broken}: not checked" in err
        assert "[yaml-syntax]" in err
        assert load_rubric(rubric).origin.sha256 in evidence.read_text(encoding="utf-8")  # type: ignore[union-attr]

    def test_the_loader_names_the_command(self, run: Run, files: tuple[Path, Path]) -> None:
        rubric, evidence = files
        rubric.write_text("# edited\n" + MINIMAL, encoding="utf-8")
        status, _, err = run("score", str(rubric), str(evidence))
        assert status == 1
        assert f"cat-rubric rehash {rubric} THIS_FILE" in err
        assert "[rubric-changed]" in err

    def test_hostile_recorded_value(self, run: Run, files: tuple[Path, Path]) -> None:
        """A recorded 'hash' holding terminal escapes is shown inert."""
        rubric, evidence = files
        evidence.write_text(with_hash('"\\e]0;pwned\\a"'), encoding="utf-8")
        status, out, _ = run("rehash", str(rubric), str(evidence))
        assert status == 1
        assert "\x1b" not in out
        assert "\\u001b]0;pwne" in out
