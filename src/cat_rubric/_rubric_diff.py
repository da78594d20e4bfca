"""Comparing two versions of a rubric, and what the change does to evidence gathered on it.

Analysts write a rubric for every set of concluding observations, and edit it as they
go. `compare_rubrics` matches two versions by id and lists each recommendation, part
and criterion added, removed or changed (every field that differs, old and new), the
paragraphs renumbered and the rubric's own fields that differ. Given the evidence
gathered against the old version, it lists **every** item and override that names a
criterion or part the change removes, rewords, moves or re-weights: nothing is
dropped silently. The result is plain data with a deterministic JSON
(`RUBRIC_COMPARISON_FORMAT`); `cat_rubric._compare_render` renders it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs

from cat_rubric._comparison import ABSENT, Edit, document_json, in_order, refuse_other_kinds
from cat_rubric._evidence import EvidenceFile
from cat_rubric._model import LegalReference, Rubric
from cat_rubric._result import Assessment, file_record
from cat_rubric.exceptions import AssessmentError

#: The version of the JSON document `RubricComparison.to_json` writes.
RUBRIC_COMPARISON_FORMAT: Final = "cat-rubric-rubric-comparison/1"


class Level(enum.Enum):
    """What a rubric change is about."""

    RECOMMENDATION = "recommendation"
    PART = "part"
    CRITERION = "criterion"


class Impact(enum.Enum):
    """What a rubric change does to an evidence item (or override) gathered against the old."""

    CRITERION_REMOVED = "criterion-removed"
    """Its criterion is not in the new rubric: the item would bear on nothing there."""
    CRITERION_CHANGED = "criterion-changed"
    """Its criterion is reworded, moved or re-weighted: review the item against it."""
    PART_REMOVED = "part-removed"
    """The part an override grades is not in the new rubric."""
    PART_CHANGED = "part-changed"
    """The part an override grades is reworded or moved."""
    UNKNOWN = "unknown"
    """It names a criterion (or part) the old rubric does not have either."""


#: Fields whose change is a rewording: the Committee's or the drafter's words.
TEXT_FIELDS: Final = frozenset(
    {"title", "concern", "recommendation", "label", "text", "statement", "guidance", "request"}
)


@attrs.frozen(kw_only=True)
class RubricFieldChange:
    """One field of a rubric, a recommendation, a part or a criterion that differs.

    Attributes:
        field: The YAML key (``statement``, ``paragraph``, ``follow_up.due`` ...); for a
            part, ``recommendation`` is the recommendation it belongs to, for a criterion
            ``part`` the part.
        old: The old value, as text (``—`` when absent).
        new: The new value, as text.
    """

    field: str
    old: str
    new: str


@attrs.frozen(kw_only=True)
class ElementChange:
    """A recommendation, part or criterion added, removed or changed (matched by id).

    Attributes:
        level: Recommendation, part or criterion.
        id: Its id.
        edit: Added, removed or changed.
        fields: For a change, each field that differs, old and new.
    """

    level: Level
    id: str
    edit: Edit
    fields: tuple[RubricFieldChange, ...] = ()

    @property
    def reworded(self) -> bool:
        """Whether its words changed (title, statement, guidance, request, text ...)."""
        return any(f.field in TEXT_FIELDS for f in self.fields)

    @property
    def moved(self) -> bool:
        """Whether a part moved to another recommendation, or a criterion to another part."""
        return any(f.field in ("recommendation", "part") for f in self.fields)

    @property
    def kinds(self) -> tuple[str, ...]:
        """What kind of change it is, in words.

        ``added`` or ``removed``; for a change, any of ``reworded``, ``renumbered``,
        ``moved`` and ``changed`` (another field: an essential flag, a weight, the
        evidence kinds, the articles, the themes).
        """
        if self.edit is not Edit.CHANGED:
            return (self.edit.value,)
        names = {f.field for f in self.fields}
        other = names - TEXT_FIELDS - {"paragraph", "recommendation", "part"}
        found = (
            ("reworded", self.reworded),
            ("renumbered", "paragraph" in names),
            ("moved", self.moved),
            ("changed", bool(other)),
        )
        return tuple(word for word, on in found if on)


@attrs.frozen(kw_only=True)
class Renumbering:
    """A recommendation whose paragraph number changed.

    Attributes:
        recommendation: Its id.
        old: Its old paragraph number.
        new: Its new paragraph number.
    """

    recommendation: str
    old: int
    new: int


@attrs.frozen(kw_only=True)
class Affected:
    """An evidence item or override gathered against the old rubric that a change touches.

    Attributes:
        file: The evidence file.
        item: The item's id, or the override's target (``criterion X``, ``part Y``).
        override: Whether it is an override rather than an item.
        criterion: The criterion it names (None for a part override).
        part: The part it names (a part override), or the criterion's old part.
        impact: What the change does to it.
        detail: What changed, in words (the fields, or that it is gone).
    """

    file: str
    item: str
    override: bool
    criterion: str | None
    part: str | None
    impact: Impact
    detail: str


@attrs.frozen(kw_only=True)
class EvidenceCheck:
    """Which version of the rubric an evidence file says it was gathered against.

    Attributes:
        file: The evidence file.
        rubric_sha256: The sha256 it records (None if it records none).
        against: ``old``, ``new``, ``neither`` (another version), or ``unknown`` (no
            sha256 recorded, or a rubric not loaded from a file).
    """

    file: str
    rubric_sha256: str | None
    against: str


@attrs.frozen(kw_only=True)
class RubricSide:
    """One version of the rubric.

    Attributes:
        id: Its id.
        symbol: Its document symbol.
        file: The file it was loaded from (or ``<in memory>``).
        sha256: The sha256 of its bytes (of its canonical JSON, if built in memory).
    """

    id: str
    symbol: str
    file: str
    sha256: str


@attrs.frozen(kw_only=True)
class RubricComparison:
    """Two versions of a rubric, and what the change does to evidence gathered on the old.

    Attributes:
        old: The old version.
        new: The new version.
        header: The rubric's own fields that differ (symbol, adoption, follow-up ...).
        recommendations: Recommendations added, removed or changed.
        parts: Parts added, removed or changed (a moved part names its recommendations).
        criteria: Criteria added, removed or changed.
        renumbered: Recommendations whose paragraph number changed.
        affected: Evidence items and overrides a change touches; every item on a removed
            criterion is listed, never dropped.
        evidence: Which version each evidence file was gathered against.
    """

    old: RubricSide
    new: RubricSide
    header: tuple[RubricFieldChange, ...]
    recommendations: tuple[ElementChange, ...]
    parts: tuple[ElementChange, ...]
    criteria: tuple[ElementChange, ...]
    renumbered: tuple[Renumbering, ...]
    affected: tuple[Affected, ...]
    evidence: tuple[EvidenceCheck, ...]

    @property
    def empty(self) -> bool:
        """Whether the two versions are the same, field for field."""
        return not (self.header or self.recommendations or self.parts or self.criteria)

    def to_json(self) -> str:
        """The comparison as deterministic JSON (format `RUBRIC_COMPARISON_FORMAT`)."""
        return document_json(RUBRIC_COMPARISON_FORMAT, self)


def compare_rubrics(
    old: Rubric, new: Rubric, *, evidence: Iterable[EvidenceFile] = ()
) -> RubricComparison:
    """Compare two versions of a rubric, by id: what was added, removed, reworded, renumbered.

    Args:
        old: The old version.
        new: The new version.
        evidence: Evidence files gathered against the old version: every item (and
            override) whose criterion or part the change removes or rewords is listed.

    Raises:
        AssessmentError: an evidence file is for another rubric.
        TypeError: *old* or *new* is not a `Rubric` (two assessments: `compare`).
    """
    refuse_other_kinds("compare_rubrics", Rubric, (Assessment, "compare"), old, new)
    files = tuple(evidence)
    for f in files:
        if f.rubric not in (old.id, new.id):
            raise AssessmentError(
                f"{f.file}: this evidence is for rubric {f.rubric!r}, not {old.id!r}"
            )
    recs = _elements(
        Level.RECOMMENDATION,
        {r.id: (r, "") for r in old.recommendations},
        {r.id: (r, "") for r in new.recommendations},
    )
    parts = _elements(
        Level.PART,
        {p.id: (p, r.id) for r, p in old.iter_parts()},
        {p.id: (p, r.id) for r, p in new.iter_parts()},
    )
    criteria = _elements(
        Level.CRITERION,
        {c.id: (c, p.id) for _, p, c in old.iter_criteria()},
        {c.id: (c, p.id) for _, p, c in new.iter_criteria()},
    )
    new_paras = {r.id: r.paragraph for r in new.recommendations}
    renumbered = tuple(
        Renumbering(recommendation=r.id, old=r.paragraph, new=new_paras[r.id])
        for r in old.recommendations
        if r.id in new_paras and new_paras[r.id] != r.paragraph
    )
    return RubricComparison(
        old=_rubric_side(old),
        new=_rubric_side(new),
        header=_header_changes(old, new),
        recommendations=recs,
        parts=parts,
        criteria=criteria,
        renumbered=renumbered,
        affected=_affected(old, {c.id: c for c in criteria}, {p.id: p for p in parts}, files),
        evidence=tuple(_evidence_check(f, old, new) for f in sorted(files, key=_file_key)),
    )


def _file_key(f: EvidenceFile) -> tuple[str, str]:
    return (f.file, f.origin.sha256 if f.origin is not None else "")


def _rubric_side(r: Rubric) -> RubricSide:
    record = file_record(r)
    return RubricSide(id=r.id, symbol=r.symbol, file=record.file, sha256=record.sha256)


def _evidence_check(f: EvidenceFile, old: Rubric, new: Rubric) -> EvidenceCheck:
    digest = f.rubric_sha256
    against = "unknown"
    if digest is not None:
        shas = {
            side: r.origin.sha256
            for side, r in (("old", old), ("new", new))
            if r.origin is not None
        }
        matches = [side for side, sha in shas.items() if sha == digest]
        if matches:
            against = matches[0]
        elif len(shas) == 2:
            against = "neither"
    return EvidenceCheck(file=f.file, rubric_sha256=digest, against=against)


def _text(value: object) -> str:
    """A field's value as text: never a Python repr."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, LegalReference):
        note = f"; {value.note}" if value.note else ""
        return f"{value.instrument} art. {value.article} ({value.title}{note})"
    if isinstance(value, tuple):
        sep = "; " if any(isinstance(v, LegalReference) for v in value) else ", "
        return sep.join(_text(v) for v in value) if value else "none"
    return str(value)


#: The fields compared at each level, in the order they are listed (children are
#: compared as elements of their own, so ``parts`` and ``criteria`` are not fields).
_FIELDS: Final = {
    Level.RECOMMENDATION: (
        "paragraph", "title", "articles", "themes", "concern", "recommendation",
    ),
    Level.PART: ("label", "title", "text"),
    Level.CRITERION: (
        "statement", "indicator", "essential", "weight", "evidence", "guidance", "request",
        "legal_references",
    ),
}  # fmt: skip
_PARENT: Final = {Level.RECOMMENDATION: "", Level.PART: "recommendation", Level.CRITERION: "part"}


def _elements(
    level: Level, old: Mapping[str, tuple[object, str]], new: Mapping[str, tuple[object, str]]
) -> tuple[ElementChange, ...]:
    """Elements added, removed or changed: in the new document's order, then the removed."""
    out = []
    for key in in_order(old, new):
        if key not in old:
            out.append(ElementChange(level=level, id=key, edit=Edit.ADDED))
            continue
        if key not in new:
            out.append(ElementChange(level=level, id=key, edit=Edit.REMOVED))
            continue
        (a, parent_a), (b, parent_b) = old[key], new[key]
        fields = _fields(a, b, _FIELDS[level])
        if parent_a != parent_b:
            fields = (RubricFieldChange(field=_PARENT[level], old=parent_a, new=parent_b), *fields)
        if fields:
            out.append(ElementChange(level=level, id=key, edit=Edit.CHANGED, fields=fields))
    return tuple(out)


def _fields(
    old: object, new: object, names: Sequence[str], prefix: str = ""
) -> tuple[RubricFieldChange, ...]:
    """The fields *names* of *old* and *new* that differ, old and new as text."""
    pairs = ((n, getattr(old, n), getattr(new, n)) for n in names)
    return tuple(
        RubricFieldChange(field=prefix + n, old=_text(a), new=_text(b))
        for n, a, b in pairs
        if a != b
    )


#: The rubric's own fields, and its follow-up request's, in the order they are listed.
_HEADER: Final = (
    "id", "title", "treaty_body", "state_party", "symbol", "session", "adopted", "scale",
    "language", "source_url", "notes",
)  # fmt: skip
_FOLLOW_UP: Final = ("paragraph", "recommendations", "within_months", "due", "text")


def _header_changes(old: Rubric, new: Rubric) -> tuple[RubricFieldChange, ...]:
    return _fields(old, new, _HEADER) + _fields(
        old.follow_up, new.follow_up, _FOLLOW_UP, "follow_up."
    )


#: What a change does to an item or override naming a criterion or part of the old rubric.
_IMPACTS: Final = {
    (Edit.REMOVED, "criterion"): Impact.CRITERION_REMOVED,
    (Edit.CHANGED, "criterion"): Impact.CRITERION_CHANGED,
    (Edit.REMOVED, "part"): Impact.PART_REMOVED,
    (Edit.CHANGED, "part"): Impact.PART_CHANGED,
}


def _impact(
    level: str, key: str, known: bool, change: ElementChange | None
) -> tuple[Impact, str] | None:
    """What the change of criterion or part *key* does to what names it (None: nothing)."""
    if not known:
        return Impact.UNKNOWN, f"the old rubric has no {level} {key} either"
    if change is None:
        return None
    if change.edit is Edit.REMOVED:
        return _IMPACTS[change.edit, level], f"{level} {key} is not in the new rubric"
    fields = ", ".join(f.field for f in change.fields)
    return _IMPACTS[Edit.CHANGED, level], f"{level} {key} changed: {fields}"


def _affected(
    old: Rubric,
    criteria: dict[str, ElementChange],
    parts: dict[str, ElementChange],
    files: Sequence[EvidenceFile],
) -> tuple[Affected, ...]:
    """Every item and override that names a criterion or part the change touches."""
    old_part = {c.id: p.id for _, p, c in old.iter_criteria()}
    old_parts = {p.id for _, p in old.iter_parts()}
    out = []
    for f in sorted(files, key=_file_key):
        # (item or override target, is an override, criterion or part, its id): the
        # items by id, then the overrides in the file's order.
        named = [
            (it.id, False, "criterion", crit)
            for it in sorted(f.items, key=lambda i: i.id)
            for crit in it.criteria
        ]
        for o in f.overrides:
            on_criterion = o.criterion is not None
            key = o.criterion if o.criterion is not None else o.part or ""
            named.append((o.target, True, "criterion" if on_criterion else "part", key))
        for item, override, level, key in named:
            if level == "criterion":
                found = _impact(level, key, key in old_part, criteria.get(key))
                crit, part = key, old_part.get(key)
            else:
                found = _impact(level, key, key in old_parts, parts.get(key))
                crit, part = None, key
            if found is not None:
                impact, detail = found
                out.append(
                    Affected(
                        file=f.file,
                        item=item,
                        override=override,
                        criterion=crit,
                        part=part,
                        impact=impact,
                        detail=detail,
                    )
                )
    return tuple(out)


__all__ = [
    "RUBRIC_COMPARISON_FORMAT",
    "TEXT_FIELDS",
    "Affected",
    "ElementChange",
    "EvidenceCheck",
    "Impact",
    "Level",
    "Renumbering",
    "RubricComparison",
    "RubricFieldChange",
    "RubricSide",
    "compare_rubrics",
]
