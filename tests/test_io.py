"""No lost work: files are written atomically, never over an input or an existing file
unless asked, only to regular files; standard output fails with a message, not a traceback."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from cat_rubric._cli import main
from cat_rubric._io import write_atomic
from cat_rubric._load import Parser
from cat_rubric._stdio import EXIT_BROKEN_PIPE, guarded_stdout
from cat_rubric.exceptions import OutputError
from tests.conftest import EXAMPLES, ROOT

STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
TEMP_NAME = re.compile(r"\.cat-rubric-[0-9a-f]{8}\.tmp")
CLI = [sys.executable, "-m", "cat_rubric"]


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def cli(
    *args: str | bytes, env: dict[str, str] | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[bytes]:
    """Run the real command line in a subprocess (its standard streams are the point)."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [*CLI, *args],
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=60,
        **kwargs,
    )


class TestWriteAtomic:
    def test_writes_and_replaces(self, tmp_path: Path) -> None:
        """A write creates the file, a second write replaces it whole, no temp files remain."""
        target = tmp_path / "out.txt"
        write_atomic(target, "first\n")
        write_atomic(target, "second\n", force=True)
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
            write_atomic(target, "new content that never lands\n", force=True)
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


class TestExistingFiles:
    def test_existing_file_needs_force(self, tmp_path: Path) -> None:
        """An existing file is refused (the message says to add --force) and left as it was."""
        target = tmp_path / "out.txt"
        target.write_text("mine\n", encoding="utf-8")
        with pytest.raises(OutputError, match=r"out\.txt: the file exists; add --force"):
            write_atomic(target, "lost\n")
        assert target.read_text(encoding="utf-8") == "mine\n"
        assert names(tmp_path) == ["out.txt"]
        write_atomic(target, "replaced\n", force=True)
        assert target.read_text(encoding="utf-8") == "replaced\n"
        assert names(tmp_path) == ["out.txt"]

    def test_file_appearing_during_the_write_is_not_clobbered(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file another process creates between the check and the rename is kept."""
        target = tmp_path / "out.txt"
        fsync = os.fsync

        def racing(fd: int) -> None:
            if not target.exists():
                target.write_text("theirs\n", encoding="utf-8")
            fsync(fd)

        monkeypatch.setattr(os, "fsync", racing)
        with pytest.raises(OutputError, match="the file exists"):
            write_atomic(target, "mine\n")
        assert target.read_text(encoding="utf-8") == "theirs\n"
        assert names(tmp_path) == ["out.txt"]

    def test_without_hard_links_a_new_file_is_still_written(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On a file system without hard links (link fails with EPERM) the rename is used."""

        def no_links(*_: object, **__: object) -> None:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM))

        monkeypatch.setattr(os, "link", no_links)
        write_atomic(tmp_path / "out.txt", "x\n")
        assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "x\n"
        assert names(tmp_path) == ["out.txt"]

    def test_input_is_refused_even_with_force(self, tmp_path: Path) -> None:
        """An input is never written over, with --force too, and also through a hard link."""
        source = tmp_path / "evidence.yaml"
        source.write_text("keep me\n", encoding="utf-8")
        hard = tmp_path / "hard.yaml"
        os.link(source, hard)
        for target in (source, hard):
            with pytest.raises(OutputError, match="one of the input files"):
                write_atomic(target, "lost\n", inputs=[str(source)], force=True)
        assert source.read_text(encoding="utf-8") == "keep me\n"

    def test_symlink_to_a_file_replaces_the_file_and_keeps_the_link(self, tmp_path: Path) -> None:
        """Writing through a link replaces the file it points to; the link stays a link."""
        real = tmp_path / "real.txt"
        real.write_text("old\n", encoding="utf-8")
        link = tmp_path / "link.txt"
        link.symlink_to(real)
        with pytest.raises(OutputError, match="exists"):
            write_atomic(link, "new\n")
        write_atomic(link, "new\n", force=True)
        assert link.is_symlink()
        assert link.readlink() == real
        assert real.read_text(encoding="utf-8") == "new\n"
        assert names(tmp_path) == ["link.txt", "real.txt"]

    @pytest.mark.parametrize("force", [False, True])
    def test_dangling_symlink_is_refused(self, tmp_path: Path, force: bool) -> None:
        """A link to nothing is refused: writing would create a file somewhere else."""
        link = tmp_path / "link.txt"
        link.symlink_to(tmp_path / "elsewhere" / "missing.txt")
        with pytest.raises(OutputError, match=r"symbolic link to .*missing\.txt, which does not"):
            write_atomic(link, "x\n", force=force)
        assert link.is_symlink()
        assert not (tmp_path / "elsewhere").exists()
        assert names(tmp_path) == ["link.txt"]

    def test_symlink_loop_is_an_output_error(self, tmp_path: Path) -> None:
        """A link to itself is the system's reason, not a traceback."""
        link = tmp_path / "loop"
        link.symlink_to(link)
        with pytest.raises(OutputError, match=r"cannot write .*loop: Too many levels"):
            write_atomic(link, "x\n", force=True)


class TestOnlyRegularFiles:
    @pytest.mark.parametrize("force", [False, True])
    def test_fifo_is_refused(self, tmp_path: Path, force: bool) -> None:
        """A named pipe is neither written into (it would block) nor replaced."""
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        with pytest.raises(OutputError, match="it is a named pipe"):
            write_atomic(fifo, "x\n", force=force)
        assert stat.S_ISFIFO(fifo.lstat().st_mode)
        assert names(tmp_path) == ["pipe"]

    def test_dev_null_is_not_replaced(self, tmp_path: Path) -> None:
        """-o /dev/null --force is refused; /dev/null is still the character device.

        As root a regression would replace the system's /dev/null, so root tests a
        private copy of the device (made with mknod) instead.
        """
        null = Path(os.devnull)
        if os.geteuid() == 0:
            null = tmp_path / "null"
            os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        before = null.stat()
        with pytest.raises(OutputError, match="it is a character device, not a regular file"):
            write_atomic(null, "x\n", force=True)
        after = null.stat()
        assert stat.S_ISCHR(after.st_mode)
        assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)

    def test_directory_is_refused(self, tmp_path: Path) -> None:
        """A directory is refused, with --force too, and left as it was."""
        (tmp_path / "d").mkdir()
        with pytest.raises(OutputError, match="it is a directory"):
            write_atomic(tmp_path / "d", "x\n", force=True)
        assert names(tmp_path / "d") == []

    def test_empty_name(self) -> None:
        """An empty name is an error, never the current directory or standard output."""
        with pytest.raises(OutputError, match="-o needs a file name"):
            write_atomic("", "x\n", force=True)


class TestModeAndOwner:
    @pytest.mark.parametrize("mode", [0o600, 0o640, 0o444])
    def test_replaced_file_keeps_its_mode(self, tmp_path: Path, mode: int) -> None:
        """0600 stays 0600 (and 0640, and a read-only 0444), whatever the umask."""
        target = tmp_path / "secret.txt"
        target.write_text("old\n", encoding="utf-8")
        target.chmod(mode)
        old = os.umask(0o022)
        try:
            write_atomic(target, "new\n", force=True)
        finally:
            os.umask(old)
        assert stat.S_IMODE(target.stat().st_mode) == mode
        assert target.read_text(encoding="utf-8") == "new\n"

    def test_new_file_follows_a_strict_umask(self, tmp_path: Path) -> None:
        """A new file is 0o666 less the umask: 0600 under umask 077."""
        old = os.umask(0o077)
        try:
            write_atomic(tmp_path / "out.txt", "x")
        finally:
            os.umask(old)
        assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o600

    @pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
    def test_replaced_file_keeps_its_owner(self, tmp_path: Path) -> None:
        """Where permitted (here: as root), the owner and group of a replaced file are kept."""
        target = tmp_path / "theirs.txt"
        target.write_text("old\n", encoding="utf-8")
        os.chown(target, 4242, 4343)
        target.chmod(0o640)
        write_atomic(target, "new\n", force=True)
        status = target.stat()
        assert (status.st_uid, status.st_gid) == (4242, 4343)
        assert stat.S_IMODE(status.st_mode) == 0o640


class TestTemporaryFile:
    def test_name_is_short_and_fixed(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """During the write the only extra file is .cat-rubric-XXXXXXXX.tmp, in the target's
        directory, whatever the target's name."""
        seen: list[list[str]] = []
        fsync = os.fsync

        def spying(fd: int) -> None:
            extra = [n for n in names(tmp_path) if not n.startswith("out")]
            if extra:
                seen.append(extra)
            fsync(fd)

        monkeypatch.setattr(os, "fsync", spying)
        write_atomic(tmp_path / ("out" + "x" * 200 + ".json"), "x\n")
        assert len(seen) == 1
        assert len(seen[0]) == 1
        assert TEMP_NAME.fullmatch(seen[0][0])

    def test_name_of_the_longest_length_works(self, tmp_path: Path) -> None:
        """An output name of NAME_MAX (255) characters can be written and replaced."""
        if os.pathconf(tmp_path, "PC_NAME_MAX") < 255:
            pytest.skip("file system with shorter names")
        target = tmp_path / ("n" * 251 + ".txt")
        assert len(target.name) == 255
        write_atomic(target, "first\n")
        write_atomic(target, "second\n", force=True)
        assert target.read_text(encoding="utf-8") == "second\n"
        assert names(tmp_path) == [target.name]

    def test_name_too_long_for_the_system(self, tmp_path: Path) -> None:
        """A name longer than NAME_MAX is the system's reason (ENAMETOOLONG), not a traceback."""
        name_max = os.pathconf(tmp_path, "PC_NAME_MAX")
        with pytest.raises(OutputError, match=r"cannot write .*: File name too long"):
            write_atomic(tmp_path / ("n" * (name_max + 1)), "x\n")
        assert names(tmp_path) == []

    def test_lone_surrogates_are_written_as_escapes(self, tmp_path: Path) -> None:
        """Text holding a lone surrogate (from an undecodable file name) is still written."""
        write_atomic(tmp_path / "out.txt", "a\udcffb\n")
        assert (tmp_path / "out.txt").read_bytes() == b"a\\udcffb\n"


class TestSystemErrors:
    @pytest.mark.parametrize(
        ("function", "code", "force"),
        [
            ("open", errno.EROFS, False),
            ("open", errno.EACCES, True),
            ("write", errno.ENOSPC, True),
            ("write", errno.EDQUOT, False),
            ("fsync", errno.EIO, True),
            ("replace", errno.EXDEV, True),
            ("link", errno.ENOSPC, False),
        ],
    )
    def test_failure_is_an_output_error_and_leaves_nothing(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        function: str,
        code: int,
        force: bool,
    ) -> None:
        """A failing system call names the file and the system's reason; the previous file
        (or no file) is left, and no temporary file."""
        target = tmp_path / "out.txt"
        if force:
            target.write_text("old\n", encoding="utf-8")

        def failing(*_: object, **__: object) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, function, failing)
        with pytest.raises(OutputError) as caught:
            write_atomic(target, "new\n", force=force)
        monkeypatch.undo()
        assert str(caught.value) == f"cannot write {target}: {os.strerror(code)}"
        assert caught.value.__cause__ is None
        assert names(tmp_path) == (["out.txt"] if force else [])
        if force:
            assert target.read_text(encoding="utf-8") == "old\n"

    def test_parent_is_a_file(self, tmp_path: Path) -> None:
        """A real ENOTDIR: the directory part names a file."""
        (tmp_path / "file").write_text("x", encoding="utf-8")
        with pytest.raises(OutputError, match=r"cannot write .*: Not a directory"):
            write_atomic(tmp_path / "file" / "out.txt", "x\n")

    @pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write")
    def test_read_only_directory(self, tmp_path: Path) -> None:
        """A real EACCES: a directory the user may not write to."""
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        try:
            with pytest.raises(OutputError, match=r"cannot write .*: Permission denied"):
                write_atomic(locked / "out.txt", "x\n")
        finally:
            locked.chmod(0o700)
        assert names(locked) == []

    def test_file_name_is_shown_escaped(self, tmp_path: Path) -> None:
        """A control character or undecodable byte in the name is escaped in the message."""
        target = tmp_path / os.fsdecode(b"a\x1b[2Jb\xff") / "out.txt"
        with pytest.raises(OutputError) as caught:
            write_atomic(target, "x\n")
        message = str(caught.value)
        assert "\x1b" not in message
        assert "\udcff" not in message
        assert "a\\u001b[2Jb\\xff" in message


CHILD = """
import os, signal, sys
from cat_rubric._io import write_atomic

target, signum, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# As a shell starts a command, whatever this test runs under (nohup ignores SIGHUP).
signal.signal(signum, signal.SIG_IGN if how == "ignored" else signal.SIG_DFL)
fsync = os.fsync

def killed(fd):
    os.kill(os.getpid(), signum)
    fsync(fd)

os.fsync = killed
if how == "cli":
    from cat_rubric._cli import main
    status = main(["template", "cat-kaz-co-2", "-o", target, "--force"])
else:
    write_atomic(target, "new\\n", force=True)
    status = 0
print("survived", flush=True)
sys.exit(status)
"""


class TestSignals:
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
    @pytest.mark.parametrize("how", ["library", "cli"])
    def test_signal_during_the_write_leaves_no_temporary_file(
        self, tmp_path: Path, signum: int, how: str
    ) -> None:
        """SIGTERM/SIGHUP mid-write: the temporary file is removed, the old file is intact,
        and the process ends by the signal as it would have (-signum; a shell shows 128+n)."""
        target = tmp_path / "out.yaml"
        target.write_text("old\n", encoding="utf-8")
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(target), str(int(signum)), how],
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert child.returncode == -signum, child.stderr
        assert b"survived" not in child.stdout
        assert b"Traceback" not in child.stderr
        assert target.read_text(encoding="utf-8") == "old\n"
        assert names(tmp_path) == ["out.yaml"]

    def test_ignored_signal_stays_ignored(self, tmp_path: Path) -> None:
        """Under nohup (SIGHUP ignored) the signal neither ends nor spoils the write."""
        target = tmp_path / "out.yaml"
        target.write_text("old\n", encoding="utf-8")
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(target), str(int(signal.SIGHUP)), "ignored"],
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert child.returncode == 0, child.stderr
        assert b"survived" in child.stdout
        assert target.read_text(encoding="utf-8") == "new\n"
        assert names(tmp_path) == ["out.yaml"]

    def test_handlers_are_in_place_only_during_the_write(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A default SIGTERM handler is taken over during the write and given back after;
        a caller's own handler is never replaced."""
        during: list[object] = []
        fsync = os.fsync

        def spying(fd: int) -> None:
            during.append(signal.getsignal(signal.SIGTERM))
            fsync(fd)

        def own(_signum: int, _frame: object) -> None:
            pass

        monkeypatch.setattr(os, "fsync", spying)
        previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            write_atomic(tmp_path / "a.txt", "x\n")
            assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
            signal.signal(signal.SIGTERM, own)
            write_atomic(tmp_path / "b.txt", "x\n")
            assert signal.getsignal(signal.SIGTERM) is own
        finally:
            signal.signal(signal.SIGTERM, previous)
        assert during[0] not in {signal.SIG_DFL, signal.SIG_IGN, None}
        assert callable(during[0])
        assert own in during

    def test_write_from_another_thread(self, tmp_path: Path) -> None:
        """Outside the main thread no handler is installed (Python forbids it); the write works."""
        errors: list[BaseException] = []

        def work() -> None:
            try:
                write_atomic(tmp_path / "out.txt", "x\n")
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                errors.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        assert errors == []
        assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "x\n"


class _FailingStream:
    def __init__(self, error: OSError) -> None:
        self.error = error

    def write(self, _text: str) -> int:
        raise self.error

    def flush(self) -> None:
        raise self.error

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "no file descriptor")


class TestGuardedStdout:
    """The guard in-process: which errors it takes for standard output's, and the status."""

    def test_broken_pipe_is_141_and_silent(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr(sys, "stdout", _FailingStream(BrokenPipeError(errno.EPIPE, "pipe")))

        def body(out: Any) -> int:
            print("x", file=out)
            return 0

        assert guarded_stdout(body) == EXIT_BROKEN_PIPE == 141
        assert capsys.readouterr().err == ""

    def test_full_device_is_one_line_and_1(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(sys, "stdout", _FailingStream(full))
        assert guarded_stdout(lambda out: out.write("x") and 0) == 1
        assert capsys.readouterr().err == (
            "cat-rubric: error: cannot write to standard output: No space left on device\n"
        )

    def test_other_os_errors_are_not_taken_for_stdout(self) -> None:
        """An OSError that did not come from writing standard output is not relabelled."""

        def body(_out: Any) -> int:
            raise BrokenPipeError(errno.EPIPE, "some socket")

        with pytest.raises(BrokenPipeError, match="some socket"):
            guarded_stdout(body)


class TestCliStdio:
    """The real command line in subprocesses: closed pipes, full devices, other encodings."""

    @pytest.mark.parametrize(
        "args",
        [("show", "cat-kaz-co-2"), ("score", "cat-kaz-co-2", STATE, NGO), ("--help",)],
    )
    def test_closed_pipe_is_141_without_a_traceback(self, args: tuple[str, ...]) -> None:
        """Standard output a pipe whose reader is gone: status 141, nothing on stderr (not even
        Python's "Exception ignored ... BrokenPipeError" at exit)."""
        read, write = os.pipe()
        os.close(read)  # the reader is gone before the first write: EPIPE, every time
        try:
            child = cli(*args, stdout=write)
        finally:
            os.close(write)
        assert child.returncode == 141
        assert child.stderr == b""

    def test_reader_closing_early_like_head(self) -> None:
        """`show | head -c 100`: the reader takes a little and closes while the command is
        still writing (a 4 KiB pipe holds less than the output): 141, never a message."""
        for _ in range(3):
            read, write = os.pipe()
            if hasattr(fcntl, "F_SETPIPE_SZ"):
                fcntl.fcntl(read, fcntl.F_SETPIPE_SZ, 4096)
            try:
                child = subprocess.Popen(
                    [*CLI, "show", "cat-kaz-co-2"], stdout=write, stderr=subprocess.PIPE, cwd=ROOT
                )
            finally:
                os.close(write)
            try:
                assert os.read(read, 100).startswith(b"CAT/C/KAZ/CO/2")
            finally:
                os.close(read)
            _, err = child.communicate(timeout=60)
            expected = {141} if hasattr(fcntl, "F_SETPIPE_SZ") else {0, 141}
            assert child.returncode in expected
            assert err == b""

    @pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
    @pytest.mark.parametrize(
        "args", [("show", "cat-kaz-co-2"), ("score", "cat-kaz-co-2", STATE, NGO)]
    )
    def test_full_device_is_one_line(self, args: tuple[str, ...]) -> None:
        """`> /dev/full`: exit 1 and exactly one line on stderr, at exit too."""
        with Path("/dev/full").open("wb") as full:
            child = cli(*args, stdout=full)
        assert child.returncode == 1
        assert child.stderr == (
            b"cat-rubric: error: cannot write to standard output: No space left on device\n"
        )

    @pytest.mark.parametrize(
        ("encoding", "args"),
        [
            ("latin-1", ("show", "cat-kaz-co-2")),
            ("latin-1", ("score", "cat-kaz-co-2", STATE, NGO)),
            ("latin-1", ("explain", "cat-kaz-co-2", STATE, NGO, "--part", "9b")),
            ("koi8-r", ("show", "cat-kaz-co-2")),
            ("koi8-r", ("score", "cat-kaz-co-2", STATE, NGO)),
            ("ascii", ("explain", "cat-kaz-co-2", STATE, NGO)),
        ],
    )
    def test_terminal_that_is_not_utf8(self, encoding: str, args: tuple[str, ...]) -> None:
        """Characters the terminal's encoding lacks become escapes, not a UnicodeEncodeError."""
        child = cli(*args, env={"PYTHONIOENCODING": encoding})
        assert child.returncode == 0, child.stderr
        assert b"Traceback" not in child.stderr
        text = child.stdout.decode(encoding)  # the encoding is kept
        if args[0] == "show":
            assert "CAT/C/KAZ/CO/2 \\u2014 Kazakhstan" in text

    def test_undecodable_file_names_under_utf8(self, tmp_path: Path) -> None:
        """A file name with a non-UTF-8 byte reaches stdout and stderr without a crash."""
        evidence = tmp_path / os.fsdecode(b"reply-\xff.yaml")
        evidence.write_bytes(Path(STATE).read_bytes())
        output = tmp_path / os.fsdecode(b"out-\xfe.txt")
        env = {"PYTHONIOENCODING": "utf-8"}
        child = cli("validate", os.fsencode(evidence), env=env)
        assert child.returncode == 0, child.stderr
        assert b"Traceback" not in child.stderr
        child = cli("score", "cat-kaz-co-2", os.fsencode(evidence), "-o", os.fsencode(output))
        assert child.returncode == 0, child.stderr
        assert b"wrote " in child.stderr
        assert b"out-\\xfe.txt" in child.stderr
        assert output.exists()

    def test_output_over_an_existing_file(self, tmp_path: Path) -> None:
        """-o on an existing file: refused (exit 1, file intact); with --force, replaced."""
        target = tmp_path / "t.yaml"
        target.write_text("mine\n", encoding="utf-8")
        child = cli("template", "cat-kaz-co-2", "-o", str(target))
        assert child.returncode == 1
        assert child.stderr.decode() == (
            f"cat-rubric: error: refusing to write {target}: the file exists; "
            "add --force to replace it\n"
        )
        assert target.read_text(encoding="utf-8") == "mine\n"
        child = cli("template", "cat-kaz-co-2", "-o", str(target), "--force")
        assert child.returncode == 0, child.stderr
        assert child.stderr.decode() == f"wrote {target}\n"
        assert "rubric: cat-kaz-co-2" in target.read_text(encoding="utf-8")
        assert names(tmp_path) == ["t.yaml"]


class TestCliOutputOption:
    @pytest.mark.parametrize(
        "args",
        [
            ["template", "cat-kaz-co-2"],
            ["score", "cat-kaz-co-2", STATE],
            ["explain", "cat-kaz-co-2", STATE],
        ],
    )
    def test_empty_output_name_is_a_usage_error(
        self, args: list[str], capsys: pytest.CaptureFixture[str]
    ) -> None:
        """-o "" is exit 2 with a clear message, never standard output."""
        assert main([*args, "-o", ""]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert "-o needs a file name" in captured.err

    @pytest.mark.parametrize("command", ["score", "explain"])
    def test_force_replaces(
        self, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """score/explain -o over an existing file: exit 1 without --force, 0 with it."""
        target = tmp_path / "out.txt"
        target.write_text("mine\n", encoding="utf-8")
        assert main([command, "cat-kaz-co-2", STATE, "-o", str(target)]) == 1
        assert "add --force" in capsys.readouterr().err
        assert target.read_text(encoding="utf-8") == "mine\n"
        assert main([command, "cat-kaz-co-2", STATE, "-o", str(target), "--force"]) == 0
        assert target.read_text(encoding="utf-8") != "mine\n"

    def test_written_name_is_shown_escaped(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The "wrote FILE" line shows a control character in the name as an escape."""
        target = tmp_path / "a\x1b[2Jb.yaml"
        assert main(["template", "cat-kaz-co-2", "-o", str(target)]) == 0
        err = capsys.readouterr().err
        assert "\x1b" not in err
        assert err.endswith("a\\u001b[2Jb.yaml\n")
        assert target.exists()


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
