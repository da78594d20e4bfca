"""The rubric model: recommendations, the parts the Committee grades, and their criteria.

Field names are the YAML keys. The model knows nothing of files: loading and
validation live in `cat_rubric._load`.
"""

import datetime as dt
import enum
import functools
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Final

import attrs

from cat_rubric._checks import checks, identifier, non_empty, not_blank, positive, scale_id
from cat_rubric._repr import fields_repr

if TYPE_CHECKING:
    import pandas as pd


class Indicator(enum.Enum):
    """OHCHR's indicator classes, used to tag criteria."""

    STRUCTURAL = "structural"
    """Laws, institutions, ratifications."""
    PROCESS = "process"
    """Policies, programmes, efforts: what the State does."""
    OUTCOME = "outcome"
    """Results for rights-holders: what changed in practice."""


class SourceKind(enum.Enum):
    """Who a piece of evidence comes from."""

    STATE_PARTY = "state_party"
    NGO = "ngo"
    NHRI = "nhri"
    NPM = "npm"
    """A national preventive mechanism under OPCAT."""
    UN_BODY = "un_body"
    COURT = "court"
    MEDIA = "media"
    OTHER = "other"

    @property
    def independent(self) -> bool:
        """Whether the source is independent of the State party."""
        return self is not SourceKind.STATE_PARTY


def fast_hash(cls: type[enum.Enum]) -> type[enum.Enum]:
    """Hash *cls*'s members by identity, in C.

    `enum.Enum` hashes a member by its name in Python code, which shows up in the
    engine's profile: members are singletons compared by identity, so identity
    hashing is equivalent and several times faster.
    """
    cls.__hash__ = object.__hash__  # type: ignore[method-assign]
    return cls


fast_hash(Indicator)
fast_hash(SourceKind)


@attrs.frozen(kw_only=True)
class Origin:
    """Where a model was loaded from.

    Attributes:
        file: The file as named (a path, or a bundled id).
        sha256: The sha256 of the file's bytes.
        bundled: Whether it is a bundled rubric or scale, named by its id.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    file: str
    sha256: str
    bundled: bool = False


_ORIGIN = {"yaml": False}

#: The models loaded from each origin, while they live: `as_loaded` tells them from a
#: model evolved from one, which keeps its origin (``origin`` is left out of equality).
_LOADED: Final[dict[Origin, list[weakref.ref[Any]]]] = {}


def remember_loaded(model: Any) -> None:
    """Note *model*, just loaded with its ``origin``, as what that file holds."""
    origin = model.origin
    _LOADED.setdefault(origin, []).append(weakref.ref(model, lambda _: _forget(origin)))


def _forget(origin: Origin) -> None:
    """Drop the dead among *origin*'s loaded models (and the origin, once none lives)."""
    refs = [r for r in _LOADED.get(origin, ()) if r() is not None]
    if refs:
        _LOADED[origin] = refs
    else:
        _LOADED.pop(origin, None)


def as_loaded(model: Any) -> bool:
    """Whether *model* holds what its origin's file held when it was loaded.

    True for a loaded model and for an equal copy (``copy``, a model evolved back to the
    same content); False for a model ``attrs.evolve`` changed, for which the file's
    sha256 would name other content, and when no model loaded from that file lives any
    more (a model unpickled in another process): then its content is not known to be
    the file's.
    """
    origin = model.origin
    if origin is None:
        return False
    loaded = [m for r in _LOADED.get(origin, ()) if (m := r()) is not None]
    # Every model loaded from one origin (the same bytes) is equal: one compare serves.
    return any(m is model for m in loaded) or (bool(loaded) and loaded[0] == model)


#: What every placeholder in a rubric drafted by ``cat-rubric draft`` begins with.
DRAFT_MARK = "DRAFT:"


def not_draft(value: str) -> tuple[str, str] | None:
    """Text that is not a placeholder left by ``cat-rubric draft`` (it begins ``DRAFT:``)."""
    if not value.startswith(DRAFT_MARK):
        return None
    return (
        "draft-placeholder",
        f"is still a placeholder from cat-rubric draft (it begins {DRAFT_MARK!r}); replace it "
        "with the text",
    )


@attrs.frozen(kw_only=True)
class LegalReference:
    """A provision a criterion turns on, named so it survives renumbering.

    Attributes:
        instrument: The law, e.g. ``Criminal Code of 1997``.
        article: The article number in that instrument, e.g. ``347-1``.
        title: What the provision is, e.g. ``Torture`` — the name that survives renumbering.
        note: Anything an assessor should know, e.g. later renumbering.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    instrument: str = attrs.field(metadata=checks(not_blank))
    article: str = attrs.field(metadata=checks(not_blank))
    title: str = attrs.field(metadata=checks(not_blank))
    note: str | None = None


@attrs.frozen(kw_only=True)
class Criterion:
    """A statement an assessor can verify against documents.

    Attributes:
        id: Unique within the rubric; evidence items refer to it.
        statement: The verifiable statement.
        indicator: Structural, process or outcome.
        essential: Whether the part cannot be graded A unless this is implemented.
        weight: Positive weight in the part's numeric score.
        evidence: Kinds of source that can show it.
        guidance: For the assessor: what counts and what does not.
        request: The sentence the Committee would use to request missing information.
        legal_references: Provisions it turns on, named so they survive renumbering.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str = attrs.field(metadata=checks(identifier))
    statement: str = attrs.field(metadata=checks(not_blank, not_draft))
    indicator: Indicator
    essential: bool = False
    weight: float = attrs.field(default=1.0, metadata=checks(positive))
    evidence: tuple[SourceKind, ...] = attrs.field(metadata=checks(non_empty))
    guidance: str = attrs.field(metadata=checks(not_blank, not_draft))
    request: str = attrs.field(metadata=checks(not_blank, not_draft))
    legal_references: tuple[LegalReference, ...] = ()


@attrs.frozen(kw_only=True)
class Part:
    """A lettered sub-paragraph or separable component: the unit the Committee grades.

    Attributes:
        id: Unique within the rubric, e.g. ``9a``.
        label: As printed in the document, e.g. ``(a)``.
        title: A short title analysts recognise.
        text: The sub-paragraph's own words, where it has them.
        criteria: At least one, at least one of them essential.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str = attrs.field(metadata=checks(identifier))
    label: str | None = None
    title: str = attrs.field(metadata=checks(not_blank))
    text: str | None = None
    criteria: tuple[Criterion, ...] = attrs.field(metadata=checks(non_empty))


def theme_ids(value: tuple[str, ...]) -> tuple[str, str] | None:
    """Each theme an id (`identifier`)."""
    for theme in value:
        found = identifier(theme)
        if found is not None:
            return found
    return None


@attrs.frozen(kw_only=True)
class Recommendation:
    """One numbered paragraph of the concluding observations.

    Attributes:
        id: Unique within the rubric, e.g. ``para-9``.
        paragraph: The paragraph number in the document.
        title: The heading above it.
        articles: Articles of the Convention it cites, as written (``"2"``, ``"11"``).
        themes: Follow-up themes it belongs to, as ids (``legal-safeguards``; see
            `cat_rubric.FOLLOW_UP_THEMES`, or one's own): they line recommendations up
            across concluding observations in a State's history.
        concern: The Committee's concern, in its own words.
        recommendation: The recommendation ("The State party should ..."), verbatim.
        parts: What the Committee grades separately; one part if it has no sub-paragraphs.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str = attrs.field(metadata=checks(identifier))
    paragraph: int
    title: str = attrs.field(metadata=checks(not_blank, not_draft))
    articles: tuple[str, ...] = ()
    themes: tuple[str, ...] = attrs.field(default=(), metadata=checks(theme_ids))
    concern: str = attrs.field(metadata=checks(not_blank, not_draft))
    recommendation: str = attrs.field(metadata=checks(not_blank, not_draft))
    parts: tuple[Part, ...] = attrs.field(metadata=checks(non_empty))


@attrs.frozen(kw_only=True)
class FollowUp:
    """The follow-up request: which paragraphs, and by when.

    Attributes:
        paragraph: The paragraph making the request (36 in CAT/C/KAZ/CO/2).
        recommendations: Paragraph numbers of the recommendations selected.
        within_months: The period given, in months.
        due: The due date; if absent, adoption date plus ``within_months``.
        text: The request as worded.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    paragraph: int | None = None
    # In YAML an entry may be a range, "11-15": the loader expands it (docs/format.md).
    recommendations: tuple[int, ...] = attrs.field(
        metadata={**checks(non_empty), "paragraph_ranges": True}
    )
    within_months: int | None = None
    due: dt.date | None = None
    text: str | None = None


@attrs.frozen(kw_only=True)
class Rubric:
    """Concluding observations turned into a checklist of verifiable criteria.

    Attributes:
        id: Stable id, e.g. ``cat-kaz-co-2``; bundled rubrics load by it.
        title: The document's title.
        treaty_body: E.g. ``CAT``.
        state_party: E.g. ``Kazakhstan``.
        symbol: The document symbol, e.g. ``CAT/C/KAZ/CO/2``.
        session: The session at which it was adopted.
        adopted: The adoption date.
        follow_up: The follow-up request.
        recommendations: The recommendations (at least one).
        scale: The id of the bundled grading scale it is meant for (a scale of one's own
            is given when assessing, never named here as a path).
        language: Language of the text (BCP 47), ``en`` by default.
        source_url: Where the document can be read.
        notes: Anything an assessor should know about the rubric itself.
        origin: Where it was loaded from (not part of equality, not written to YAML).
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str = attrs.field(metadata=checks(identifier))
    title: str = attrs.field(metadata=checks(not_blank, not_draft))
    treaty_body: str = attrs.field(metadata=checks(not_blank))
    state_party: str = attrs.field(metadata=checks(not_blank, not_draft))
    symbol: str = attrs.field(metadata=checks(not_blank, not_draft))
    session: int | None = None
    adopted: dt.date
    follow_up: FollowUp
    recommendations: tuple[Recommendation, ...] = attrs.field(metadata=checks(non_empty))
    scale: str = attrs.field(default="cat-2015", metadata=checks(scale_id))
    language: str = "en"
    source_url: str | None = None
    notes: str | None = None
    origin: Origin | None = attrs.field(default=None, eq=False, repr=False, metadata=_ORIGIN)

    @property
    def due(self) -> dt.date | None:
        """The follow-up due date: stated, or adoption plus the period."""
        if self.follow_up.due is not None:
            return self.follow_up.due
        if self.follow_up.within_months is not None:
            try:
                return add_months(self.adopted, self.follow_up.within_months)
            except ValueError:  # pragma: no cover - the loader rejects such a rubric
                return None
        return None

    def iter_parts(self) -> Iterator[tuple[Recommendation, Part]]:
        """Every part with its recommendation, in document order."""
        for rec in self.recommendations:
            for part in rec.parts:
                yield rec, part

    def iter_criteria(self) -> Iterator[tuple[Recommendation, Part, Criterion]]:
        """Every criterion with its part and recommendation, in document order."""
        for rec in self.recommendations:
            for part in rec.parts:
                for crit in part.criteria:
                    yield rec, part, crit

    @functools.cached_property
    def _index(self) -> dict[str, object]:
        index: dict[str, object] = {}
        for rec in self.recommendations:
            index.setdefault(f"rec:{rec.id}", rec)
            for part in rec.parts:
                index.setdefault(f"part:{part.id}", part)
                for crit in part.criteria:
                    index.setdefault(f"crit:{crit.id}", crit)
        return index

    @functools.cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        """Every criterion's id, in document order (computed once)."""
        return tuple(c.id for _, _, c in self.iter_criteria())

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id; `KeyError` if there is none."""
        found = self._index.get(f"crit:{criterion_id}")
        if not isinstance(found, Criterion):
            raise KeyError(criterion_id)
        return found

    def part(self, part_id: str) -> Part:
        """The part with this id; `KeyError` if there is none."""
        found = self._index.get(f"part:{part_id}")
        if not isinstance(found, Part):
            raise KeyError(part_id)
        return found

    def recommendation(self, recommendation_id: str) -> Recommendation:
        """The recommendation with this id; `KeyError` if there is none."""
        found = self._index.get(f"rec:{recommendation_id}")
        if not isinstance(found, Recommendation):
            raise KeyError(recommendation_id)
        return found

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per criterion, in document order (columns: docs/tables.md)."""
        from cat_rubric._tables import rubric_records

        return rubric_records(self)

    def to_frame(self) -> "pd.DataFrame":
        """`to_records` as a pandas DataFrame, with the columns in order.

        Raises:
            MissingExtraError: pandas is not installed (``pip install 'cat_rubric[pandas]'``);
                it is a `CatRubricError` and an `ImportError`.
        """
        from cat_rubric._tables import rubric_frame

        return rubric_frame(self)

    def _repr_html_(self) -> str:
        """The header and a table of the recommendations and their parts (Jupyter)."""
        from cat_rubric._display import rubric_display

        return rubric_display(self, "html")

    def _repr_markdown_(self) -> str:
        """`_repr_html_`'s summary as Markdown."""
        from cat_rubric._display import rubric_display

        return rubric_display(self, "markdown")


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* plus *months* calendar months, clamped to the month's last day.

    Raises:
        ValueError: the result is beyond the calendar (after the year 9999).
    """
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise ValueError(f"{day} plus {months} months is beyond the calendar")
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover - day 28 exists in every month
