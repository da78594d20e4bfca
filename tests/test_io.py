"""No lost work: files are written atomically and never over an input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cat_rubric import OutputError
from cat_rubric._cli import main
from cat_rubric._io import write_atomic
from cat_rubric._load import Parser
from tests.conftest import EXAMPLES


class TestWriteAtomic:
    def test_writes_and_replaces(self, tmp_path: Path) -> None:
        """A write creates the file, a second write replaces it whole, no temp files remain."""
        target = tmp_path / "out.txt"
        write_atomic(target, "first\n")
        write_atomic(target, "second\n")
        assert target.read_text(encoding="utf-8") == "second\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]

    def test_interrupted_write_keeps_the_previous_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """If the run is interrupted mid-write, the previous file is intact and no temp file
        is left behind."""
        target = tmp_path / "out.txt"
        target.write_text("previous\n", encoding="utf-8")

        def interrupted(fd: int) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupted)
        with pytest.raises(KeyboardInterrupt):
            write_atomic(target, "new content that never lands\n")
        assert target.read_text(encoding="utf-8") == "previous\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]

    def test_refuses_to_overwrite_an_input(self, tmp_path: Path) -> None:
        """Writing over one of the inputs is refused, through any path that names it."""
        source = tmp_path / "evidence.yaml"
        source.write_text("keep me\n", encoding="utf-8")
        link = tmp_path / "link.yaml"
        link.symlink_to(source)
        for target in (source, link, tmp_path / "." / "evidence.yaml"):
            with pytest.raises(OutputError, match="input"):
                write_atomic(target, "lost\n", inputs=[str(source)])
        assert source.read_text(encoding="utf-8") == "keep me\n"

    def test_missing_directory_is_an_output_error(self, tmp_path: Path) -> None:
        """A target in a directory that does not exist is a clear OutputError."""
        with pytest.raises(OutputError, match="cannot write"):
            write_atomic(tmp_path / "nope" / "out.txt", "x")

    def test_new_file_permissions_follow_the_umask(self, tmp_path: Path) -> None:
        """The written file gets the usual permissions, not the temp file's 0600."""
        old = os.umask(0o022)
        try:
            write_atomic(tmp_path / "out.txt", "x")
        finally:
            os.umask(old)
        assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644


class TestCliNeverOverwritesInputs:
    @pytest.mark.parametrize("command", ["score", "explain"])
    def test_output_over_evidence_is_refused(
        self, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """score/explain -o naming an input exits 1 and leaves the input as it was."""
        evidence = tmp_path / "reply.yaml"
        original = (EXAMPLES / "kaz-2010-state-reply.yaml").read_bytes()
        evidence.write_bytes(original)
        status = main([command, "cat-kaz-co-2", str(evidence), "-o", str(evidence)])
        assert status == 1
        assert evidence.read_bytes() == original
        assert "input" in capsys.readouterr().err

    def test_template_over_the_rubric_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """template -o naming the rubric file exits 1 and leaves the rubric as it was."""
        rubric = tmp_path / "rubric.yaml"
        original = (Path(__file__).parent / "data" / "minimal.yaml").read_bytes()
        rubric.write_bytes(original)
        assert main(["template", str(rubric), "-o", str(rubric)]) == 1
        assert rubric.read_bytes() == original
        assert "Traceback" not in capsys.readouterr().err


class TestGcPause:
    def test_collector_state_is_restored(self) -> None:
        """Loading and assessing pause the cyclic collector and restore its state, on error too."""
        import gc

        import cat_rubric
        from cat_rubric._gc import paused

        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        assert gc.isenabled()
        with pytest.raises(cat_rubric.LoadError):
            cat_rubric.parse_rubric("id: [")
        assert gc.isenabled()
        gc.disable()
        try:
            cat_rubric.load_rubric("cat-kaz-co-2")
            assert not gc.isenabled()  # a caller's choice is left alone
        finally:
            gc.enable()
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        assert rubric.id == "cat-kaz-co-2"

    @pytest.mark.parametrize("parser", ["c", "python"])
    def test_node_tree_is_gone_before_the_collector_resumes(
        self, parser: Parser, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When loading resumes the collector, no YAML node is left for it to walk.

        Otherwise the first collection after every load walks the whole node tree of
        the file, and loading many large files costs more than linear time.
        """
        import gc

        import yaml

        import cat_rubric

        alive: list[int] = []
        enable = gc.enable

        def counting_enable() -> None:
            alive.append(sum(isinstance(o, yaml.nodes.Node) for o in gc.get_objects()))
            enable()

        monkeypatch.setattr(gc, "enable", counting_enable)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2", parser=parser)
        evidence = cat_rubric.load_evidence(
            EXAMPLES / "kaz-2010-state-reply.yaml", rubric=rubric, parser=parser
        )
        assert evidence.items
        assert alive == [0, 0]
