"""The draft letter: the Committee's follow-up letter and the NGO outline, in both formats."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import (
    Assessment,
    Finding,
    Rubric,
    Settings,
    assess,
    load_evidence,
    load_rubric,
    load_scale,
    render,
)
from cat_rubric._letter import DRAFT, MISSING, TEXT_WIDTH, draft_letter
from cat_rubric._text import markdown, one_line
from cat_rubric.evidence import Item, Source
from cat_rubric.exceptions import AssessmentError
from cat_rubric.model import SourceKind
from cat_rubric.result import PartResult, Use
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import NGO, NO_REPLY, ROOT, STATE, ExampleFiles, Run, as_real
from tests.test_grading_laws import settings_strategy
from tests.test_hostile import (
    HOSTILE,
    SCALES,
    _hostile_evidence,
    _hostile_rubric,
    _hostile_scale,
    _inert,
    _markdown_escaped,
    _scale_evidence,
)

Format = Literal["markdown", "text"]
Style = Literal["committee", "ngo"]
FORMATS: tuple[Format, ...] = ("markdown", "text")
STYLES: tuple[Style, ...] = ("committee", "ngo")
REQUEST = re.compile(r"REQ\d{3}Z")
ASKED = "The Committee requests the following information:"
#: The headings the drafts write: no other line may start with "#".
HEADING = re.compile(
    r"#{1,4} (Follow-up|Alternative|Paragraph|Conclusion|Notes|Evidence|What|Conflicts|Information)"
)
UPDATES = "The Committee would also appreciate updated information on the following:"
_TEXT = st.sampled_from(["x", "Қазақстан"])


def _flat(text: str) -> str:
    return " ".join(text.split())


def _shown(text: str, fmt: Format) -> str:
    """*text* as the letter shows it in *fmt*."""
    return markdown(text) if fmt == "markdown" else one_line(text)


def _part_sections(letter: str, fmt: Format) -> list[str]:
    """The text under each part's heading, in order, up to the next heading of its level.

    Markdown: ``### `` headings; text: headings underlined with ``~`` (``-`` and ``=``
    underline the higher levels, which end a part's section too).
    """
    lines = letter.splitlines()
    starts: list[int] = []
    ends: list[int] = []
    if fmt == "markdown":
        for i, line in enumerate(lines):
            if re.match(r"#{1,3} ", line):
                (starts if line.startswith("### ") else ends).append(i)
    else:
        for i, line in enumerate(lines):
            if line and set(line) <= set("=-~") and len(set(line)) == 1 and lines[i - 1]:
                top = i
                while top > 0 and lines[top - 1]:
                    top -= 1
                (starts if line[0] == "~" else ends).append(top)
    bounds = sorted([(s, True) for s in starts] + [(e, False) for e in ends])
    sections = []
    for k, (start, is_part) in enumerate(bounds):
        if is_part:
            stop = bounds[k + 1][0] if k + 1 < len(bounds) else len(lines)
            sections.append("\n".join(lines[start:stop]))
    return sections


def _block(section: str, lead: str) -> str:
    """The part of *section* after *lead*, up to the next lead sentence (flattened)."""
    flat = _flat(section)
    if lead not in flat:
        return ""
    after = flat.split(lead, 1)[1]
    for other in (ASKED, UPDATES, "Notes for the drafter"):
        after = after.split(other, 1)[0]
    return after


def _marker(sentence: str) -> str:
    found = REQUEST.search(sentence)
    assert found is not None
    return found.group()


def _graded_a(a: Assessment, part: PartResult) -> bool:
    if part.grade is None:
        return False
    return load_scale(a.record.scale).grade(part.grade).ccpr_2016 == "A"


def _item(item_id: str, criteria: list[str], finding: Finding, kind: SourceKind) -> Item:
    source = Source(kind=kind, title="x")
    return Item(id=item_id, criteria=tuple(criteria), finding=finding, source=source, summary="x")


@st.composite
def marked_cases(draw: st.DrawFn) -> tuple[Rubric, Assessment]:
    """Generated rubrics whose request sentences, statements, citations and passages are
    unique markers, graded on generated evidence with generated settings."""
    base = draw(rubrics(max_recommendations=2, max_parts=2, max_criteria=3, text=_TEXT))
    k = 0
    recs = []
    for rec in base.recommendations:
        parts = []
        for part in rec.parts:
            criteria = []
            for c in part.criteria:
                criteria.append(
                    attrs.evolve(c, request=f"Please say REQ{k:03d}Z.", statement=f"STM{k:03d}Z")
                )
                k += 1
            parts.append(attrs.evolve(part, criteria=tuple(criteria)))
        recs.append(attrs.evolve(rec, parts=tuple(parts)))
    rubric = attrs.evolve(base, recommendations=tuple(recs))
    reply = draw(st.sampled_from([True, True, None]))
    evidence = draw(evidence_files(rubric, max_items=6, reply=reply, text=_TEXT))
    # The State reports one part fully implemented, and an NGO may dispute one of its
    # criteria: A grades, and disputes, are otherwise rare in random evidence.
    part = draw(st.sampled_from([p for _, p in rubric.iter_parts()]))
    extra = [
        _item("sx", [c.id for c in part.criteria], Finding.IMPLEMENTED, SourceKind.STATE_PARTY)
    ]
    if draw(st.booleans()):
        optional = [c for c in part.criteria if not c.essential]
        disputed = draw(st.sampled_from(optional or part.criteria))
        lower = draw(st.sampled_from([Finding.NOT_IMPLEMENTED, Finding.PARTIALLY_IMPLEMENTED]))
        extra.append(_item("nx", [disputed.id], lower, SourceKind.NGO))
    items = tuple(
        attrs.evolve(
            item,
            source=attrs.evolve(
                item.source, title=f"CITE{n:03d}Z", date=item.source.date or evidence.as_of
            ),
            summary=f"PASS{n:03d}Z",
        )
        for n, item in enumerate([*evidence.items, *extra])
    )
    evidence = attrs.evolve(evidence, items=items)
    settings: Settings = draw(settings_strategy)
    scale = draw(st.sampled_from(["cat-2015", "ccpr-2016", "ccpr-2013"]))
    return rubric, assess(rubric, evidence, scale=scale, settings=settings)


class TestRequests:
    @given(case=marked_cases(), fmt=st.sampled_from(FORMATS))
    def test_requests_under_their_part(self, case: tuple[Rubric, Assessment], fmt: Format) -> None:
        """Every missing or disputed criterion's request is asked under its paragraph and part,
        every other criterion not implemented asks for an update, and an A asks for nothing."""
        rubric, a = case
        letter = draft_letter(a, rubric, style="committee", format=fmt)
        sections = _part_sections(letter, fmt)
        assert len(sections) == len(a.parts)
        index = 0
        for rec in a.recommendations:
            for part in rec.parts:
                section = sections[index]
                index += 1
                assert f"Paragraph {rec.paragraph}" in section.splitlines()[0]
                markers = {c.id: _marker(rubric.criterion(c.id).request) for c in part.criteria}
                found = set(REQUEST.findall(section))
                if _graded_a(a, part):
                    assert found == set(), part.id
                    assert "requests no further information" in _flat(section)
                    continue
                missing = {
                    markers[c.id] for c in part.criteria if c.finding in MISSING or c.disputed
                }
                other = {
                    markers[c.id] for c in part.criteria if c.finding is not Finding.IMPLEMENTED
                } - missing
                assert set(REQUEST.findall(_block(section, ASKED))) == missing, part.id
                assert set(REQUEST.findall(_block(section, UPDATES))) == other, part.id
                assert found == missing | other

    @given(case=marked_cases())
    def test_the_ngo_outline_cites_every_item_used(self, case: tuple[Rubric, Assessment]) -> None:
        """Every counted and outweighed item is cited, with its passage, under its part;
        every ignored one under "Evidence not considered"."""
        rubric, a = case
        outline = draft_letter(a, rubric, style="ngo", format="markdown")
        sections = _part_sections(outline, "markdown")
        assert len(sections) == len(a.parts)
        of_part = {c.id: i for i, p in enumerate(a.parts) for c in p.criteria}
        tail = outline.split("## Evidence not considered", 1)
        for use in a.items:
            if use.use is Use.IGNORED or use.criterion not in of_part:
                assert len(tail) == 2
                assert markdown(use.citation) in tail[1]
                continue
            section = sections[of_part[use.criterion]]
            assert f"Source: {markdown(use.citation)}" in section, use.item
            assert f"Passage: {markdown(use.passage)}" in section, use.item
            assert markdown(use.criterion) in section

    @given(case=marked_cases(), style=st.sampled_from(STYLES))
    def test_text_lines_fit(self, case: tuple[Rubric, Assessment], style: Style) -> None:
        """Plain text is wrapped to 78 columns; only a single word may run past."""
        rubric, a = case
        letter = draft_letter(a, rubric, style=style, format="text")
        for line in letter.splitlines():
            assert len(line) <= TEXT_WIDTH or " " not in line.lstrip(" -"), line


class TestExample:
    def test_committee_letter(self, example: Assessment, kaz: Rubric) -> None:
        """The bundled example: the documents referred to, the reply, grades, requests."""
        letter = render.letter(example, kaz)
        flat = _flat(letter)
        assert letter.startswith(f"**{DRAFT}.**")
        for fact in (
            "concluding observations on Kazakhstan (CAT/C/KAZ/CO/2)",
            "at its 41st session on 18 November 2008",
            "In paragraph 36 of those concluding observations",
            "within 12 months (by 18 November 2009)",
            "paragraphs 7, 9, 18 and 29",
            "received on 15 February 2010",
            "information from non-governmental organizations",
            "Please accept, Excellency",
        ):
            assert fact in flat, fact
        sections = dict(
            zip((p.id for p in example.parts), _part_sections(letter, "markdown"), strict=True)
        )
        assert "requests no further information" in sections["7a"]
        lawyer = kaz.criterion("kaz-9-lawyer-from-apprehension")
        assert markdown(lawyer.request) in _block(sections["9b"], ASKED)
        assert markdown(lawyer.request) not in sections["9a"]
        assert (
            "the State party reports: implemented; other sources: partially implemented"
            in sections["9b"]
        )
        # cat-2015's labels are the project's paraphrase: never in quotation marks.
        assert "**B** (Partially implemented)" in sections["9b"]
        assert "“Partially implemented”" not in letter
        assert "paraphrase" in letter.split("# Follow-up", 1)[0]
        assert "illustrative" in letter.split("# Follow-up", 1)[0]
        # The override is the drafter's to know, with who, when and why.
        notes = letter.split("## Notes for the drafter", 1)[1]
        assert "Override of part 29d (applied): C instead of the engine's B" in notes

    def test_verified_labels_are_quoted(self, kaz: Rubric, example_files: ExampleFiles) -> None:
        files = example_files
        letter = render.letter(assess(kaz, files, scale="ccpr-2016"), kaz)
        assert "(“Reply/action partially satisfactory”)" in letter
        assert "are the wording of scale ccpr-2016 v1" in letter
        mixed = render.letter(assess(kaz, files[:1], scale="ccpr-2013"), kaz)
        assert "labels in quotation marks are its verified wording" in mixed
        assert "(“Substantive action taken”)" in mixed  # B1, verified
        assert "(Response received, actions do not implement)" in mixed  # C1, unverified
        assert "“Response received, actions do not implement”" not in mixed

    def test_no_reply(self, kaz: Rubric) -> None:
        """No reply: its absence and the reminder are stated, and the information requested."""
        a = assess(kaz, load_evidence(NO_REPLY, rubric=kaz))
        letter = draft_letter(a, kaz, format="text")
        flat = _flat(letter)
        assert (
            "had not received the follow-up information requested (due on 18 November 2009)" in flat
        )
        assert "despite the reminder sent on 1 March 2010" in flat
        assert "I acknowledge" not in flat
        assert "(No reply / no cooperation)" in flat
        request = one_line(kaz.criterion("kaz-7b-sexual-violence-complaints-mechanism").request)
        assert request in flat

    def test_ngo_outline(self, example: Assessment, kaz: Rubric) -> None:
        outline = render.letter(example, kaz, style="ngo")
        sections = dict(
            zip((p.id for p in example.parts), _part_sections(outline, "markdown"), strict=True)
        )
        nine_b = sections["9b"]
        state, independent = nine_b.split("#### What independent sources document")
        assert "s-9b-safeguards (state_party)" in state
        assert "n-9b-lawyer-first-hours (ngo)" in independent
        assert "kaz-9-lawyer-from-apprehension: implemented, outweighed" in state
        assert "#### Conflicts" in independent
        assert "rule substantive-steps" in nine_b
        assert "The grade is an analyst's override of the engine's B" in sections["29d"]

    def test_a_rubric_of_its_own_is_refused(self, example: Assessment, kaz: Rubric) -> None:
        with pytest.raises(AssessmentError, match="pass the rubric it was made from"):
            render.letter(example, attrs.evolve(kaz, id="another"))

    @pytest.mark.parametrize(("style", "fmt"), [("letter", "markdown"), ("ngo", "html")])
    def test_bad_style_or_format(
        self, example: Assessment, kaz: Rubric, style: str, fmt: str
    ) -> None:
        with pytest.raises(ValueError, match="must be"):
            draft_letter(example, kaz, style=style, format=fmt)  # type: ignore[arg-type]


class TestDraft:
    @pytest.mark.parametrize("style", STYLES)
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_marked_as_a_draft(
        self, example: Assessment, kaz: Rubric, style: Style, fmt: Format
    ) -> None:
        """Both styles and formats: the first line says DRAFT; illustrative evidence is noted."""
        letter = draft_letter(example, kaz, style=style, format=fmt)
        assert DRAFT in letter.splitlines()[0]
        head = letter[: letter.index("Paragraph 7")]
        assert "evidence behind this draft is illustrative" in _flat(head)

    def test_no_illustrative_note_for_real_evidence(
        self, kaz: Rubric, example_files: ExampleFiles
    ) -> None:
        letter = draft_letter(assess(kaz, as_real(example_files[0])), kaz)
        assert DRAFT in letter.splitlines()[0]
        assert "illustrative (invented" not in letter

    @pytest.mark.parametrize("style", STYLES)
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_deterministic(
        self, kaz: Rubric, example_files: ExampleFiles, style: Style, fmt: Format
    ) -> None:
        """The same inputs in any order give the same bytes."""
        files = example_files
        one = draft_letter(assess(kaz, files), kaz, style=style, format=fmt)
        other = draft_letter(assess(kaz, files[::-1]), kaz, style=style, format=fmt)
        assert one == other

    def test_deterministic_across_hash_seeds(self) -> None:
        outs = set()
        for seed in ("0", "1234"):
            env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
            outs.add(
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "cat_rubric",
                        "letter",
                        "cat-kaz-co-2",
                        STATE,
                        NGO,
                        "--style",
                        "ngo",
                    ],
                    capture_output=True,
                    env=env,
                    check=True,
                    timeout=120,
                ).stdout
            )
        assert len(outs) == 1


class TestHostile:
    @pytest.mark.parametrize("index", range(len(HOSTILE)))
    @pytest.mark.parametrize("style", STYLES)
    def test_inert_in_both_formats(self, index: int, style: Style) -> None:
        text = HOSTILE[index]
        rubric = _hostile_rubric(text)
        a = assess(rubric, _hostile_evidence(rubric, text))
        md = draft_letter(a, rubric, style=style, format="markdown")
        _markdown_escaped(md)
        for line in md.splitlines():
            if line.startswith("#"):
                assert HEADING.match(line), line
        assert "\n- list" not in md
        assert "\n> quote" not in md
        plain = draft_letter(a, rubric, style=style, format="text")
        _inert(plain)
        assert "\n# heading" not in plain
        assert DRAFT in plain.splitlines()[0]

    def test_a_scale_built_in_python_shows_letters_only(self) -> None:
        """An in-memory scale cannot be loaded again: its letters are shown, escaped, no labels."""
        user = _hostile_scale("<img src=x onerror=alert(1)>")
        rubric = load_rubric("cat-kaz-co-2")
        a = assess(rubric, _scale_evidence(user), scale=user)
        md = render.letter(a, rubric)
        _markdown_escaped(md)
        assert "could not be loaded again unchanged" in md
        assert "**&lt;img src=x onerror=alert(1)&gt;B**" in md

    def test_a_scale_file_gives_its_labels_escaped(self, tmp_path: Path) -> None:
        """A scale file is read again for its labels (escaped); once changed, it is not used."""
        data = yaml.safe_load((SCALES / "cat-2015.yaml").read_text(encoding="utf-8"))
        for grade in data["grades"]:
            grade["label"] = f"*{grade['label']}* <b>|</b>"
        path = tmp_path / "scale.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        rubric = load_rubric("cat-kaz-co-2")
        a = assess(rubric, [load_evidence(STATE, rubric=rubric)], scale=load_scale(str(path)))
        md = render.letter(a, rubric)
        _markdown_escaped(md)
        assert "(\\*Partially implemented\\* &lt;b&gt;\\|&lt;/b&gt;)" in md
        path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
        changed = render.letter(a, rubric)
        assert "could not be loaded again unchanged" in changed
        assert "Partially implemented" not in changed


class TestCommandLine:
    def test_to_standard_output(self, run: Run) -> None:
        status, out, err = run("letter", "cat-kaz-co-2", STATE, NGO)
        assert status == 0
        assert err == ""
        assert out.startswith(f"**{DRAFT}.**")
        assert "### Paragraph 9 component 2:" in out

    def test_to_a_file(self, run: Run, tmp_path: Path) -> None:
        target = tmp_path / "letter.txt"
        args = ("letter", "cat-kaz-co-2", STATE, NGO, "--style", "ngo", "--format", "text")
        status, out, err = run(*args, "-o", str(target))
        assert status == 0
        assert out == ""
        assert "wrote" in err
        written = target.read_text(encoding="utf-8")
        assert written.startswith(DRAFT)
        assert run(*args)[1] == written

    def test_the_readme_excerpt_is_real(self, run: Run, tmp_path: Path) -> None:
        """The README's command writes the letter its excerpt is taken from, word for word."""
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        section = readme.split("## The letter to the State, and an NGO's outline", 1)[1]
        command = section.split("```sh\n", 1)[1].split("\n```", 1)[0]
        excerpt = section.split("```text\n", 1)[1].split("```", 1)[0]
        args = command.split()[1:]
        assert args[0] == "letter"
        assert args[-2:] == ["-o", "letter.txt"]
        target = tmp_path / "letter.txt"
        with contextlib.chdir(ROOT):
            assert run(*args[:-1], str(target))[0] == 0
        assert excerpt in target.read_text(encoding="utf-8")
        assert "Please provide information on the measures taken to guarantee access" in excerpt

    def test_bad_style_is_a_usage_error(self, run: Run) -> None:
        status, out, err = run("letter", "cat-kaz-co-2", STATE, "--style", "minister")
        assert status == 2
        assert out == ""
        assert "invalid choice" in err
