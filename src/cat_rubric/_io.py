"""Writing without losing work, and output that fails with a message, not a traceback.

`write_atomic` writes a file through a temporary file and a rename: a reader sees the
old file or the new one, never half of one. It never writes over an input, replaces an
existing file only when asked (``force``), writes only to regular files (never into a
FIFO or a device such as ``/dev/null``), keeps a replaced file's permissions and owner,
and leaves no temporary file behind when it fails or is interrupted (Ctrl-C, SIGTERM,
SIGHUP).

The command line imports this module only to write a file (``-o``): secrets, signal,
threading and pathlib stay off the start-up of a command that prints. Its standard
output is `cat_rubric._stdio`'s.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Final

from cat_rubric._text import display_name, inert
from cat_rubric.exceptions import OutputError

# A short, fixed-length temporary name (24 characters): the output's own name may be as
# long as the file system allows (NAME_MAX, 255 bytes on most).
_TEMP_PREFIX: Final = ".cat-rubric-"
_TEMP_SUFFIX: Final = ".tmp"
_TEMP_FLAGS: Final = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS: Final[tuple[tuple[Callable[[int], bool], str], ...]] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
# os.link's errors that mean "this file system has no hard links": fall back to a rename.
_NO_HARD_LINKS: Final = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)
# Signals whose default action ends the process; during a write they first remove the
# temporary file.
_TERMINATING: Final = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def write_atomic(
    path: str | os.PathLike[str],
    text: str,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
    force: bool = False,
) -> None:
    r"""Write *text* (as UTF-8) to *path* atomically: a temporary file, then a rename.

    A reader sees the old file or the new one, never half of one, and a failed or
    interrupted write leaves the previous file as it was and no temporary file behind.
    The temporary file, ``.cat-rubric-XXXXXXXX.tmp``, is made in the directory of the
    file it replaces. A symbolic link to a regular file is kept: the file it points to
    is replaced. A replaced file keeps its permission bits and, where the process may
    set them, its owner and group; a new file gets ``0o666`` less the umask.

    A SIGTERM or SIGHUP during the write (when it would end the process and the write
    runs in the main thread) removes the temporary file, then ends the process by that
    signal as it would have; the handlers are in place only during the write.

    Args:
        path: The file to write.
        text: Its new content; lone surrogates are written as ``\udcXX`` escapes.
        inputs: Files that must never be written over, even with *force* (links resolved).
        force: Replace *path* if it exists; without it an existing file is refused.

    Raises:
        OutputError: *path* is empty, one of *inputs*, exists (without *force*), is not
            a regular file (a directory, FIFO, device or socket, even with *force*), is
            a symbolic link to nothing, or the system refused the write (no such
            directory, no permission, a full disk, ...), with the system's reason.
    """
    name = os.fspath(path)
    if not name:
        raise OutputError("cannot write: the file name is empty (-o needs a file name)")
    shown = display_name(name)
    existing, real = _check_target(name, shown, inputs, force=force)
    data = text.encode("utf-8", "backslashreplace")
    guard = _SignalGuard()
    try:
        _write(real, data, existing, shown, guard, clobber=force)
    except _Signalled:
        pass  # the temporary file is gone; the signal is delivered again below
    finally:
        guard.restore()


def _check_target(
    name: str, shown: str, inputs: Iterable[str | os.PathLike[str]], *, force: bool
) -> tuple[os.stat_result | None, str]:
    """The file *name* names (its status, or None if new) and the path to replace."""
    try:
        existing: os.stat_result | None = Path(name).stat()  # through links
    except FileNotFoundError:
        existing = None
        if Path(name).is_symlink():
            try:
                points_to = display_name(Path(name).readlink())
            except OSError:
                points_to = "a missing file"
            raise OutputError(
                f"refusing to write {shown}: it is a symbolic link to {points_to}, which "
                "does not exist; remove the link or name the file itself"
            ) from None
    except OSError as exc:
        raise _os_error(shown, exc) from None
    real = os.path.realpath(name)
    for other in inputs:
        try:
            other_status = Path(other).stat()
        except OSError:
            continue  # an input that does not exist cannot be lost
        same = os.path.realpath(other) == real or (
            existing is not None and os.path.samestat(existing, other_status)
        )
        if same:
            raise OutputError(
                f"refusing to write {shown}: it is one of the input files; choose another name"
            )
    if existing is None:
        return None, name
    if not stat.S_ISREG(existing.st_mode):
        kind = next((k for is_kind, k in _KINDS if is_kind(existing.st_mode)), "a special file")
        raise OutputError(f"refusing to write {shown}: it is {kind}, not a regular file")
    if not force:
        raise OutputError(_exists(shown))
    return existing, real


def _exists(shown: str) -> str:
    return f"refusing to write {shown}: the file exists; add --force to replace it"


def _os_error(shown: str, exc: OSError) -> OutputError:
    return OutputError(f"cannot write {shown}: {inert(exc.strerror or str(exc))}")


def _write(
    real: str,
    data: bytes,
    existing: os.stat_result | None,
    shown: str,
    guard: _SignalGuard,
    *,
    clobber: bool,
) -> None:
    directory = Path(real).parent
    try:
        # A replaced file's content is never more readable than the file was; a new
        # file's mode is 0o666 less the umask, which the system applies.
        fd, tmp = _create_temp(directory, 0o600 if existing is not None else 0o666)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    try:
        try:
            guard.arm()
            if existing is not None:
                _keep_owner_and_mode(fd, existing)
            _write_all(fd, data)
            os.fsync(fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        os.close(fd)
        _install(tmp, real, shown, clobber=clobber)
    except BaseException as exc:
        guard.armed = False  # a second signal must not interrupt the clean-up
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _os_error(shown, exc) from None
        raise
    _sync_directory(directory)


def _create_temp(directory: Path, mode: int) -> tuple[int, Path]:
    for _ in range(100):
        tmp = directory / f"{_TEMP_PREFIX}{secrets.token_hex(4)}{_TEMP_SUFFIX}"
        try:
            return os.open(tmp, _TEMP_FLAGS, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", directory)


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    """Give the temporary file *old*'s owner and group where permitted, and its mode."""
    mode = stat.S_IMODE(old.st_mode)
    if sys.platform == "win32":
        return
    new = os.fstat(fd)
    if new.st_uid != old.st_uid or new.st_gid != old.st_gid:
        try:
            os.fchown(fd, old.st_uid, old.st_gid)
        except OSError:
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, old.st_gid)  # a group the user belongs to
        new = os.fstat(fd)
    # Never a set-id bit on a file whose owner or group is not the old one's.
    if new.st_uid != old.st_uid:
        mode &= ~stat.S_ISUID
    if new.st_gid != old.st_gid:
        mode &= ~stat.S_ISGID
    try:
        os.fchmod(fd, mode)
    except OSError as exc:  # file systems without permissions (FAT)
        if exc.errno not in {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP}:
            raise


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _install(tmp: Path, real: str, shown: str, *, clobber: bool) -> None:
    """Move *tmp* to *real*; without *clobber*, never over a file that appeared meanwhile."""
    if clobber:
        os.replace(tmp, real)
        return
    try:
        os.link(tmp, real)  # fails if *real* exists, unlike a rename
    except FileExistsError:
        raise OutputError(_exists(shown)) from None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        if os.path.lexists(real):
            raise OutputError(_exists(shown)) from None
        os.replace(tmp, real)
        return
    with contextlib.suppress(OSError):
        tmp.unlink()


def _sync_directory(directory: Path) -> None:
    """Make the rename durable where the system allows (best effort)."""
    if sys.platform == "win32":
        return
    try:
        dfd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


class _Signalled(BaseException):
    """A terminating signal arrived during a write (raised by `_SignalGuard`)."""


class _SignalGuard:
    """During a write, SIGTERM and SIGHUP remove the temporary file before they end the process.

    Only signals whose handler is the default (ending the process) are taken over, and
    only in the main thread (the only one where Python runs signal handlers): an ignored
    SIGHUP (``nohup``) stays ignored and a caller's own handler stays in place. Until
    `arm` is called (the temporary file is known), a signal is only recorded. `restore`
    puts the default handlers back and delivers a recorded signal again, which ends the
    process as it would have.
    """

    def __init__(self) -> None:
        self.armed = False
        self.pending: int | None = None
        self._taken: list[int] = []
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in _TERMINATING:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, self._handle)
                self._taken.append(signum)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.pending is None:
            self.pending = signum
        if self.armed:
            self.armed = False
            raise _Signalled(signum)

    def arm(self) -> None:
        """From now on a signal interrupts the write; one already received does so now."""
        self.armed = True
        if self.pending is not None:
            self.armed = False
            raise _Signalled(self.pending)

    def restore(self) -> None:
        """Put the previous handlers back; deliver a signal received meanwhile again."""
        self.armed = False
        for signum in self._taken:
            signal.signal(signum, signal.SIG_DFL)
        if self.pending is not None:
            signal.raise_signal(self.pending)
            raise SystemExit(128 + self.pending)  # only if the signal did not end us
