"""Evidence files: what each source says about each criterion, with citations."""

from __future__ import annotations

import datetime as dt
import enum
import os
from typing import Any

import attrs

from cat_rubric._load import Parser, load_document
from cat_rubric._model import Origin, Rubric, SourceKind, fast_hash
from cat_rubric._schema import (
    Builder,
    PartialTuple,
    checks,
    identifier,
    non_empty,
    not_blank,
    positions,
)
from cat_rubric._schema import Path as KeyPath
from cat_rubric._yaml import Limits, read_bytes
from cat_rubric.exceptions import LoadError


class Finding(enum.Enum):
    """What a piece of evidence shows about a criterion.

    Listed from least to most favourable; `cat_rubric.Settings.rank` gives the
    order the grading rules use (where a refusal sits depends on a setting).
    """

    CONTRARY = "contrary"
    """A new measure contrary to the recommendation."""
    REJECTED = "rejected"
    """An explicit refusal: "does not intend to", "no amendment is necessary"."""
    NO_INFORMATION = "no_information"
    """The source says nothing on it."""
    NOT_RELEVANT = "not_relevant"
    """Information that does not bear on it (e.g. a restatement of the Constitution)."""
    NOT_IMPLEMENTED = "not_implemented"
    """Nothing done, or action that does not implement it."""
    INITIATED = "initiated"
    """A first step: a draft law, a plan, an announced training."""
    PARTIALLY_IMPLEMENTED = "partially_implemented"
    """A real, on-point step with gaps left."""
    IMPLEMENTED = "implemented"
    """Done, in substance."""


fast_hash(Finding)


@attrs.frozen(kw_only=True)
class Source:
    """Where an evidence item comes from.

    Attributes:
        kind: State party, NGO, NHRI, NPM, UN body, court, media or other.
        title: The document's title.
        symbol: Its document symbol, if it has one.
        locator: Paragraph or page, e.g. ``para. 12``.
        url: Where it can be read.
        date: The document's date; evidence dated after the assessment's "as of" is ignored.
    """

    kind: SourceKind
    title: str = attrs.field(metadata=checks(not_blank))
    symbol: str | None = None
    locator: str | None = None
    url: str | None = None
    date: dt.date | None = None


@attrs.frozen(kw_only=True)
class Item:
    """What one source says about one or more criteria.

    Attributes:
        id: Unique within its file.
        criteria: Ids of the criteria it bears on.
        finding: What it shows about them.
        source: The citation.
        measure_date: The date of the measure it reports (adoption, entry into force ...).
        quote: The passage, verbatim.
        summary: The assessor's summary (at least one of quote and summary).
        illustrative: True for invented example material.
    """

    id: str = attrs.field(metadata=checks(identifier))
    criteria: tuple[str, ...] = attrs.field(metadata=checks(non_empty))
    finding: Finding
    source: Source
    measure_date: dt.date | None = None
    quote: str | None = None
    summary: str | None = None
    illustrative: bool = False


@attrs.frozen(kw_only=True)
class Override:
    """An analyst's judgement that takes precedence over the engine's.

    Exactly one of ``criterion`` (with ``finding``) or ``part`` (with ``grade``).

    Attributes:
        criterion: The criterion whose outcome is set.
        finding: The finding it is set to.
        part: The part whose grade is set.
        grade: The grade it is set to, a letter of the assessment's scale.
        by: Who decided.
        date: When.
        reason: Why (required: overrides are accountable).
        until: After this date the override lapses and the engine's result stands.
    """

    criterion: str | None = None
    finding: Finding | None = None
    part: str | None = None
    grade: str | None = None
    by: str = attrs.field(metadata=checks(not_blank))
    date: dt.date
    reason: str = attrs.field(metadata=checks(not_blank))
    until: dt.date | None = None

    @property
    def target(self) -> str:
        """``criterion X`` or ``part Y``."""
        return f"criterion {self.criterion}" if self.criterion else f"part {self.part}"


@attrs.frozen(kw_only=True)
class Reply:
    """Whether and when the State party's follow-up reply was received.

    Attributes:
        received: Whether it was received.
        date: When (required if received, absent if not).
        symbol: Its document symbol.
        title: Its title.
    """

    received: bool
    date: dt.date | None = None
    symbol: str | None = None
    title: str | None = None


@attrs.frozen(kw_only=True)
class EvidenceFile:
    """One evidence file: a header and the items gathered for one rubric and cycle.

    Attributes:
        rubric: The rubric's id.
        rubric_sha256: The sha256 of the rubric file the evidence was gathered against.
        cycle: The follow-up cycle, e.g. ``2009–2010 follow-up``.
        assessor: Who gathered it.
        as_of: The date the evidence speaks for.
        reply: The State party's reply, if this file says; one file of a set must.
        reminders: Dates of reminders sent to the State party.
        notes: Anything a reader should know (e.g. that the file is illustrative).
        items: The evidence items.
        overrides: Analyst overrides.
        origin: Where it was loaded from (not part of equality, not written to YAML).
    """

    rubric: str = attrs.field(metadata=checks(identifier))
    rubric_sha256: str | None = None
    cycle: str = attrs.field(metadata=checks(not_blank))
    assessor: str = attrs.field(metadata=checks(not_blank))
    as_of: dt.date
    reply: Reply | None = None
    reminders: tuple[dt.date, ...] = ()
    notes: str | None = None
    items: tuple[Item, ...] = ()
    overrides: tuple[Override, ...] = ()
    origin: Origin | None = attrs.field(
        default=None, eq=False, repr=False, metadata={"yaml": False}
    )

    @property
    def file(self) -> str:
        """The file name used in messages."""
        return self.origin.file if self.origin else "<in memory>"


def _validator(rubric: Rubric | None) -> Any:
    def validate(b: Builder, fields: dict[str, Any]) -> None:
        _check_header(b, fields, rubric)
        items: tuple[Item, ...] = fields.get("items", ())
        seen: dict[str, KeyPath] = {}
        for i, item in positions(items):
            path: KeyPath = ("items", i)
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
                if rubric is not None:
                    _check_criterion(b, rubric, criterion, (*path, "criteria", c))
        overrides: tuple[Override, ...] = fields.get("overrides", ())
        targets: dict[str, KeyPath] = {}
        for i, override in positions(overrides):
            _check_override(b, override, ("overrides", i), rubric, targets)

    return validate


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
    rid: str | None = fields.get("rubric")
    if rid is not None and rid != rubric.id:
        b.report_at(
            ("rubric",),
            "wrong-rubric",
            f"this evidence is for rubric {rid!r}, but it is being read against {rubric.id!r}",
        )
    digest: str | None = fields.get("rubric_sha256")
    if digest is not None and rubric.origin is not None and digest != rubric.origin.sha256:
        b.report_at(
            ("rubric_sha256",),
            "rubric-changed",
            f"the rubric file has changed since this evidence was gathered (its sha256 is now "
            f"{rubric.origin.sha256}); review the evidence against the new rubric, then update "
            "rubric_sha256",
        )


def _check_criterion(b: Builder, rubric: Rubric, criterion: str, path: KeyPath) -> None:
    try:
        rubric.criterion(criterion)
    except KeyError:
        import difflib

        known = [c.id for _, _, c in rubric.iter_criteria()]
        close = difflib.get_close_matches(criterion, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "see 'cat-rubric show' for the ids"
        b.report_at(
            path,
            "unknown-reference",
            f"rubric {rubric.id!r} has no criterion {criterion!r}; {hint}",
        )


def _check_override(
    b: Builder,
    override: Override,
    path: KeyPath,
    rubric: Rubric | None,
    targets: dict[str, KeyPath],
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
    file: str = "<string>",
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> EvidenceFile:
    """Load an evidence file from YAML text; with *rubric*, also check every reference.

    Raises:
        LoadError: listing every problem, each with its line and column.
    """
    return load_document(text, file, EvidenceFile, _validator(rubric), limits=limits, parser=parser)


def load_evidence(
    path: str | os.PathLike[str],
    *,
    rubric: Rubric | None = None,
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> EvidenceFile:
    """Load an evidence file; with *rubric*, also check its criterion and part ids.

    Raises:
        LoadError: listing every problem, each with its line and column.
    """
    from pathlib import Path

    limits = limits or Limits()
    data = read_bytes(Path(path), limits)
    return parse_evidence(data, rubric=rubric, file=str(path), limits=limits, parser=parser)


def is_partial(items: tuple[Any, ...]) -> bool:
    """Whether some entries of *items* failed to load."""
    return isinstance(items, PartialTuple)


__all__ = [
    "EvidenceFile",
    "Finding",
    "Item",
    "LoadError",
    "Override",
    "Reply",
    "Source",
    "load_evidence",
    "parse_evidence",
]
