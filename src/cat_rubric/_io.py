"""Writing files without losing work: atomically, and never over an input."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cat_rubric.exceptions import OutputError


def write_atomic(path: str | os.PathLike[str], text: str, *, inputs: Iterable[str] = ()) -> None:
    """Write *text* to *path* atomically (a temporary file, then a rename).

    A reader sees the old file or the new one, never half of one; an interrupted
    run leaves the previous file as it was.

    Raises:
        OutputError: *path* is one of *inputs* (after resolving links), or is a directory.
    """
    target = Path(path)
    resolved = target.resolve()
    for name in inputs:
        candidate = Path(name)
        if candidate.exists() and candidate.resolve() == resolved:
            raise OutputError(
                f"refusing to write {target}: it is one of the input files; choose another name"
            )
    if target.is_dir():
        raise OutputError(f"refusing to write {target}: it is a directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=resolved.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, resolved)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
