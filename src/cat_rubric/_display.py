"""Rich display in Jupyter: compact HTML and Markdown summaries of rubrics and results.

`Rubric`, `Assessment`, `RecommendationResult` and `PartResult` call this module from
their ``_repr_html_`` and ``_repr_markdown_``. Each display is a summary: a header line
and a small table (per recommendation, part or criterion), never the full explanation,
which ``cat-rubric explain`` and `cat_rubric.render` give. Grades are coloured by letter
from `cat_rubric._palette`, and the letter is always written, so a display reads the
same without colour.

Every value reaches the output through one of two Jinja2 environments, never by string
concatenation: the HTML one autoescapes, the Markdown one escapes with
`cat_rubric._text.markdown`; both first make the text inert and put it on one line
(`cat_rubric._text.one_line`), so no control or bidirectional character reaches the page.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import TYPE_CHECKING, Any, Literal

from cat_rubric._palette import grade_colours
from cat_rubric._text import markdown, one_line

if TYPE_CHECKING:
    import jinja2

    from cat_rubric._model import Recommendation, Rubric
    from cat_rubric._result import Assessment, PartResult, RecommendationResult

Kind = Literal["html", "markdown"]

#: The longest a title, symbol or other free text is shown in a display.
TITLE_WIDTH = 72
#: The longest a part's reason is shown (the full reason is `PartResult.reason`).
REASON_WIDTH = 300

_MACROS_HTML = """\
{% macro grade(letter, note=none) -%}
{% set colours = grade_colours(letter) -%}
<span style="background-color:{{ colours[0] }};color:{{ colours[1] }};padding:0 0.3em">\
<strong>{{ letter or "—" }}</strong></span>{% if note %} {{ note }}{% endif %}
{%- endmacro %}
{% macro grade_td(letter, note=none) -%}
{% set colours = grade_colours(letter) -%}
<td style="background-color:{{ colours[0] }};color:{{ colours[1] }}">\
<strong>{{ letter or "—" }}</strong>{% if note %} {{ note }}{% endif %}</td>
{%- endmacro %}
"""

_TEMPLATES: dict[str, str] = {
    "assessment.html": """\
{% from "macros.html" import grade, grade_td %}
<div class="cat-rubric-assessment">
<p><strong>{{ a.symbol|short }}</strong> — {{ a.state_party|short }} — {{ a.cycle|short }}<br>
as of {{ a.as_of }}; due {{ a.due }}; {{ reply }}; reminders: {{ reminders }}<br>
scale {{ a.record.scale|short }} v{{ a.record.scale_version }}; \
conflict policy {{ a.record.policy|short }}; status {{ a.status.value }}</p>
<table>
<thead><tr><th>para</th><th>recommendation</th><th>grade</th><th>parts</th></tr></thead>
<tbody>
{% for rec in a.recommendations %}
<tr><td>{{ rec.paragraph }}</td><td>{{ rec.title|short }}</td>{{ grade_td(rec.grade) }}<td>\
{% for p in rec.parts %}{{ p.id }} {{ grade(p.grade, part_note(p)) }}\
{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}
</tbody>
</table>
<p>{{ summary }}</p>
{% if illustrative %}
<p><em>Some of the evidence is illustrative: invented example material.</em></p>
{% endif %}
</div>
""",
    "recommendation.html": """\
{% from "macros.html" import grade, grade_td %}
<div class="cat-rubric-recommendation">
<p><strong>para {{ rec.paragraph }}</strong> ({{ rec.id }}): {{ rec.title|short }} — \
{{ grade(rec.grade) }}<br>
{{ rec.rollup|short(reason_width) }}</p>
{% include "parts.html" %}
</div>
""",
    "parts.html": """\
{% from "macros.html" import grade_td %}
<table>
<thead><tr><th>part</th><th>title</th><th>grade</th><th>score</th><th>rule</th></tr></thead>
<tbody>
{% for p in parts %}
<tr><td>{{ p.id }}</td><td>{{ p.title|short }}</td>{{ grade_td(p.grade, part_note(p)) }}\
<td>{{ "%.2f"|format(p.score.value) }}</td><td>{{ p.rule }}</td></tr>
{% endfor %}
</tbody>
</table>
""",
    "part.html": """\
{% from "macros.html" import grade %}
<div class="cat-rubric-part">
<p><strong>part {{ p.id }}</strong>: {{ p.title|short }}<br>
grade {{ grade(p.grade, part_note(p)) }}; rule {{ p.rule }}; \
score {{ "%.2f"|format(p.score.value) }} = {{ p.score.formula|short(reason_width) }}\
{% if p.information_quality %}; information quality {{ p.information_quality }}{% endif %}<br>
why: {{ p.reason|short(reason_width) }}</p>
<table>
<thead><tr><th>criterion</th><th>essential</th><th>weight</th><th>counts as</th>\
<th>State</th><th>independent</th><th>disputed</th></tr></thead>
<tbody>
{% for c in p.criteria %}
<tr><td>{{ c.id }}</td><td>{{ "yes" if c.essential else "" }}</td>\
<td>{{ "%g"|format(c.weight) }}</td><td>{{ c.finding.value }}</td>\
<td>{{ value(c.state_finding) }}</td>\
<td>{{ value(c.independent_finding) }}</td><td>{{ "DISPUTED" if c.disputed else "" }}</td></tr>
{% endfor %}
</tbody>
</table>
<p>{{ footer(p) }}</p>
</div>
""",
    "rubric.html": """\
<div class="cat-rubric-rubric">
<p><strong>{{ r.symbol|short }}</strong> — {{ r.state_party|short }} — {{ r.title|short }}<br>
{{ r.treaty_body|short }}, adopted {{ r.adopted }}; follow-up on paragraphs \
{{ paragraphs }}, due {{ r.due }}; scale {{ r.scale|short }}</p>
<table>
<thead><tr><th>para</th><th>recommendation</th><th>parts</th><th>criteria</th></tr></thead>
<tbody>
{% for rec in r.recommendations %}
<tr><td>{{ rec.paragraph }}</td><td>{{ rec.title|short }}</td>\
<td>{{ part_ids(rec) }}</td><td>{{ criteria(rec) }}</td></tr>
{% endfor %}
</tbody>
</table>
</div>
""",
    "assessment.md": """\
**{{ a.symbol|short }}** — {{ a.state_party|short }} — {{ a.cycle|short }}\\
as of {{ a.as_of }}; due {{ a.due }}; {{ reply }}; reminders: {{ reminders }}\\
scale {{ a.record.scale|short }} v{{ a.record.scale_version }}; \
conflict policy {{ a.record.policy|short }}; status {{ a.status.value }}

| para | recommendation | grade | parts |
| --- | --- | --- | --- |
{% for rec in a.recommendations %}
| {{ rec.paragraph }} | {{ rec.title|short }} | **{{ rec.grade }}** | \
{% for p in rec.parts %}{{ p.id }} **{{ p.grade }}**{% if part_note(p) %} {{ part_note(p) }}\
{% endif %}{% if not loop.last %}, {% endif %}{% endfor %} |
{% endfor %}

{{ summary }}
{% if illustrative %}

*Some of the evidence is illustrative: invented example material.*
{% endif %}
""",
    "recommendation.md": """\
**para {{ rec.paragraph }}** ({{ rec.id }}): {{ rec.title|short }} — **{{ rec.grade }}**\\
{{ rec.rollup|short(reason_width) }}

{% include "parts.md" %}
""",
    "parts.md": """\
| part | title | grade | score | rule |
| --- | --- | --- | --- | --- |
{% for p in parts %}
| {{ p.id }} | {{ p.title|short }} | **{{ p.grade }}**{% if part_note(p) %} {{ part_note(p) }}\
{% endif %} | {{ "%.2f"|format(p.score.value) }} | {{ p.rule }} |
{% endfor %}
""",
    "part.md": """\
**part {{ p.id }}**: {{ p.title|short }}\\
grade **{{ p.grade }}**{% if part_note(p) %} {{ part_note(p) }}{% endif %}; rule {{ p.rule }}; \
score {{ "%.2f"|format(p.score.value) }} = {{ p.score.formula|short(reason_width) }}\
{% if p.information_quality %}; information quality {{ p.information_quality }}{% endif %}\\
why: {{ p.reason|short(reason_width) }}

| criterion | essential | weight | counts as | State | independent | disputed |
| --- | --- | --- | --- | --- | --- | --- |
{% for c in p.criteria %}
| {{ c.id }} | {{ "yes" if c.essential else "" }} | {{ "%g"|format(c.weight) }} | \
{{ c.finding.value }} | {{ value(c.state_finding) }} | {{ value(c.independent_finding) }} | \
{{ "DISPUTED" if c.disputed else "" }} |
{% endfor %}

{{ footer(p) }}
""",
    "rubric.md": """\
**{{ r.symbol|short }}** — {{ r.state_party|short }} — {{ r.title|short }}\\
{{ r.treaty_body|short }}, adopted {{ r.adopted }}; follow-up on paragraphs \
{{ paragraphs }}, due {{ r.due }}; scale {{ r.scale|short }}

| para | recommendation | parts | criteria |
| --- | --- | --- | --- |
{% for rec in r.recommendations %}
| {{ rec.paragraph }} | {{ rec.title|short }} | {{ part_ids(rec) }} | {{ criteria(rec) }} |
{% endfor %}
""",
}


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _part_note(part: PartResult) -> str:
    """What a grade needs beside its letter: an override, or why there is no grade."""
    if part.grade is None:
        return part.status.value
    if part.override is not None and part.override.applied:
        return f"(override; engine {part.engine_grade or '—'})"
    return ""


def _value(member: Any) -> str:
    return "—" if member is None else str(member.value)


def _summary(a: Assessment) -> str:
    parts = a.parts
    counts = Counter(p.grade for p in parts if p.grade is not None)
    shown = ", ".join(f"{n} {one_line(g)}" for g, n in sorted(counts.items()))
    bits = [f"{_plural(len(parts), 'part', 'parts')}: {shown or 'none graded'}"]
    disputed = sum(1 for p in parts for c in p.criteria if c.disputed)
    bits.append(_plural(disputed, "disputed criterion", "disputed criteria"))
    bits.append(_plural(sum(1 for o in a.overrides if o.applied), "override", "overrides"))
    return "; ".join(bits)


def _footer(part: PartResult) -> str:
    bits = [
        _plural(len(part.conflicts), "conflict", "conflicts"),
        _plural(len(part.missing), "request for information", "requests for information"),
    ]
    if part.what_if is not None:
        bits.append(f"to reach {part.what_if.grade}: {', '.join(part.what_if.changes)}")
    return "; ".join(bits)


def _criteria(rec: Recommendation) -> str:
    n = sum(len(p.criteria) for p in rec.parts)
    essential = sum(1 for p in rec.parts for c in p.criteria if c.essential)
    return f"{n} ({essential} essential)"


def _part_ids(rec: Recommendation | RecommendationResult) -> str:
    return ", ".join(p.id for p in rec.parts)


def _finalize_html(value: object) -> object:
    from markupsafe import Markup

    if isinstance(value, Markup):  # a macro's output, escaped already
        return value
    return "—" if value is None else one_line(str(value))


def _finalize_markdown(value: object) -> str:
    return "—" if value is None else markdown(str(value))


def _short(value: object, width: int = TITLE_WIDTH) -> str | None:
    return None if value is None else one_line(str(value), width)


@functools.cache
def _environment(kind: Kind) -> jinja2.Environment:
    import jinja2

    templates = dict(_TEMPLATES)
    templates["macros.html"] = _MACROS_HTML
    html = kind == "html"
    env = jinja2.Environment(
        loader=jinja2.DictLoader(templates),
        autoescape=html,  # noqa: S701 - Markdown's values are escaped by its finalize
        finalize=_finalize_html if html else _finalize_markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["short"] = _short
    env.globals.update(
        grade_colours=grade_colours,
        part_note=_part_note,
        value=_value,
        footer=_footer,
        criteria=_criteria,
        part_ids=_part_ids,
        reason_width=REASON_WIDTH,
    )
    return env


def _render(kind: Kind, name: str, **context: Any) -> str:
    suffix = "html" if kind == "html" else "md"
    return _environment(kind).get_template(f"{name}.{suffix}").render(**context)


def _reply(a: Assessment) -> str:
    return f"reply received {a.reply_date}" if a.reply_received else "no reply"


def assessment_display(a: Assessment, kind: Kind) -> str:
    """An assessment's summary: header, a grade table per recommendation, the counts."""
    from cat_rubric._result import Use

    return _render(
        kind,
        "assessment",
        a=a,
        reply=_reply(a),
        reminders=", ".join(str(d) for d in a.reminders) or "none",
        summary=_summary(a),
        illustrative=any(u.illustrative and u.use is not Use.IGNORED for u in a.items),
    )


def recommendation_display(rec: RecommendationResult, kind: Kind) -> str:
    """A recommendation's roll-up and a table of its parts' grades."""
    return _render(kind, "recommendation", rec=rec, parts=rec.parts)


def part_display(part: PartResult, kind: Kind) -> str:
    """A part's grade, rule, score and reason, and a table of its criteria."""
    return _render(kind, "part", p=part)


def rubric_display(rubric: Rubric, kind: Kind) -> str:
    """A rubric's header and a table of its recommendations with their parts."""
    paragraphs = ", ".join(str(n) for n in rubric.follow_up.recommendations)
    return _render(kind, "rubric", r=rubric, paragraphs=paragraphs)


# -- repr: compact, and built from decided fields only ----------------------------------
# None of these reads an explaining field (the classes' ``_EXPLAINED``): ``repr`` of a
# result must not build its explanation.


def _grade_bits(part: PartResult) -> list[str]:
    if part.grade is None:
        return [f"status={part.status.value!r}"]
    bits = [f"grade={part.grade!r}"]
    if part.override is not None and part.override.applied:
        bits.append(f"engine_grade={part.engine_grade!r}")
    return bits


def part_repr(part: PartResult) -> str:
    """``<PartResult '9b' grade='B' rule='substantive-steps' score=0.71>``."""
    bits = [repr(part.id), *_grade_bits(part), f"rule={part.rule!r}"]
    bits.append(f"score={part.score.value:.2f}")
    return f"<PartResult {' '.join(bits)}>"


def recommendation_repr(rec: RecommendationResult) -> str:
    """``<RecommendationResult 'para-9' paragraph=9 grade='C' parts={'9a': 'B', ...}>``."""
    grades = {p.id: p.grade for p in rec.parts}
    return (
        f"<RecommendationResult {rec.id!r} paragraph={rec.paragraph} grade={rec.grade!r} "
        f"parts={grades!r}>"
    )


def assessment_repr(a: Assessment) -> str:
    """``<Assessment 'cat-kaz-co-2' 'CAT/C/KAZ/CO/2' as_of=2010-06-30 ... grades={...}>``."""
    parts = a.parts
    grades = dict(sorted(Counter(p.grade for p in parts if p.grade is not None).items()))
    return (
        f"<Assessment {a.rubric!r} {one_line(a.symbol, TITLE_WIDTH)!r} as_of={a.as_of} "
        f"status={a.status.value!r} parts={len(parts)} grades={grades!r}>"
    )
