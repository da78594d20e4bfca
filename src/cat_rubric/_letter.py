"""Draft letters: the Rapporteur's follow-up letter, and the outline of an NGO's report.

`draft_letter` writes either, in Markdown or plain text, from an assessment and the
rubric it was made from (the rubric has the wording the assessment refers to by id:
criteria's statements and request sentences, parts' labels and text). Both are marked
as drafts at the top. Every string from the rubric, the evidence or the scale passes
through the format's escaping (`markdown`, or `one_line` for text), and every line
starts with text of our own, so no input can open a heading, a list or a quotation.
The same inputs give the same bytes; nothing is cut (plain text is wrapped at 78
columns, a word longer than that standing alone on its line).

The committee letter follows the structure of the Committee's follow-up letters: the
concluding observations and the follow-up paragraph referred to; the reply and its date
acknowledged (or its absence and the reminders); then, by paragraph and part, the
assessment with its grade and the grade's label, what was noted, and the information
requested: the `request` sentence of every criterion whose information is missing (no
information, not relevant, no new information) or disputed by another source. A part
graded A (the scale's letter for ccpr-2016's A) asks for nothing. Then a generic close.

The NGO outline sets, by paragraph and part, what the State party reports against
what independent sources document, with each item's passage and full citation, the
conflicts, and the grade the evidence supports with the rule's reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final, Literal

from cat_rubric._evidence import Finding
from cat_rubric._model import Rubric, SourceKind
from cat_rubric._render import count, wrap
from cat_rubric._result import (
    Assessment,
    CriterionResult,
    ItemUse,
    PartResult,
    RecommendationResult,
    Status,
    Use,
)
from cat_rubric._scales import Grade
from cat_rubric._text import markdown, one_line

#: The words every draft begins with, in both formats.
DRAFT: Final = "DRAFT — prepared with cat_rubric; not an official document"
#: Plain-text drafts are wrapped to this width.
TEXT_WIDTH: Final = 78

#: Findings that leave the Committee without the information it asked for.
MISSING: Final = frozenset(
    {Finding.NO_INFORMATION, Finding.NOT_RELEVANT, Finding.NO_NEW_INFORMATION}
)

_COMMITTEES: Final = {
    "CAT": "Committee against Torture",
    "CCPR": "Human Rights Committee",
    "CED": "Committee on Enforced Disappearances",
    "CEDAW": "Committee on the Elimination of Discrimination against Women",
    "CERD": "Committee on the Elimination of Racial Discrimination",
    "CESCR": "Committee on Economic, Social and Cultural Rights",
    "CMW": "Committee on Migrant Workers",
    "CRC": "Committee on the Rights of the Child",
    "CRPD": "Committee on the Rights of Persons with Disabilities",
}
_FINDINGS: Final = {
    Finding.CONTRARY: "measures contrary to the recommendation",
    Finding.REJECTED: "rejected",
    Finding.NO_INFORMATION: "no information",
    Finding.NO_NEW_INFORMATION: "no new information",
    Finding.NOT_RELEVANT: "information not relevant",
    Finding.NOT_IMPLEMENTED: "not implemented",
    Finding.INITIATED: "initial steps taken",
    Finding.PARTIALLY_IMPLEMENTED: "partially implemented",
    Finding.IMPLEMENTED: "implemented",
}
_STEPS: Final = (Finding.IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED, Finding.INITIATED)
_SOURCES: Final = {
    SourceKind.NGO: "non-governmental organizations",
    SourceKind.NHRI: "national human rights institutions",
    SourceKind.NPM: "national preventive mechanisms",
    SourceKind.UN_BODY: "United Nations bodies",
    SourceKind.COURT: "courts",
    SourceKind.MEDIA: "the media",
    SourceKind.OTHER: "other sources",
}
_MONTHS: Final = (
    *("January", "February", "March", "April", "May", "June", "July", "August"),
    *("September", "October", "November", "December"),
)


class _Doc:
    """A document written once for Markdown or plain text.

    Untrusted text goes through `esc`; the block methods take inline text that is
    already escaped (or our own) and lay it out for the format.
    """

    def __init__(self, fmt: Literal["markdown", "text"]) -> None:
        self.md = fmt == "markdown"
        self.lines: list[str] = []

    def esc(self, text: str) -> str:
        return markdown(text) if self.md else one_line(text)

    def strong(self, text: str) -> str:
        return f"**{text}**" if self.md else text

    def _gap(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def heading(self, level: int, text: str) -> None:
        self._gap()
        if self.md:
            self.lines.append(f"{'#' * level} {text}")
        elif level <= 3:
            wrapped = wrap(text, TEXT_WIDTH)
            rule = "=-~"[level - 1] * min(TEXT_WIDTH, max(len(line) for line in wrapped))
            self.lines += [*wrapped, rule]
        else:
            self.lines += wrap(f"{text}:", TEXT_WIDTH)
        self.lines.append("")

    def para(self, text: str) -> None:
        self._gap()
        self.lines += [text] if self.md else wrap(text, TEXT_WIDTH)
        self.lines.append("")

    def address(self, lines: Sequence[str]) -> None:
        """Lines kept as lines (a letterhead, a signature)."""
        self._gap()
        if self.md:
            self.lines += [f"{line}  " for line in lines[:-1]] + [lines[-1]]
        else:
            for line in lines:
                self.lines += wrap(line, TEXT_WIDTH, "", "  ")
        self.lines.append("")

    def quote(self, text: str) -> None:
        self._gap()
        self.lines += [f"> {text}"] if self.md else wrap(text, TEXT_WIDTH, "    ")
        self.lines.append("")

    def bullet(self, text: str, level: int = 0) -> None:
        """A list item; a list's items follow each other without blank lines."""
        indent = "  " * level
        if self.md:
            self.lines.append(f"{indent}- {text}")
        else:
            self.lines += wrap(text, TEXT_WIDTH, f"{indent}- ", f"{indent}  ")

    def end_list(self) -> None:
        self.lines.append("")

    def render(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


def draft_letter(
    assessment: Assessment,
    rubric: Rubric,
    *,
    style: Literal["committee", "ngo"] = "committee",
    format: Literal["markdown", "text"] = "markdown",  # noqa: A002 (render.letter's name)
) -> str:
    """A draft letter (``committee``) or report outline (``ngo``), marked as a draft.

    Args:
        assessment: The assessment.
        rubric: The rubric it was made from (`cat_rubric.render.letter` checks that).
        style: ``committee``: the Rapporteur's follow-up letter to the State party;
            ``ngo``: the outline of an alternative follow-up report.
        format: ``markdown`` or ``text`` (wrapped at `TEXT_WIDTH` columns).

    Raises:
        ValueError: *style* or *format* is not one of those.
    """
    if style not in ("committee", "ngo"):
        raise ValueError(f"style must be 'committee' or 'ngo', not {style!r}")
    if format not in ("markdown", "text"):
        raise ValueError(f"format must be 'markdown' or 'text', not {format!r}")
    doc = _Doc(format)
    grades, scale_note = _grades(assessment)
    _draft_notes(doc, assessment, style, grades, scale_note)
    if style == "committee":
        _committee(doc, assessment, rubric, grades)
    else:
        _ngo(doc, assessment, rubric, grades)
    _drafting_notes(doc, assessment, style)
    return doc.render()


# -- shared pieces ------------------------------------------------------------------


def _grades(a: Assessment) -> tuple[dict[str, Grade] | None, str]:
    """The scale's grades by letter, if the scale used can be loaded again unchanged.

    The scale is loaded as the record names it (a bundled id, or a regular file) and
    used only if its sha256 is the one recorded; otherwise the letters are shown
    without labels, and the second value says why.
    """
    from cat_rubric._load import load_scale
    from cat_rubric.exceptions import CatRubricError

    used = a.record.scale_file
    where = "bundled" if used.bundled else one_line(used.file)
    why = (
        f"the grades' labels are not shown: the scale used ({one_line(a.record.scale)}, "
        f"{where}) could not be loaded again unchanged"
    )
    if not used.bundled and not Path(used.file).is_file():
        return None, why
    try:
        scale = load_scale(a.record.scale if used.bundled else used.file)
    except (CatRubricError, OSError):
        return None, why
    if scale.origin is None or scale.origin.sha256 != used.sha256:
        return None, why
    return {g.letter: g for g in scale.grades}, ""


def _grade_phrase(doc: _Doc, letter: str, grades: dict[str, Grade] | None) -> str:
    """The letter and its label; a label the scale does not mark verified is not quoted."""
    shown = doc.strong(doc.esc(letter))
    grade = grades.get(letter) if grades else None
    if grade is None:
        return shown
    if grade.verified:
        return f"{shown} (“{doc.esc(grade.label)}”)"
    return f"{shown} ({doc.esc(grade.label)})"


def _asks_nothing(part: PartResult, grades: dict[str, Grade] | None) -> bool:
    """Whether *part* is graded A: the scale's letter for ccpr-2016's A, or "A"."""
    if part.grade is None:
        return False
    grade = grades.get(part.grade) if grades else None
    return (grade.ccpr_2016 if grade is not None else part.grade) == "A"


def requests(part: PartResult, rubric: Rubric) -> list[str]:
    """The request sentences for *part*'s missing or disputed criteria, once each, in order.

    A criterion's sentence is its `Criterion.request` in *rubric* (the result's copy if
    the rubric lacks the criterion).
    """
    return _sentences(part, rubric, lambda c: c.finding in MISSING or c.disputed, [])


def updates(part: PartResult, rubric: Rubric) -> list[str]:
    """The request sentences for *part*'s other criteria not implemented, not in `requests`.

    Information was given on them (a step, a refusal, action that does not implement
    the criterion); the Committee asks how far implementation has come.
    """
    asked = requests(part, rubric)
    every = _sentences(part, rubric, lambda c: c.finding is not Finding.IMPLEMENTED, list(asked))
    return every[len(asked) :]


def _sentences(
    part: PartResult, rubric: Rubric, wanted: Callable[[CriterionResult], bool], out: list[str]
) -> list[str]:
    for c in part.criteria:
        if wanted(c):
            sentence = _criterion_request(rubric, c)
            if sentence is not None and sentence not in out:
                out.append(sentence)
    return out


def _criterion_request(rubric: Rubric, c: CriterionResult) -> str | None:
    try:
        return rubric.criterion(c.id).request
    except KeyError:
        return c.request


def _statement(rubric: Rubric, criterion_id: str) -> str:
    try:
        return rubric.criterion(criterion_id).statement
    except KeyError:
        return criterion_id


def _part_heading(doc: _Doc, rubric: Rubric, rec: RecommendationResult, part: PartResult) -> str:
    try:
        label = rubric.part(part.id).label
    except KeyError:
        label = None
    shown = f" {doc.esc(label)}" if label else ""
    return f"Paragraph {rec.paragraph}{shown}: {doc.esc(part.title)}"


def _recommendation_text(rubric: Rubric, recommendation_id: str) -> str | None:
    try:
        return rubric.recommendation(recommendation_id).recommendation
    except KeyError:
        return None


def _part_text(rubric: Rubric, part_id: str) -> str | None:
    try:
        return rubric.part(part_id).text
    except KeyError:
        return None


def _date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _committee_name(doc: _Doc, rubric: Rubric) -> str:
    return _COMMITTEES.get(rubric.treaty_body) or f"Committee ({doc.esc(rubric.treaty_body)})"


def _illustrative(a: Assessment) -> bool:
    return any(u.illustrative for u in a.items)


def _draft_notes(
    doc: _Doc, a: Assessment, style: str, grades: dict[str, Grade] | None, scale_note: str
) -> None:
    what = (
        "the Rapporteur's follow-up letter to the State party"
        if style == "committee"
        else "the outline of an alternative follow-up report"
    )
    doc.para(f"{doc.strong(DRAFT + '.')} A draft of {what}, to be reviewed before any use.")
    notes = []
    if _illustrative(a):
        notes.append(
            "Some of the evidence behind this draft is illustrative (invented example "
            "material, marked so in its citations): the draft shows how the document would "
            "read and must not be used as it is."
        )
    if grades is None:
        notes.append(doc.esc(scale_note) + ".")
    else:
        verified = [g for g in grades.values() if g.verified]
        scale = f"{doc.esc(a.record.scale)} v{a.record.scale_version}"
        if len(verified) == len(grades):
            notes.append(
                f"The grades' labels (in quotation marks) are the wording of scale {scale}."
            )
        elif verified:
            notes.append(
                f"Grades are on scale {scale}: labels in quotation marks are its verified "
                "wording; the others are this project's paraphrase, not the Committee's words."
            )
        else:
            notes.append(
                f"Grades are on scale {scale}; the labels given with them are this project's "
                "paraphrase of the grades, not the Committee's words."
            )
    for note in notes:
        doc.para(("> " if doc.md else "Note: ") + note)


def _drafting_notes(doc: _Doc, a: Assessment, style: str) -> None:
    """What the drafter should know that the letter does not say: overrides, flags."""
    entries = []
    for o in a.overrides:
        state = "applied" if o.applied else f"lapsed on {o.until}"
        entries.append(
            f"Override of {doc.esc(o.target)} ({state}): {doc.esc(o.value)} instead of the "
            f"engine's {doc.esc(o.engine)}, by {doc.esc(o.by)} on {o.date}: {doc.esc(o.reason)}"
        )
    for part in a.parts:
        entries += [f"Part {doc.esc(part.id)}: {doc.esc(flag)}" for flag in part.flags]
        if part.grade is None:
            entries.append(f"Part {doc.esc(part.id)} is not graded: {doc.esc(part.reason)}")
    if entries:
        what = "letter" if style == "committee" else "outline"
        doc.heading(2, f"Notes for the drafter (not part of the {what})")
        for entry in entries:
            doc.bullet(entry)
        doc.end_list()


# -- the committee letter -----------------------------------------------------------


def _committee(doc: _Doc, a: Assessment, rubric: Rubric, grades: dict[str, Grade] | None) -> None:
    committee = _committee_name(doc, rubric)
    symbol, state = doc.esc(a.symbol), doc.esc(a.state_party)
    doc.heading(1, f"Follow-up to the concluding observations {symbol}: {state}")
    doc.address([committee, "Rapporteur for follow-up to concluding observations"])
    doc.address(
        [
            f"To: the Permanent Mission of {state} to the United Nations Office at Geneva",
            f"Assessment as of {_date(a.as_of)}; date of the letter: {doc.esc('[to be set]')}",
        ]
    )
    doc.para("Excellency,")
    session = f" at its {_ordinal(rubric.session)} session" if rubric.session is not None else ""
    doc.para(
        f"In my capacity as Rapporteur for follow-up to concluding observations of the "
        f"{committee}, I refer to the concluding observations on {state} ({symbol}), "
        f"which the Committee adopted{session} on {_date(rubric.adopted)}."
    )
    doc.para(_follow_up_request(rubric, a))
    doc.para(_reply_sentence(a))
    others = _other_sources(a)
    if others:
        doc.para(
            f"In its assessment the Committee also took into account information from "
            f"{_and(others)}. Its assessment of each recommendation, part by part, follows."
        )
    else:
        doc.para("The Committee's assessment of each recommendation, part by part, follows.")
    asked = False
    for rec in a.recommendations:
        doc.heading(2, f"Paragraph {rec.paragraph}: {doc.esc(rec.title)}")
        if not any(_part_text(rubric, p.id) for p in rec.parts):
            words = _recommendation_text(rubric, rec.id)
            if words:
                doc.quote(doc.esc(words))
        if len(rec.parts) > 1 and rec.grade is not None:
            doc.para(
                f"Paragraph {rec.paragraph} as a whole: {_grade_phrase(doc, rec.grade, grades)}; "
                f"{doc.esc(rec.rollup)}."
            )
        for part in rec.parts:
            asked |= _committee_part(doc, rubric, rec, part, grades)
    doc.heading(2, "Conclusion")
    if asked:
        doc.para(
            "The Committee looks forward to receiving the information requested above, at the "
            "latest in the State party's next periodic report, and to continuing its "
            "constructive dialogue with the State party."
        )
    else:
        doc.para(
            "The Committee looks forward to continuing its constructive dialogue with the "
            "State party."
        )
    doc.para("Please accept, Excellency, the assurances of my highest consideration.")
    doc.address(
        [doc.esc("[Name]"), "Rapporteur for follow-up to concluding observations", committee]
    )


def _follow_up_request(rubric: Rubric, a: Assessment) -> str:
    fu = rubric.follow_up
    where = f"In paragraph {fu.paragraph} of" if fu.paragraph is not None else "In"
    paragraphs = _and([str(n) for n in fu.recommendations])
    noun = "paragraph" if len(fu.recommendations) == 1 else "paragraphs"
    within = f", within {count(fu.within_months, 'month')}" if fu.within_months else ""
    due = f" (by {_date(a.due)})" if a.due is not None else ""
    return (
        f"{where} those concluding observations, the Committee requested the State party to "
        f"provide{within}{due}, information on its response to the recommendations in "
        f"{noun} {paragraphs}."
    )


def _reply_sentence(a: Assessment) -> str:
    reminders = _and([_date(d) for d in a.reminders])
    if a.reply_received and a.reply_date is not None:
        late = ""
        if a.due is not None and a.reply_date > a.due:
            late = f" The information was due on {_date(a.due)}."
        return (
            f"I acknowledge with appreciation the follow-up information of the State party, "
            f"received on {_date(a.reply_date)}.{late}"
        )
    due = f" (due on {_date(a.due)})" if a.due is not None else ""
    if a.status is Status.PENDING:
        return (
            f"As of {_date(a.as_of)}, no follow-up information has been received{due}; it is "
            "not yet due, and nothing has been graded."
        )
    noun = "reminder" if len(a.reminders) == 1 else "reminders"
    sent = f", despite the {noun} sent on {reminders}" if reminders else ""
    return (
        f"I regret to note that, as of {_date(a.as_of)}, the Committee had not received the "
        f"follow-up information requested{due}{sent}."
    )


def _other_sources(a: Assessment) -> list[str]:
    kinds = {
        u.source_kind for u in a.items if u.source_kind.independent and u.use is not Use.IGNORED
    }
    return [words for kind, words in _SOURCES.items() if kind in kinds]


def _committee_part(
    doc: _Doc,
    rubric: Rubric,
    rec: RecommendationResult,
    part: PartResult,
    grades: dict[str, Grade] | None,
) -> bool:
    """Write one part's assessment; whether it asks for information."""
    doc.heading(3, _part_heading(doc, rubric, rec, part))
    text = _part_text(rubric, part.id)
    if text:
        doc.quote(doc.esc(text))
    if part.grade is None:
        doc.para(f"Assessment: not graded ({doc.esc(part.reason)}).")
    else:
        quality = ""
        if part.information_quality is not None:
            shown = doc.esc(part.information_quality.replace("_", " "))
            quality = f" Quality of the information: {shown}."
        doc.para(f"Assessment: {_grade_phrase(doc, part.grade, grades)}.{quality}")
    steps = [c for c in part.criteria if c.finding in _STEPS]
    if steps:
        doc.para("The Committee takes note of the information provided on the following:")
        for c in steps:
            doc.bullet(f"{doc.esc(_statement(rubric, c.id))} — {_FINDINGS[c.finding]}")
        doc.end_list()
    short = [c for c in part.criteria if c.finding not in _STEPS and c.finding not in MISSING]
    if short:
        doc.para("The Committee notes that the information received does not show the following:")
        for c in short:
            doc.bullet(f"{doc.esc(_statement(rubric, c.id))} — {_FINDINGS[c.finding]}")
        doc.end_list()
    disputed = [c for c in part.criteria if c.disputed]
    if disputed:
        doc.para(
            "The Committee notes that information from other sources differs from the State "
            "party's on the following:"
        )
        for c in disputed:
            state = _FINDINGS[c.state_finding] if c.state_finding else "no information"
            other = _FINDINGS[c.independent_finding] if c.independent_finding else "no information"
            doc.bullet(
                f"{doc.esc(_statement(rubric, c.id))} — the State party reports: {state}; "
                f"other sources: {other}"
            )
        doc.end_list()
    if _asks_nothing(part, grades):
        doc.para("The Committee requests no further information on this part.")
        return False
    asked, further = requests(part, rubric), updates(part, rubric)
    for lead, sentences in (
        ("The Committee requests the following information:", asked),
        ("The Committee would also appreciate updated information on the following:", further),
    ):
        if sentences:
            doc.para(lead)
            for sentence in sentences:
                doc.bullet(doc.esc(sentence))
            doc.end_list()
    return bool(asked or further)


# -- the NGO outline ----------------------------------------------------------------


def _ngo(doc: _Doc, a: Assessment, rubric: Rubric, grades: dict[str, Grade] | None) -> None:
    symbol, state = doc.esc(a.symbol), doc.esc(a.state_party)
    doc.heading(1, f"Alternative follow-up report on {symbol}: {state} (outline)")
    reply = (
        f"the State party's reply received on {_date(a.reply_date)}"
        if a.reply_received and a.reply_date is not None
        else "no reply received from the State party"
    )
    reminders = _and([_date(d) for d in a.reminders])
    sent = f"; {count(len(a.reminders), 'reminder')} sent on {reminders}" if reminders else ""
    due = f"; information due on {_date(a.due)}" if a.due is not None else ""
    doc.para(
        f"Follow-up to the concluding observations {symbol} ({doc.esc(a.cycle)}): as of "
        f"{_date(a.as_of)}{due}; {reply}{sent}."
    )
    doc.para(
        "For each recommendation and part: what the State party reports, against what "
        "independent sources document, with each source's passage and full citation; the "
        "conflicts between them; and the grade the evidence supports on scale "
        f"{doc.esc(a.record.scale)} v{a.record.scale_version} under the "
        f"{doc.esc(a.record.policy)} conflict policy, with the rule that decided it."
    )
    part_of = {c.id: p.id for p in a.parts for c in p.criteria}
    for rec in a.recommendations:
        doc.heading(2, f"Paragraph {rec.paragraph}: {doc.esc(rec.title)}")
        if rec.grade is not None:
            doc.para(
                f"Grade the evidence supports for the paragraph: "
                f"{_grade_phrase(doc, rec.grade, grades)}; {doc.esc(rec.rollup)}."
            )
        for part in rec.parts:
            uses = [u for u in a.items if part_of.get(u.criterion) == part.id]
            _ngo_part(doc, rubric, rec, part, uses, grades)
    ignored = [u for u in a.items if u.use is Use.IGNORED or u.criterion not in part_of]
    if ignored:
        doc.heading(2, "Evidence not considered")
        for u in ignored:
            why = doc.esc(u.reason) if u.reason else "its criterion is not in the rubric"
            doc.bullet(f"{doc.esc(u.item)} on {doc.esc(u.criterion)}: {why}")
            doc.bullet(f"Source: {doc.esc(u.citation)}", 1)
        doc.end_list()


def _ngo_part(
    doc: _Doc,
    rubric: Rubric,
    rec: RecommendationResult,
    part: PartResult,
    uses: list[ItemUse],
    grades: dict[str, Grade] | None,
) -> None:
    doc.heading(3, _part_heading(doc, rubric, rec, part))
    if part.grade is None:
        doc.para(f"Not graded: {doc.esc(part.reason)}.")
    else:
        doc.para(
            f"Grade the evidence supports: {_grade_phrase(doc, part.grade, grades)} — rule "
            f"{doc.esc(part.rule)}: {doc.esc(part.reason)}."
        )
    if part.override is not None and part.override.applied:
        o = part.override
        doc.para(
            f"The grade is an analyst's override of the engine's {doc.esc(o.engine)}, by "
            f"{doc.esc(o.by)} on {o.date}: {doc.esc(o.reason)}"
        )
    considered = [u for u in uses if u.use is not Use.IGNORED]
    for title, own, empty in (
        (
            "What the State party reports",
            True,
            "The evidence holds nothing from the State party on this part.",
        ),
        (
            "What independent sources document",
            False,
            "No independent source in the evidence addresses this part.",
        ),
    ):
        doc.heading(4, title)
        chosen = [u for u in considered if (u.source_kind is SourceKind.STATE_PARTY) == own]
        if not chosen:
            doc.para(empty)
            continue
        for group in _by_item(chosen):
            first = group[0]
            on = "; ".join(
                f"{doc.esc(u.criterion)}: {_FINDINGS[u.effective]}, {u.use.value}"
                + (f" ({doc.esc(u.reason)})" if u.reason else "")
                for u in group
            )
            doc.bullet(f"{doc.esc(first.item)} ({first.source_kind.value}) — {on}")
            doc.bullet(f"Passage: {doc.esc(first.passage)}", 1)
            doc.bullet(f"Source: {doc.esc(first.citation)}", 1)
        doc.end_list()
    if part.conflicts:
        doc.heading(4, "Conflicts")
        for conflict in part.conflicts:
            mark = "disputed" if conflict.disputed else "sources differ"
            statement = doc.esc(_statement(rubric, conflict.criterion))
            state = doc.esc("; ".join(conflict.state) or "none")
            independent = doc.esc("; ".join(conflict.independent) or "none")
            doc.bullet(
                f"{statement} ({doc.esc(conflict.criterion)}), {mark}: State party [{state}] "
                f"against independent sources [{independent}]; counted: "
                f"{_FINDINGS[conflict.counted]}"
            )
        doc.end_list()
    if not _asks_nothing(part, grades):
        asked = requests(part, rubric) + updates(part, rubric)
        if asked:
            doc.heading(4, "Information still needed")
            for sentence in asked:
                doc.bullet(doc.esc(sentence))
            doc.end_list()


def _by_item(uses: list[ItemUse]) -> list[list[ItemUse]]:
    """*uses* grouped by evidence item (file and id), in the order they first occur."""
    groups: dict[tuple[str, str], list[ItemUse]] = {}
    for u in uses:
        groups.setdefault((u.file, u.item), []).append(u)
    return list(groups.values())


__all__ = ["DRAFT", "MISSING", "TEXT_WIDTH", "draft_letter", "requests", "updates"]
