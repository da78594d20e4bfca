"""Untrusted text stays text: hostile strings from rubrics and evidence pass through every
output format inert, and the JSON keeps them exactly."""

from __future__ import annotations

import datetime as dt
import json
import re

import attrs
import pytest

from cat_rubric import (
    Assessment,
    EvidenceFile,
    Finding,
    Item,
    Override,
    Reply,
    Rubric,
    Source,
    SourceKind,
    assess,
    load_rubric,
    parse_evidence,
)
from cat_rubric._render import (
    assessment_markdown,
    assessment_table,
    explain_text,
    rubric_markdown,
    rubric_table,
)
from cat_rubric._template import evidence_template
from tests.conftest import BUNDLED

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "| broken | table |\n|---|---|",
    "**bold** _em_ `code` [link](javascript:alert(1)) ![img](x) ~~s~~ &amp; &lt;b&gt;",
    "line one\nline two\r\nline three\u2028four",
    "\x1b[31mred\x1b[0m and a bell\x07 and NUL\x00",
    "right-to-left \u202eevil\u202c and isolate \u2066x\u2069 and mark \u200f",
    "x" * 5000,
    "Қазақстан Республикасы — «азаптау»",
    "# heading\n- list\n> quote",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _hostile_rubric(text: str) -> Rubric:
    rubric = load_rubric(BUNDLED)
    recs = []
    for rec in rubric.recommendations:
        parts = []
        for part in rec.parts:
            criteria = tuple(
                attrs.evolve(c, statement=text, guidance=text, request=text) for c in part.criteria
            )
            parts.append(attrs.evolve(part, title=text, text=text, criteria=criteria))
        recs.append(attrs.evolve(rec, title=text, concern=text, parts=tuple(parts)))
    return attrs.evolve(
        rubric,
        title=text,
        state_party=text,
        symbol=text,
        recommendations=tuple(recs),
        origin=None,
    )


def _hostile_evidence(rubric: Rubric, text: str) -> EvidenceFile:
    criteria = [c.id for _, _, c in rubric.iter_criteria()]
    return EvidenceFile(
        rubric=rubric.id,
        cycle=text,
        assessor=text,
        as_of=dt.date(2010, 6, 30),
        reply=Reply(received=True, date=dt.date(2010, 2, 15), title=text),
        items=(
            Item(
                id="s-1",
                criteria=(criteria[0],),
                finding=Finding.IMPLEMENTED,
                source=Source(kind=SourceKind.STATE_PARTY, title=text, locator=text, url=text),
                quote=text,
                summary=text,
            ),
            Item(
                id="n-1",
                criteria=(criteria[0],),
                finding=Finding.NOT_IMPLEMENTED,
                source=Source(kind=SourceKind.NGO, title=text, date=dt.date(2010, 3, 1)),
                summary=text,
            ),
        ),
        overrides=(Override(part="9a", grade="B", by=text, date=dt.date(2010, 6, 1), reason=text),),
    )


@pytest.fixture(name="case", params=range(len(HOSTILE)), ids=lambda i: f"hostile{i}")
def _case(request: pytest.FixtureRequest) -> tuple[str, Rubric, Assessment]:
    text = HOSTILE[request.param]
    rubric = _hostile_rubric(text)
    return text, rubric, assess(rubric, _hostile_evidence(rubric, text))


def _inert(output: str) -> None:
    assert not CONTROL.search(output.replace("\n", "")), "raw control character in output"
    assert not BIDI.search(output), "raw bidirectional control in output"


class TestEveryFormat:
    def test_table(self, case: tuple[str, Rubric, Assessment]) -> None:
        """The terminal table shows hostile text without control or bidi characters."""
        _, rubric, result = case
        for output in (assessment_table(result), rubric_table(rubric), explain_text(result)):
            _inert(output)

    def test_markdown_is_escaped(self, case: tuple[str, Rubric, Assessment]) -> None:
        """Markdown output escapes HTML, emphasis, links and table pipes from the inputs."""
        _, rubric, result = case
        for output in (assessment_markdown(result), rubric_markdown(rubric)):
            _inert(output)
            assert "<script" not in output
            assert "<img" not in output
            assert "](" not in output.replace("\\](", "")
            for block in re.findall(r"((?:^\|.*\n)+)", output, re.MULTILINE):
                rows = block.splitlines()
                pipes = {len(UNESCAPED_PIPE.findall(row)) for row in rows}
                assert len(pipes) == 1, "a table row was broken by a cell's text"

    def test_json_keeps_the_text_exactly(self, case: tuple[str, Rubric, Assessment]) -> None:
        """The JSON output is valid, reads back equal, and holds the hostile text unchanged."""
        text, _, result = case
        output = result.to_json()
        data = json.loads(output)
        assert Assessment.from_json(output) == result
        assert data["cycle"] == text
        assert data["overrides"][0]["reason"] == text
        assert any(use["passage"] in (text.strip(), f"“{text.strip()}”") for use in data["items"])

    def test_template_stays_valid_yaml(self, case: tuple[str, Rubric, Assessment]) -> None:
        """A template for a rubric with hostile text is still a valid evidence file."""
        _, rubric, _ = case
        template = evidence_template(rubric)
        _inert(template)
        evidence = parse_evidence(template, rubric=rubric)
        assert evidence.items == ()
