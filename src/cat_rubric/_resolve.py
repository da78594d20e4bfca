r"""One rule for names: a bundled id or a path, never a guess between the two.

Rubrics and scales are named the same way, everywhere (the command line, the Python
API, a rubric's ``scale:`` key, an evidence file's ``rubric:`` key):

- A **path** is recognisably a path: a `pathlib.Path` (any ``os.PathLike``), or a
  string that contains a path separator (``/``, or ``\\`` on Windows) or ends in
  ``.yaml`` or ``.yml``. It is read from the file system and nothing else.
- Anything else is an **id**, looked up among the bundled rubrics or scales and
  nowhere else. A file or directory of the same name in the current directory never
  shadows it; if the id is not bundled and such a file exists, the error says to
  write ``./NAME`` to mean the file.

So ``cat-rubric score cat-kaz-co-2 ...`` always means the bundled rubric, and
``cat-rubric score ./cat-kaz-co-2 ...`` always means the file.
"""

from __future__ import annotations

import enum
import functools
import os

import attrs

from cat_rubric._repr import fields_repr
from cat_rubric._text import display_name
from cat_rubric.exceptions import NotFoundError


class Kind(enum.Enum):
    """What is being named: the folder bundled ones live in, and the word for it."""

    RUBRIC = "rubric"
    SCALE = "scale"


@attrs.frozen
class Resolved:
    """A name resolved to a file.

    Attributes:
        path: The file to read (a `str`: `pathlib` is not needed to read one file, and
            costs 3 ms at start-up).
        name: The name as it is shown in messages and records (the id, or the path).
        bundled: Whether it is a bundled rubric or scale, named by its id.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    path: str
    name: str
    bundled: bool


def is_path(name: str | os.PathLike[str]) -> bool:
    """Whether *name* names a file rather than a bundled id (see the module's rule)."""
    if not isinstance(name, str):
        return True
    separators = {os.sep, "/"} | ({os.altsep} if os.altsep else set())
    return any(s in name for s in separators) or name.endswith((".yaml", ".yml"))


def resolve(kind: Kind, name: str | os.PathLike[str]) -> Resolved:
    """The file for *name*: the path itself, or the bundled file for an id.

    Raises:
        NotFoundError: *name* is an id, and no bundled rubric (or scale) has it.
    """
    if is_path(name):
        return Resolved(path=os.fspath(name), name=display_name(name), bundled=False)
    assert isinstance(name, str)  # is_path is True for every PathLike
    found = bundled(kind).get(name)
    if found is not None:
        return Resolved(path=found, name=name, bundled=True)
    known = ", ".join(sorted(bundled(kind))) or "none"
    shown = display_name(name)
    hint = ""
    if os.path.lexists(name):
        hint = (
            f"; a file named {shown!r} exists here, but a bare name is always an id: write "
            f"./{shown} to use the file"
        )
    else:
        # `my-rubric` typed for the file my-rubric.yaml: say so.
        here = next((name + s for s in (".yaml", ".yml") if os.path.lexists(name + s)), None)
        if here is not None:
            hint = f"; the file {display_name(here)} is here: write {display_name(here)}"
    hint = hint or (
        f"; a {kind.value} of your own is named by its file's path (with a '/' or ending in "
        f".yaml), e.g. ./{shown}.yaml"
    )
    raise NotFoundError(
        f"{shown!r} is not the id of a bundled {kind.value} (bundled: {known}){hint}"
    )


@functools.cache
def bundled(kind: Kind) -> dict[str, str]:
    """The bundled rubrics (or scales): id → file, sorted by id.

    Read from the package once: what ships does not change while the process runs, and
    every load by id, and every `assess` without a scale, asks.
    """
    folder = _folder(kind)
    if not os.path.isdir(folder):  # pragma: no cover - a broken installation
        return {}
    found = {
        entry.name.removesuffix(".yaml"): entry.path
        for entry in os.scandir(folder)
        if entry.name.endswith(".yaml") and entry.is_file()
    }
    return dict(sorted(found.items()))


def _folder(kind: Kind) -> str:
    # The package's own folder (what importlib.resources.files gives for a package on
    # disk, without importing importlib.resources and tempfile at start-up).
    package = os.path.dirname(__file__)
    if kind is Kind.SCALE:
        return os.path.join(package, "scales")
    packaged = os.path.join(package, "rubrics")
    if os.path.isdir(packaged):
        return packaged
    # A source checkout (PYTHONPATH=src or an editable install): the top-level folder.
    return os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(package))), "rubrics")


__all__ = ["Kind", "Resolved", "bundled", "is_path", "resolve"]
