"""Untrusted text stays text: hostile strings from rubrics and evidence pass through every
output format inert, and the JSON keeps them exactly."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import (
    Assessment,
    EvidenceFile,
    Finding,
    LoadError,
    Rubric,
    Scale,
    _text,
    assess,
    load_evidence,
    load_rubric,
    load_scale,
    parse_evidence,
    parse_rubric,
    parse_scale,
)
from cat_rubric._load import Parser
from cat_rubric._render import (
    assessment_markdown,
    assessment_table,
    explain_text,
    rubric_markdown,
    rubric_table,
    scale_table,
)
from cat_rubric._template import evidence_template
from cat_rubric._text import display_name, inert, inert_line, json_dumps, markdown, one_line
from cat_rubric.evidence import Item, Override, Reply, Source
from cat_rubric.exceptions import KeyPath, Problem
from cat_rubric.grading import Rules
from cat_rubric.limits import HAVE_LIBYAML
from cat_rubric.model import SourceKind
from tests.conftest import BUNDLED, DATA, EXAMPLES, ROOT

SCALES = ROOT / "src" / "cat_rubric" / "scales"
#: Every code point, lone surrogates included.
ANY_CHAR = st.characters(exclude_categories=())
#: Characters none of the escaping functions touch.
SAFE_CHAR = st.characters(
    exclude_categories=("Cc", "Cs", "Zl", "Zp"),
    exclude_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
WHITESPACE_HEAVY = st.sampled_from(" \t\n\r\x0b\x1c\x85\xa0\u2028\u3000ab\x1b\u202e.")

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
    "\x1b]0;pwned\x07\x1b[2J OSC title and clear screen",
    "C1: next line\x85 and CSI\x9b31m and DEL\x7f",
    "zero\u200bwidth\u200djoiner\ufeff and line\u2029paragraph",
    "<img src=x onerror=alert(1)> `tick` ``double`` [x](javascript:alert(1)) ](javascript:x)",
]
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
SURROGATE = re.compile("[\ud800-\udfff]")
RAW_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
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


def _markdown_escaped(output: str) -> None:
    _inert(output)
    assert "<script" not in output
    assert "<img" not in output
    assert "](" not in output.replace("\\](", "")
    for block in re.findall(r"((?:^\|.*\n)+)", output, re.MULTILINE):
        rows = block.splitlines()
        pipes = {len(UNESCAPED_PIPE.findall(row)) for row in rows}
        assert len(pipes) == 1, "a table row was broken by a cell's text"


def _json_clean(output: str) -> None:
    """JSON text holds no raw DEL/C1, bidi control, U+2028/U+2029 or lone surrogate."""
    output.encode("utf-8")  # strict
    assert not RAW_IN_JSON.search(output), "raw invisible or unencodable character in JSON"


def _inert(output: str) -> None:
    assert not CONTROL.search(output.replace("\n", "")), "raw control character in output"
    assert not BIDI.search(output), "raw bidirectional control in output"
    assert not SURROGATE.search(output), "lone surrogate in output"
    output.encode("utf-8")  # strict: every output can be written as UTF-8


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
            _markdown_escaped(output)

    def test_json_keeps_the_text_exactly(self, case: tuple[str, Rubric, Assessment]) -> None:
        """The JSON output is valid, reads back equal, and holds the hostile text unchanged."""
        text, _, result = case
        output = result.to_json()
        data = json.loads(output)
        assert Assessment.from_json(output) == result
        _json_clean(output)
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


# -- where untrusted text enters besides rubric and evidence values -------------------

#: Hostile strings YAML can carry (written with escapes in a double-quoted scalar): no
#: lone surrogates, which neither YAML nor UTF-8 can hold.
YAML_HOSTILE = [
    "\x1b]0;pwned\x07\x1b[2J",
    "\x9b31m\x85next\x7f",
    "evil\u202e\u2066x\u2069\u200f",
    "line\nbreak\ttab\u2028sep\r",
    "<img src=x onerror=alert(1)>",
    "| `tick` ](javascript:alert(1))",
    "zero\u200bwidth\ufeff",
]


def _yaml_string(text: str) -> str:
    """*text* as a YAML double-quoted scalar: JSON's escapes are YAML's too."""
    return json.dumps(text)


def _problem_lines_inert(exc: LoadError) -> None:
    for problem in exc.problems:
        shown = str(problem)
        _inert(shown)
        assert "\n" not in shown
        assert "\t" not in shown
        assert "\u2028" not in shown
    rendered = str(exc)
    _inert(rendered)
    assert len(rendered.splitlines()) == 1 + len(exc.problems), "a problem spans two lines"


class TestLoadErrors:
    """Keys, values and tags of files that fail to load reach error messages inert."""

    @pytest.fixture(name="minimal")
    def _minimal(self) -> str:
        return (DATA / "minimal.yaml").read_text(encoding="utf-8")

    @pytest.mark.parametrize("parser", ["c", "python"])
    @pytest.mark.parametrize("text", YAML_HOSTILE)
    def test_rubric_keys_and_values(self, minimal: str, text: str, parser: Parser) -> None:
        if parser == "c" and not HAVE_LIBYAML:
            pytest.skip("libyaml is not installed")
        q = _yaml_string(text)
        docs = [
            f"{q}: 1\n",  # an unknown key at the root: in the path and the message
            minimal + f"{q}: 1\n",
            minimal.replace("id: lawyer-practice", f"{q}: lawyer-practice"),  # nested key
            minimal.replace("id: lawyer-practice", f"id: {q}"),  # bad id
            minimal.replace("session: 50", f"session: {q}"),  # wrong type
            minimal.replace("adopted: 2013-05-31", f"adopted: {q}"),  # not a date
            minimal.replace("indicator: structural", f"indicator: {q}"),  # unknown value
        ]
        for doc in docs:
            with pytest.raises(LoadError) as info:
                parse_rubric(doc, file=f"rubric{text}.yaml", parser=parser)
            _problem_lines_inert(info.value)
            assert all(p.file == f"rubric{text}.yaml" for p in info.value.problems)
        with pytest.raises(LoadError) as info:
            parse_rubric(docs[0], parser=parser)
        # The problem's fields keep the exact data; only its text is made inert.
        assert [p.path for p in info.value.problems if p.code == "unknown-key"] == [
            KeyPath((text,))
        ]

    @pytest.mark.parametrize("parser", ["c", "python"])
    def test_tag_in_message(self, minimal: str, parser: Parser) -> None:
        """A tag's %-escapes decode to control and bidi characters; the message shows them inert."""
        if parser == "c" and not HAVE_LIBYAML:
            pytest.skip("libyaml is not installed")
        doc = minimal.replace("id: test-minimal", "id: !x%1B%5D0%3Bpwned%07%E2%80%AE test-minimal")
        with pytest.raises(LoadError) as info:
            parse_rubric(doc, parser=parser)
        (problem,) = info.value.problems
        assert problem.code == "unsupported-tag"
        assert "\x1b]0;pwned\x07\u202e" in problem.message  # the data, exactly
        _problem_lines_inert(info.value)
        assert "\\u001b]0;pwned\\u0007\\u202e" in str(problem)

    @pytest.mark.parametrize("text", YAML_HOSTILE)
    def test_evidence_keys_and_values(self, text: str) -> None:
        rubric = load_rubric(BUNDLED)
        good = (EXAMPLES / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
        q = _yaml_string(text)
        docs = [
            good.replace("cycle:", f"{q}: 1\ncycle:", 1),
            good.replace("finding: implemented", f"finding: {q}", 1),
            good.replace("rubric: cat-kaz-co-2", f"rubric: {q}", 1),
            good.replace("as_of: 2010-06-30", f"as_of: {q}", 1),
            good.replace("  - id: s-7a-condemnation", f"  - id: s-7a-condemnation\n    {q}: x", 1),
        ]
        for doc in docs:
            with pytest.raises(LoadError) as info:
                parse_evidence(doc, rubric=rubric, file=f"evidence{text}.yaml")
            _problem_lines_inert(info.value)

    @given(file=st.text(ANY_CHAR), path=st.text(ANY_CHAR), message=st.text(ANY_CHAR))
    def test_problem_text_is_inert_and_one_line(self, file: str, path: str, message: str) -> None:
        """For every file, path and message, a problem shows as one inert line."""
        problem = Problem(
            file=file, line=3, column=7, path=(path,), code="bad-key", message=message
        )
        shown = str(problem)
        _inert(shown)
        assert "\n" not in shown
        assert "\t" not in shown
        assert str(LoadError((problem,))) == f"1 problem found:\n  {shown}"

    @given(
        file=st.text(SAFE_CHAR, min_size=1),
        path=st.text(SAFE_CHAR),
        message=st.text(SAFE_CHAR),
    )
    def test_plain_problem_text_is_unchanged(self, file: str, path: str, message: str) -> None:
        """Text with nothing to escape is shown as it is, in the documented form."""
        problem = Problem(
            file=file, line=3, column=7, path=(path,), code="bad-key", message=message
        )
        where = f"{path}: " if path else ""
        assert str(problem) == f"{file}:3:7: {where}{message} [bad-key]"


class TestFileNames:
    """File names are shown with undecodable bytes as \\xNN and controls as escapes."""

    @given(st.text(ANY_CHAR))
    def test_display_name_is_inert_and_one_line(self, name: str) -> None:
        shown = display_name(name)
        _inert(shown)
        assert "\n" not in shown
        assert "\t" not in shown

    def test_undecodable_bytes_and_controls(self) -> None:
        name = os.fsdecode(b"r\xff\x1b[2J\xe2\x80\xae\n\t.yaml")
        assert display_name(name) == "r\\xff\\u001b[2J\\u202e\\u000a\\u0009.yaml"
        assert display_name(Path("a\udcfe.yaml")) == "a\\xfe.yaml"
        # A surrogate no undecodable byte gives (a name built in Python) is escaped too.
        assert display_name("a\ud800.yaml") == "a\\ud800.yaml"

    def test_hostile_file_name_in_load_error(self, tmp_path: Path) -> None:
        raw = b"rubric\x1b]0;pwned\x07\xff\xe2\x80\xae\n.yaml"
        path = tmp_path / os.fsdecode(raw)
        path.write_text("id: [\n", encoding="utf-8")
        with pytest.raises(LoadError) as info:
            load_rubric(path)
        _problem_lines_inert(info.value)
        (problem,) = info.value.problems
        # The name is kept as it may be shown: every file name in a model, a problem or
        # an assessment's record is valid, inert text (the caller has the real path).
        assert problem.file == display_name(path)
        assert "rubric\\u001b]0;pwned\\u0007\\xff\\u202e\\u000a.yaml:" in str(problem)


# -- a user's grading scale: letters and labels are untrusted too --------------------

SCALE_HOSTILE = [
    "\x1b]0;pwned\x07\x1b[2J",
    "<img src=x onerror=alert(1)>",
    "|",
    "`",
    "](javascript:alert(1))",
    "\u202e\u2066",
    "\x85\x9b",
    "\u200b\u200d\ufeff",
    "\n\t",
]


def _hostile_scale(text: str) -> Scale:
    """cat-2015 with *text* in every letter, label and the id, built in Python."""
    base = load_scale("cat-2015")
    letters = {g.letter: f"{text}{g.letter}" for g in base.grades}
    grades = tuple(
        attrs.evolve(g, letter=letters[g.letter], label=f"{text} {g.label} {text}")
        for g in base.grades
    )
    rules = Rules(**{k: letters[v] for k, v in attrs.asdict(base.rules).items()})
    return attrs.evolve(
        base, id=f"user{text}", title=text, grades=grades, rules=rules, description=text
    )


def _parsed_scale(text: str) -> Scale:
    """The same scale, loaded from YAML with `parse_scale` (escapes in quoted scalars)."""
    data = yaml.safe_load((SCALES / "cat-2015.yaml").read_text(encoding="utf-8"))
    letters = {g["letter"]: f"{text}{g['letter']}" for g in data["grades"]}
    for g in data["grades"]:
        g["label"] = f"{text} {g['label']}"
        g["letter"] = letters[g["letter"]]
    data["rules"] = {k: letters[v] for k, v in data["rules"].items()}
    return parse_scale(yaml.safe_dump(data, allow_unicode=False), file="user-scale.yaml")


def _scale_evidence(scale: Scale) -> list[EvidenceFile]:
    """The example State reply and NGO report, their override letters on *scale*."""
    rubric = load_rubric(BUNDLED)
    by_ccpr = {g.ccpr_2016: g.letter for g in scale.grades}
    files = []
    for name in ("kaz-2010-state-reply.yaml", "kaz-2010-ngo-report.yaml"):
        evidence = load_evidence(EXAMPLES / name, rubric=rubric)
        overrides = tuple(
            attrs.evolve(o, grade=by_ccpr[o.grade]) if o.grade is not None else o
            for o in evidence.overrides
        )
        files.append(attrs.evolve(evidence, overrides=overrides))
    return files


class TestUserScale:
    """A user's scale letters and labels reach tables, Markdown and JSON escaped."""

    @pytest.fixture(name="scale", params=range(len(SCALE_HOSTILE)), ids=lambda i: f"letter{i}")
    def _scale(self, request: pytest.FixtureRequest) -> tuple[str, Scale]:
        text = SCALE_HOSTILE[request.param]
        return text, _hostile_scale(text)

    def test_scale_table(self, scale: tuple[str, Scale]) -> None:
        text, user = scale
        table = scale_table([user, load_scale("cat-2015")])
        _inert(table)
        assert f"{one_line(text)}A" in table  # shown, escaped, not dropped

    @pytest.mark.parametrize("text", [t for t in SCALE_HOSTILE if "\n" not in t])
    def test_scale_from_yaml(self, text: str) -> None:
        """A scale loaded with parse_scale keeps its letters exactly, and shows them inert."""
        user = _parsed_scale(text)
        assert user.letters[0] == f"{text}A"
        _inert(scale_table([user]))

    def test_assessment_on_a_hostile_scale(self, scale: tuple[str, Scale]) -> None:
        text, user = scale
        rubric = load_rubric(BUNDLED)
        result = assess(rubric, _scale_evidence(user), scale=user)
        assert {p.grade for p in result.parts} <= set(user.letters)
        assert any(o.applied for o in result.overrides)
        for output in (assessment_table(result), explain_text(result)):
            _inert(output)
        md = assessment_markdown(result)
        _markdown_escaped(md)
        assert f"**{markdown(result.recommendations[0].grade or '')}**" in md
        output = result.to_json()
        _json_clean(output)
        assert Assessment.from_json(output) == result
        assert json.loads(output)["recommendations"][0]["parts"][0]["grade"].startswith(text)

    def test_markdown_shows_the_letter_as_text(self) -> None:
        """An HTML letter is written as entities, so a renderer shows it rather than runs it."""
        user = _hostile_scale("<img src=x onerror=alert(1)>")
        result = assess(load_rubric(BUNDLED), _scale_evidence(user), scale=user)
        md = assessment_markdown(result)
        assert "&lt;img src=x onerror=alert(1)&gt;" in md
        assert "<" not in md.replace("<br>", "")


# -- JSON -----------------------------------------------------------------------------


def _no_surrogate_pair(text: str) -> bool:
    """JSON reads a high surrogate escape followed by a low one as one character."""
    return not re.search("[\ud800-\udbff][\udc00-\udfff]", text)


class TestJson:
    @given(st.text(ANY_CHAR).filter(_no_surrogate_pair))
    def test_string_round_trip(self, text: str) -> None:
        """For every string: valid UTF-8, no raw invisible character, read back exactly."""
        output = json_dumps({text: [text]})
        _json_clean(output)
        assert json.loads(output) == {text: [text]}

    @given(st.text(SAFE_CHAR))
    def test_same_bytes_as_json_dumps(self, text: str) -> None:
        """Where nothing needs escaping, the output is json.dumps's, byte for byte."""
        data = {"a": text, "b": [1, 2.5, None, True], "c": {"d": text}}
        assert json_dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)

    def test_default_writes_other_types(self) -> None:
        data = {"when": dt.date(2010, 6, 30), "what": "\u202e"}
        output = json_dumps(data, default=dt.date.isoformat)
        assert json.loads(output) == {"when": "2010-06-30", "what": "\u202e"}
        _json_clean(output)

    def test_what_is_escaped(self) -> None:
        assert json_dumps("\x85\u202e\u2028\u2029\x7f\ud800\udcff\x1b é") == (
            '"\\u0085\\u202e\\u2028\\u2029\\u007f\\ud800\\udcff\\u001b é"'
        )

    def test_a_surrogate_pair_reads_back_as_its_character(self) -> None:
        """JSON's own limit, stated in json_dumps's docstring."""
        assert json.loads(json_dumps("\ud83d\ude00")) == "\U0001f600"

    def test_assessment_with_lone_surrogates(self) -> None:
        """Text a Python caller put in an assessment gives UTF-8 JSON that reads back equal."""
        rubric = load_rubric(BUNDLED)
        result = assess(rubric, _scale_evidence(load_scale("cat-2015")))
        text = "lone \udcff low, \ud800 high, \u202e bidi, \x85 NEL"
        hostile = attrs.evolve(result, cycle=text, symbol=text)
        output = hostile.to_json()
        _json_clean(output)
        assert Assessment.from_json(output) == hostile
        assert json.loads(output)["cycle"] == text
        for rendered in (assessment_table(hostile), explain_text(hostile, "9a")):
            _inert(rendered)
        _markdown_escaped(assessment_markdown(hostile))


# -- laws of the escaping functions --------------------------------------------------


def _one_line_whole(text: str, width: int | None = None) -> str:
    """one_line's definition: clean the whole text, then cut."""
    flat = re.sub(r"\s+", " ", inert(text)).strip()
    if width is not None and len(flat) > width:
        return flat[: width - 1].rstrip() + "…"
    return flat


class TestLaws:
    @given(st.text(ANY_CHAR))
    def test_inert(self, text: str) -> None:
        _inert(inert(text))
        line = inert_line(text)
        _inert(line)
        assert not re.search("[\t\n\u2028\u2029]", line)

    @given(st.text(SAFE_CHAR))
    def test_inert_keeps_safe_text(self, text: str) -> None:
        assert inert(text) == text
        assert inert_line(text) == text

    @given(st.text(ANY_CHAR), st.one_of(st.none(), st.integers(1, 200)))
    def test_markdown(self, text: str, width: int | None) -> None:
        shown = markdown(text, width)
        _inert(shown)
        assert "<" not in shown
        assert ">" not in shown
        assert "\n" not in shown
        assert not UNESCAPED_PIPE.search(shown)

    @given(st.text(WHITESPACE_HEAVY) | st.text(ANY_CHAR), st.integers(1, 60))
    def test_one_line_cuts_as_if_cleaned_whole(self, text: str, width: int) -> None:
        """Cleaning a prefix gives what cleaning the whole text and cutting it gives."""
        assert one_line(text, width) == _one_line_whole(text, width)
        assert one_line(text) == _one_line_whole(text)

    def test_one_line_width_must_be_positive(self) -> None:
        with pytest.raises(ValueError, match="at least 1"):
            one_line("text", 0)

    def test_one_line_cleans_only_a_prefix(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A 400 KB quote cut to 110 characters is cleaned about 110 characters deep."""
        cleaned: list[int] = []
        flat = _text._flat

        def counting(text: str) -> str:
            cleaned.append(len(text))
            return flat(text)

        monkeypatch.setattr(_text, "_flat", counting)
        quote = "“" + "The detainee \x1b[31msaid\x1b[0m that he was beaten. " * 9000 + "”"
        assert len(quote) > 400_000
        assert one_line(quote, 110) == _one_line_whole(quote, 110)
        assert sum(cleaned) <= 4 * 110
        # Whitespace collapsing leaves the prefix short: it grows, still far from the whole.
        cleaned.clear()
        spaced = ("word" + " " * 50) * 9000
        assert one_line(spaced, 110) == _one_line_whole(spaced, 110)
        assert sum(cleaned) < 20_000

    def test_explain_shows_whole_passages_inert(self) -> None:
        """explain never cuts a passage or a citation (issue 11): a 320 KB one is shown whole."""
        rubric = load_rubric(BUNDLED)
        evidence = _hostile_evidence(rubric, "short \u202e text")
        long = "quote \u202e " * 40_000
        source = attrs.evolve(evidence.items[0].source, title=long, locator=long)
        items = (attrs.evolve(evidence.items[0], quote=long, source=source), *evidence.items[1:])
        result = assess(rubric, attrs.evolve(evidence, items=items))
        shown = explain_text(result)
        _inert(shown)
        assert " ".join(shown.split()).count(one_line(long)) == 3  # passage, title, locator
