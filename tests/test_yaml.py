"""Properties of YAML in and out: round trips, corrupted files, arbitrary input, both parsers."""

from __future__ import annotations

import contextlib
import re

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import CatRubricError, LoadError, Problem, Rubric
from cat_rubric._dump import to_yaml
from cat_rubric._load import Parser
from cat_rubric._yaml import LINE_BREAK
from cat_rubric.testing import rubrics
from tests.conftest import BUNDLED, EXAMPLES

BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
TOKENS = ["[]", "{}", "no", "1", "-3", "~", '"x"', "2008-02-30", "*nope", "!!binary aGk=", ""]
_VALUE_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: ).+$")
# Characters inserted into a file: anything but YAML's line breaks other than "\n",
# so that "line" means the same thing in the file and in the expectation.
_INSERTED = st.text(
    st.characters(exclude_categories=("Zl", "Zp"), exclude_characters="\r\x85"), max_size=8
)
# Syntax errors and depth limits are worded (and, for depth, bounded) per parser.
_PARSER_SPECIFIC = frozenset({"yaml-syntax", "too-deep"})


def load(text: str | bytes, parser: Parser = "auto") -> Rubric | LoadError:
    """The rubric *text* loads into, or the LoadError it raises."""
    try:
        return cat_rubric.parse_rubric(text, parser=parser)
    except LoadError as exc:
        return exc


def where(p: Problem) -> tuple[int, int, str, str]:
    """Line, column, path and code of *p*."""
    return (p.line, p.column, p.path, p.code)


class Corrupted:
    """A corrupted rubric text, shown in failure reports by how it was corrupted."""

    def __init__(self, text: str, how: str) -> None:
        self.text = text
        self.how = how

    def __repr__(self) -> str:
        return f"Corrupted({self.how})"


@st.composite
def corrupted(draw: st.DrawFn) -> Corrupted:
    """A valid rubric's text (bundled or generated) with one corruption applied."""
    small = rubrics(max_recommendations=2, max_parts=2, max_criteria=2).map(to_yaml)
    text = draw(st.just(BUNDLED_TEXT) | small)
    base = "bundled" if text is BUNDLED_TEXT else "generated"
    lines = text.split("\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "replace", "insert", "truncate"]))
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        how = f"{base}: delete line {i + 1} {lines.pop(i)!r}"
    elif kind == "duplicate":
        lines.insert(i, lines[i])
        how = f"{base}: duplicate line {i + 1} {lines[i]!r}"
    elif kind == "replace":
        candidates = [n for n, line in enumerate(lines) if _VALUE_LINE.match(line)]
        n = draw(st.sampled_from(candidates))
        token = draw(st.sampled_from(TOKENS))
        lines[n] = _VALUE_LINE.sub(lambda m: m.group(1) + token, lines[n])
        how = f"{base}: line {n + 1} becomes {lines[n]!r}"
    else:
        offset = draw(st.integers(0, len(text)))
        around = text[max(0, offset - 30) : offset]
        if kind == "insert":
            chars = draw(_INSERTED)
            how = f"{base}: insert {chars!r} after {around!r} (offset {offset})"
            return Corrupted(text[:offset] + chars + text[offset:], how)
        return Corrupted(text[:offset], f"{base}: truncate after {around!r} (offset {offset})")
    return Corrupted("\n".join(lines), how)


def check_locations(text: str, problems: tuple[Problem, ...]) -> None:
    """Every problem points inside *text* and says what is wrong."""
    lines = LINE_BREAK.split(text)  # lines as YAML counts them
    assert problems
    for p in problems:
        assert 1 <= p.line <= len(lines) + 1, str(p)
        length = len(lines[p.line - 1]) if p.line <= len(lines) else 0
        assert 1 <= p.column <= length + 1, (str(p), lines[p.line - 1 : p.line])
        assert p.message.strip(), str(p)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.code), str(p)


class TestRoundTrip:
    """Model → YAML → model gives the model back."""

    @settings(max_examples=60)
    @given(rubrics(), st.sampled_from(["c", "python"]))
    def test_round_trip(self, rubric: Rubric, parser: Parser) -> None:
        """Any valid rubric written with to_yaml loads back equal, with either parser."""
        assert cat_rubric.parse_rubric(to_yaml(rubric), parser=parser) == rubric

    def test_round_trip_kazakh_and_russian(self, minimal_text: str) -> None:
        """Kazakh and Russian text survives the round trip unescaped and unchanged."""
        rubric = attrs.evolve(
            cat_rubric.parse_rubric(minimal_text),
            title="Қазақстан Республикасы: «Әділет» — Ұлттық баяндама",
            state_party="Казахстан",
            notes="Ғ, Қ, Ң, Ө, Ұ, Ү, Һ, І; ё and Ё",
        )
        text = to_yaml(rubric)
        assert "Қазақстан Республикасы" in text
        assert "Казахстан" in text
        back = cat_rubric.parse_rubric(text)
        assert back == rubric
        assert back.title == "Қазақстан Республикасы: «Әділет» — Ұлттық баяндама"
        assert back.state_party == "Казахстан"

    def test_bundled_round_trip(self) -> None:
        """The bundled rubric survives to_yaml and back."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        assert cat_rubric.parse_rubric(to_yaml(rubric)) == rubric

    def test_shared_values_are_written_out_not_aliased(self) -> None:
        """One date object shared by many fields is written in full each time: no &anchor."""
        evidence = cat_rubric.load_evidence(EXAMPLES / "kaz-2010-state-reply.yaml")
        shared = evidence.as_of
        items = tuple(
            attrs.evolve(i, measure_date=shared, source=attrs.evolve(i.source, date=shared))
            for i in evidence.items
        )
        evidence = attrs.evolve(evidence, items=items)
        text = to_yaml(evidence)
        events = list(yaml.parse(text))
        assert not [e for e in events if isinstance(e, yaml.AliasEvent)]
        assert not [e for e in events if getattr(e, "anchor", None) is not None]
        assert text.count(shared.isoformat()) >= 2 * len(items)
        assert cat_rubric.parse_evidence(text) == evidence


class TestCorruptedFiles:
    """Corrupted rubric files fail with located, explained problems, and nothing else."""

    @given(corrupted(), st.sampled_from(["c", "python"]))
    def test_problems_point_into_the_text(self, bad: Corrupted, parser: Parser) -> None:
        """Every problem of a corrupted file has a line and column inside the file."""
        result = load(bad.text, parser)
        if isinstance(result, LoadError):
            check_locations(bad.text, result.problems)

    @given(corrupted())
    def test_bytes_and_text_agree(self, bad: Corrupted) -> None:
        """Loading the corrupted file as UTF-8 bytes gives the same problems as the text."""
        text = bad.text
        as_text = load(text)
        as_bytes = load(text.encode("utf-8", "surrogatepass"))
        if isinstance(as_text, LoadError):
            assert isinstance(as_bytes, LoadError)
            assert list(map(where, as_bytes.problems)) == list(map(where, as_text.problems))
        else:
            assert as_bytes == as_text


class TestArbitraryInput:
    """Whatever the input, only cat_rubric's own errors come out."""

    @given(st.text(), st.sampled_from(["c", "python"]))
    def test_arbitrary_text(self, text: str, parser: Parser) -> None:
        """Arbitrary text loads or raises a CatRubricError, never anything else."""
        with contextlib.suppress(CatRubricError):
            cat_rubric.parse_rubric(text, parser=parser)

    @given(st.binary(), st.sampled_from(["c", "python"]))
    def test_arbitrary_bytes(self, data: bytes, parser: Parser) -> None:
        """Arbitrary bytes load or raise a CatRubricError, never anything else."""
        with contextlib.suppress(CatRubricError):
            cat_rubric.parse_rubric(data, parser=parser)

    @given(st.text(st.sampled_from("[]{}:-,&*!?|>'\"#% \n\tab1")), st.sampled_from(["c", "python"]))
    def test_yaml_punctuation(self, text: str, parser: Parser) -> None:
        """Text made of YAML's punctuation raises only a LoadError with located problems."""
        result = load(text, parser=parser)
        if isinstance(result, LoadError):
            check_locations(text, result.problems)


class TestParsersAgree:
    """libyaml and the pure-Python parser give the same answers."""

    @settings(max_examples=40)
    @given(rubrics())
    def test_generated_yaml(self, rubric: Rubric) -> None:
        """Both parsers load a generated rubric's YAML into equal models."""
        text = to_yaml(rubric)
        assert load(text, "c") == load(text, "python") == rubric

    @given(corrupted())
    def test_corrupted_yaml(self, bad: Corrupted) -> None:
        """On a corrupted file both succeed equally or both fail, with the same findings."""
        c, python = load(bad.text, "c"), load(bad.text, "python")
        if isinstance(c, Rubric) or isinstance(python, Rubric):
            assert c == python
            return
        c_codes = {p.code for p in c.problems}
        python_codes = {p.code for p in python.problems}
        if not (c_codes | python_codes) & _PARSER_SPECIFIC:
            assert sorted(map(where, c.problems)) == sorted(map(where, python.problems))


class TestTagResolution:
    """The C loader's fast tag resolution agrees with PyYAML's own resolver."""

    SPECIAL = st.sampled_from(
        ["", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "true", "False", "y", "n",
         "0", "-12", "+7", "0x1F", "0o17", "0b101", "1_000", "190:20:30", "1.5", "-.inf",
         ".NaN", "1e3", "2010-05-03", "2010-5-3", "2001-12-14t21:59:43.10-05:00", "<<", "=",
         "!", "&a", "*a", "Қазақстан", "art. 347-1"]
    )  # fmt: skip

    @settings(max_examples=300)
    @given(
        st.one_of(SPECIAL, st.text(max_size=12)),
        st.booleans(),
        st.booleans(),
        st.sampled_from(["scalar", "sequence", "mapping"]),
    )
    def test_same_tag_as_pyyaml(self, value: str, plain: bool, quoted: bool, kind: str) -> None:
        """Every value, implicit flags and node kind resolves to PyYAML's tag."""
        from yaml.nodes import MappingNode, ScalarNode, SequenceNode

        from cat_rubric import _yaml

        if not _yaml.HAVE_LIBYAML:  # pragma: no cover - machines without libyaml
            pytest.skip("libyaml is not available")
        node = {"scalar": ScalarNode, "sequence": SequenceNode, "mapping": MappingNode}[kind]
        ours = _yaml._CLoader.resolve(None, node, value, (plain, quoted))
        theirs = yaml.resolver.Resolver().resolve(node, value, (plain, quoted))  # type: ignore[no-untyped-call]
        assert ours == theirs
