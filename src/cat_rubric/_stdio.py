"""The command line's standard output: output that fails with a message, not a traceback.

`configure_std_streams` and `guarded_stdout`: text the terminal's encoding cannot show
becomes escapes, a reader that closes the pipe early (``| head``) ends the run quietly
with status 141, and a full device is a one-line error with status 1.

Every command imports this module, so it imports little (writing files is
`cat_rubric._io`'s, imported only for ``-o``).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable
from typing import Any, Final, TextIO, cast

from cat_rubric._text import inert

#: Exit status when standard output is closed early: what a shell shows for SIGPIPE.
EXIT_BROKEN_PIPE: Final = 128 + 13
#: Exit status when standard output cannot be written (a full device, an I/O error).
EXIT_OUTPUT_FAILED: Final = 1


def configure_std_streams() -> None:
    r"""Let standard output and error show what their encoding cannot as escapes.

    A terminal that is not UTF-8 (``LC_ALL=C.ISO-8859-1``, ``PYTHONIOENCODING=koi8-r``)
    shows an en dash as ``\u2013`` rather than ending the run with a UnicodeEncodeError;
    so are lone surrogates (undecodable bytes of a file name) under any locale. The
    encoding itself is kept.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="backslashreplace")


def guarded_stdout(body: Callable[[TextIO], int]) -> int:
    """Run ``body(out)``, *out* writing to standard output; return its exit status.

    Standard output is flushed before this returns. If it cannot be written, the rest
    of the output is discarded (also what the interpreter would flush at exit, so no
    "Exception ignored" message follows) and the status is:

    - `EXIT_BROKEN_PIPE` (141) if the reader closed the pipe (``| head -1``), silently;
    - `EXIT_OUTPUT_FAILED` (1) otherwise (a full device, an I/O error), with a one-line
      message on standard error.

    While *body* runs, `sys.stdout` is *out* too, so that what argparse prints (``--help``,
    which would swallow the error) is guarded as well. Only errors writing standard
    output are caught here: an OSError from anything else *body* does is not taken for one.
    """
    stream = sys.stdout
    out = cast("TextIO", _GuardedStream(stream))
    try:
        sys.stdout = out
        try:
            status = body(out)
        finally:
            sys.stdout = stream
        out.flush()
    except _StdoutFailedError as failure:
        _discard(stream)
        if isinstance(failure.error, BrokenPipeError):
            return EXIT_BROKEN_PIPE
        reason = inert(failure.error.strerror or str(failure.error))
        with contextlib.suppress(OSError, ValueError):
            print(f"cat-rubric: error: cannot write to standard output: {reason}", file=sys.stderr)
        return EXIT_OUTPUT_FAILED
    return status


class _StdoutFailedError(Exception):
    """Writing standard output failed with *error*."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class _GuardedStream:
    """A text stream whose write and flush errors are told apart from other OSErrors."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _StdoutFailedError(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _StdoutFailedError(exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard(stream: TextIO) -> None:
    """Point *stream*'s file descriptor at the null device: what is still buffered is dropped.

    The standard recipe for a closed pipe (see the Python docs on SIGPIPE): the
    interpreter's own flush at exit then succeeds instead of reporting the error again.
    """
    try:
        fd = stream.fileno()
    except (OSError, ValueError):  # not a real file (io.UnsupportedOperation is both)
        return
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, fd)
        finally:
            os.close(null)
