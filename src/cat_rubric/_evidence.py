"""Evidence files: what each source says about each criterion, with citations.

This module holds the models only; loading and validation live in `cat_rubric._load`.
"""

import datetime as dt
import enum

import attrs

from cat_rubric._checks import checks, identifier, non_empty, not_blank
from cat_rubric._model import Origin, SourceKind, fast_hash
from cat_rubric._repr import fields_repr


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
    """The source says nothing on it (for the State party's reply: silence on the point)."""
    NO_NEW_INFORMATION = "no_new_information"
    """The State party addressed the point but brought nothing new: it repeats earlier
    information or restates the existing legal framework. Not silence. Only a State
    party item can carry it."""
    NOT_RELEVANT = "not_relevant"
    """Information that does not bear on it (e.g. a bare denial that violations occurred)."""
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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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


__all__ = [
    "EvidenceFile",
    "Finding",
    "Item",
    "Override",
    "Reply",
    "Source",
]
