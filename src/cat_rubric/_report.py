r"""The report to send: one view of an assessment, rendered as HTML and as Markdown.

`build_view` gathers everything the report shows as plain data (the assessment's
grades and reasons, the rubric's wording, the scale's letters and what they mean) and
two Jinja2 environments render that one view, so the HTML page and the Markdown file
carry the same content:

- HTML (``templates/report.html.j2``): autoescaping forced on (`select_autoescape`
  does not recognise a ``.j2`` suffix), and every value made `inert` before it is
  escaped, so control and bidirectional characters show as ``\uXXXX``. The page is
  one file: an inline stylesheet allowed by its hash in a Content-Security-Policy
  that forbids scripts and every request, an inline SVG chart, no JavaScript.
- Markdown (``templates/report.md.j2``): no HTML autoescaping, but every value passes
  through `cat_rubric._text.markdown` in the environment's ``finalize`` hook, so no
  template line can forget it; nothing is shortened.

Given an earlier assessment of the same rubric (``compared_with``), the view carries
the section "Since the previous assessment" (`cat_rubric._compare_report`, with the
templates ``_since.html.j2`` and ``_since.md.j2``).

Both use `jinja2.StrictUndefined`: a template naming a field the view lacks fails
instead of printing nothing. Nothing reads the clock: the same inputs give the same
bytes.
"""

from __future__ import annotations

import contextlib
import functools
from collections import Counter
from typing import TYPE_CHECKING, Any, Final, Self

import attrs
import jinja2
from markupsafe import Markup, escape

from cat_rubric._csp import page_policy
from cat_rubric._evidence import Finding
from cat_rubric._model import Part, Rubric, SourceKind
from cat_rubric._palette import GRADE_COLOURS, UNGRADED, grade_colours
from cat_rubric._ranking import made_on, scale_digest
from cat_rubric._result import Assessment, ItemUse, OverrideRecord, PartResult, Record, Status, Use
from cat_rubric._scales import Grade, Scale
from cat_rubric._text import inert, markdown
from cat_rubric.exceptions import AssessmentError, CatRubricError

if TYPE_CHECKING:
    from cat_rubric._compare_report import SinceView
    from cat_rubric._comparison import ItemChange

#: The templates the report is made from (tests/test_packaging.py checks they ship).
TEMPLATES: Final = (
    "report.html.j2",
    "report.md.j2",
    "_meaning.md.j2",
    "chart.svg.j2",
    "report.css",
    "_since.html.j2",
    "_since.md.j2",
    "comparison.html.j2",
)

_KINDS: Final = {
    SourceKind.STATE_PARTY: "State party",
    SourceKind.NGO: "NGO",
    SourceKind.NHRI: "NHRI",
    SourceKind.NPM: "national preventive mechanism",
    SourceKind.UN_BODY: "UN body",
    SourceKind.COURT: "court",
    SourceKind.MEDIA: "media",
    SourceKind.OTHER: "other",
}


# -- the view: plain data, the same for both formats ---------------------------------


@attrs.frozen(kw_only=True)
class GradeView:
    """A letter as the report shows it, with its meaning on the scale where known.

    ``css`` is the palette key (``A``..``E``, or ``none``), never the letter itself;
    ``known`` says whether the scale's wording is available for it.
    """

    letter: str
    graded: bool
    css: str
    known: bool = False
    label: str = ""
    definition: str = ""
    verified: bool = False


@attrs.frozen(kw_only=True)
class CriterionView:
    """One row of a part's criteria table."""

    id: str
    statement: str
    essential: bool
    weight: str
    finding: str
    engine_finding: str
    overridden: bool
    state: str
    independent: str
    disputed: bool
    items: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ConflictView:
    """The State's and the independent sources' findings on a criterion, side by side."""

    criterion: str
    state: tuple[str, ...]
    independent: tuple[str, ...]
    counted: str
    disputed: bool


@attrs.frozen(kw_only=True)
class UseView:
    """What the engine did with an item on one criterion."""

    criterion: str
    finding: str
    effective: str
    use: str
    reason: str
    flags: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ItemView:
    """An evidence item as the report and the comparison cite it: what, whose, from where.

    The fields written once for the report's evidence (`EvidenceView`) and the
    comparison's (`cat_rubric._compare_report.ItemRow`), each of which adds its own.
    """

    item: str
    file: str
    kind: str
    citation: str
    illustrative: bool

    @classmethod
    def of(cls, source: ItemUse | ItemChange, **rest: Any) -> Self:
        """The view of *source*'s item, with the fields *rest* that *cls* adds."""
        return cls(
            item=source.item,
            file=source.file,
            kind=_KINDS[source.source_kind],
            citation=source.citation,
            illustrative=source.illustrative,
            **rest,
        )


@attrs.frozen(kw_only=True)
class EvidenceView(ItemView):
    """An evidence item, quoted in full with its citation, and its uses in one part."""

    passage: str
    uses: tuple[UseView, ...]


@attrs.frozen(kw_only=True)
class RequestView:
    """The information to request on a criterion, in the Committee's words of request."""

    criterion: str
    sentence: str


@attrs.frozen(kw_only=True)
class PartView:
    """Everything the report says about one part.

    ``overrides`` are the assessment's own records, already plain data: the templates
    write a date as ``str`` does, and an override with no ``until`` leaves it out.
    """

    anchor: str
    id: str
    label: str
    title: str
    text: str
    status: str
    grade: GradeView
    engine_grade: GradeView | None
    rule: str
    reason: str
    score: str
    formula: str
    counts: tuple[str, ...]
    earned: str
    weight_total: str
    information_quality: str
    criteria: tuple[CriterionView, ...]
    conflicts: tuple[ConflictView, ...]
    overrides: tuple[OverrideRecord, ...]
    flags: tuple[str, ...]
    requests: tuple[RequestView, ...]
    lift_grade: str
    lift_changes: tuple[str, ...]
    lift_alternatives: tuple[str, ...]
    lift_note: str
    evidence: tuple[EvidenceView, ...]


@attrs.frozen(kw_only=True)
class RecommendationView:
    """A recommendation's roll-up, its text as the rubric records it, and its parts."""

    anchor: str
    paragraph: int
    title: str
    articles: tuple[str, ...]
    concern: str
    recommendation: str
    grade: GradeView
    rollup: str
    parts_differ: bool
    parts: tuple[PartView, ...]


@attrs.frozen(kw_only=True)
class Bar:
    """One part's bar in the chart; coordinates in SVG user units."""

    x: int
    y: int
    width: int
    height: int
    fill: str
    letter: str
    part: str
    text_x: int


@attrs.frozen(kw_only=True)
class Group:
    """A paragraph's bars, labelled under the axis."""

    x: int
    label: str


@attrs.frozen(kw_only=True)
class Tick:
    """A letter on the chart's vertical axis."""

    y: int
    letter: str


@attrs.frozen(kw_only=True)
class ChartView:
    """Grades by paragraph as an inline SVG bar chart: higher is better, letters as text."""

    width: int
    height: int
    axis_x: int
    base_y: int
    bars: tuple[Bar, ...]
    groups: tuple[Group, ...]
    ticks: tuple[Tick, ...]
    description: str


@attrs.frozen(kw_only=True)
class ScaleView:
    """The scale the assessment used, with each letter's wording and how far it is verified."""

    id: str
    version: int
    available: bool
    note: str
    title: str
    body: str
    source: str
    description: str
    grades: tuple[tuple[GradeView, str], ...]


@attrs.frozen(kw_only=True)
class ReportView:
    """The whole report, as plain data."""

    title: str
    symbol: str
    state_party: str
    rubric_id: str
    rubric_title: str
    treaty_body: str
    session: str
    adopted: str
    rubric_lang: str
    source_url: str
    rubric_notes: str
    follow_up_paragraph: str
    follow_up_paragraphs: str
    follow_up_text: str
    cycle: str
    as_of: str
    due: str
    reply: str
    reminders: tuple[str, ...]
    status: str
    policy: str
    settings: tuple[str, ...]
    illustrative_items: int
    items_total: int
    summary: tuple[str, ...]
    matrix_width: int
    matrix: tuple[tuple[RecommendationView, tuple[PartView | None, ...]], ...]
    chart: ChartView
    recommendations: tuple[RecommendationView, ...]
    scale: ScaleView
    record: Record
    rubric_note: str
    since: SinceView | None = None


# -- the scale the assessment was graded on -------------------------------------------


def scale_of(assessment: Assessment, scale: Scale | None = None) -> tuple[Scale | None, str]:
    """The scale *assessment* was graded on, for its wording, and where it was found.

    The scale is the one its record names: the bundled scale of that id, or the scale
    file it was read from; it is used only if its sha256 (and id and version) are the
    record's, so wording from a scale changed since is never shown as the one used.
    Returns ``(None, why)`` when it cannot be had.

    Args:
        assessment: The assessment.
        scale: The scale itself, if the caller has it (one built in memory, say).

    Raises:
        AssessmentError: *scale* is given but is not the scale the record names.
    """
    from cat_rubric._load import load_scale
    from cat_rubric._resolve import is_path

    record = assessment.record
    used = record.scale_file
    if scale is not None:
        if not made_on(scale, record):
            raise AssessmentError(
                f"the assessment was graded on scale {inert(record.scale)!r} "
                f"v{record.scale_version} (sha256 {used.sha256[:12]}), not on "
                f"{inert(scale.id)!r} v{scale.version} (sha256 {scale_digest(scale)[:12]})"
            )
        return scale, "the scale given with the assessment (its sha256 matches the record)"
    if used.bundled:
        name, where = record.scale, f"the bundled scale {record.scale}"
    elif used.file == "<in memory>":
        return None, "the scale was built in memory and is not recorded; its wording is not shown"
    else:
        name = used.file if is_path(used.file) else f"./{used.file}"
        where = f"the scale file {used.file}"
    try:
        found = load_scale(name)
    except (CatRubricError, OSError):
        return None, f"{where} could not be read here; its wording is not shown"
    if not made_on(found, record):
        return None, (
            f"{where} is no longer the scale the assessment used (sha256 "
            f"{scale_digest(found)[:12]}, recorded {used.sha256[:12]}); its wording is not shown"
        )
    return found, f"{where}; its sha256 matches the record"


# -- building the view ----------------------------------------------------------------


def _css(letter: str | None, scale: Scale | None = None) -> str:
    """The palette key for *letter*: its ccpr-2016 letter on the scale, else its own."""
    if letter and scale is not None:
        with contextlib.suppress(KeyError):
            letter = scale.grade(letter).ccpr_2016
    if letter and letter[0].upper() in GRADE_COLOURS:
        return letter[0].upper()
    return "none"


def _grade(letter: str | None, scale: Scale | None, status: Status | None = None) -> GradeView:
    if letter is None:
        shown = "not graded" if status is None else f"not graded ({status.value})"
        return GradeView(letter=shown, graded=False, css="none")
    meaning: Grade | None = None
    if scale is not None and letter in scale.letters:
        meaning = scale.grade(letter)
    if meaning is None:
        return GradeView(letter=letter, graded=True, css=_css(letter))
    return GradeView(
        letter=letter,
        graded=True,
        css=_css(letter, scale),
        known=True,
        label=meaning.label,
        definition=meaning.definition,
        verified=meaning.verified,
    )


def _rubric_part(rubric: Rubric, part_id: str) -> Part | None:
    try:
        return rubric.part(part_id)
    except KeyError:
        return None


def _statement(rubric: Rubric, criterion_id: str) -> str:
    try:
        return rubric.criterion(criterion_id).statement
    except KeyError:
        return ""


def _finding(value: Finding | None) -> str:
    """A finding as the report and the comparison write it: its value, or "—"."""
    return "—" if value is None else value.value


def _illustrative(*assessments: Assessment) -> tuple[int, int]:
    """How many of the items *assessments* used are illustrative, of how many (each once)."""
    items = {(u.file, u.item): u.illustrative for a in assessments for u in a.items}
    return sum(items.values()), len(items)


def _evidence(part: PartResult, uses: list[ItemUse]) -> tuple[EvidenceView, ...]:
    """The items bearing on *part*'s criteria, each once, in the record's order."""
    order = {c.id: i for i, c in enumerate(part.criteria)}
    by_item: dict[tuple[str, str], list[ItemUse]] = {}
    for use in uses:
        if use.criterion in order:
            by_item.setdefault((use.file, use.item), []).append(use)
    out = []
    for group in by_item.values():
        first = group[0]
        out.append(
            EvidenceView.of(
                first,
                passage=first.passage,
                uses=tuple(
                    UseView(
                        criterion=u.criterion,
                        finding=u.finding.value,
                        effective=u.effective.value,
                        use=u.use.value,
                        reason=u.reason,
                        flags=u.flags,
                    )
                    for u in sorted(group, key=lambda u: order[u.criterion])
                ),
            )
        )
    return tuple(out)


def _lift_note(part: PartResult, scale: Scale | None) -> str:
    if part.what_if is not None or part.grade is None:
        return ""
    if part.override is not None and part.override.applied:
        return "The grade was set by an analyst's override; no change of findings is suggested."
    if scale is not None and scale.letters and part.grade == scale.letters[0]:
        return "This is the scale's best letter."
    if part.status is not Status.GRADED or part.rule == "no-reply-after-reminders":
        return "The grade does not come from the evidence: a reply is what would change it."
    return "No change of findings on this part's criteria would lift the grade."


def _part(
    n: int,
    part: PartResult,
    rubric: Rubric,
    assessment: Assessment,
    scale: Scale | None,
    uses: list[ItemUse],
) -> PartView:
    own = _rubric_part(rubric, part.id)
    targets = {f"part {part.id}", *(f"criterion {c.id}" for c in part.criteria)}
    engine = None
    if part.engine_grade != part.grade:
        engine = _grade(part.engine_grade, scale, part.status)
    requests = []
    for line in part.missing:
        criterion, _, sentence = line.partition(": ")
        requests.append(RequestView(criterion=criterion, sentence=sentence))
    what_if = part.what_if
    return PartView(
        anchor=f"part-{n}",
        id=part.id,
        label=(own.label or "") if own else "",
        title=part.title,
        text=(own.text or "") if own else "",
        status=part.status.value,
        grade=_grade(part.grade, scale, part.status),
        engine_grade=engine,
        rule=part.rule,
        reason=part.reason,
        score=f"{part.score.value:.2f}",
        formula=part.score.formula,
        counts=part.score.counts,
        earned=f"{part.score.value * part.score.weight_total:g}",
        weight_total=f"{part.score.weight_total:g}",
        information_quality=part.information_quality or "",
        criteria=tuple(
            CriterionView(
                id=c.id,
                statement=_statement(rubric, c.id),
                essential=c.essential,
                weight=f"{c.weight:g}",
                finding=c.finding.value,
                engine_finding=c.engine_finding.value,
                overridden=c.finding is not c.engine_finding,
                state=_finding(c.state_finding),
                independent=_finding(c.independent_finding),
                disputed=c.disputed,
                items=c.items,
            )
            for c in part.criteria
        ),
        conflicts=tuple(
            ConflictView(
                criterion=c.criterion,
                state=c.state,
                independent=c.independent,
                counted=c.counted.value,
                disputed=c.disputed,
            )
            for c in part.conflicts
        ),
        overrides=tuple(o for o in assessment.overrides if o.target in targets),
        flags=part.flags,
        requests=tuple(requests),
        lift_grade=what_if.grade if what_if else "",
        lift_changes=what_if.changes if what_if else (),
        lift_alternatives=what_if.alternatives if what_if else (),
        lift_note=_lift_note(part, scale),
        evidence=_evidence(part, uses),
    )


#: The palette by key (`_css`): background and text colour.
_COLOURS: Final = {**{key: grade_colours(key) for key in GRADE_COLOURS}, "none": UNGRADED}
_FILLS: Final = {key: background for key, (background, _) in _COLOURS.items()}

# The chart's geometry, in SVG user units.
_BAR, _GAP, _GROUP_GAP, _LEFT, _TOP, _PLOT, _BOTTOM = 26, 6, 28, 44, 24, 140, 52


def _letters(assessment: Assessment, scale: Scale | None) -> tuple[str, ...]:
    """The letters best first: the scale's, else those given, sorted.

    Every bundled scale's letters sort best first: A, B1, B2, C1 ...
    """
    if scale is not None:
        return scale.letters
    return tuple(sorted({p.grade for p in assessment.parts if p.grade is not None}))


def _chart(assessment: Assessment, scale: Scale | None) -> ChartView:
    """Bars by paragraph: a letter's height is its rank on the scale, best highest."""
    letters = _letters(assessment, scale)
    rank = {letter: len(letters) - i for i, letter in enumerate(letters)}  # worst is 1
    step = _PLOT / max(len(letters), 1)
    base = _TOP + _PLOT
    bars, groups, lines = [], [], []
    x = _LEFT + _GROUP_GAP // 2
    for rec in assessment.recommendations:
        start = x
        for part in rec.parts:
            height = round(step * rank.get(part.grade, 0)) if part.grade is not None else 0
            bars.append(
                Bar(
                    x=x,
                    y=base - height,
                    width=_BAR,
                    height=height,
                    fill=_FILLS[_css(part.grade, scale)],
                    letter=part.grade if part.grade is not None else "—",
                    part=part.id,
                    text_x=x + _BAR // 2,
                )
            )
            x += _BAR + _GAP
        groups.append(Group(x=(start + x - _GAP) // 2, label=f"para. {rec.paragraph}"))
        shown = ", ".join(f"{p.id} {p.grade or 'not graded'}" for p in rec.parts)
        lines.append(f"paragraph {rec.paragraph}: {shown}")
        x += _GROUP_GAP - _GAP
    ticks = tuple(Tick(y=base - round(step * rank[letter]), letter=letter) for letter in letters)
    return ChartView(
        width=max(x, _LEFT + 200),
        height=base + _BOTTOM,
        axis_x=_LEFT - 6,
        base_y=base,
        bars=tuple(bars),
        groups=tuple(groups),
        ticks=ticks,
        description="; ".join(lines),
    )


def _summary(assessment: Assessment) -> tuple[str, ...]:
    parts = assessment.parts
    counts = Counter(p.grade for p in parts if p.grade is not None)
    graded = ", ".join(f"{n} {letter}" for letter, n in sorted(counts.items()))
    ungraded = sum(1 for p in parts if p.grade is None)
    disputed = sum(1 for p in parts for c in p.criteria if c.disputed)
    applied = sum(1 for o in assessment.overrides if o.applied)
    lapsed = len(assessment.overrides) - applied
    requests = sum(len(p.missing) for p in parts)
    ignored = sum(1 for u in assessment.items if u.use is Use.IGNORED)

    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    out = [f"{n(len(parts), 'part', 'parts')}: {graded or 'none graded'}"]
    if ungraded:
        out.append(f"{ungraded} not graded ({assessment.status.value})")
    out.append(n(disputed, "disputed criterion", "disputed criteria"))
    out.append(n(applied, "override applied", "overrides applied"))
    if lapsed:
        out.append(n(lapsed, "override not applied", "overrides not applied"))
    out.append(n(requests, "request for information", "requests for information"))
    out.append(f"{n(len(assessment.items), 'evidence use', 'evidence uses')} ({ignored} ignored)")
    return tuple(out)


def _rubric_note(assessment: Assessment, rubric: Rubric) -> str:
    """Whether the rubric given is byte for byte the one assessed."""
    recorded = assessment.record.rubric.sha256
    if rubric.origin is not None:
        digest = rubric.origin.sha256
    else:
        from cat_rubric._convert import content_digest

        digest = content_digest(rubric)
    if digest == recorded:
        return "The rubric's wording shown here is that of the rubric assessed (same sha256)."
    return (
        f"The rubric's wording shown here comes from a rubric with the same id but sha256 "
        f"{digest[:12]}, not {recorded[:12]}: it may differ from the one assessed."
    )


def build_view(
    assessment: Assessment,
    rubric: Rubric,
    scale: Scale | None = None,
    *,
    compared_with: Assessment | None = None,
) -> ReportView:
    """Everything the report shows, as plain data: one view for both formats.

    Args:
        assessment: The assessment.
        rubric: The rubric it was made from (for the recommendations' and criteria's
            wording).
        scale: The scale it was graded on, if the caller has it; else it is found from
            the assessment's record (see `scale_of`).
        compared_with: An earlier assessment of the same rubric: the view gets the
            section "Since the previous assessment".

    Raises:
        AssessmentError: *scale* is not the scale the assessment was graded on;
            *compared_with* is of another rubric, or later.
        TypeError: *compared_with* is not an `Assessment`.
    """
    used, note = scale_of(assessment, scale)
    uses = list(assessment.items)
    recs: list[RecommendationView] = []
    n = 0
    for rec in assessment.recommendations:
        parts = []
        for part in rec.parts:
            n += 1
            parts.append(_part(n, part, rubric, assessment, used, uses))
        try:
            own = rubric.recommendation(rec.id)
            articles, concern, text = own.articles, own.concern, own.recommendation
        except KeyError:
            articles, concern, text = (), "", ""
        recs.append(
            RecommendationView(
                anchor=f"para-{len(recs) + 1}",
                paragraph=rec.paragraph,
                title=rec.title,
                articles=articles,
                concern=concern,
                recommendation=text,
                grade=_grade(rec.grade, used, assessment.status),
                rollup=rec.rollup,
                parts_differ=rec.parts_differ,
                parts=tuple(parts),
            )
        )
    width = max((len(r.parts) for r in recs), default=0)
    matrix = tuple((r, tuple(r.parts) + (None,) * (width - len(r.parts))) for r in recs)
    record = assessment.record
    scale_view = ScaleView(
        id=record.scale,
        version=record.scale_version,
        available=used is not None,
        note=note,
        title=used.title if used else "",
        body=used.body if used else "",
        source=used.source if used else "",
        description=used.description if used else "",
        grades=tuple((_grade(g.letter, used), g.ccpr_2016) for g in (used.grades if used else ())),
    )
    illustrative, items_total = _illustrative(assessment)
    reply = f"received {assessment.reply_date}" if assessment.reply_received else "not received"
    follow_up = rubric.follow_up
    return ReportView(
        title=f"{assessment.symbol} — {assessment.state_party} — {assessment.cycle}",
        symbol=assessment.symbol,
        state_party=assessment.state_party,
        rubric_id=assessment.rubric,
        rubric_title=rubric.title,
        treaty_body=rubric.treaty_body,
        session="" if rubric.session is None else str(rubric.session),
        adopted=str(rubric.adopted),
        rubric_lang=rubric.language,
        source_url=rubric.source_url or "",
        rubric_notes=rubric.notes or "",
        follow_up_paragraph="" if follow_up.paragraph is None else str(follow_up.paragraph),
        follow_up_paragraphs=", ".join(str(p) for p in follow_up.recommendations),
        follow_up_text=follow_up.text or "",
        cycle=assessment.cycle,
        as_of=str(assessment.as_of),
        due=str(assessment.due or "no due date"),
        reply=reply,
        reminders=tuple(str(d) for d in assessment.reminders),
        status=assessment.status.value,
        policy=record.policy,
        settings=record.settings,
        illustrative_items=illustrative,
        items_total=items_total,
        summary=_summary(assessment),
        matrix_width=width,
        matrix=matrix,
        chart=_chart(assessment, used),
        recommendations=tuple(recs),
        scale=scale_view,
        record=record,
        rubric_note=_rubric_note(assessment, rubric),
        since=_since(assessment, compared_with, scale, recs),
    )


def _since(
    assessment: Assessment,
    earlier: Assessment | None,
    scale: Scale | None,
    recs: list[RecommendationView],
) -> SinceView | None:
    if earlier is None:
        return None
    from cat_rubric._compare_report import report_section

    anchors = {p.id: p.anchor for r in recs for p in r.parts}
    given = () if scale is None else (scale,)
    return report_section(earlier, assessment, scales=given, anchors=anchors)


# -- rendering ------------------------------------------------------------------------


def _html_value(value: Any) -> Any:
    """Every value the HTML template prints: made inert, then autoescaped by Jinja2."""
    if isinstance(value, Markup):  # our own stylesheet, and nothing else
        return value
    return inert("—" if value is None else str(value))


def _breakable(value: str) -> Markup:
    """A finding (``partially_implemented``) that may wrap after its underscores."""
    return Markup("_<wbr>").join(escape(inert(piece)) for piece in value.split("_"))


def _markdown_value(value: Any) -> str:
    """Every value the Markdown template prints: one escaped, inert line, never cut."""
    return markdown("—" if value is None else str(value))


_OPTIONS: Final[dict[str, Any]] = {
    "undefined": jinja2.StrictUndefined,  # a field the view lacks is an error, not ""
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "auto_reload": False,
}


@functools.cache
def _html_env() -> jinja2.Environment:
    # Forced on: select_autoescape() would leave a ".j2" template unescaped.
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("cat_rubric", "templates"),
        autoescape=True,
        finalize=_html_value,
        **_OPTIONS,
    )
    env.filters["breakable"] = _breakable
    return env


@functools.cache
def _markdown_env() -> jinja2.Environment:
    # No HTML autoescaping (it would write &amp;lt; for a "<" already made &lt;): every
    # value is escaped for Markdown, HTML included, by _markdown_value instead.
    return jinja2.Environment(
        loader=jinja2.PackageLoader("cat_rubric", "templates"),
        autoescape=False,  # noqa: S701 (Markdown: _markdown_value escapes every value)
        finalize=_markdown_value,
        **_OPTIONS,
    )


@functools.cache
def _stylesheet() -> tuple[Markup, Markup]:
    """The page's stylesheet and its Content-Security-Policy, which lets only it style."""
    env = _html_env()
    assert env.loader is not None
    static, _, _ = env.loader.get_source(env, "report.css")
    rules = [f".g-{key} {{ background: {bg}; color: {fg}; }}" for key, (bg, fg) in _COLOURS.items()]
    css = static.rstrip("\n") + "\n" + "\n".join(rules) + "\n"
    # Both are our own text, not input: written as they are.
    return Markup(css), Markup(page_policy(css))  # noqa: S704


def report_html(
    assessment: Assessment,
    rubric: Rubric,
    *,
    scale: Scale | None = None,
    compared_with: Assessment | None = None,
) -> str:
    """The assessment as one self-contained HTML page (see `cat_rubric.render.html`).

    Raises:
        AssessmentError: *scale* is given and is not the scale the assessment used;
            *compared_with* is of another rubric, or later.
    """
    css, policy = _stylesheet()
    view = build_view(assessment, rubric, scale, compared_with=compared_with)
    return _html_env().get_template("report.html.j2").render(view=view, css=css, policy=policy)


def report_markdown(
    assessment: Assessment,
    rubric: Rubric,
    *,
    scale: Scale | None = None,
    compared_with: Assessment | None = None,
) -> str:
    """The same content as `report_html`, as Markdown; nothing is truncated.

    Raises:
        AssessmentError: *scale* is given and is not the scale the assessment used;
            *compared_with* is of another rubric, or later.
    """
    view = build_view(assessment, rubric, scale, compared_with=compared_with)
    return _markdown_env().get_template("report.md.j2").render(view=view)


def chart_svg(assessment: Assessment, *, scale: Scale | None = None) -> str:
    """The report's chart of grades by paragraph alone, as an SVG document.

    Colours are presentation attributes (no stylesheet needed) and every bar carries
    its letter as text, so the chart reads without colour.

    Raises:
        AssessmentError: *scale* is given and is not the scale the assessment used.
    """
    used, _ = scale_of(assessment, scale)
    chart = _chart(assessment, used)
    return _html_env().get_template("chart.svg.j2").render(chart=chart, standalone=True)


__all__ = ["build_view", "chart_svg", "report_html", "report_markdown", "scale_of"]
