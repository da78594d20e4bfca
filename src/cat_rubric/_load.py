"""Loading rubrics, evidence files and grading scales from YAML, and telling them apart.

Every document takes one path: its bytes are read once, composed once into a node
tree (`cat_rubric._yaml`), and built into a model by the schema builder
(`cat_rubric._schema`), which reports every problem with its line and column. Names
are resolved by `cat_rubric._resolve`: a bundled id or a path, never a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, TypeVar

import attrs
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from cat_rubric._digest import sha256
from cat_rubric._evidence import EvidenceFile, Finding, Item, Override, Reply
from cat_rubric._gc import paused
from cat_rubric._model import (
    FollowUp,
    Origin,
    Recommendation,
    Rubric,
    SourceKind,
    add_months,
    remember_loaded,
)
from cat_rubric._resolve import Kind, Resolved, bundled, is_path, resolve
from cat_rubric._scales import CCPR_2016_LETTERS, EVIDENCE_CHAIN, Grade, Outcome, Rules, Scale
from cat_rubric._schema import (
    INT,
    INVALID,
    STR,
    Builder,
    PartialTuple,
    RangeError,
    did_you_mean,
    paragraph_range,
    positions,
    yaml_int,
)
from cat_rubric._schema import Path as Steps
from cat_rubric._text import display_name
from cat_rubric._yaml import BOM, HAVE_LIBYAML, Document, Limits, compose, decode, read_bytes
from cat_rubric.exceptions import LoadError, NotFoundError, Problem

T = TypeVar("T")
Parser = Literal["auto", "c", "python"]
Validator = Callable[[Builder, dict[str, Any]], None]
Model = Rubric | EvidenceFile | Scale


class _Composed(NamedTuple):
    """A document composed once, ready to be built into any model."""

    doc: Document
    sha256: str


def _compose(
    data: bytes | str, file: str, limits: Limits | None, parser: Parser
) -> tuple[_Composed, Limits]:
    limits = limits or Limits()
    if parser == "c" and not HAVE_LIBYAML:
        raise NotFoundError("libyaml is not available to PyYAML on this machine; use parser='auto'")
    utf8: bytes | None = None
    if isinstance(data, bytes):
        digest = sha256(data)
        text = decode(data, file)
        utf8 = data.removeprefix(BOM)  # as decoded: valid UTF-8, without the BOM
    else:
        text = data
        digest = sha256(data.encode("utf-8", "surrogatepass"))
    doc = compose(text, file, limits, pure=parser == "python", utf8=utf8)
    return _Composed(doc, digest), limits


def _build(
    composed: _Composed,
    cls: type[T],
    validate: Validator,
    limits: Limits,
    *,
    bundled: bool = False,
    extra: tuple[Problem, ...] = (),
) -> T:
    """Build and validate a *cls* from a composed document; raise `LoadError` on problems."""
    builder = Builder(composed.doc, limits)
    model = builder.build(composed.doc.root, cls, ())
    validate(builder, builder.root_fields)
    problems = [*extra, *builder.problems]
    if model is INVALID or problems:
        raise LoadError(tuple(sorted(problems, key=lambda p: (p.line, p.column))))
    origin = Origin(file=composed.doc.file, sha256=composed.sha256, bundled=bundled)
    loaded = attrs.evolve(model, origin=origin)
    remember_loaded(loaded)
    return loaded  # type: ignore[no-any-return]


def load_document(
    data: bytes | str,
    file: str,
    cls: type[T],
    validate: Validator,
    *,
    limits: Limits | None = None,
    parser: Parser = "auto",
    bundled: bool = False,
) -> T:
    """Compose, build and validate one document of type *cls*; raise `LoadError` on problems.

    Args:
        data: The file's bytes (checked as UTF-8) or already-decoded text.
        file: The name used in messages.
        cls: The attrs class of the document's root (it has an ``origin`` field).
        validate: Document-wide checks run on the built model.
        limits: Resource limits; the defaults if omitted.
        parser: ``"c"`` for libyaml, ``"python"`` for PyYAML's pure-Python parser,
            ``"auto"`` for libyaml when available.
        bundled: Whether the text is a bundled file's, named by its id.
    """
    with paused():  # the node tree and the model are acyclic: see cat_rubric._gc
        # The node tree dies with _compose_and_build's frame, while the collector is
        # still paused: resuming it walks only the model, never the much larger tree.
        try:
            return _compose_and_build(data, file, cls, validate, limits, parser, bundled)
        except LoadError as exc:
            error, problems = type(exc), exc.problems
    # Raised anew: the original's traceback held the frames that held the node tree.
    raise error(problems) from None


def _compose_and_build(
    data: bytes | str,
    file: str,
    cls: type[T],
    validate: Validator,
    limits: Limits | None,
    parser: Parser,
    bundled: bool,
) -> T:
    composed, limits = _compose(data, file, limits, parser)
    _refuse_other_kind(composed.doc, cls)
    return _build(composed, cls, validate, limits, bundled=bundled)


def _refuse_other_kind(doc: Document, cls: type) -> None:
    """One problem, not a screenful, when *doc* is plainly another kind of file than *cls*.

    Plainly: none of *cls*'s own top-level keys, and more of one other kind's than of
    any third (`_kind_of`). An evidence file given where the rubric goes is the usual
    case (``cat-rubric score EVIDENCE.yaml ...``).
    """
    keys = _top_keys(doc)
    other = _kind_of(doc)
    if cls not in _MARKERS or keys & _MARKERS[cls] or other is None or other is cls:
        return
    found = ", ".join(sorted(keys & _MARKERS[other]))
    raise LoadError(
        (
            Problem(
                file=doc.file,
                line=doc.root.start_mark.line + 1,
                column=doc.root.start_mark.column + 1,
                path=(),
                code="wrong-kind",
                message=f"this is {_A_KIND[other]} (its keys {found}), not {_A_KIND[cls]}; "
                + _KIND_HINTS[other, cls],
            ),
        )
    )


def _read(resolved: Resolved, limits: Limits | None) -> bytes:
    """The bytes of a resolved file, read once, within the size limit."""
    return read_bytes(resolved.path, limits or Limits(), name=resolved.name)


def validate_rubric(b: Builder, fields: dict[str, Any]) -> None:
    """Document-wide checks: unique ids, references, essential criteria, dates.

    *fields* are the root's fields that built cleanly; checks whose inputs are
    missing or had problems of their own are skipped rather than guessed at.
    """
    seen: dict[tuple[str, str], Steps] = {}

    def unique(kind: str, value: str, path: Steps) -> None:
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

    paragraphs: dict[int, Steps] = {}
    recommendations: tuple[Recommendation, ...] = fields.get("recommendations", ())
    for r, rec in positions(recommendations):
        rp: Steps = ("recommendations", r)
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
            pp: Steps = (*rp, "parts", p)
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
    for i, number, within in _follow_up_entries(b, fu):
        if numbers is not None and number not in numbers:
            known = ", ".join(str(n) for n in sorted(numbers)) or "none"
            of = f" (of the range {within!r})" if within else ""
            b.report_at(
                ("follow_up", "recommendations", i),
                "unknown-reference",
                f"no recommendation has paragraph {number}{of}; paragraphs in this rubric: {known}",
            )
    if fu.paragraph is not None and fu.paragraph < 1:
        b.report_at(("follow_up", "paragraph"), "not-positive", "a paragraph number starts at 1")
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


def _follow_up_entries(b: Builder, fu: FollowUp) -> list[tuple[int, int, str | None]]:
    """Each follow-up paragraph, with where it is written.

    The index of its entry in the document's list, and the range text it comes from
    (``11-15``), if any.
    """
    node = b.doc.child(b.doc.root, "follow_up")
    entries = b.doc.child(node, "recommendations") if node is not None else None
    if not isinstance(entries, SequenceNode):
        return [(i, n, None) for i, n in positions(fu.recommendations)]
    out: list[tuple[int, int, str | None]] = []
    for index, child in enumerate(entries.value):
        if isinstance(child, ScalarNode) and child.tag == INT:
            out.append((index, yaml_int(child), None))
        elif isinstance(child, ScalarNode) and child.tag == STR:
            try:
                out.extend((index, n, child.value) for n in paragraph_range(child.value))
            except RangeError:
                continue  # reported by the builder
    return out


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
    """Load a bundled rubric by its id, or a rubric file by its path.

    A name is a path when it is a `pathlib.Path`, contains a ``/`` or ends in
    ``.yaml`` or ``.yml``; anything else is a bundled rubric's id, and a file of the
    same name in the current directory never shadows it (write ``./NAME`` for the
    file). See `bundled_rubrics`.

    Args:
        source: A bundled rubric's id, or a path.
        limits: Resource limits; the defaults if omitted.
        parser: Which YAML parser to use (see `load_document`).

    Raises:
        LoadError: listing every problem in the file.
        NotFoundError: *source* is an id, and no bundled rubric has it.
    """
    found = resolve(Kind.RUBRIC, source)
    return load_document(
        _read(found, limits),
        found.name,
        Rubric,
        validate_rubric,
        limits=limits,
        parser=parser,
        bundled=found.bundled,
    )


def bundled_rubrics() -> tuple[str, ...]:
    """Ids of the rubrics that ship with cat_rubric, sorted."""
    return tuple(bundled(Kind.RUBRIC))


def _validator(rubric: Rubric | None, scale: Scale | None = None) -> Any:
    def validate(b: Builder, fields: dict[str, Any]) -> None:
        # Without a rubric given, the bundled one the file names is known all the same.
        known = rubric if rubric is not None else _bundled_rubric_named(fields)
        _check_header(b, fields, known)
        items: tuple[Item, ...] = fields.get("items", ())
        seen: dict[str, Steps] = {}
        for i, item in positions(items):
            path: Steps = ("items", i)
            if item.id in seen:
                line, _ = b.doc.locate(seen[item.id])
                b.report_at(
                    (*path, "id"),
                    "duplicate-id",
                    f"item id {item.id!r} is used twice (first at line {line}); ids must be "
                    "unique within the file",
                )
            else:
                seen[item.id] = (*path, "id")
            if item.quote is None and item.summary is None:
                b.report_at(
                    path,
                    "missing-key",
                    "an item needs a 'quote' (verbatim) or a 'summary' (your words), or both",
                )
            if item.finding is Finding.NO_NEW_INFORMATION and item.source.kind is not (
                SourceKind.STATE_PARTY
            ):
                b.report_at(
                    (*path, "finding"),
                    "finding-not-for-source",
                    "'no_new_information' describes the State party's reply (it addressed the "
                    "point but brought nothing new); an independent source that says nothing on "
                    "it is 'no_information', one that finds nothing done is 'not_implemented'",
                )
            listed: set[str] = set()
            for c, criterion in enumerate(item.criteria):
                if criterion in listed:
                    # Listed twice, the item would count twice on the criterion.
                    b.report_at(
                        (*path, "criteria", c),
                        "duplicate-id",
                        f"criterion {criterion!r} is listed twice in this item; list it once",
                    )
                listed.add(criterion)
                if known is not None:
                    _check_criterion(b, known, criterion, (*path, "criteria", c))
        overrides: tuple[Override, ...] = fields.get("overrides", ())
        targets: dict[str, Steps] = {}
        for i, override in positions(overrides):
            _check_override(b, override, ("overrides", i), known, targets)
        if known is not None and any(o.grade is not None for o in overrides):
            _check_letters(b, overrides, known, scale)

    return validate


def _bundled_rubric_named(fields: dict[str, Any]) -> Rubric | None:
    """The bundled rubric an evidence file's ``rubric:`` names, if one has that id."""
    rid = fields.get("rubric")
    if isinstance(rid, str) and rid in bundled(Kind.RUBRIC):
        return load_rubric(rid)
    return None


def _check_letters(
    b: Builder, overrides: tuple[Override, ...], rubric: Rubric, scale: Scale | None
) -> None:
    """Each part override's grade is a letter of *scale*, else of the rubric's own scale.

    The scale an assessment will use is not always known when evidence is loaded: the
    rubric's own is checked unless another is given, and a message says how to give it.
    """
    given = scale is not None
    if scale is None:
        try:
            scale = load_scale(rubric.scale)
        except (NotFoundError, LoadError):  # a scale of one's own: given when scoring
            return
    letters = ", ".join(scale.letters)
    for i, override in positions(overrides):
        if override.grade is None or override.grade in scale.letters:
            continue
        close = b.suggest(override.grade, scale.letters)
        hint = f" — {did_you_mean(override.grade, close)}" if close else ""
        how = (
            ""
            if given
            else f", the scale rubric {rubric.id!r} names; to grade with another scale, give it "
            "with --scale (scale= in Python)"
        )
        b.report_at(
            ("overrides", i, "grade"),
            "unknown-value",
            f"{override.grade!r} is not a letter of scale {scale.id} ({letters}){how}{hint}",
        )


def _check_header(b: Builder, fields: dict[str, Any], rubric: Rubric | None) -> None:
    reply: Reply | None = fields.get("reply")
    if reply is not None:
        if reply.received and reply.date is None:
            b.report_at(
                ("reply",), "missing-key", "the reply was received: give its 'date' (YYYY-MM-DD)"
            )
        if not reply.received and reply.date is not None:
            b.report_at(
                ("reply", "date"),
                "inconsistent",
                "the reply is marked not received but has a date; set 'received: true' or "
                "remove the date",
            )
    as_of: dt.date | None = fields.get("as_of")
    if as_of is not None and reply is not None and reply.date is not None and reply.date > as_of:
        b.report_at(
            ("reply", "date"),
            "impossible-date",
            f"the reply is dated {reply.date}, after the file's as_of date {as_of}",
        )
    reminders: tuple[dt.date, ...] = fields.get("reminders", ())
    for i, day in enumerate(reminders):
        if as_of is not None and day > as_of:
            b.report_at(
                ("reminders", i),
                "impossible-date",
                f"a reminder dated {day} is after the file's as_of date {as_of}",
            )
    if rubric is None:
        return
    # Nothing answers concluding observations before they exist.
    adopted = rubric.adopted
    if as_of is not None and as_of < adopted:
        b.report_at(
            ("as_of",),
            "impossible-date",
            f"the file is as of {as_of}, before the concluding observations were adopted "
            f"({adopted}): there is no follow-up to assess before then",
        )
    if reply is not None and reply.date is not None and reply.date < adopted:
        b.report_at(
            ("reply", "date"),
            "impossible-date",
            f"the reply is dated {reply.date}, before the concluding observations it answers "
            f"were adopted ({adopted})",
        )
    for i, day in enumerate(reminders):
        if day < adopted:
            b.report_at(
                ("reminders", i),
                "impossible-date",
                f"a reminder dated {day} is before the concluding observations were adopted "
                f"({adopted})",
            )
    rid: str | None = fields.get("rubric")
    if rid is not None and rid != rubric.id:
        b.report_at(
            ("rubric",),
            "wrong-rubric",
            f"this evidence is for rubric {rid!r}, but it is being read against {rubric.id!r}"
            + _alike_note(rid, rubric.id),
        )
    digest: str | None = fields.get("rubric_sha256")
    if digest is not None and rubric.origin is not None and digest != rubric.origin.sha256:
        b.report_at(
            ("rubric_sha256",),
            "rubric-changed",
            f"the rubric file has changed since this evidence was gathered (its sha256 is now "
            f"{rubric.origin.sha256}, the file records {digest[:12]}); see what changed "
            f"and update the hash with: cat-rubric rehash {rubric.origin.file} THIS_FILE "
            "(add --write to update it)",
        )


def _alike_note(given: str, meant: str) -> str:
    """`` (they differ only in upper and lower case)`` and the like, or nothing."""
    from cat_rubric._similar import difference  # only for this error

    how = difference(given, meant)
    return f" ({how})" if how else ""


def _check_criterion(b: Builder, rubric: Rubric, criterion: str, path: Steps) -> None:
    try:
        rubric.criterion(criterion)
    except KeyError:
        close = b.suggest(criterion, rubric.criterion_ids)
        hint = did_you_mean(criterion, close) if close else "see 'cat-rubric show' for the ids"
        b.report_at(
            path,
            "unknown-reference",
            f"rubric {rubric.id!r} has no criterion {criterion!r}; {hint}",
        )


def _check_override(
    b: Builder,
    override: Override,
    path: Steps,
    rubric: Rubric | None,
    targets: dict[str, Steps],
) -> None:
    if (override.criterion is None) == (override.part is None):
        b.report_at(
            path,
            "override-target",
            "an override sets exactly one of 'criterion' (with 'finding') or 'part' (with 'grade')",
        )
        return
    if override.criterion is not None and (override.finding is None or override.grade):
        b.report_at(
            path,
            "override-target",
            "an override of a criterion gives a 'finding' (and no 'grade')",
        )
    if override.part is not None and (override.grade is None or override.finding):
        b.report_at(
            path, "override-target", "an override of a part gives a 'grade' (and no 'finding')"
        )
    if override.until is not None and override.until < override.date:
        b.report_at(
            (*path, "until"),
            "impossible-date",
            f"the override lapses ({override.until}) before it was made ({override.date})",
        )
    if override.target in targets:
        line, _ = b.doc.locate(targets[override.target])
        b.report_at(
            path,
            "duplicate-override",
            f"{override.target} is overridden twice (first at line {line}); keep one "
            "judgement, with its reason",
        )
    else:
        targets[override.target] = path
    if rubric is None:
        return
    if override.criterion is not None:
        _check_criterion(b, rubric, override.criterion, (*path, "criterion"))
    elif override.part is not None:
        try:
            rubric.part(override.part)
        except KeyError:
            parts = ", ".join(p.id for _, p in rubric.iter_parts())
            b.report_at(
                (*path, "part"),
                "unknown-reference",
                f"rubric {rubric.id!r} has no part {override.part!r}; its parts: {parts}",
            )


def parse_evidence(
    text: str | bytes,
    *,
    rubric: Rubric | None = None,
    scale: Scale | str | None = None,
    file: str = "<string>",
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> EvidenceFile:
    """Load an evidence file from YAML text, checking every reference against its rubric.

    The rubric is *rubric* if given, else the bundled rubric the file's ``rubric:``
    names, if one has that id: its criterion and part ids are checked, its sha256
    against ``rubric_sha256``, and the letters of part overrides against *scale* (a
    `Scale`, or a bundled scale's id or a scale file's path), else the rubric's own
    scale. Without a rubric (an id no bundled rubric has, and none given), only the
    file itself is checked.

    Raises:
        LoadError: listing every problem, each with its line and column.
        NotFoundError: *scale* is an id that no bundled scale has.
    """
    if isinstance(scale, str):
        scale = load_scale(scale)
    validator = _validator(rubric, scale)
    return load_document(text, file, EvidenceFile, validator, limits=limits, parser=parser)


def load_evidence(
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    scale: Scale | str | None = None,
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> EvidenceFile:
    """Load an evidence file by its path, checking it against its rubric.

    The rubric is *rubric* if given, else the bundled rubric the file names; *scale*
    is the scale its part overrides' letters are checked against (default: the
    rubric's). See `parse_evidence`.

    Raises:
        LoadError: listing every problem, each with its line and column.
        NotFoundError: *scale* is an id that no bundled scale has.
    """
    name = display_name(path)
    data = _read(Resolved(path=os.fspath(path), name=name, bundled=False), limits)
    return parse_evidence(data, rubric=rubric, scale=scale, file=name, limits=limits, parser=parser)


def _validate_scale(b: Builder, fields: dict[str, Any]) -> None:
    grades: tuple[Grade, ...] = fields.get("grades", ())
    letters: dict[str, int] = {}
    for i, grade in positions(grades):
        if grade.letter in letters:
            b.report_at(
                ("grades", i, "letter"), "duplicate-id", f"letter {grade.letter!r} is used twice"
            )
        letters.setdefault(grade.letter, len(grades) - 1 - i)
        if grade.ccpr_2016 not in CCPR_2016_LETTERS:
            b.report_at(
                ("grades", i, "ccpr_2016"),
                "unknown-value",
                f"{grade.ccpr_2016!r} is not a ccpr-2016 letter (A, B, C, D or E)",
            )
    rules: Rules | None = fields.get("rules")
    if rules is None or not letters:
        return
    unknown = [o for o in Outcome if getattr(rules, o.value) not in letters]
    for outcome in unknown:
        b.report_at(
            ("rules", outcome.value),
            "unknown-reference",
            f"{getattr(rules, outcome.value)!r} is not a letter of this scale "
            f"({', '.join(letters)})",
        )
    if unknown:
        return
    for lower, higher in itertools.pairwise(EVIDENCE_CHAIN):
        lo, hi = getattr(rules, lower.value), getattr(rules, higher.value)
        if letters[lo] > letters[hi]:
            b.report_at(
                ("rules", higher.value),
                "not-monotonic",
                f"{higher.value} gets {hi!r}, worse than {lower.value}'s {lo!r}; better "
                "evidence must never earn a worse letter",
            )


def parse_scale(
    text: str | bytes,
    *,
    file: str = "<string>",
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> Scale:
    """Load a grading scale from YAML text.

    Raises:
        LoadError: listing every problem, each with its line and column.
    """
    return load_document(text, file, Scale, _validate_scale, limits=limits, parser=parser)


def load_scale(source: str | os.PathLike[str], *, limits: Limits | None = None) -> Scale:
    """Load a bundled scale by its id (``cat-2015``, ``ccpr-2016``, ``ccpr-2013``) or a file.

    Names follow the same rule as rubrics' (see `load_rubric`): a path has a ``/`` or
    ends in ``.yaml``; anything else is a bundled id, never shadowed by a file.

    Raises:
        LoadError: the file has problems.
        NotFoundError: *source* is an id, and no bundled scale has it.
    """
    found = resolve(Kind.SCALE, source)
    if found.bundled:
        return _bundled_scale(found.name)
    return load_document(_read(found, limits), found.name, Scale, _validate_scale, limits=limits)


@functools.cache
def _bundled_scale(scale_id: str) -> Scale:
    found = resolve(Kind.SCALE, scale_id)
    return load_document(_read(found, None), found.name, Scale, _validate_scale, bundled=True)


def bundled_scales() -> tuple[str, ...]:
    """Ids of the scales that ship with cat_rubric, sorted."""
    return tuple(bundled(Kind.SCALE))


# -- any document: what `cat-rubric validate` reads ------------------------------------

#: Top-level keys that only one kind of document has, to tell them apart.
_MARKERS: dict[type, frozenset[str]] = {
    Rubric: frozenset({"recommendations", "symbol", "follow_up", "treaty_body", "state_party"}),
    EvidenceFile: frozenset({"items", "as_of", "rubric", "rubric_sha256", "cycle", "reply"}),
    Scale: frozenset({"grades", "rules", "information_quality"}),
}
_KIND_NAMES: dict[type, str] = {Rubric: "rubric", EvidenceFile: "evidence", Scale: "scale"}


_A_KIND: dict[type, str] = {
    Rubric: "a rubric",
    EvidenceFile: "an evidence file",
    Scale: "a grading scale",
}
_ORDER = "the rubric comes first, then its evidence files: cat-rubric score RUBRIC EVIDENCE..."
_SCALE = "a grading scale is given with --scale S (in Python, scale=load_scale(...))"
_KIND_HINTS: dict[tuple[type, type], str] = {
    (EvidenceFile, Rubric): _ORDER,
    (Rubric, EvidenceFile): _ORDER,
    (Scale, Rubric): _SCALE,
    (Scale, EvidenceFile): _SCALE,
    (Rubric, Scale): "--scale takes a grading scale: a bundled id (cat-rubric scales) or a file",
    (EvidenceFile, Scale): "--scale takes a grading scale: a bundled id (cat-rubric scales) or a "
    "file",
}


def _top_keys(doc: Document) -> set[str]:
    root = doc.root
    if not isinstance(root, MappingNode):
        return set()
    return {k.value for k, _ in root.value if isinstance(k, ScalarNode)}


def _kind_of(doc: Document) -> type | None:
    """Which kind of document *doc* is, from its top-level keys; None if it cannot tell."""
    keys = _top_keys(doc)
    if not keys:
        return None
    counts = {cls: len(keys & markers) for cls, markers in _MARKERS.items()}
    best = max(counts.values())
    winners = [cls for cls, n in counts.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def load_any(
    source: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    rubrics: Mapping[str, Rubric] | None = None,
    scale: Scale | None = None,
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> Model:
    """Load a rubric, evidence or scale file, telling which it is from the parsed document.

    The file is read once and composed once, whatever it holds (so a pipe or
    ``/dev/stdin`` works). An evidence file is checked against *rubric* if given,
    else against the rubric its ``rubric:`` key names: one of *rubrics* (by id),
    else the bundled rubric with that id; its part overrides' letters against
    *scale*, else the rubric's own scale.

    Raises:
        LoadError: listing every problem in the file.
        NotFoundError: *source* is an id, and no bundled rubric has it.
    """
    found = resolve(Kind.RUBRIC, source)
    data = _read(found, limits)
    with paused():  # see load_document: the node tree dies before the collector resumes
        try:
            return _load_any(found, data, rubric, rubrics, scale, limits, parser)
        except LoadError as exc:
            error, problems = type(exc), exc.problems
    raise error(problems) from None  # see load_document


def _load_any(
    found: Resolved,
    data: bytes,
    rubric: Rubric | None,
    rubrics: Mapping[str, Rubric] | None,
    scale: Scale | None,
    limits: Limits | None,
    parser: Parser,
) -> Model:
    composed, limits = _compose(data, found.name, limits, parser)
    cls = _kind_of(composed.doc)
    if cls is None:
        kinds = "; ".join(
            f"a {_KIND_NAMES[c]} has {', '.join(sorted(m))}" for c, m in _MARKERS.items()
        )
        raise LoadError(
            (
                Problem(
                    file=found.name,
                    line=composed.doc.root.start_mark.line + 1,
                    column=composed.doc.root.start_mark.column + 1,
                    path=(),
                    code="unknown-kind",
                    message="cannot tell whether this is a rubric, an evidence file or a "
                    f"scale from its top-level keys ({kinds}); check the file",
                ),
            )
        )
    if cls is Rubric:
        return _build(composed, Rubric, validate_rubric, limits, bundled=found.bundled)
    if cls is Scale:
        return _build(composed, Scale, _validate_scale, limits)
    extra: tuple[Problem, ...] = ()
    if rubric is None:
        rubric, extra = _rubric_named_by(composed.doc, rubrics or {})
    return _build(composed, EvidenceFile, _validator(rubric, scale), limits, extra=extra)


def _bundled_alike(rubric_id: str) -> str:
    """A did-you-mean for a bundled id that differs only in case, a dash or a space."""
    from cat_rubric._similar import alike  # only for this error

    close = alike(rubric_id, bundled_rubrics())
    return f" — {did_you_mean(rubric_id, close)}" if close else ""


def _rubric_named_by(
    doc: Document, rubrics: Mapping[str, Rubric]
) -> tuple[Rubric | None, tuple[Problem, ...]]:
    """The rubric an evidence document's ``rubric:`` key names, or a problem saying why not."""
    node = doc.child(doc.root, "rubric")
    if not (isinstance(node, ScalarNode) and node.tag == STR) or is_path(node.value):
        return None, ()  # the builder reports a missing or malformed id
    if node.value in rubrics:
        return rubrics[node.value], ()
    try:
        return load_rubric(node.value), ()
    except NotFoundError:
        known = ", ".join(bundled_rubrics()) or "none"
        problem = Problem(
            file=doc.file,
            line=node.start_mark.line + 1,
            column=node.start_mark.column + 1,
            path=("rubric",),
            code="unknown-reference",
            message=f"no bundled rubric has the id {node.value!r} (bundled: {known})"
            + _bundled_alike(node.value)
            + "; give the rubric's file on the same command line (cat-rubric validate "
            "RUBRIC.yaml THIS_FILE) or with --rubric RUBRIC.yaml",
        )
        return None, (problem,)


__all__ = [
    "Parser",
    "bundled_rubrics",
    "bundled_scales",
    "load_any",
    "load_document",
    "load_evidence",
    "load_rubric",
    "load_scale",
    "parse_evidence",
    "parse_rubric",
    "parse_scale",
]
