"""Tidy tables of an assessment and of a rubric: one row per thing, as plain dicts.

`Assessment.to_records` and `Rubric.to_records` call this module; ``to_frame`` makes a
pandas DataFrame of the same rows. docs/tables.md describes every column. The rules:

- One row per thing at each level: a recommendation, a part, a criterion of a part, an
  item's use on a criterion (`Assessment.items`), a conflict, a request, a rubric's
  criterion. Rows come in document order (items in the order of `Assessment.items`).
- The columns of each level are fixed, in order, and named by the ``*_COLUMNS`` tuples
  below; every row has every column (None where there is nothing to say).
- Rows below the recommendation level carry ``paragraph``, ``recommendation`` and
  ``part``, so any table can be grouped or filtered by them.
- Enumerations are their plain string values (``"counted"``, not ``Use.COUNTED``); dates
  are `datetime.date`; lists are tuples of strings (lossless: ``DataFrame.explode`` takes
  them apart; the CSV joins them with ``"; "``).
- ``illustrative`` is on every assessment level: at the items level the item's own flag,
  elsewhere whether any evidence item considered for the row (counted or outweighed, not
  ignored) is invented example material.

Records are JSON-safe apart from the dates: strings, numbers, booleans, None, tuples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, cast

from cat_rubric.exceptions import MissingExtraError, SettingsError

if TYPE_CHECKING:
    import pandas as pd

    from cat_rubric._model import LegalReference, Rubric
    from cat_rubric._result import Assessment, PartResult, RecommendationResult

#: A level of `Assessment.to_records`.
Level = Literal["recommendations", "parts", "criteria", "items", "conflicts", "requests"]
#: One row: column name to value.
Row = dict[str, Any]

#: The columns of ``to_records("recommendations")``: one row per recommendation.
RECOMMENDATION_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "title",
    "grade",
    "rollup",
    "parts_differ",
    "parts",
    "illustrative",
)
#: The columns of ``to_records("parts")``: one row per part.
PART_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "title",
    "status",
    "grade",
    "engine_grade",
    "outcome",
    "rule",
    "reason",
    "score",
    "formula",
    "information_quality",
    "n_criteria",
    "n_disputed",
    "n_requests",
    "what_if_grade",
    "what_if_changes",
    "overridden",
    "override_by",
    "override_date",
    "override_reason",
    "flags",
    "illustrative",
)
#: The columns of ``to_records("criteria")``: one row per criterion of every part.
CRITERION_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "criterion",
    "essential",
    "weight",
    "finding",
    "engine_finding",
    "overridden",
    "state_finding",
    "independent_finding",
    "disputed",
    "items",
    "request",
    "illustrative",
)
#: The columns that hold an item as its evidence file gives it, named as the documented
#: items CSV names them (`cat_rubric._evidence_csv.COLUMNS`), so that one reads the other.
ITEM_OWN_COLUMNS: Final = (
    "source_title",
    "source_symbol",
    "source_locator",
    "source_url",
    "source_date",
    "measure_date",
    "quote",
    "summary",
)
#: The columns of ``to_records("items")``: one row per item and criterion (`ItemUse`).
ITEM_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "criterion",
    "file",
    "item",
    "source_kind",
    "citation",
    "passage",
    "finding",
    "effective",
    "use",
    "reason",
    "flags",
    *ITEM_OWN_COLUMNS,
    "illustrative",
)
#: The columns of ``to_records("conflicts")``: one row per criterion whose sources differ.
CONFLICT_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "criterion",
    "state",
    "independent",
    "counted",
    "disputed",
    "illustrative",
)
#: The columns of ``to_records("requests")``: one row per piece of information to request.
REQUEST_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "criterion",
    "finding",
    "disputed",
    "request",
    "illustrative",
)
#: The columns of `Rubric.to_records`: one row per criterion of the rubric.
RUBRIC_COLUMNS: Final = (
    "paragraph",
    "recommendation",
    "part",
    "criterion",
    "statement",
    "indicator",
    "essential",
    "weight",
    "evidence",
    "guidance",
    "request",
    "legal_references",
)
#: Each assessment level's columns, in the order the levels are listed in errors.
COLUMNS: Final[Mapping[Level, tuple[str, ...]]] = {
    "recommendations": RECOMMENDATION_COLUMNS,
    "parts": PART_COLUMNS,
    "criteria": CRITERION_COLUMNS,
    "items": ITEM_COLUMNS,
    "conflicts": CONFLICT_COLUMNS,
    "requests": REQUEST_COLUMNS,
}
#: The levels of `Assessment.to_records`.
LEVELS: Final[tuple[Level, ...]] = tuple(COLUMNS)
#: Columns that hold `datetime.date` values (``datetime64[s]`` in a DataFrame), per level.
DATE_COLUMNS: Final[Mapping[str, tuple[str, ...]]] = {
    "parts": ("override_date",),
    "items": ("source_date", "measure_date"),
}

#: What to install when pandas is missing.
PANDAS_EXTRA: Final = "pip install 'cat_rubric[pandas]'"


def check_level(level: object, levels: Sequence[str] = LEVELS) -> str:
    """*level* if it is one of *levels*.

    Raises:
        SettingsError: it is not; the message lists the levels.
    """
    if isinstance(level, str) and level in levels:
        return level
    raise SettingsError(f"no table level {level!r}; the levels are: {', '.join(levels)}")


# -- an assessment ---------------------------------------------------------------------


class _Context:
    """What every level needs to know beyond a row's own object, worked out once."""

    def __init__(self, assessment: Assessment) -> None:
        self.assessment = assessment
        #: criterion id -> (paragraph, recommendation id, part id), first occurrence kept.
        self.where: dict[str, tuple[int, str, str]] = {}
        for rec in assessment.recommendations:
            for part in rec.parts:
                for crit in part.criteria:
                    self.where.setdefault(crit.id, (rec.paragraph, rec.id, part.id))
        self._illustrative: set[str] | None = None
        self.overridden = {
            o.target.removeprefix("criterion ")
            for o in assessment.overrides
            if o.applied and o.target.startswith("criterion ")
        }

    @property
    def illustrative(self) -> set[str]:
        """Criteria on which some considered (not ignored) item is illustrative."""
        if self._illustrative is None:
            from cat_rubric._result import Use

            self._illustrative = {
                u.criterion
                for u in self.assessment.items
                if u.illustrative and u.use is not Use.IGNORED
            }
        return self._illustrative

    def part_illustrative(self, part: PartResult) -> bool:
        marked = self.illustrative
        return any(c.id in marked for c in part.criteria)


def _head(rec: RecommendationResult, part: PartResult) -> Row:
    return {"paragraph": rec.paragraph, "recommendation": rec.id, "part": part.id}


def _parts(a: Assessment) -> Iterator[tuple[RecommendationResult, PartResult]]:
    for rec in a.recommendations:
        for part in rec.parts:
            yield rec, part


def _value(member: Any) -> Any:
    """An enumeration member's plain value; None stays None."""
    return None if member is None else member.value


def _recommendations(ctx: _Context) -> list[Row]:
    return [
        {
            "paragraph": rec.paragraph,
            "recommendation": rec.id,
            "title": rec.title,
            "grade": rec.grade,
            "rollup": rec.rollup,
            "parts_differ": rec.parts_differ,
            "parts": tuple(p.id for p in rec.parts),
            "illustrative": any(ctx.part_illustrative(p) for p in rec.parts),
        }
        for rec in ctx.assessment.recommendations
    ]


def _part_rows(ctx: _Context) -> list[Row]:
    rows = []
    for rec, part in _parts(ctx.assessment):
        override, what_if = part.override, part.what_if
        rows.append(
            {
                **_head(rec, part),
                "title": part.title,
                "status": part.status.value,
                "grade": part.grade,
                "engine_grade": part.engine_grade,
                "outcome": _value(part.outcome),
                "rule": part.rule,
                "reason": part.reason,
                "score": part.score.value,
                "formula": part.score.formula,
                "information_quality": part.information_quality,
                "n_criteria": len(part.criteria),
                "n_disputed": sum(1 for c in part.criteria if c.disputed),
                "n_requests": len(part.missing),
                "what_if_grade": None if what_if is None else what_if.grade,
                "what_if_changes": () if what_if is None else what_if.changes,
                "overridden": override is not None and override.applied,
                "override_by": None if override is None else override.by,
                "override_date": None if override is None else override.date,
                "override_reason": None if override is None else override.reason,
                "flags": part.flags,
                "illustrative": ctx.part_illustrative(part),
            }
        )
    return rows


def _criterion_rows(ctx: _Context) -> list[Row]:
    marked, overridden = ctx.illustrative, ctx.overridden
    return [
        {
            **_head(rec, part),
            "criterion": c.id,
            "essential": c.essential,
            "weight": c.weight,
            "finding": c.finding.value,
            "engine_finding": c.engine_finding.value,
            "overridden": c.id in overridden,
            "state_finding": _value(c.state_finding),
            "independent_finding": _value(c.independent_finding),
            "disputed": c.disputed,
            "items": c.items,
            "request": c.request,
            "illustrative": c.id in marked,
        }
        for rec, part in _parts(ctx.assessment)
        for c in part.criteria
    ]


def _item_rows(ctx: _Context) -> list[Row]:
    rows = []
    nowhere = (None, None, None)
    for u in ctx.assessment.items:
        # An item on a criterion the rubric lacks is ignored, and belongs to no part.
        paragraph, rec_id, part_id = ctx.where.get(u.criterion, nowhere)
        src = u.source
        rows.append(
            {
                "paragraph": paragraph,
                "recommendation": rec_id,
                "part": part_id,
                "criterion": u.criterion,
                "file": u.file,
                "item": u.item,
                "source_kind": u.source_kind.value,
                "citation": u.citation,
                "passage": u.passage,
                "finding": u.finding.value,
                "effective": u.effective.value,
                "use": u.use.value,
                "reason": u.reason,
                "flags": u.flags,
                # The item as the file gives it (empty in a record read from JSON
                # written before it was recorded).
                "source_title": None if src is None else src.title,
                "source_symbol": None if src is None else src.symbol,
                "source_locator": None if src is None else src.locator,
                "source_url": None if src is None else src.url,
                "source_date": None if src is None else src.date,
                "measure_date": u.measure_date,
                "quote": u.quote,
                "summary": u.summary,
                "illustrative": u.illustrative,
            }
        )
    return rows


def _conflict_rows(ctx: _Context) -> list[Row]:
    marked = ctx.illustrative
    return [
        {
            **_head(rec, part),
            "criterion": c.criterion,
            "state": c.state,
            "independent": c.independent,
            "counted": c.counted.value,
            "disputed": c.disputed,
            "illustrative": c.criterion in marked,
        }
        for rec, part in _parts(ctx.assessment)
        for c in part.conflicts
    ]


def _request_rows(ctx: _Context) -> list[Row]:
    # Exactly the criteria behind `PartResult.missing`, with the same sentences: every
    # criterion of a graded part short of implemented (a disputed one included), unless
    # an analyst's override set it implemented.
    marked = ctx.illustrative
    return [
        {
            **_head(rec, part),
            "criterion": c.id,
            "finding": c.finding.value,
            "disputed": c.disputed,
            "request": c.request,
            "illustrative": c.id in marked,
        }
        for rec, part in _parts(ctx.assessment)
        if part.grade is not None
        for c in part.criteria
        if c.request is not None
    ]


_BUILDERS: Final[Mapping[str, Callable[[_Context], list[Row]]]] = {
    "recommendations": _recommendations,
    "parts": _part_rows,
    "criteria": _criterion_rows,
    "items": _item_rows,
    "conflicts": _conflict_rows,
    "requests": _request_rows,
}


def assessment_records(assessment: Assessment, level: str) -> list[Row]:
    """The rows of *assessment* at *level*, each with the level's columns in order.

    Raises:
        SettingsError: *level* is not one of `LEVELS`.
    """
    return _BUILDERS[check_level(level)](_Context(assessment))


# -- a rubric --------------------------------------------------------------------------


def legal_reference(ref: LegalReference) -> str:
    """A `LegalReference` on one line: ``Criminal Code of 1997, art. 347-1 (Torture)``."""
    text = f"{ref.instrument}, art. {ref.article} ({ref.title})"
    return f"{text}: {ref.note}" if ref.note else text


def rubric_records(rubric: Rubric) -> list[Row]:
    """One row per criterion of *rubric*, in document order, with `RUBRIC_COLUMNS`."""
    return [
        {
            "paragraph": rec.paragraph,
            "recommendation": rec.id,
            "part": part.id,
            "criterion": crit.id,
            "statement": crit.statement,
            "indicator": crit.indicator.value,
            "essential": crit.essential,
            "weight": crit.weight,
            "evidence": tuple(kind.value for kind in crit.evidence),
            "guidance": crit.guidance,
            "request": crit.request,
            "legal_references": tuple(legal_reference(r) for r in crit.legal_references),
        }
        for rec, part, crit in rubric.iter_criteria()
    ]


# -- DataFrames ------------------------------------------------------------------------


def frame(
    records: Sequence[Row], columns: Sequence[str], dates: Sequence[str] = ()
) -> pd.DataFrame:
    """A DataFrame of *records* with *columns* in order; *dates* as ``datetime64[s]``.

    Raises:
        MissingExtraError: pandas is not installed (it is the ``pandas`` extra).
    """
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingExtraError(
            f"to_frame needs pandas, which is not installed: {PANDAS_EXTRA} "
            "(or use to_records, which needs nothing)"
        ) from exc
    table = pd.DataFrame.from_records(list(records), columns=list(columns))
    for name in dates:
        # Seconds, not pandas' default nanoseconds: every date of years 1-9999 fits.
        table[name] = pd.Series(list(table[name]), index=table.index, dtype="datetime64[s]")
    return table


def assessment_frame(assessment: Assessment, level: str) -> pd.DataFrame:
    """`assessment_records` as a DataFrame.

    Raises:
        SettingsError: *level* is not one of `LEVELS`.
        MissingExtraError: pandas is not installed.
    """
    name = cast("Level", check_level(level))
    return frame(assessment_records(assessment, name), COLUMNS[name], DATE_COLUMNS.get(name, ()))


def rubric_frame(rubric: Rubric) -> pd.DataFrame:
    """`rubric_records` as a DataFrame.

    Raises:
        MissingExtraError: pandas is not installed.
    """
    return frame(rubric_records(rubric), RUBRIC_COLUMNS)
