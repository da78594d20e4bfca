"""The two parsers agree: libyaml (``parser="c"``) and PyYAML's pure-Python parser
(``parser="python"``) give the same model, or the same problems (code, line, column,
path and message), for any input.

The pure-Python parser is taught libyaml's reading of YAML (tabs, byte-order marks,
the end of the stream, empty values, tags, flow scalars, escapes), and libyaml's
failures are reported by the pure-Python parser. These properties hold the two to it,
on generated documents and on mutations of the bundled rubric and the examples.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

import cat_rubric
import cat_rubric.limits
from cat_rubric import LoadError, Rubric, parse_evidence, parse_rubric, to_yaml
from cat_rubric._load import Parser
from cat_rubric._yaml import Limits, compose
from cat_rubric.testing import evidence_files, rubrics
from tests.conftest import BUNDLED, EXAMPLES
from tests.test_fuzz import Tagged, load_tagged, tagged

pytestmark = pytest.mark.skipif(
    not cat_rubric.limits.HAVE_LIBYAML, reason="libyaml is not available"
)

RUBRIC_TEXT = BUNDLED.read_text(encoding="utf-8")
RUBRIC = parse_rubric(RUBRIC_TEXT)
EXAMPLE_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))]

#: What a mutation inserts: YAML's punctuation, its separators and every line break.
INSERTS = [
    "\t", "\t\t", " ", "  ", ":", ": ", ":\t", "'", '"', "[", "]", "{", "}", ",", "\n",
    "\r", "\r\n", "\x85", "\u2028", "\u2029", "\ufeff", "-", "- ", "-\t", "?", "? ", "#",
    " #", "&a ", "*a", "!", "! ", "!!str ", "!e!x ", "|", "|-", ">", ">+2", "%", "\\",
    '\\"', "---", "...", "@", "`", "\\x41", "\\ud800", "\\U00110000", "!%C0%80 ",
]  # fmt: skip


def outcome(load: Callable[[], Any]) -> Any:
    """The model *load* returns, or every field of every problem it raises."""
    try:
        return load()
    except LoadError as exc:
        return [attrs.astuple(p) for p in exc.problems]


def agree(text: str, load: Callable[..., Any]) -> Any:
    """Load *text* with both parsers, assert they agree, and return the outcome."""
    c = outcome(lambda: load(text, parser="c"))
    python = outcome(lambda: load(text, parser="python"))
    assert c == python, (text, c, python)
    return c


def load_evidence_text(text: str, parser: Parser) -> Any:
    return parse_evidence(text, rubric=RUBRIC, parser=parser)


def tree(node: Node, seen: dict[int, int] | None = None) -> Any:
    """A node tree as plain data: kinds, tags, values, lines and columns, and aliases."""
    seen = {} if seen is None else seen
    if id(node) in seen:
        return ("alias", seen[id(node)])
    seen[id(node)] = len(seen)
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value, where, node.style or None)
    if isinstance(node, SequenceNode):
        return ("list", node.tag, where, [tree(child, seen) for child in node.value])
    assert isinstance(node, MappingNode)
    return ("map", node.tag, where, [(tree(k, seen), tree(v, seen)) for k, v in node.value])


def composed(text: str, *, pure: bool) -> Any:
    """The node tree *text* composes into, or the problems of composing it."""
    try:
        return tree(compose(text, "<t>", Limits(), pure=pure).root)
    except LoadError as exc:
        return [attrs.astuple(p) for p in exc.problems]


class Mutated:
    """A text mutated from a base file, shown in failure reports by its mutations."""

    def __init__(self, text: str, how: list[str]) -> None:
        self.text = text
        self.how = how

    def __repr__(self) -> str:
        return f"Mutated({'; '.join(self.how)})"


@st.composite
def mutated(draw: st.DrawFn, bases: list[str]) -> Mutated:
    """One of *bases* with one to three character-level mutations: insertions of YAML
    punctuation and line breaks, deletions, and indentation changes."""
    text = draw(st.sampled_from(bases))
    how: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["insert", "insert", "delete", "indent", "dedent"]))
        if kind in ("insert", "delete"):
            at = draw(st.integers(0, len(text)))
            if kind == "insert":
                chars = draw(st.sampled_from(INSERTS))
                text = text[:at] + chars + text[at:]
                how.append(f"insert {chars!r} at {at}")
            else:
                size = draw(st.integers(1, 4))
                how.append(f"delete {text[at : at + size]!r} at {at}")
                text = text[:at] + text[at + size :]
            continue
        lines = text.split("\n")
        n = draw(st.integers(0, len(lines) - 1))
        if kind == "indent":
            lines[n] = draw(st.sampled_from([" ", "  ", "\t", " \t"])) + lines[n]
        else:
            lines[n] = lines[n][min(len(lines[n]) - len(lines[n].lstrip(" ")), 2) :]
        how.append(f"{kind} line {n + 1}")
        text = "\n".join(lines)
    return Mutated(text, how)


class TestGeneratedDocuments:
    @settings(max_examples=40)
    @given(rubrics(max_recommendations=2, max_parts=2, max_criteria=3))
    def test_generated_rubrics(self, rubric: Rubric) -> None:
        """Both parsers load a generated rubric's YAML into the same model."""
        assert agree(to_yaml(rubric), parse_rubric) == rubric

    @settings(max_examples=40)
    @given(st.data())
    def test_generated_evidence(self, data: st.DataObject) -> None:
        """Both parsers load a generated evidence file's YAML into the same model."""
        rubric = data.draw(rubrics(max_recommendations=2, max_parts=2, max_criteria=2))
        evidence = data.draw(evidence_files(rubric, max_items=4))
        loaded = agree(
            to_yaml(evidence), lambda t, parser: parse_evidence(t, rubric=rubric, parser=parser)
        )
        assert loaded == evidence


class TestMutatedDocuments:
    @given(mutated(EXAMPLE_TEXTS))
    def test_mutated_examples(self, bad: Mutated) -> None:
        """A mutated example evidence file: the same model or the same problems."""
        agree(bad.text, load_evidence_text)

    @settings(max_examples=40)  # each failing mutation costs two pure-Python parses
    @given(mutated([RUBRIC_TEXT]))
    def test_mutated_rubric(self, bad: Mutated) -> None:
        """A mutated bundled rubric: the same model or the same problems."""
        agree(bad.text, parse_rubric)

    @settings(max_examples=60)
    @given(tagged())
    def test_tagged_scalars(self, bad: Tagged) -> None:
        """Explicit tags and malformed numbers in scalars' places: the same model or the
        same problems."""
        c = outcome(lambda: load_tagged(bad, "c"))
        assert c == outcome(lambda: load_tagged(bad, "python"))

    @given(mutated(EXAMPLE_TEXTS))
    def test_same_nodes(self, bad: Mutated) -> None:
        """A mutated file composes into the same nodes, tags, values, lines and columns
        (or the same problems) with either parser, whatever it is read as later."""
        assert composed(bad.text, pure=False) == composed(bad.text, pure=True)

    @given(st.text(st.sampled_from("[]{}:-,&*!?|>'\"#%@` \n\r\t\x85\u2028\ufeffa1~"), max_size=40))
    def test_punctuation(self, text: str) -> None:
        """Text made of YAML's punctuation composes alike (or fails alike) with both."""
        assert composed(text, pure=False) == composed(text, pure=True)


class TestKnownDifferences:
    """Each place where PyYAML's pure-Python parser read YAML otherwise than libyaml."""

    @pytest.mark.parametrize(
        "text",
        [
            "key:\tvalue\n",  # a tab after ':' separates, in libyaml
            "key: a\tb\n",  # a tab inside a plain scalar
            "- [a,\tb]\n",  # tabs in flow context
            "x\ufeffy: z\n",  # a byte-order mark takes a column
            "a: b\n\ufeffc: d\n",  # ... and is skipped at the start of a line
            "a:",  # the end of the stream ends the line: the empty value's position
            "\r?",
            "{k: }",  # an empty flow value is placed at the next token
            "[a: ]",
            "[? ]",
            "{? : b}",
            "[? : : x]",  # libyaml takes the ':' after an empty explicit key
            "[? , , a]",
            "[a?b]",  # '?' inside a flow plain scalar
            "{a:[b]}",  # ':' before a flow indicator
            "! ",  # an empty node tagged '!' is text
            "a: !%C0%80 x\n",  # an undecodable escaped tag (libyaml raised UnicodeDecodeError)
            "a: !<%ED%A0%80> x\n",
            "%TAG !e! tag:e.org,2%000:\n---\na: !e!t x\n",  # an escaped NUL ends the tag
            '"\\U00110000"',  # PyYAML raised ValueError
            '"\\ud800"',  # a surrogate escape: refused
            "[!foo,bar]",  # a tag ends at ',' in flow context
            "a: !a.b!c x\n",  # not a handle after all
            "a: |\t# comment\n  text\n",  # blanks and a comment after a block indicator
            "%YAML 1.1\t# comment\n---\na: b\n",
            "%FOO bar\n---\na: b\n",  # libyaml refuses unknown directives
            "a: b ]\n",
            "]\n",
        ],
    )
    def test_regression(self, text: str) -> None:
        """The same nodes or the same problems, for each known difference."""
        assert composed(text, pure=False) == composed(text, pure=True)

    def test_tab_after_colon_loads(self, minimal_text: str) -> None:
        """A tab after a key's colon is accepted by both parsers, with the same value."""
        text = minimal_text.replace("state_party: Testland", "state_party:\tTestland")
        assert agree(text, parse_rubric).state_party == "Testland"

    def test_libyaml_failure_is_reported_by_the_pure_parser(self) -> None:
        """A syntax error that libyaml finds is reported with the pure-Python parser's
        location and words, so both parsers report it alike."""
        problems = agree("title: [unclosed\nid: x\n", parse_rubric)
        assert [(p[1], p[2], p[4]) for p in problems] == [(2, 3, "yaml-syntax")]
        # libyaml's own words would be "did not find expected ',' or ']'".
        assert "expected ',' or ']', but got ':' — the list opened with '['" in problems[0][5]

    @pytest.mark.parametrize(
        "text",
        [
            "notes: " + "[" * 65 + "]" * 65,  # the first collection too deep
            "notes: " + "[" * 64 + "x" + "]" * 64,  # a scalar inside 64 levels is not
            "notes: " + "[" * 70 + "]" * 70 + "\nbad: [\n",  # too deep, then a syntax error
            "a: &a [x]\nb: [*a, *a]\nc: " + "[" * 65 + "]" * 65,  # aliases, then too deep
            "x: &a [*a]\n" + "y: " + "[" * 65 + "]" * 65,  # a cycle, then too deep
        ],
    )
    def test_depth(self, text: str) -> None:
        """The depth limit is applied alike: the same node, even past aliases or errors."""
        assert composed(text, pure=False) == composed(text, pure=True)

    def test_bad_character(self) -> None:
        """A character YAML does not allow is found alike, wherever the parsers fail."""
        text = RUBRIC_TEXT.replace("Kazakhstan", "Kaz\x07akhstan", 1)
        problems = agree(text, parse_rubric)
        assert [p[4] for p in problems] == ["bad-character"]
