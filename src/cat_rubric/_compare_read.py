"""Reading what ``cat-rubric diff`` and ``cat-rubric history`` compare.

A side of ``diff`` is an assessment's JSON (as ``score --format json`` writes it) or a
rubric; ``history`` takes assessments' JSON only. A file is told by its content, never
by its name: a document whose first character (after a byte-order mark and white
space) is ``{`` is JSON.
"""

from __future__ import annotations

from cat_rubric._evidence import EvidenceFile
from cat_rubric._model import Rubric
from cat_rubric._result import Assessment
from cat_rubric.exceptions import AssessmentError, LoadError, Problem


def _read(name: str) -> tuple[str, bytes, bool]:
    """The file *name* as it may be shown, its bytes, and whether it is JSON."""
    from pathlib import Path

    from cat_rubric._text import display_name
    from cat_rubric._yaml import Limits, read_bytes

    shown = display_name(name)
    data = read_bytes(Path(name), Limits(), name=shown)
    return shown, data, data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def read_side(name: str) -> Assessment | Rubric:
    """One side of ``cat-rubric diff``: an assessment JSON file, or a rubric.

    *name* is a file when it is a path by the one rule (docs/format.md: a ``/``, or
    ``.yaml``/``.yml`` at the end) or ends in ``.json``; anything else is a bundled
    rubric's id. A file is told by its content, never by its name: one whose first
    character (after white space) is ``{`` is JSON and must be an assessment
    (`Assessment.from_json`); any other is YAML and must be a rubric.

    Raises:
        LoadError: the file has problems (located by line and column).
        NotFoundError: *name* is an id, and no bundled rubric has it.
        AssessmentError: the file is an evidence or scale file.
    """
    from cat_rubric._load import load_any, load_rubric
    from cat_rubric._resolve import is_path

    if not (is_path(name) or name.endswith(".json")):
        return load_rubric(name)
    shown, data, is_json = _read(name)
    if is_json:
        return Assessment.from_json(data, file=shown)
    model = load_any(name)
    if isinstance(model, Rubric):
        return model
    what = "an evidence file" if isinstance(model, EvidenceFile) else "a scale"
    raise AssessmentError(
        f"{shown} is {what}; diff compares two assessments (JSON, from cat-rubric score "
        "--format json) or two rubrics. To compare evidence, assess each side: --old RUBRIC "
        "EVIDENCE... --new RUBRIC EVIDENCE..."
    )


def read_assessment(name: str) -> Assessment:
    """An assessment JSON file (for ``cat-rubric history``); never a bundled id.

    Raises:
        LoadError: the file is not an assessment as cat_rubric writes it.
    """
    shown, data, is_json = _read(name)
    if not is_json:
        problem = Problem(
            file=shown,
            line=1,
            column=1,
            path=(),
            code="unknown-format",
            message="this is not an assessment's JSON (it does not begin with '{'); "
            "write one with cat-rubric score RUBRIC EVIDENCE... --format json -o FILE",
        )
        raise LoadError((problem,))
    return Assessment.from_json(data, file=shown)


__all__ = ["read_assessment", "read_side"]
