"""The assessment: immutable results with their reasons, navigable from a notebook.

Every class here is immutable and made of plain values: frozen attrs classes, and
`ItemUse`, a named tuple because there is one per item and criterion. An assessment
serialises to JSON and back into an equal object (`Assessment.to_json`,
`Assessment.from_json`).
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

import attrs

from cat_rubric._evidence import Finding, Source
from cat_rubric._model import SourceKind, as_loaded, fast_hash
from cat_rubric._repr import fields_repr
from cat_rubric._scales import Outcome

if TYPE_CHECKING:
    import pandas as pd

    from cat_rubric._tables import Level

#: The version of the JSON document `Assessment.to_json` writes (see docs/json.md).
JSON_FORMAT = "cat-rubric-assessment/3"

_T = TypeVar("_T")


def deferred(
    cls: type[_T], decided: Mapping[str, Any], explain: Callable[[], dict[str, Any]]
) -> _T:
    """An instance of *cls* whose explaining fields are computed on first access.

    *decided* holds the fields the decision core computed; *explain* returns the rest
    (the classes' ``_EXPLAINED`` fields), once, when any of them is first read. The
    instance is then indistinguishable from one built with every field: equality,
    hashing, ``attrs.asdict`` and the JSON read the fields as attributes (``repr``
    shows decided fields only, and builds nothing).
    """
    obj = object.__new__(cls)
    state = obj.__dict__
    state.update(decided)
    state["_explain"] = explain
    return obj


def _explained(obj: object, name: str, explained: frozenset[str]) -> Any:
    state = obj.__dict__
    explain = state.get("_explain")
    if explain is None or name not in explained:
        raise AttributeError(f"{type(obj).__name__!r} object has no attribute {name!r}")
    state.update(explain())
    del state["_explain"]
    return state[name]


def _materialised(obj: object, explained: frozenset[str]) -> dict[str, Any]:
    """The instance's state with every field computed (for pickling and copying)."""
    for name in explained:
        getattr(obj, name)
    return dict(obj.__dict__)


class Status(enum.Enum):
    """Whether a part could be graded, and if not, why."""

    GRADED = "graded"
    """A grade was given (D included: no reply after the reminders)."""
    PENDING = "pending"
    """No reply yet, and the follow-up is not yet due: nothing to grade."""
    AWAITING_REMINDER = "awaiting_reminder"
    """No reply, overdue, but fewer reminders sent than the settings require for a D."""


fast_hash(Status)


class Use(enum.Enum):
    """What the engine did with an evidence item."""

    COUNTED = "counted"
    """It decided (or shared in deciding) a criterion's outcome."""
    OUTWEIGHED = "outweighed"
    """Considered, but another item's finding counted under the conflict policy."""
    IGNORED = "ignored"
    """Not considered; the reason says why (e.g. dated after the as-of date)."""


fast_hash(Use)


class ItemUse(NamedTuple):
    """One evidence item's fate in the assessment: every item appears exactly once.

    A named tuple rather than an attrs class: an assessment holds one per item and
    criterion (150,000 for a 100,000-item batch), and a named tuple is immutable like
    every other result but several times cheaper to build.

    Attributes:
        file: The evidence file it came from.
        item: Its id.
        criterion: The criterion this record is about (an item on two criteria has two).
        source_kind: Who it comes from.
        citation: The source as cited: title, symbol, locator, date.
        passage: The quoted passage (in quotation marks) or the assessor's summary.
        finding: The finding as written.
        effective: The finding after the date rules (pre-dating, not yet in effect).
        use: Counted, outweighed or ignored.
        reason: Why it was outweighed or ignored; empty when counted.
        flags: Date flags: pre-dating, not yet in effect, stale, undated.
        illustrative: Whether the item is invented example material (its citation then
            ends in "(illustrative)" too).
        source: The item's source as the evidence file gives it (title, symbol,
            locator, URL, date): what `citation` is written from, kept whole so that the
            record is the evidence itself, not only its words. None in a record read from
            a JSON document written before it was recorded.
        measure_date: The date of the measure the item reports, as the file gives it.
        quote: The item's quotation, as the file gives it (`passage` puts it in
            quotation marks).
        summary: The assessor's summary, as the file gives it.
    """

    file: str
    item: str
    criterion: str
    source_kind: SourceKind
    citation: str
    passage: str
    finding: Finding
    effective: Finding
    use: Use
    reason: str = ""
    flags: tuple[str, ...] = ()
    illustrative: bool = False
    source: Source | None = None
    measure_date: dt.date | None = None
    quote: str | None = None
    summary: str | None = None


@attrs.frozen(kw_only=True)
class Conflict:
    """Sources that disagree on a criterion, kept side by side.

    Attributes:
        criterion: The criterion.
        state: ``item: finding`` entries from the State party.
        independent: ``item: finding`` entries from independent sources.
        counted: The finding that counted under the policy.
        disputed: Whether an independent source contradicts a State claim downwards.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    criterion: str
    state: tuple[str, ...]
    independent: tuple[str, ...]
    counted: Finding
    disputed: bool


@attrs.frozen(kw_only=True)
class OverrideRecord:
    """An analyst override as applied, next to what the engine would have said.

    Attributes:
        target: ``criterion X`` or ``part Y``.
        value: What the analyst set (a finding or a letter).
        engine: What the engine computed.
        by: Who.
        date: When.
        reason: Why.
        until: When it lapses.
        file: The evidence file it came from.
        applied: False if it had lapsed by the as-of date (then the engine's result stands).
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    target: str
    value: str
    engine: str
    by: str
    date: dt.date
    reason: str
    until: dt.date | None
    file: str
    applied: bool


@attrs.frozen(kw_only=True)
class CriterionResult:
    """A criterion's outcome and the evidence behind it.

    Attributes:
        id: The criterion id.
        essential: Whether it is essential for an A.
        weight: Its weight in the score.
        finding: The finding that counts (after any override).
        engine_finding: The finding the engine computed.
        state_finding: The State party's claim, if any.
        independent_finding: The independent sources' finding, if any.
        disputed: Whether independent sources contradict the State's claim.
        items: Ids of the items that counted.
        request: The information the Committee would request (the criterion's
            ``request`` sentence) whenever the finding is short of implemented; None
            once it is implemented.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str
    essential: bool
    weight: float
    finding: Finding
    engine_finding: Finding
    state_finding: Finding | None
    independent_finding: Finding | None
    disputed: bool
    items: tuple[str, ...]
    request: str | None


@attrs.frozen(kw_only=True, slots=False)
class Score:
    """A part's numeric score, with its formula and counts: never a bare percentage.

    Attributes:
        value: Σ weight × value(finding) / Σ weight, between 0 and 1.
        formula: The sum written out.
        counts: ``finding: n`` for each finding present, in finding order.
        weight_total: Σ weight.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    value: float
    formula: str
    counts: tuple[str, ...]
    weight_total: float

    #: Fields the engine writes out only when first read (see `deferred`).
    _EXPLAINED: ClassVar = frozenset({"formula", "counts"})

    if not TYPE_CHECKING:  # keep attribute names checked

        def __getattr__(self, name: str) -> Any:
            return _explained(self, name, self._EXPLAINED)

    def __getstate__(self) -> dict[str, Any]:
        return _materialised(self, self._EXPLAINED)

    def __str__(self) -> str:
        return f"{self.value:.2f} = {self.formula}"


@attrs.frozen(kw_only=True)
class WhatIf:
    """The fewest criteria whose improvement would lift a part's grade.

    Attributes:
        grade: The grade they would lift it to.
        changes: ``criterion → finding`` entries, all needed together.
        alternatives: Other criteria that would do instead of the first change.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    grade: str
    changes: tuple[str, ...]
    alternatives: tuple[str, ...] = ()


@attrs.frozen(kw_only=True, slots=False, repr=False)
class PartResult:
    """A part's grade and its explanation, as data.

    Attributes:
        id: The part id.
        title: Its title.
        status: Graded, pending or awaiting a reminder.
        grade: The letter (after any override), or None if not graded.
        engine_grade: The letter the engine computed.
        outcome: The outcome the engine reached.
        rule: The rule that decided it, as a short id (e.g. ``essential-criteria-met``).
        reason: The rule in plain words, naming the criteria behind it.
        score: The numeric score with its formula.
        information_quality: Thorough / partial / not_relevant / none, on scales that judge it.
        criteria: Each criterion's outcome.
        conflicts: Disagreements between sources, side by side.
        flags: Things to check: pre-dating measures, stale evidence, lapsed overrides.
        missing: The information the Committee would request, one sentence per criterion.
        what_if: The fewest criteria whose improvement would lift the grade.
        override: The analyst override applied to the grade, if any.
    """

    id: str
    title: str
    status: Status
    grade: str | None
    engine_grade: str | None
    outcome: Outcome | None
    rule: str
    reason: str
    score: Score
    information_quality: str | None
    criteria: tuple[CriterionResult, ...]
    conflicts: tuple[Conflict, ...]
    flags: tuple[str, ...]
    missing: tuple[str, ...]
    what_if: WhatIf | None
    override: OverrideRecord | None

    #: Fields the engine computes only when first read (see `deferred`).
    _EXPLAINED: ClassVar = frozenset(
        {"reason", "criteria", "conflicts", "flags", "missing", "what_if"}
    )

    if not TYPE_CHECKING:  # keep attribute names checked

        def __getattr__(self, name: str) -> Any:
            return _explained(self, name, self._EXPLAINED)

    def __getstate__(self) -> dict[str, Any]:
        return _materialised(self, self._EXPLAINED)

    def criterion(self, criterion_id: str) -> CriterionResult:
        """The result for *criterion_id*; `KeyError` if the part has no such criterion."""
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        raise KeyError(criterion_id)

    def __repr__(self) -> str:
        """A one-line summary from the decided fields: it never builds the explanation."""
        from cat_rubric._display import part_repr

        return part_repr(self)

    def _repr_html_(self) -> str:
        """The grade, rule, score and reason, and a table of the criteria (Jupyter)."""
        from cat_rubric._display import part_display

        return part_display(self, "html")

    def _repr_markdown_(self) -> str:
        """`_repr_html_`'s summary as Markdown."""
        from cat_rubric._display import part_display

        return part_display(self, "markdown")


@attrs.frozen(kw_only=True, repr=False)
class RecommendationResult:
    """A recommendation's parts and their roll-up.

    Attributes:
        id: The recommendation id.
        paragraph: Its paragraph number.
        title: Its title.
        themes: Its follow-up themes, as ids (the rubric's ``themes``).
        grade: The roll-up letter (never hides an E), or None if nothing was graded.
        rollup: How the roll-up was made, in words.
        parts_differ: Whether its parts received different grades.
        parts: The parts.
    """

    id: str
    paragraph: int
    title: str
    themes: tuple[str, ...] = ()
    grade: str | None
    rollup: str
    parts_differ: bool
    parts: tuple[PartResult, ...]

    def part(self, part_id: str) -> PartResult:
        """The result for *part_id*; `KeyError` if there is none."""
        for result in self.parts:
            if result.id == part_id:
                return result
        raise KeyError(part_id)

    def __repr__(self) -> str:
        """A one-line summary: id, paragraph, grade and each part's grade."""
        from cat_rubric._display import recommendation_repr

        return recommendation_repr(self)

    def _repr_html_(self) -> str:
        """The roll-up and a table of the parts' grades (Jupyter)."""
        from cat_rubric._display import recommendation_display

        return recommendation_display(self, "html")

    def _repr_markdown_(self) -> str:
        """`_repr_html_`'s summary as Markdown."""
        from cat_rubric._display import recommendation_display

        return recommendation_display(self, "markdown")


@attrs.frozen(kw_only=True)
class FileRecord:
    """An input file and the sha256 of its bytes.

    Attributes:
        file: The file as named (a path, a bundled id, or ``<in memory>``).
        sha256: The sha256 of its bytes (of its canonical JSON, for a model built in memory).
        bundled: Whether it is a bundled rubric or scale, named by its id.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    file: str
    sha256: str
    bundled: bool = False


def file_record(model: Any) -> FileRecord:
    """The file a rubric, evidence file or scale came from, and its sha256.

    For a model built in memory, the sha256 of its canonical JSON; so too for a model
    evolved from a loaded one into other content (it keeps the file's origin, whose
    sha256 would name what the file holds, not what was assessed: see `as_loaded`).
    Assessment records, the scale check of reports and histories, and rubric
    comparisons all name a model this way.
    """
    o = model.origin
    if o is not None and as_loaded(model):
        return FileRecord(file=o.file, sha256=o.sha256, bundled=o.bundled)
    return FileRecord(file="<in memory>", sha256=_content_digest(model))


@functools.lru_cache(maxsize=32)
def _content_digest(model: Any) -> str:
    from cat_rubric._convert import content_digest

    return content_digest(model)


@attrs.frozen(kw_only=True)
class Record:
    """What is needed to reproduce an assessment.

    Attributes:
        format: The JSON format's version.
        library: ``cat_rubric``.
        version: The library's version.
        rubric: The rubric file and its hash.
        evidence: The evidence files and their hashes, in the order given.
        scale: The scale's id.
        scale_version: The scale's version.
        scale_file: The scale actually used: bundled or a file, and its sha256, so that
            a scale swapped for another of the same id and version shows.
        policy: The conflict policy's name.
        settings: The other settings, as ``name=value`` entries.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    format: str
    library: str
    version: str
    rubric: FileRecord
    evidence: tuple[FileRecord, ...]
    scale: str
    scale_version: int
    scale_file: FileRecord
    policy: str
    settings: tuple[str, ...]


@attrs.frozen(kw_only=True, slots=False, repr=False)
class Assessment:
    """A graded follow-up assessment of one rubric on a set of evidence.

    Attributes:
        rubric: The rubric's id.
        symbol: Its document symbol.
        state_party: The State party.
        cycle: The follow-up cycle.
        as_of: The date the assessment speaks for.
        due: The follow-up due date.
        reply_received: Whether the State's reply had arrived by ``as_of``.
        reply_date: When it arrived.
        reminders: Reminders sent by ``as_of``.
        status: Graded, pending or awaiting a reminder.
        recommendations: The results, in document order.
        items: What happened to every evidence item.
        overrides: Every analyst override, applied or lapsed.
        record: What is needed to reproduce it.
    """

    rubric: str
    symbol: str
    state_party: str
    cycle: str
    as_of: dt.date
    due: dt.date | None
    reply_received: bool
    reply_date: dt.date | None
    reminders: tuple[dt.date, ...]
    status: Status
    recommendations: tuple[RecommendationResult, ...]
    items: tuple[ItemUse, ...]
    overrides: tuple[OverrideRecord, ...]
    record: Record

    #: Fields the engine computes only when first read (see `deferred`).
    _EXPLAINED: ClassVar = frozenset({"items"})

    if not TYPE_CHECKING:  # keep attribute names checked

        def __getattr__(self, name: str) -> Any:
            return _explained(self, name, self._EXPLAINED)

    def __getstate__(self) -> dict[str, Any]:
        return _materialised(self, self._EXPLAINED)

    def recommendation(self, key: str | int) -> RecommendationResult:
        """The result for a recommendation id or paragraph number; `KeyError` if none."""
        for result in self.recommendations:
            if key in (result.id, result.paragraph):
                return result
        raise KeyError(key)

    def part(self, part_id: str) -> PartResult:
        """The result for *part_id*, whichever recommendation it is in; `KeyError` if none."""
        for rec in self.recommendations:
            for result in rec.parts:
                if result.id == part_id:
                    return result
        raise KeyError(part_id)

    @property
    def parts(self) -> tuple[PartResult, ...]:
        """Every part's result, in document order."""
        return tuple(p for rec in self.recommendations for p in rec.parts)

    def to_json(self) -> str:
        """The assessment as JSON: deterministic, byte-identical for the same inputs."""
        from cat_rubric._convert import converter, iso_dates
        from cat_rubric._text import json_dumps  # valid UTF-8, no raw controls or bidi

        data = {"format": JSON_FORMAT, **converter().unstructure(self)}
        return json_dumps(data, default=iso_dates) + "\n"

    @classmethod
    def from_json(cls, text: str | bytes, *, file: str = "<string>") -> Assessment:
        """Read an assessment written by `to_json`.

        Raises:
            LoadError: the text is not JSON, is another format or version, or does not
                describe an assessment; each problem names the line, column and key.
        """
        from cat_rubric._json import read_assessment

        return read_assessment(text, file)

    def to_records(self, level: Level = "parts") -> list[dict[str, Any]]:
        """The assessment as a tidy table: one plain dict per row, no pandas needed.

        Args:
            level: ``recommendations``, ``parts``, ``criteria`` (each part's criteria),
                ``items`` (each item's use on each criterion), ``conflicts`` or
                ``requests`` (the information to request). Each level's columns are
                fixed and documented in docs/tables.md.

        Raises:
            SettingsError: *level* is not one of these.
        """
        from cat_rubric._tables import assessment_records

        return assessment_records(self, level)

    def to_frame(self, level: Level = "parts") -> pd.DataFrame:
        """`to_records` as a pandas DataFrame, with the columns in order.

        Dates are ``datetime64[s]`` (missing ones ``NaT``); tuples stay tuples.

        Raises:
            SettingsError: *level* is not one of `to_records`' levels.
            MissingExtraError: pandas is not installed (``pip install 'cat_rubric[pandas]'``);
                it is a `CatRubricError` and an `ImportError`.
        """
        from cat_rubric._tables import assessment_frame

        return assessment_frame(self, level)

    def __repr__(self) -> str:
        """A one-line summary from the decided fields: it never builds the explanation."""
        from cat_rubric._display import assessment_repr

        return assessment_repr(self)

    def _repr_html_(self) -> str:
        """The header, a grade table per recommendation and the counts (Jupyter)."""
        from cat_rubric._display import assessment_display

        return assessment_display(self, "html")

    def _repr_markdown_(self) -> str:
        """`_repr_html_`'s summary as Markdown."""
        from cat_rubric._display import assessment_display

        return assessment_display(self, "markdown")
