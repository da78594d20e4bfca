"""Loading rubrics from YAML: by path, from text, or by the id of a bundled rubric."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs
from yaml.nodes import ScalarNode, SequenceNode

from cat_rubric._gc import paused
from cat_rubric._model import FollowUp, Origin, Recommendation, Rubric, add_months
from cat_rubric._schema import INT, INVALID, Builder, PartialTuple, positions, yaml_int
from cat_rubric._schema import Path as KeyPath
from cat_rubric._yaml import BOM, HAVE_LIBYAML, Document, Limits, compose, decode, read_bytes
from cat_rubric.exceptions import LoadError, NotFoundError, Problem

T = TypeVar("T")
Parser = Literal["auto", "c", "python"]
Validator = Callable[[Builder, dict[str, Any]], None]


def load_document(
    data: bytes | str,
    file: str,
    cls: type[T],
    validate: Validator,
    *,
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> T:
    """Compose, build and validate one document of type *cls*; raise `LoadError` on problems.

    Args:
        data: The file's bytes (checked as UTF-8) or already-decoded text.
        file: The name used in messages.
        cls: The attrs class of the document's root.
        validate: Document-wide checks run on the built model.
        limits: Resource limits; the defaults if omitted.
        parser: ``"c"`` for libyaml, ``"python"`` for PyYAML's pure-Python parser,
            ``"auto"`` for libyaml when available.
    """
    limits = limits or Limits()
    if parser == "c" and not HAVE_LIBYAML:
        raise NotFoundError("libyaml is not available to PyYAML on this machine; use parser='auto'")
    utf8: bytes | None = None
    if isinstance(data, bytes):
        digest = hashlib.sha256(data).hexdigest()
        text = decode(data, file)
        utf8 = data.removeprefix(BOM)  # as decoded: valid UTF-8, without the BOM
    else:
        text = data
        digest = hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()
    with paused():  # the node tree and the model are acyclic: see cat_rubric._gc
        model, problems = _build(text, utf8, file, cls, validate, limits, parser)
        # The node tree died with _build's frame, while the collector was still
        # paused: resuming it now walks only the model, never the much larger tree.
    if model is INVALID or problems:
        raise LoadError(tuple(sorted(problems, key=lambda p: (p.line, p.column))))
    if "origin" in attrs.fields_dict(cls):  # type: ignore[arg-type]
        model = attrs.evolve(model, origin=Origin(file=file, sha256=digest))
    return model  # type: ignore[no-any-return]


def _build(
    text: str,
    utf8: bytes | None,
    file: str,
    cls: type[T],
    validate: Validator,
    limits: Limits,
    parser: Parser,
) -> tuple[Any, list[Problem]]:
    """Compose *text* and build a *cls* from it: the model (or `INVALID`) and the problems."""
    doc = compose(text, file, limits, pure=parser == "python", utf8=utf8)
    return _build_from(doc, cls, validate, limits)


def _build_from(
    doc: Document, cls: type[T], validate: Validator, limits: Limits
) -> tuple[Any, list[Problem]]:
    builder = Builder(doc, limits)
    model = builder.build(doc.root, cls, ())
    validate(builder, builder.root_fields)
    return model, builder.problems


def validate_rubric(b: Builder, fields: dict[str, Any]) -> None:
    """Document-wide checks: unique ids, references, essential criteria, dates.

    *fields* are the root's fields that built cleanly; checks whose inputs are
    missing or had problems of their own are skipped rather than guessed at.
    """
    seen: dict[tuple[str, str], KeyPath] = {}

    def unique(kind: str, value: str, path: KeyPath) -> None:
        first = seen.get((kind, value))
        if first is not None:
            line, _ = b.doc.locate(first)
            b.report_at(
                path,
                "duplicate-id",
                f"{kind} id {value!r} is used twice (first at line {line}); ids must be unique "
                "within the rubric",
            )
        else:
            seen[(kind, value)] = path

    paragraphs: dict[int, KeyPath] = {}
    recommendations: tuple[Recommendation, ...] = fields.get("recommendations", ())
    for r, rec in positions(recommendations):
        rp: KeyPath = ("recommendations", r)
        unique("recommendation", rec.id, (*rp, "id"))
        if rec.paragraph in paragraphs:
            line, _ = b.doc.locate(paragraphs[rec.paragraph])
            b.report_at(
                (*rp, "paragraph"),
                "duplicate-id",
                f"paragraph {rec.paragraph} is used twice (first at line {line})",
            )
        else:
            paragraphs[rec.paragraph] = (*rp, "paragraph")
        if rec.paragraph < 1:
            b.report_at((*rp, "paragraph"), "not-positive", "a paragraph number starts at 1")
        for p, part in positions(rec.parts):
            pp: KeyPath = (*rp, "parts", p)
            unique("part", part.id, (*pp, "id"))
            complete = not isinstance(part.criteria, PartialTuple)
            if complete and not any(c.essential for c in part.criteria):
                b.report_at(
                    (*pp, "criteria"),
                    "no-essential-criterion",
                    f"part {part.id!r} has no essential criterion, so nothing would decide an A; "
                    "mark at least one criterion 'essential: true'",
                )
            for c, crit in positions(part.criteria):
                unique("criterion", crit.id, (*pp, "criteria", c, "id"))
    fu: FollowUp | None = fields.get("follow_up")
    adopted: dt.date | None = fields.get("adopted")
    session: int | None = fields.get("session")
    if session is not None and session < 1:
        b.report_at(("session",), "not-positive", "a session number starts at 1")
    if fu is None:
        return
    # Paragraph numbers are read from the document itself, so a recommendation that
    # failed to build for another reason does not make its paragraph look unknown.
    numbers = _paragraph_numbers(b)
    for i, number in enumerate(fu.recommendations):
        if numbers is not None and number not in numbers:
            known = ", ".join(str(n) for n in sorted(numbers)) or "none"
            b.report_at(
                ("follow_up", "recommendations", i),
                "unknown-reference",
                f"no recommendation has paragraph {number}; paragraphs in this rubric: {known}",
            )
    if fu.due is None and fu.within_months is None:
        b.report_at(
            ("follow_up",),
            "missing-key",
            "the follow-up needs 'due' (a date) or 'within_months' to know when it is due",
        )
    if fu.within_months is not None and fu.within_months < 1:
        b.report_at(("follow_up", "within_months"), "not-positive", "must be at least 1 month")
    elif fu.within_months is not None and adopted is not None:
        try:
            add_months(adopted, fu.within_months)
        except ValueError:
            b.report_at(
                ("follow_up", "within_months"),
                "impossible-date",
                f"{fu.within_months} months after adoption ({adopted}) is beyond the calendar; "
                "give the period in months (12 for one year)",
            )
    if fu.due is not None and adopted is not None and fu.due <= adopted:
        b.report_at(
            ("follow_up", "due"),
            "impossible-date",
            f"the follow-up is due {fu.due}, not after adoption on {adopted}",
        )


def _paragraph_numbers(b: Builder) -> set[int] | None:
    """The ``paragraph`` of every recommendation in the document, or None if any is unreadable."""
    recs = b.doc.child(b.doc.root, "recommendations")
    if not isinstance(recs, SequenceNode):
        return None
    numbers: set[int] = set()
    for rec in recs.value:
        node = b.doc.child(rec, "paragraph")
        if not (isinstance(node, ScalarNode) and node.tag == INT):
            return None
        numbers.add(yaml_int(node))
    return numbers


def parse_rubric(
    text: str | bytes,
    *,
    file: str = "<string>",
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> Rubric:
    """Load a rubric from YAML text.

    Raises:
        LoadError: listing every problem in the text, each with its line and column.
    """
    return load_document(text, file, Rubric, validate_rubric, limits=limits, parser=parser)


def load_rubric(
    source: str | os.PathLike[str],
    *,
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> Rubric:
    """Load a rubric from a YAML file, or a bundled rubric by its id.

    Args:
        source: A path, or the id of a bundled rubric (see `bundled_rubrics`).
        limits: Resource limits; the defaults if omitted.
        parser: Which YAML parser to use (see `load_document`).

    Raises:
        LoadError: listing every problem in the file.
        NotFoundError: *source* is neither a file nor a bundled rubric's id.
    """
    limits = limits or Limits()
    path = resolve_rubric(source)
    return parse_rubric(read_bytes(path, limits), file=str(source), limits=limits, parser=parser)


def resolve_rubric(source: str | os.PathLike[str]) -> Path:
    """The path for *source*: a file that exists, else the bundled rubric with that id."""
    path = Path(source)
    if path.exists() or path.suffix in (".yaml", ".yml") or os.sep in str(source):
        return path
    bundled = dict(_bundled())
    if str(source) in bundled:
        return bundled[str(source)]
    known = ", ".join(sorted(bundled)) or "none"
    raise NotFoundError(
        f"{source!r} is neither a file nor the id of a bundled rubric (bundled: {known})"
    )


def bundled_rubrics() -> tuple[str, ...]:
    """Ids of the rubrics that ship with cat_rubric, sorted."""
    return tuple(sorted(rid for rid, _ in _bundled()))


def _bundled_dir() -> Path:
    packaged = Path(str(resources.files("cat_rubric"))) / "rubrics"
    if packaged.is_dir():
        return packaged
    # A source checkout (PYTHONPATH=src or an editable install): the top-level folder.
    return Path(__file__).resolve().parents[2] / "rubrics"


def _bundled() -> Iterator[tuple[str, Path]]:
    folder = _bundled_dir()
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            yield path.stem, path
