"""Evidence lists composed a chunk at a time give exactly what composing the whole text gives.

The law: for any text, loading with the ``items`` list streamed (`cat_rubric._stream`)
and loading it whole give the same model, or the same problems at the same lines and
columns with the same messages. The tests shrink the chunks to a few bytes so that
short generated files are cut at every entry, and feed layouts chosen to trip a
careless cutter: quoted and block scalars whose lines look like entries, flow lists
across lines, comments, tabs, odd line breaks, anchors, directives and whatever
follows the list.
"""

from __future__ import annotations

import contextlib
import sys
import weakref
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import (
    EvidenceFile,
    LoadError,
    _load,
    _stream,
    _yaml,
    load_rubric,
    parse_evidence,
    to_yaml,
)
from cat_rubric._stream import Entries, StreamBrokenError, compose_streamed
from cat_rubric._yaml import HAVE_LIBYAML, Document, Limits
from cat_rubric.exceptions import Problem
from cat_rubric.testing import evidence_files
from tests.conftest import BUNDLED, EXAMPLES, ROOT
from tests.test_fuzz import BASE_EVIDENCE, mutated

pytestmark = pytest.mark.skipif(not HAVE_LIBYAML, reason="streaming is libyaml's")

RUBRIC = load_rubric(BUNDLED)
CRITERIA = [c.id for _, _, c in RUBRIC.iter_criteria()]
NEVER = 1 << 62


@contextlib.contextmanager
def chunking(chunk_bytes: int, min_bytes: int = 0) -> Iterator[None]:
    """Stream lists of at least *min_bytes*, cut every *chunk_bytes*."""
    with (
        mock.patch.object(_stream, "CHUNK_BYTES", chunk_bytes),
        mock.patch.object(_stream, "MIN_BYTES", min_bytes),
    ):
        yield


def outcome(text: str | bytes, *, chunk_bytes: int | None) -> tuple[object, str]:
    """The model or the problems; and how the text was composed: ``"whole"`` (it did
    not qualify), ``"fell back"`` (a chunk broke, so the whole text was composed) or
    ``"streamed"``. *chunk_bytes* None never streams.
    """
    plans: list[bool] = []  # whether each call qualified (the document itself is not kept)

    def plan(*args: Any) -> Document | None:
        doc = compose_streamed(*args)
        plans.append(doc is not None)
        return doc

    whole = mock.patch.object(_load, "compose", wraps=_yaml.compose)
    streamed = mock.patch.object(_load, "compose_streamed", plan)
    with chunking(chunk_bytes or 1, NEVER if chunk_bytes is None else 0), whole as spy, streamed:
        try:
            result: object = parse_evidence(text, rubric=RUBRIC, file="e.yaml")
        except LoadError as exc:
            result = exc.problems
    if not any(plans):
        return result, "whole"
    return result, "fell back" if spy.called else "streamed"


def assert_same(text: str | bytes, chunk_bytes: int) -> str:
    """Streamed and whole loading agree on *text*; returns how it was composed."""
    expected, how = outcome(text, chunk_bytes=None)
    assert how == "whole"
    got, how = outcome(text, chunk_bytes=chunk_bytes)
    assert got == expected
    return how


chunk_sizes = st.sampled_from([1, 60, 300])


class TestSameResult:
    @given(evidence=evidence_files(RUBRIC, max_items=12), chunk=chunk_sizes)
    def test_valid_files(self, evidence: EvidenceFile, chunk: int) -> None:
        """A valid file loads to the same model, and is really streamed."""
        text = to_yaml(evidence)
        how = assert_same(text, chunk)
        if evidence.items and "&" not in text:
            assert how == "streamed"

    @given(text=mutated(BASE_EVIDENCE), chunk=chunk_sizes)
    def test_mutated_example(self, text: str, chunk: int) -> None:
        """Mutations of the example evidence (wrong types, duplicates, dangling ids ...)
        give the same problems at the same places."""
        event(assert_same(text, chunk))

    def test_examples(self) -> None:
        """The bundled examples, with their comments and indented lists, are streamed."""
        for path in sorted(EXAMPLES.glob("*.yaml")):
            data = path.read_bytes()
            if b"\nitems:\n" in data:
                assert assert_same(data, 1) == "streamed", path


# -- layouts chosen to trip a careless cutter ---------------------------------------

# Lines that look like the start of an entry, the list's key or the next key.
TRAPS = ["- id: trap", "  - id: trap", "- ", "-", "items:", "overrides: []", "# no", "", "   "]
BENIGN = ["    words", "      more words"] * 6


@st.composite
def scalar(draw: st.DrawFn, indent: int) -> str:
    """A text value in some style, possibly over several lines that look like YAML."""
    pad = " " * indent
    style = draw(st.sampled_from(["plain", "double", "single", "literal", "folded", "flow"]))
    lines = draw(st.lists(st.sampled_from([*TRAPS, *BENIGN]), max_size=3))
    if style == "plain":
        return "some text" + "".join(f"\n{pad}  more {line}" for line in lines)
    if style in ("double", "single"):
        q = '"' if style == "double" else "'"
        # Continuation lines of quoted scalars are not held to any indentation.
        at = pad if draw(st.integers(0, 3)) else ""
        return q + "quoted" + "".join(f"\n{at}{line}" for line in lines) + q
    if style == "flow":
        at = pad if draw(st.integers(0, 3)) else ""
        return "[" + f",\n{at}".join(["a", *lines[:1], "b"]) + "]"
    head = "|" if style == "literal" else ">"
    indicator = draw(st.sampled_from(["", "2", "-", "+"]))
    body = "".join(f"\n{pad}  {line}" for line in ["text", *lines])
    return head + indicator + body


@st.composite
def entry(draw: st.DrawFn, column: int) -> list[str]:
    """One evidence item at *column*, valid or not, as lines."""
    pad = " " * column
    inner = pad + "  "
    criteria = draw(st.lists(st.sampled_from([*CRITERIA[:4], "nope"]), min_size=1, max_size=2))
    if draw(st.booleans()):
        crit = [f"{inner}criteria:", *(f"{inner}- {c}" for c in criteria)]
    else:
        crit = [f"{inner}criteria: [{', '.join(criteria)}]"]
    key = draw(st.sampled_from(["summary", "quote", "summary", "note"]))
    lines = [
        f"{pad}- id: {draw(st.sampled_from(['a', 'b', 'c', 'd']))}",
        *crit,
        f"{inner}finding: {draw(st.sampled_from(['implemented', 'initiated', 'done', '[]']))}",
        f"{inner}source:",
        f"{inner}  kind: ngo",
        f"{inner}  title: {draw(scalar(column + 4))}",
        f"{inner}{key}: {draw(scalar(column + 2))}",
    ]
    if draw(st.integers(0, 9)) == 0:
        lines.insert(draw(st.integers(1, len(lines))), draw(st.sampled_from(JUNK)))
    return lines


# Lines slipped between entries' lines: comments, blanks, tabs, content at odd columns,
# anchors and aliases, document markers.
JUNK = [
    "# comment",
    "  # comment",
    "",
    "\t",
    "\t- id: tab",
    " x: 1",
    "   odd: 1",
    "  anchor: &a 1",
    "  alias: *a",
    "---",
    "...",
    "%TAG ! tag:x,2000:",
]
GOOD_TAILS = [
    "",
    "overrides: []\n",
    "overrides:\n- criterion: kaz-7a-public-condemnation\n  finding: implemented\n"
    "  by: me\n  date: 2010-01-01\n  reason: because\n",
    "notes: after\n",
]
TAILS = [
    "---\nrubric: again\n",
    "...\n",
    "items: []\n",
    "  indented: 1\n",
    "\tnotes: tab\n",
]
HEADS = [
    "%YAML 1.1\n---\n",
    "%TAG ! tag:example.com,2000:\n---\n",
    '# leading comment\nnotes: "spans\nitems:\n  the key line"\n',
    "notes: |\n  items:\n  - id: in-a-block\n",
    "anchor: &h x\n",
]


def rarely(
    strategy: st.SearchStrategy[str], usual: str | st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    """*strategy* one time in five, else *usual*: most layouts must qualify for streaming."""
    common = st.just(usual) if isinstance(usual, str) else usual
    return st.integers(0, 4).flatmap(lambda n: strategy if n == 0 else common)


@st.composite
def layouts(draw: st.DrawFn) -> str:
    column = draw(st.sampled_from([0, 0, 2, 4]))
    lines = [
        "rubric: cat-kaz-co-2",
        "cycle: c",
        "assessor: a",
        "as_of: 2010-06-30",
        "items:" + draw(rarely(st.sampled_from(["  ", " # list", " []", " &all"]), "")),
    ]
    entries = draw(st.lists(entry(column), min_size=1, max_size=5))
    for lines_of_entry in entries:
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(JUNK)))
        lines += lines_of_entry
    head = draw(rarely(st.sampled_from(HEADS), ""))
    tail = draw(rarely(st.sampled_from(TAILS), st.sampled_from(GOOD_TAILS)))
    text = head + "\n".join(lines) + "\n" + tail
    if draw(st.integers(0, 4)) == 0:
        text = text.rstrip("\n")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = text.replace("\n", newline)
    if draw(st.integers(0, 9)) == 0:  # a line break YAML knows and a careless cutter does not
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\r", "\x85", "\u2028", "\u2029"])) + text[at:]
    return text


class TestTraps:
    @settings(max_examples=600)
    @given(text=layouts(), chunk=st.sampled_from([1, 40, 150]))
    def test_layouts(self, text: str, chunk: int) -> None:
        """Whatever the layout, streaming changes nothing: same model, or same problems."""
        event(assert_same(text, chunk))

    @given(text=layouts())
    def test_bytes_and_text_agree(self, text: str) -> None:
        """Given bytes (as files are read) or text, the streamed load is the same."""
        assert outcome(text.encode("utf-8"), chunk_bytes=1) == outcome(text, chunk_bytes=1)


def _entry(i: int, summary: str = "said") -> str:
    return (
        f"- id: e{i}\n  criteria: [{CRITERIA[i % len(CRITERIA)]}]\n  finding: implemented\n"
        f"  source: {{kind: ngo, title: t}}\n  summary: {summary}\n"
    )


HEADER = "rubric: cat-kaz-co-2\ncycle: c\nassessor: a\nas_of: 2010-06-30\nitems:\n"


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _only_problem(text: str) -> Problem:
    """The one problem streamed loading finds in *text*, cut every 100 bytes or so."""
    result, how = outcome(text, chunk_bytes=100)
    assert how == "streamed"
    assert isinstance(result, tuple)
    (p,) = result
    assert isinstance(p, Problem)
    return p


class TestPositions:
    def test_problem_in_a_late_chunk(self) -> None:
        """A problem far down the list is reported at its own line and column."""
        entries = [_entry(i) for i in range(40)]
        entries[33] = entries[33].replace("finding: implemented", "finding: [x]")
        text = HEADER + "".join(entries)
        p = _only_problem(text)
        assert (p.line, p.column) == (_line_of(text, "[x]"), 12)
        assert p.path == "items[33].finding"

    def test_duplicate_ids_in_different_chunks(self) -> None:
        """A duplicate id names the line of the first, chunks apart."""
        entries = [_entry(i) for i in range(30)]
        entries[25] = entries[25].replace("id: e25", "id: e3")
        text = HEADER + "".join(entries)
        p = _only_problem(text)
        assert p.code == "duplicate-id"
        first = _line_of(text, "- id: e3\n")
        second = text.index("- id: e3\n", text.index("- id: e3\n") + 1)
        assert p.line == text[:second].count("\n") + 1
        assert f"first at line {first}" in p.message


class TestEligibility:
    def _plan(self, text: str) -> Document | None:
        with chunking(1):
            return compose_streamed(text, None, "e.yaml", Limits(), "items")

    def test_streams_a_plain_list(self) -> None:
        doc = self._plan(HEADER + _entry(1) + _entry(2))
        assert doc is not None

    @pytest.mark.parametrize(
        "text",
        [
            pytest.param(HEADER.replace("items:", "items: # the list") + _entry(1), id="comment"),
            pytest.param(HEADER + _entry(1).replace("said", "&a said"), id="anchor"),
            pytest.param("%YAML 1.1\n---\n" + HEADER + _entry(1), id="directive"),
            pytest.param(HEADER.replace("items:\n", "items: []\n"), id="inline"),
            pytest.param(HEADER.replace("items:\n", "items:\n\n# only a comment\n"), id="empty"),
            pytest.param(HEADER + _entry(1) + "items:\n" + _entry(2), id="key twice"),
            pytest.param('notes: "a\n' + HEADER + _entry(1) + '"\n', id="key in a scalar"),
        ],
    )
    def test_falls_back(self, text: str) -> None:
        """Texts the cutter cannot vouch for are composed whole, with the same result."""
        assert self._plan(text) is None
        assert_same(text, 1)

    def test_depth_limit_beyond_libyaml_is_composed_whole(self) -> None:
        """libyaml stops at 1000 levels, one level sooner in the file than in a chunk: with
        a depth limit above that, only the whole composition says what the file says."""
        deep = "[" * 999 + "]" * 999
        text = HEADER + _entry(1, deep) + _entry(2)
        limits = Limits(max_depth=5000)
        with chunking(1):
            assert compose_streamed(text, None, "e.yaml", Limits(), "items") is not None
            assert compose_streamed(text, None, "e.yaml", limits, "items") is None
            with pytest.raises(LoadError) as caught:
                parse_evidence(text, rubric=RUBRIC, limits=limits)
        assert caught.value.problems[0].code == "too-deep"

    def test_short_list_is_composed_whole(self) -> None:
        """Below the threshold the skeleton costs more than the cache saves."""
        text = HEADER + "".join(_entry(i) for i in range(5))
        with chunking(1, min_bytes=len(text)):
            assert compose_streamed(text, None, "e.yaml", Limits(), "items") is None

    def test_broken_chunk_falls_back(self) -> None:
        """A cut inside a quoted scalar breaks the chunk before it, and the whole text is
        composed instead: the entry that looked like an item stays text."""
        text = HEADER + _entry(1, '"quoted\n- id: not-an-item\n  still quoted"') + _entry(2)
        doc = self._plan(text)
        assert doc is not None
        with chunking(1), pytest.raises(StreamBrokenError):
            list(doc.root.value[-1][1].value)
        result, how = outcome(text, chunk_bytes=1)
        assert how == "fell back"
        assert isinstance(result, EvidenceFile)
        assert [i.id for i in result.items] == ["e1", "e2"]
        assert "not-an-item" in (result.items[0].summary or "")


class TestEntries:
    def _entries(self, n: int) -> Any:
        text = HEADER + "".join(_entry(i) for i in range(n))
        with chunking(1):
            doc = compose_streamed(text, None, "e.yaml", Limits(), "items")
        assert doc is not None
        return doc.root.value[-1][1].value

    def test_sequence(self) -> None:
        """Random access composes what it needs; it agrees with iteration."""
        entries = self._entries(7)
        assert isinstance(entries, Entries)
        assert entries[6].value[0][1].value == "e6"
        assert entries[-1] is entries[6]
        assert [e.value[0][1].value for e in entries[1:3]] == ["e1", "e2"]
        assert len(entries) == 7
        assert [e.value[0][1].value for e in entries] == [f"e{i}" for i in range(7)]
        with pytest.raises(IndexError):
            entries[7]
        with pytest.raises(IndexError):
            entries[-8]

    def test_len_first(self) -> None:
        assert len(self._entries(5)) == 5

    def test_chunks_are_freed_as_they_are_read(self) -> None:
        """While chunk k is composed, the nodes of chunks before k-1 are gone: the memory
        the next chunk needs is the memory the last one used."""
        entries = self._entries(12)
        alive: list[int] = []
        refs: list[list[weakref.ref[Any]]] = []
        compose = Entries._compose

        def spy(self: Entries, k: int) -> list[Any]:
            alive.append(sum(r() is not None for chunk in refs[: max(0, k - 1)] for r in chunk))
            nodes = compose(self, k)
            refs.append([weakref.ref(n) for n in nodes])
            return nodes

        with mock.patch.object(Entries, "_compose", spy):
            for _ in entries:
                pass
        assert len(refs) == 12
        assert alive == [0] * 12


class TestNoNodeOutlivesTheLoad:
    @pytest.mark.parametrize("duplicate", [False, True], ids=["clean", "problem"])
    def test_when_the_collector_resumes(
        self, duplicate: bool, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No chunk's nodes are left for the collector to walk, not even the chunks
        composed again to locate a problem."""
        import gc

        entries = [_entry(i) for i in range(6)]
        if duplicate:
            entries[5] = entries[5].replace("id: e5", "id: e1")
        text = HEADER + "".join(entries)
        alive: list[int] = []
        enable = gc.enable

        def counting_enable() -> None:
            alive.append(sum(isinstance(o, yaml.nodes.Node) for o in gc.get_objects()))
            enable()

        monkeypatch.setattr(gc, "enable", counting_enable)
        result, how = outcome(text, chunk_bytes=1)
        assert how == "streamed"
        assert isinstance(result, tuple) == duplicate
        assert alive == [0]


class TestBenchmarkSizedFiles:
    def test_default_chunking_on_a_500_item_file(self) -> None:
        """With the shipped thresholds, a benchmark-sized file is streamed and loads to the
        same model as the whole text."""
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import bench

        rubric = bench.make_rubric(2, seed=3)
        rubric_text = to_yaml(rubric)
        loaded = cat_rubric.parse_rubric(rubric_text)
        evidence = bench.make_evidence(
            rubric, loaded.origin.sha256 if loaded.origin else "", 500, 3
        )
        data = to_yaml(evidence).encode("utf-8")
        assert len(data) > 2 * _stream.MIN_BYTES
        with mock.patch.object(_load, "compose", wraps=_yaml.compose) as whole:
            streamed = cat_rubric.parse_evidence(data, rubric=loaded)
        assert not whole.called
        assert streamed == evidence
        with mock.patch.object(_stream, "MIN_BYTES", NEVER):
            assert cat_rubric.parse_evidence(data, rubric=loaded) == streamed


def test_yaml_still_agrees() -> None:
    """The examples' data, as PyYAML reads it, is what the streamed loader built."""
    for path in sorted(EXAMPLES.glob("*.yaml")):
        with chunking(1):
            model = cat_rubric.load_evidence(path, rubric=RUBRIC)
        plain = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert [i.id for i in model.items] == [i["id"] for i in plain.get("items") or []]
