"""Properties of YAML in and out: round trips, corrupted files, arbitrary input, both parsers,
scalars that name no value, the alias budget and the did-you-mean budget."""

from __future__ import annotations

import contextlib
import difflib
import math
import re
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import CatRubricError, LoadError, Rubric, _schema
from cat_rubric._dump import to_yaml
from cat_rubric._load import Parser
from cat_rubric._schema import Builder
from cat_rubric._yaml import (
    INVALID_TAG,
    LINE_BREAK,
    MAX_INT,
    NotAValueError,
    bool_value,
    compose,
    float_value,
    int_value,
)
from cat_rubric.exceptions import PROBLEM_CODES, LimitError, Problem
from cat_rubric.limits import Limits
from cat_rubric.testing import rubrics
from tests.conftest import BUNDLED, DATA, EXAMPLES

BUNDLED_TEXT = BUNDLED.read_text(encoding="utf-8")
TOKENS = ["[]", "{}", "no", "1", "-3", "~", '"x"', "2008-02-30", "*nope", "!!binary aGk=", ""]
_VALUE_LINE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: ).+$")
# Characters inserted into a file: anything but YAML's line breaks other than "\n",
# so that "line" means the same thing in the file and in the expectation.
_INSERTED = st.text(
    st.characters(exclude_categories=("Zl", "Zp"), exclude_characters="\r\x85"), max_size=8
)


def load(text: str | bytes, parser: Parser = "auto") -> Rubric | LoadError:
    """The rubric *text* loads into, or the LoadError it raises."""
    try:
        return cat_rubric.parse_rubric(text, parser=parser)
    except LoadError as exc:
        return exc


def where(p: Problem) -> tuple[int, int, str, str]:
    """Line, column, path and code of *p*."""
    return (p.line, p.column, str(p.path), p.code)


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

    @pytest.mark.parametrize(
        "value", ["1e3", "0o17", "0x1F", "+12", "-.5e-3", ".inf", "-.Inf", ".NaN", "~", "TRUE"]
    )
    def test_text_a_yaml_1_2_reader_takes_for_a_number_is_quoted(self, value: str) -> None:
        """PyYAML reads ``1e3`` as text; editors and check-jsonschema (YAML 1.2) as a number."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        rec = attrs.evolve(rubric.recommendations[0], title=value)
        rubric = attrs.evolve(rubric, recommendations=(rec, *rubric.recommendations[1:]))
        text = to_yaml(rubric)
        assert f"title: '{value}'" in text
        assert cat_rubric.parse_rubric(text) == rubric

    def test_other_text_stays_plain(self) -> None:
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        rec = attrs.evolve(rubric.recommendations[0], title="1e3 cases")
        rubric = attrs.evolve(rubric, recommendations=(rec, *rubric.recommendations[1:]))
        assert "title: 1e3 cases" in to_yaml(rubric)

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
        """On a corrupted file both succeed equally or both fail, with the same problems:
        code, line, column, path and message, syntax errors and depth limits included."""
        c, python = load(bad.text, "c"), load(bad.text, "python")
        if isinstance(c, Rubric) or isinstance(python, Rubric):
            assert c == python
            return
        assert c.problems == python.problems


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


# -- scalars that name no value --------------------------------------------------------

BAD_VALUES = [
    "0b_",
    "0x_",
    "1" * 5000,
    "9" * 19,
    '!!int "abc"',
    '!!int ""',
    '!!float "x"',
    "!!float 0x1F",
    '!!bool "maybe"',
    '!!null "x"',
    '!!timestamp "x"',
]
TYPED_LINES = [
    "session: 50",
    "weight: 2",
    "essential: true",
    "paragraph: 9",
    "within_months: 12",
    "adopted: 2013-05-31",
]
NUMBERISH = st.text(st.sampled_from("0123456789abcdefxobABCDEFXOB_+-.:eE~nNtTyY "), max_size=30)
TAG_PREFIXES = ["", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp ", "!!str ", "! "]


def problems_of(text: str, parser: Parser = "auto") -> tuple[Problem, ...]:
    """The problems loading *text* as a rubric reports (it must fail)."""
    result = load(text, parser)
    assert isinstance(result, LoadError), result
    return result.problems


class TestBadScalars:
    """A scalar YAML reads as a number, true/false value, null or date (by its writing or
    by an explicit tag) that is no such value is a located ``bad-scalar`` problem."""

    @pytest.mark.parametrize("parser", ["c", "python"])
    @pytest.mark.parametrize("value", BAD_VALUES)
    @pytest.mark.parametrize("old", TYPED_LINES)
    def test_reported_where_it_is(
        self, minimal_text: str, old: str, value: str, parser: Parser
    ) -> None:
        """Each bad value, in each kind of typed field, is one bad-scalar at its line and
        key, and nothing else goes wrong for it: no exception, no false dangling
        reference to a paragraph that could not be read."""
        key = old.split(":", 1)[0]
        text = minimal_text.replace(old, f"{key}: {value}", 1)
        found = problems_of(text, parser)
        line = text[: text.index(f"{key}: {value}")].count("\n") + 1
        assert [(p.code, p.line, p.path.steps[-1]) for p in found] == [("bad-scalar", line, key)]
        check_locations(text, found)

    def test_message_says_what_why_and_what_to_do(self, minimal_text: str) -> None:
        """The message quotes what was read, says why it is no number, and what to do."""
        (plain,) = problems_of(minimal_text.replace("session: 50", "session: 0x_"))
        assert plain.message.startswith("'0x_' reads as a whole number")
        assert "hexadecimal digits" in plain.message
        assert "put it in quotes if it is text" in plain.message
        (tagged,) = problems_of(minimal_text.replace("session: 50", 'session: !!int "abc"'))
        assert tagged.message.startswith("'abc' is marked !!int (a whole number)")
        assert "remove the tag !!int if it is text" in tagged.message
        (long,) = problems_of(minimal_text.replace("session: 50", "session: " + "1" * 5000))
        assert "5,000 characters long" in long.message
        assert len(long.message) < 300

    @pytest.mark.parametrize("key", ['!!int "x"', "0x_", '!!bool "maybe"', "!!null x"])
    def test_keys(self, minimal_text: str, key: str) -> None:
        """A key that names no value of its tag is a bad-scalar too, not a crash."""
        text = minimal_text.replace("title: Minimal", f"{key}: 1\ntitle: Minimal")
        assert [(p.code, p.line) for p in problems_of(text)] == [("bad-scalar", 2)]

    @pytest.mark.parametrize(
        ("value", "code"),
        [
            ("!!null []", "unsupported-tag"),  # a list is not null
            ("!!str {a: 1}", "unsupported-tag"),
            ("!!set {a, b}", "unsupported-tag"),
            ("!!omap [{a: 1}]", "unsupported-tag"),
            ("!!binary aGk=", "unsupported-tag"),
            ("!!seq x", "unsupported-tag"),
            (".nan", "wrong-type"),  # a number, but not a whole one
            ("-.inf", "wrong-type"),
            ("!!str 12", "wrong-type"),
        ],
    )
    def test_other_tags_on_a_whole_number(self, minimal_text: str, value: str, code: str) -> None:
        """Tags on the wrong kind of node, and numbers of the wrong kind, are reported."""
        text = minimal_text.replace("session: 50", f"session: {value}")
        assert [p.code for p in problems_of(text)] == [code]

    @pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", "1.0e+999", "!!float .NaN"])
    def test_weight_not_a_finite_positive_number(self, minimal_text: str, value: str) -> None:
        """A weight of NaN or infinity is refused as not-positive."""
        text = minimal_text.replace("weight: 2", f"weight: {value}")
        assert [p.code for p in problems_of(text)] == ["not-positive"]

    def test_null_lists_are_not_empty_values(self, minimal_text: str) -> None:
        """``!!null`` marks an empty value only: a tagged list is not read as nothing."""
        text = minimal_text.replace("follow_up:\n", "notes: !!null [a]\nfollow_up:\n")
        assert [p.code for p in problems_of(text)] == ["unsupported-tag"]

    @given(
        st.sampled_from([*TYPED_LINES, "state_party: Testland", "indicator: structural"]),
        st.sampled_from(TAG_PREFIXES),
        NUMBERISH,
        st.booleans(),
        st.sampled_from(["c", "python"]),
    )
    def test_any_value_any_tag(
        self, line: str, tag: str, value: str, quoted: bool, parser: Parser
    ) -> None:
        """Any number-like text, tagged or not, quoted or not, in any field: a model or
        located, catalogued problems, never another exception."""
        key = line.split(":", 1)[0]
        written = f'"{value}"' if quoted else value
        text = MINIMAL_TEXT.replace(line, f"{key}: {tag}{written}", 1)
        result = load(text, parser)
        if isinstance(result, LoadError):
            check_locations(text, result.problems)
            assert {p.code for p in result.problems} <= PROBLEM_CODES

    def test_composed_documents_hold_only_readable_numbers(self) -> None:
        """compose marks an int it cannot read, so code that asks for ``INT`` never meets
        one (the loader reads paragraph numbers this way)."""
        doc = compose("a: 0x_\nb: 0x1F\nc: !!bool maybe\n", "<t>", Limits())
        tags = [value.tag for _, value in doc.root.value]
        assert tags == [INVALID_TAG + _schema.INT, _schema.INT, INVALID_TAG + _schema.BOOL]
        assert _schema.yaml_int(doc.root.value[1][1]) == 31


def _pattern(tag: str) -> re.Pattern[str]:
    """PyYAML's implicit pattern for *tag*."""
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values():
        for found, pattern in resolvers:
            if found == tag:
                return re.compile(pattern.pattern, pattern.flags)
    raise AssertionError(tag)  # pragma: no cover


# PyYAML's patterns, without verbose mode and anchors, for generating their texts.
_INT_TEXT = (
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT_TEXT = (
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _construct(kind: str, text: str) -> Any:
    node = yaml.ScalarNode(f"tag:yaml.org,2002:{kind}", text)
    return getattr(_CONSTRUCTOR, f"construct_yaml_{kind}")(node)


class TestNumberReaders:
    """The bounded readers read what PyYAML reads, and refuse the rest with a reason."""

    @given(st.from_regex(f"(?:{_INT_TEXT})", fullmatch=True).filter(lambda t: len(t) <= 100))
    def test_ints_as_pyyaml_reads_them(self, text: str) -> None:
        """Every text PyYAML reads as an int gives PyYAML's integer, within the bound, or
        a reason where PyYAML would raise (``0x_``) or the number is over 18 digits."""
        assert _pattern(_schema.INT).match(text)
        try:
            expected = _construct("int", text)
        except ValueError:  # PyYAML's own reading fails: '0x_'
            expected = None
        if expected is None or abs(expected) > MAX_INT:
            with pytest.raises(NotAValueError):
                int_value(text)
        else:
            assert int_value(text) == expected

    @given(st.from_regex(f"(?:{_FLOAT_TEXT})", fullmatch=True).filter(lambda t: len(t) <= 100))
    def test_floats_as_pyyaml_reads_them(self, text: str) -> None:
        """Every text PyYAML reads as a float gives PyYAML's number."""
        assert _pattern(_schema.FLOAT).match(text)
        expected, found = _construct("float", text), float_value(text)
        assert found == expected or (math.isnan(found) and math.isnan(expected))

    @pytest.mark.parametrize(
        "text", ["yes", "Yes", "YES", "no", "true", "False", "on", "OFF", "oFf", "tRUE"]
    )
    def test_booleans(self, text: str) -> None:
        """True/false values read as PyYAML reads them, in any letter case."""
        assert bool_value(text) is _construct("bool", text)

    @given(st.text(max_size=120))
    def test_any_text(self, text: str) -> None:
        """Any text is a value or a NotAValueError with a reason: never another exception."""
        for read in (int_value, float_value, bool_value):
            reason = ""
            try:
                read(text)
            except NotAValueError as exc:
                reason = str(exc)
                assert reason.strip()

    def test_bounds(self) -> None:
        """Whole numbers stop at 18 digits, numbers at 100 characters: Python's limit on
        converting digit strings (4,300 digits) is never met."""
        assert int_value(str(MAX_INT)) == MAX_INT
        assert int_value(f"-{MAX_INT}") == -MAX_INT
        for text in (str(MAX_INT + 1), "1" * 101, "1" * 5000, "0x" + "f" * 98):
            with pytest.raises(NotAValueError):
                int_value(text)
        with pytest.raises(NotAValueError, match="characters long"):
            float_value("1" * 5000 + ".0")


# -- the alias budget ------------------------------------------------------------------

EVIDENCE_HEAD = "rubric: test-minimal\ncycle: c\nassessor: a\nas_of: 2014-09-01\nitems:\n"
MINIMAL_TEXT = (DATA / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL = cat_rubric.parse_rubric(MINIMAL_TEXT)


def _item(k: int, source: str, quote: str) -> str:
    return (
        f"  - id: i{k}\n    criteria: [lawyer]\n    finding: initiated\n"
        f"    source: {source}\n    quote: {quote}\n"
    )


def _composes(text: str, limits: Limits, parser: Parser = "c") -> bool:
    """Whether *text* composes within *limits*; only alias-expansion may stop it."""
    try:
        compose(text, "<t>", limits, pure=parser == "python")
    except LimitError as exc:
        codes = [p.code for p in exc.problems]
    else:
        return True
    assert codes == ["alias-expansion"]
    return False


class TestAliasBudget:
    """Aliases of scalars count by their length, aliases of collections by their nodes and
    characters; legitimate reuse passes."""

    @pytest.mark.parametrize("parser", ["c", "python"])
    def test_long_text_quoted_many_times(self, parser: Parser) -> None:
        """One 100,000-character anchored text quoted by 100 items (about 10 million
        characters expanded) is refused at the anchor."""
        big = "x" * 100_000
        text = EVIDENCE_HEAD + _item(0, "{kind: ngo, title: t}", f"&big {big}")
        text += "".join(_item(k, "{kind: ngo, title: t}", "*big") for k in range(1, 101))
        with pytest.raises(LimitError) as info:
            cat_rubric.parse_evidence(text, rubric=MINIMAL, parser=parser)
        (p,) = info.value.problems
        assert (p.code, p.line, p.column) == ("alias-expansion", 10, 12)
        assert "1,000,000 characters" in p.message

    def test_source_reused_a_thousand_times(self) -> None:
        """A source mapping anchored once and reused by a thousand items loads."""
        source = (
            "{kind: ngo, title: Alternative report on follow-up (illustrative NGO coalition), "
            "symbol: CAT/C/TST/CO/1/Add.1, url: 'https://tbinternet.ohchr.org/x', "
            "locator: section 2.1, date: 2014-05-20}"
        )
        text = EVIDENCE_HEAD + _item(0, f"&src {source}", "q")
        text += "".join(_item(k, "*src", "q") for k in range(1, 1000))
        evidence = cat_rubric.parse_evidence(text, rubric=MINIMAL)
        assert len({item.source for item in evidence.items}) == 1

    @settings(max_examples=50)
    @given(st.integers(1, 60), st.integers(1, 30))
    def test_scalar_aliases_count_their_length(self, length: int, count: int) -> None:
        """*count* aliases of a *length*-character text expand by exactly count × length
        characters and *count* nodes: the limits hold at those figures, not below."""
        text = f"a: &t {'x' * length}\nb: [{', '.join(['*t'] * count)}]\n"
        chars, nodes = length * count, count
        assert _composes(text, Limits(max_alias_chars=chars, max_alias_nodes=nodes))
        assert not _composes(text, Limits(max_alias_chars=chars - 1))
        assert not _composes(text, Limits(max_alias_nodes=nodes - 1), "python")

    @settings(max_examples=50)
    @given(st.lists(st.text("xyz", max_size=5), max_size=5), st.integers(1, 20))
    def test_collection_aliases_count_nodes_and_characters(
        self, entries: list[str], count: int
    ) -> None:
        """An alias of a list adds its nodes (the list and its entries) and the length of
        its entries."""
        listed = ", ".join(f"'{e}'" for e in entries)
        text = f"a: &l [{listed}]\nb: [{', '.join(['*l'] * count)}]\n"
        chars, nodes = sum(map(len, entries)) * count, (len(entries) + 1) * count
        assert _composes(text, Limits(max_alias_chars=chars, max_alias_nodes=nodes))
        assert not _composes(text, Limits(max_alias_nodes=nodes - 1))
        if chars:
            assert not _composes(text, Limits(max_alias_chars=chars - 1))

    def test_billion_characters(self) -> None:
        """Nine levels of tenfold aliases of a 10-character text (10 billion characters,
        few nodes per level) stop at the character budget, measured without expanding."""
        lines = ["l0: &l0 xxxxxxxxxx"]
        lines += [f"l{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 10)}]" for k in range(1, 10)]
        text = "\n".join(lines) + "\n"
        limits = Limits(max_alias_nodes=10**12)
        with pytest.raises(LimitError, match="characters"):
            compose(text, "<t>", limits)

    @pytest.mark.parametrize("parser", ["c", "python"])
    def test_alias_of_itself(self, parser: Parser) -> None:
        """A node holding an alias of itself would expand without end: refused."""
        with pytest.raises(LimitError, match=r"alias .* of itself") as info:
            cat_rubric.parse_rubric("notes: &a [x, *a]\n", parser=parser)
        assert [(p.code, p.line, p.column) for p in info.value.problems] == [
            ("alias-expansion", 1, 8)
        ]


# -- the did-you-mean budget --------------------------------------------------------------


class TestSuggestionBudget:
    """difflib suggestions are computed while a per-document budget lasts."""

    @pytest.fixture(name="calls")
    def _calls(self, monkeypatch: pytest.MonkeyPatch) -> list[str]:
        calls: list[str] = []
        real = difflib.get_close_matches

        def counting(word: str, *args: Any, **kwargs: Any) -> list[str]:
            calls.append(word)
            return real(word, *args, **kwargs)

        monkeypatch.setattr(difflib, "get_close_matches", counting)
        return calls

    @settings(max_examples=10)
    @given(st.integers(0, 400))
    def test_unknown_keys(self, count: int) -> None:
        """However many distinct misspelt keys, at most the budget of comparisons; every
        problem still says what to do."""
        calls: list[str] = []
        real = difflib.get_close_matches

        def counting(word: str, *args: Any, **kwargs: Any) -> list[str]:
            calls.append(word)
            return real(word, *args, **kwargs)

        keys = "".join(f"titel{k}: x\n" for k in range(count))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(difflib, "get_close_matches", counting)
            result = load(keys + MINIMAL_TEXT)
        assert len(calls) == min(count, Builder.suggestion_budget)
        if count:
            assert isinstance(result, LoadError)
            unknown = [p for p in result.problems if p.code == "unknown-key"]
            assert len(unknown) == count
            for p in unknown:
                assert "did you mean 'title'?" in p.message or "allowed: id, title" in p.message

    def test_unknown_values(self, calls: list[str]) -> None:
        """Misspelt enum values draw on the same budget; the message lists the values."""
        criteria = "".join(
            f"          - id: c{k}\n            statement: s\n            indicator: proc{k}\n"
            "            essential: true\n            evidence: [ngo]\n"
            "            guidance: g\n            request: r\n"
            for k in range(150)
        )
        text = MINIMAL_TEXT.replace("        criteria:\n", "        criteria:\n" + criteria, 1)
        found = [p for p in problems_of(text) if p.code == "unknown-value"]
        assert len(found) == 150
        assert len(calls) == Builder.suggestion_budget
        assert all("is not one of: structural, process, outcome" in p.message for p in found)

    def test_same_word_remembered(self, calls: list[str]) -> None:
        """The same word among the same candidates is compared once."""
        builder = Builder(compose("a: b\n", "<t>", Limits()), Limits())
        names = ("title", "symbol", "session")
        assert [builder.suggest("titel", names) for _ in range(500)] == ["title"] * 500
        assert calls == ["titel"]

    def test_budget_spent(self, calls: list[str]) -> None:
        """Past the budget, new words get no suggestion; remembered ones keep theirs."""
        builder = Builder(compose("a: b\n", "<t>", Limits()), Limits())
        names = ["title"]
        for k in range(Builder.suggestion_budget):
            builder.suggest(f"titl{k}", names)
        assert builder.suggest("titel", names) is None
        assert builder.suggest("titl0", names) == "title"
        assert len(calls) == Builder.suggestion_budget
