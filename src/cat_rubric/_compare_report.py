"""The comparison in HTML and in the report: "Since the previous assessment".

`since_view` turns a `Comparison` into plain data for the report's templates: each
part's grade then and now (a `GradeView` each, coloured from `cat_rubric._palette` as
the rest of the report is, its letter always written) with the kind of change and
why; the criteria whose counted finding changed and why; disputes opened or resolved;
overrides; evidence added, removed or changed. ``templates/_since.html.j2`` and
``_since.md.j2`` render it, as a section of the report (`cat_rubric.render.html` and
`markdown` with ``compared_with=``) and, in ``comparison.html.j2``, as the standalone
page of ``cat-rubric diff OLD NEW --format html``, with the report's stylesheet and
environment: autoescaped, every value made inert, no script, no request.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs

from cat_rubric._compare_render import count_words, ranking_words, side_words, title
from cat_rubric._comparison import (
    ABSENT,
    Comparison,
    CriterionChange,
    Edit,
    FieldChange,
    ItemChange,
    ItemRef,
    PartState,
    Side,
    Why,
)
from cat_rubric._ranking import made_on
from cat_rubric._report import (
    GradeView,
    ItemView,
    _finding,
    _grade,
    _html_env,
    _illustrative,
    _stylesheet,
    scale_of,
)
from cat_rubric._result import Assessment
from cat_rubric._scales import Scale
from cat_rubric.exceptions import AssessmentError

#: The heading of the report's section.
SINCE: Final = "Since the previous assessment"


@attrs.frozen(kw_only=True)
class PartRow:
    """A part's grade then and now, how it moved, and why (its criteria are listed apart).

    ``anchor`` is the part's section in the report ("" on the standalone page);
    ``criteria`` indexes `SinceView.criteria` for the criteria that changed it.
    """

    paragraph: int
    part: str
    anchor: str
    title: str
    then: GradeView
    now: GradeView
    change: str
    reasons: tuple[str, ...]
    criteria: tuple[tuple[int, str], ...]

    @property
    def why(self) -> str:
        """The reasons and the criteria that changed, on one line (for the Markdown)."""
        listed = [*self.reasons]
        if self.criteria:
            listed.append("criteria: " + ", ".join(crit for _, crit in self.criteria))
        return "; ".join(listed) or ABSENT


@attrs.frozen(kw_only=True)
class RecommendationRow:
    """A recommendation's roll-up letter then and now."""

    paragraph: int
    title: str
    then: GradeView
    now: GradeView
    change: str


@attrs.frozen(kw_only=True)
class CriterionRow:
    """A criterion whose counted finding changed, with every reason."""

    n: int
    criterion: str
    part: str
    then: str
    now: str
    dispute: str
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class DisputeRow:
    """A dispute opened or resolved, with the items on each side of it."""

    criterion: str
    part: str
    edit: str
    state: tuple[str, ...]
    independent: tuple[str, ...]
    counted: str


@attrs.frozen(kw_only=True)
class OverrideRow:
    """An override whose effect differs."""

    target: str
    why: str
    then: str
    now: str
    by: str
    file: str
    reason: str


@attrs.frozen(kw_only=True)
class ItemRow(ItemView):
    """An evidence item added, removed or changed, and what each side did with it."""

    edit: str
    criteria: str
    finding: str
    was: str
    use: str
    reason: str


@attrs.frozen(kw_only=True)
class SideView:
    """One assessment of the comparison, and the files it was made from."""

    label: str
    words: str
    files: tuple[tuple[str, str, str], ...]


@attrs.frozen(kw_only=True)
class SinceView:
    """The comparison as the report's section (or the standalone page) shows it."""

    heading: str
    title: str
    old: SideView
    new: SideView
    ranking: str
    context: tuple[FieldChange, ...]
    summary: str
    illustrative_items: int
    items_total: int
    recommendations: tuple[RecommendationRow, ...]
    parts: tuple[PartRow, ...]
    criteria: tuple[CriterionRow, ...]
    disputes: tuple[DisputeRow, ...]
    overrides: tuple[OverrideRow, ...]
    evidence: tuple[ItemRow, ...]


#: A part or recommendation one side does not have.
_ABSENT: Final = GradeView(letter="absent", graded=False, css="none")


def _cell(state: PartState | None, scale: Scale | None) -> GradeView:
    """A part's grade on one side: its letter (coloured), not graded, or absent."""
    if state is None:
        return _ABSENT
    return _grade(state.grade, scale, state.status)


def _letter(grade: str | None, present: bool, scale: Scale | None) -> GradeView:
    return _grade(grade, scale) if present else _ABSENT


def _refs(refs: Sequence[ItemRef]) -> tuple[str, ...]:
    return tuple(f"{r.item} ({r.source_kind.value}): {r.finding.value}" for r in refs)


def _dispute(c: CriterionChange) -> str:
    return {
        (False, False): "no",
        (False, True): "disputed now",
        (True, False): "no longer disputed",
        (True, True): "disputed then and now",
    }[c.disputed_then, c.disputed_now]


def _side(label: str, s: Side) -> SideView:
    evidence = tuple(("evidence", f.file, f.sha256) for f in s.evidence)
    files = (("rubric", s.rubric_file.file, s.rubric_file.sha256), *evidence)
    return SideView(label=label, words=side_words(s), files=files)


def since_view(
    c: Comparison,
    scales: tuple[Scale | None, Scale | None] = (None, None),
    *,
    anchors: Mapping[str, str] | None = None,
    illustrative: tuple[int, int] = (0, 0),
    heading: str = SINCE,
) -> SinceView:
    """The comparison as plain data for the templates.

    Args:
        c: The comparison.
        scales: The old and the new assessment's scales, where known: a letter is
            coloured by its ccpr-2016 letter on its scale, as the report colours it.
        anchors: Each part's anchor in the report, to link to it.
        illustrative: How many of the items compared are illustrative, of how many.
        heading: The section's heading.
    """
    old_scale, new_scale = scales
    criteria = tuple(
        CriterionRow(
            n=n,
            criterion=x.criterion,
            part=x.part,
            then=_finding(x.then),
            now=_finding(x.now),
            dispute=_dispute(x),
            reasons=tuple(r.text for r in x.reasons),
        )
        for n, x in enumerate(c.criteria, start=1)
    )
    index = {(x.part, x.criterion): x.n for x in criteria}
    parts = tuple(
        PartRow(
            paragraph=p.paragraph,
            part=p.part,
            anchor=(anchors or {}).get(p.part, ""),
            title=p.title,
            then=_cell(p.then, old_scale),
            now=_cell(p.now, new_scale),
            change=p.change.value,
            reasons=tuple(r.text for r in p.reasons if r.why is not Why.CRITERION),
            criteria=tuple(
                (index[p.part, r.criterion], r.criterion)
                for r in p.reasons
                if r.why is Why.CRITERION and r.criterion is not None
            ),
        )
        for p in c.parts
    )
    return SinceView(
        heading=heading,
        title=title(c),
        old=_side("old", c.old),
        new=_side("new", c.new),
        ranking=ranking_words(c),
        context=c.context,
        summary=count_words(c),
        illustrative_items=illustrative[0],
        items_total=illustrative[1],
        recommendations=tuple(
            RecommendationRow(
                paragraph=r.paragraph,
                title=r.title,
                then=_letter(r.then, r.present_then, old_scale),
                now=_letter(r.now, r.present_now, new_scale),
                change=r.change.value,
            )
            for r in c.recommendations
        ),
        parts=parts,
        criteria=criteria,
        disputes=tuple(
            DisputeRow(
                criterion=d.criterion,
                part=d.part,
                edit="opened" if d.opened else "resolved",
                state=_refs(d.state),
                independent=_refs(d.independent),
                counted=_finding(d.counted_now if d.opened else d.counted_then),
            )
            for d in c.disputes
        ),
        overrides=tuple(
            OverrideRow(
                target=o.target,
                why=o.why.value,
                then=o.then or ABSENT,
                now=o.now or ABSENT,
                by=o.by,
                file=o.file,
                reason=o.reason,
            )
            for o in c.overrides
        ),
        evidence=tuple(_item(e) for e in c.evidence),
    )


def _item(e: ItemChange) -> ItemRow:
    gone = e.edit is Edit.REMOVED
    use = e.use_then if gone else e.use_now
    was = ""
    if e.edit is Edit.CHANGED:
        was = f"{_finding(e.finding_then)} on {', '.join(e.criteria_then)}"
    return ItemRow.of(
        e,
        edit=e.edit.value,
        criteria=", ".join(e.criteria_then if gone else e.criteria_now),
        finding=_finding(e.finding_then if gone else e.finding_now),
        was=was,
        use=ABSENT if use is None else use.value,
        reason=e.reason,
    )


# -- the report's section, and the standalone page ------------------------------------


def _scale(assessment: Assessment, scales: Sequence[Scale]) -> Scale | None:
    """The scale *assessment* was graded on: one given, else as the report finds it."""
    for scale in scales:
        if made_on(scale, assessment.record):
            return scale
    return scale_of(assessment)[0]


def report_section(
    earlier: object,
    assessment: Assessment,
    *,
    scales: Sequence[Scale] = (),
    anchors: Mapping[str, str] | None = None,
) -> SinceView:
    """The section "Since the previous assessment" of *assessment*'s report.

    Args:
        earlier: The earlier assessment of the same rubric.
        assessment: The assessment the report is of.
        scales: Scales the report was given (to rank and colour grades).
        anchors: Each part's anchor in the report.

    Raises:
        TypeError: *earlier* is not an `Assessment`.
        AssessmentError: *earlier* is of another rubric, or later than *assessment*.
    """
    from cat_rubric._compare import compare

    if not isinstance(earlier, Assessment):
        raise TypeError(f"compared_with takes an Assessment, not {type(earlier).__name__}")
    if earlier.as_of > assessment.as_of:
        raise AssessmentError(
            f"compared_with is as of {earlier.as_of}, after this assessment (as of "
            f"{assessment.as_of}); the section says what changed since an earlier assessment: "
            "pass the earlier one"
        )
    found = (_scale(earlier, scales), _scale(assessment, scales))
    c = compare(earlier, assessment, scales=[s for s in found if s is not None])
    return since_view(c, found, anchors=anchors)


def comparison_html(
    old: Assessment, new: Assessment, comparison: Comparison, *, scales: Sequence[Scale] = ()
) -> str:
    """*comparison* of *old* and *new* as one self-contained HTML page.

    The report's stylesheet, allowed by its hash in a Content-Security-Policy that
    forbids scripts and every request; every string escaped.
    """
    view = since_view(
        comparison,
        (_scale(old, scales), _scale(new, scales)),
        illustrative=_illustrative(old, new),
        heading="What changed, and why",
    )
    css, policy = _stylesheet()
    return (
        _html_env()
        .get_template("comparison.html.j2")
        .render(since=view, css=css, policy=policy, version=new.record.version)
    )


__all__ = [
    "SINCE",
    "CriterionRow",
    "DisputeRow",
    "ItemRow",
    "OverrideRow",
    "PartRow",
    "RecommendationRow",
    "SideView",
    "SinceView",
    "comparison_html",
    "report_section",
    "since_view",
]
