"""Fuzzing as tests: hostile and mangled input gives a model or our own located error, never
another exception and never a hang.

The ``ci`` hypothesis profile runs enough examples to matter; ``HYPOTHESIS_PROFILE=thorough``
runs many more locally.
"""

from __future__ import annotations

import copy
import time
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cat_rubric import EvidenceFile, LoadError, Rubric, load_rubric, parse_evidence, parse_rubric
from cat_rubric._load import Parser
from cat_rubric._yaml import LINE_BREAK
from cat_rubric.exceptions import PROBLEM_CODES, Problem
from tests.conftest import BUNDLED, EXAMPLES

RUBRIC_TEXT = BUNDLED.read_text(encoding="utf-8")
EVIDENCE_TEXT = (EXAMPLES / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
RUBRIC = load_rubric(BUNDLED)
# A hang is what these tests guard against: any one input taking this long is a failure.
SLOW = 2.0


def _check_locations(text: str, problems: tuple[Problem, ...]) -> None:
    lines = LINE_BREAK.split(text)  # lines as YAML counts them
    assert problems, "a LoadError must carry at least one problem"
    for p in problems:
        assert 1 <= p.line <= len(lines) + 1, p
        width = len(lines[p.line - 1]) if p.line <= len(lines) else 0
        assert 1 <= p.column <= width + 1, p
        assert p.code
        assert p.message


def _load_both(text: str) -> None:
    """Load *text* as a rubric and as evidence; only our own located errors may escape."""
    for load in (parse_rubric, lambda t: parse_evidence(t, rubric=RUBRIC)):
        start = time.perf_counter()
        try:
            load(text)
        except LoadError as exc:
            _check_locations(text, exc.problems)
        assert time.perf_counter() - start < SLOW


# -- arbitrary YAML documents ------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates(),
    st.datetimes(),
)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "items",
                    "criteria",
                    "parts",
                    "recommendations",
                    "reply",
                    "source",
                    "finding",
                    "as_of",
                    "weight",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=5,
        )
    ),
    max_leaves=30,
)


class TestArbitraryInput:
    @given(text=st.text(max_size=400))
    def test_arbitrary_text(self, text: str) -> None:
        """Any text loads or fails with located problems, as a rubric and as evidence."""
        _load_both(text)

    @given(data=st.binary(max_size=400))
    def test_arbitrary_bytes(self, data: bytes) -> None:
        """Any bytes, UTF-8 or not, load or fail with our own error."""
        for load in (parse_rubric, lambda d: parse_evidence(d, rubric=RUBRIC)):
            problems: tuple[Problem, ...] = ()
            try:
                result = load(data)
            except LoadError as exc:
                problems = exc.problems
                assert problems
            else:
                assert isinstance(result, Rubric | EvidenceFile)
            assert all(p.line >= 1 and p.column >= 1 for p in problems)

    @given(doc=documents)
    def test_arbitrary_yaml_documents(self, doc: Any) -> None:
        """Any YAML document, of any shape, loads or fails with located problems."""
        _load_both(yaml.safe_dump(doc, allow_unicode=True))


# -- mutations of the real files ------------------------------------------------------

BASE_RUBRIC = yaml.safe_load(RUBRIC_TEXT)
BASE_EVIDENCE = yaml.safe_load(EVIDENCE_TEXT)
REPLACEMENTS: list[Any] = [
    None,
    True,
    "no",
    0,
    -1,
    2.5,
    "",
    "x" * 300,
    [],
    {},
    ["a"],
    {"a": 1},
    "2008-02-30",
    "Қазақстан",
]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> str:
    """*base* with a few structural mutations, dumped back to YAML text."""
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _get(doc, path[:-1]), path[-1]
        action = draw(st.sampled_from(["drop", "rename", "replace", "truncate", "swap"]))
        if action == "drop":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["titel", "ID", "criterion", "extra", "items"]))] = (
                parent.pop(last)
            )
        elif action == "replace":
            parent[last] = copy.deepcopy(draw(st.sampled_from(REPLACEMENTS)))
        elif action == "truncate" and isinstance(parent[last], list):
            parent[last] = parent[last][: draw(st.integers(0, max(0, len(parent[last]) - 1)))]
        elif action == "swap":
            # Swap two ids (or any two values of the same key) to make duplicates and
            # dangling references.
            # (Never with an ancestor or descendant: that would make a cycle.)
            others = [
                p for p in paths if p[-1] == last and p[: len(path)] != path and path[: len(p)] != p
            ]
            if others:
                other = draw(st.sampled_from(others))
                other_parent = _get(doc, other[:-1])
                if draw(st.booleans()):  # copy: duplicate ids
                    other_parent[other[-1]] = copy.deepcopy(parent[last])
                else:  # swap: references to the wrong things
                    parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):
        # Duplicate a random line: duplicate keys and list entries.
        lines = text.split("\n")
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        lines.insert(at, lines[at])
        text = "\n".join(lines)
    return text


class TestMutations:
    @given(text=mutated(BASE_RUBRIC))
    def test_mutated_rubric(self, text: str) -> None:
        """A mutated bundled rubric loads or fails with located problems."""
        _load_both(text)

    @given(text=mutated(BASE_EVIDENCE))
    def test_mutated_evidence(self, text: str) -> None:
        """A mutated example evidence file loads or fails with located problems."""
        _load_both(text)

    @settings(max_examples=40)
    @given(text=mutated(BASE_RUBRIC))
    def test_parsers_agree_on_mutations(self, text: str) -> None:
        """The C parser and the pure-Python parser give the same model, or the same
        problems: code, line, column, path and message."""
        outcomes: list[object] = []
        for parser in ("c", "python"):
            try:
                outcomes.append(parse_rubric(text, parser=parser))
            except LoadError as exc:
                outcomes.append(list(exc.problems))
        assert outcomes[0] == outcomes[1]


# -- explicit tags and malformed numbers in scalar positions --------------------------

#: The core schema's tags, and two it has that cat_rubric does not read.
TAGS = [
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!timestamp",
    "!!str",
    "!!binary",
    "!!set",
    "!!omap",
]
#: Numbers PyYAML resolves but cannot construct, or that are out of any sensible range,
#: and the values next to them.
NUMBERS = [
    "0x_", "0b_", "-0b__", "0x", "0o", "0o8", "09", "1" * 5000, "9" * 19, "0x" + "f" * 40,
    "1_000", "1:30", "1:x", "1:99", "+-5", "١٢", "1e999", "-1e999", "1e5", "1.", ".5",
    ".nan", ".NaN", ".inf", "-.inf", "+.INF", "0", "-0", "2.5", "2010-02-30", "2010-05-03",
    "yes", "maybe", "~", "", '""', "''", '"abc"', "x", "[]", "{}",
]  # fmt: skip
BASES: dict[str, str] = {
    "rubric": RUBRIC_TEXT,
    **{path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))},
}


#: Keys whose values the models read as numbers, true/false values or dates: where a
#: malformed number used to be constructed, and raise.
TYPED_KEYS = frozenset(
    {"paragraph", "session", "within_months", "weight", "essential", "illustrative",
     "received", "adopted", "due", "as_of", "date", "measure_date", "until"}
)  # fmt: skip


def _scalar_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where each scalar of *text* (keys too) is written, as (start, end) character
    offsets; and where the values of `TYPED_KEYS` are."""
    spans: list[tuple[int, int]] = []
    typed: list[tuple[int, int]] = []
    stack = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            spans.append((node.start_mark.index, node.end_mark.index))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
                if key.value in TYPED_KEYS and isinstance(value, yaml.ScalarNode):
                    typed.append((value.start_mark.index, value.end_mark.index))
    return sorted(spans), sorted(typed)


SPANS = {name: _scalar_spans(text) for name, text in BASES.items()}


class Tagged:
    """A base file with tags or malformed numbers put in some scalars' places."""

    def __init__(self, base: str, text: str, how: list[str]) -> None:
        self.base = base
        self.text = text
        self.how = how

    def __repr__(self) -> str:
        return f"Tagged({self.base}: {'; '.join(self.how)})"


@st.composite
def tagged(draw: st.DrawFn) -> Tagged:
    """The bundled rubric or an example with one to three scalars given an explicit tag,
    replaced by a malformed (or merely odd) number, or both: any scalar, keys too, and
    as often one that a model reads as a number, true/false value or date."""
    base = draw(st.sampled_from(sorted(BASES)))
    text = BASES[base]
    spans, typed = SPANS[base]
    where = st.sampled_from(typed) | st.sampled_from(spans)
    chosen = draw(st.lists(where, min_size=1, max_size=3, unique=True))
    how = []
    for start, end in sorted(chosen, reverse=True):  # from the end: offsets stay valid
        kind = draw(st.sampled_from(["tag", "number", "tagged number"]))
        tag = draw(st.sampled_from(TAGS))
        number = draw(st.sampled_from(NUMBERS))
        original = text[start:end]
        new = {"tag": f"{tag} {original}", "number": number, "tagged number": f"{tag} {number}"}
        text = text[:start] + new[kind] + text[end:]
        how.append(f"{original[:30]!r} at {start} becomes {new[kind][:40]!r}")
    return Tagged(base, text, how)


def load_tagged(bad: Tagged, parser: Parser = "auto") -> Rubric | EvidenceFile:
    """Load a tagged text as what its base is: the rubric, or evidence for it."""
    if bad.base == "rubric":
        return parse_rubric(bad.text, parser=parser)
    return parse_evidence(bad.text, rubric=RUBRIC, parser=parser)


class TestTaggedScalars:
    @given(tagged())
    def test_tags_and_numbers_anywhere(self, bad: Tagged) -> None:
        """Explicit tags and malformed numbers in any scalar's place give a model or a
        LoadError whose problems are located, catalogued and explained: never another
        exception (ValueError, IndexError, KeyError from constructing the value)."""
        problems: tuple[Problem, ...] = ()
        try:
            result = load_tagged(bad)
        except LoadError as exc:
            problems = exc.problems
        else:
            assert isinstance(result, Rubric | EvidenceFile)
        if problems:
            _check_locations(bad.text, problems)
            assert {p.code for p in problems} <= PROBLEM_CODES, problems
