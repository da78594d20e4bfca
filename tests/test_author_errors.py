"""Errors for authors: what a new user writing a rubric and its evidence meets, in plain words.

Every test here starts from a real file a person could write, breaks it the way people do,
and reads what cat_rubric says back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import LoadError, parse_evidence, parse_rubric
from cat_rubric._similar import DASHES, alike, difference, fold
from cat_rubric.exceptions import Problem
from cat_rubric.model import SourceKind
from tests.conftest import DATA, MINIMAL, ROOT, Run
from tests.conftest import MINIMAL_EVIDENCE as EVIDENCE
from tests.test_errors_doc import CASES

RUBRIC = parse_rubric(MINIMAL)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def problems_of(text: str, *, rubric: bool = False) -> tuple[Problem, ...]:
    def load() -> object:
        if rubric:
            return parse_rubric(text, file="r.yaml")
        return parse_evidence(text, rubric=RUBRIC, file="e.yaml")

    with pytest.raises(LoadError) as info:
        load()
    return info.value.problems


def only(text: str, *, rubric: bool = False) -> Problem:
    found = problems_of(text, rubric=rubric)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


class TestSyntaxHints:
    """PyYAML's words are followed by the likely cause and its fix, for real broken files."""

    def syntax(self, text: str, parser: str = "auto") -> Problem:
        with pytest.raises(LoadError) as info:
            parse_evidence(text, rubric=RUBRIC, file="e.yaml", parser=parser)  # type: ignore[arg-type]
        (p,) = info.value.problems
        assert p.code == "yaml-syntax"
        assert p.message.startswith("YAML syntax error: ")
        return p

    @pytest.mark.parametrize("parser", ["auto", "python"])
    def test_colon_in_unquoted_text(self, parser: str) -> None:
        """A colon and a space inside a summary: quote it, with the line itself as the example."""
        p = self.syntax(edit(EVIDENCE, "summary: The reply", "summary: Note: the reply"), parser)
        assert (p.line, p.column) == (11, 18)
        assert "mapping values are not allowed here" in p.message  # PyYAML's words stay
        assert "a colon followed by a space inside unquoted text" in p.message
        assert 'summary: "Note: the reply reports a draft amendment."' in p.message

    def test_a_quoted_example_escapes_quotes(self) -> None:
        """The example fix is itself valid YAML: inner quotes and backslashes escaped."""
        p = self.syntax(edit(EVIDENCE, "summary: The reply", 'summary: Note: a "C:\\d" reply'))
        example = p.message.split("e.g. ", 1)[1]
        assert example.startswith("summary: ")
        fixed = edit(EVIDENCE, EVIDENCE.splitlines()[10].strip(), example)
        assert parse_evidence(fixed, rubric=RUBRIC).items[0].summary == (
            'Note: a "C:\\d" reply reports a draft amendment.'
        )

    def test_tab_indentation(self) -> None:
        """A tab before a key: use spaces."""
        p = self.syntax(edit(EVIDENCE, "    finding:", "\tfinding:"))
        assert "tab" in p.message.split(" — ")[1]
        assert "replace the tab with spaces" in p.message

    @pytest.mark.parametrize(
        ("old", "new", "says"),
        [
            # One space too many after a plain value: the line is read as more of its text.
            pytest.param(
                "    source:",
                "     source:",
                ["this line starts in column 6, further in than the key on line 9 (column 5)"],
                id="key-indented-too-far-after-text",
            ),
            # One space too many after a list: the columns of the keys above are named.
            pytest.param(
                "    finding:",
                "     finding:",
                ["this line starts in column 6; the lines above it start in column 5 (line 8)"],
                id="key-indented-too-far",
            ),
            # Two spaces too few: the columns that keys above start in are named.
            pytest.param(
                "reply: {received: true, date: 2014-06-01}",
                "reply:\n    received: true\n  date: 2014-06-01",
                [
                    "the indentation does not match: this line starts in column 3",
                    "column 5 (line 6), column 1 (line 5)",
                ],
                id="key-indented-too-little",
            ),
            # A key where the list's dashes are: a new entry needs '- ', a key two spaces.
            pytest.param(
                "    finding:",
                "  finding:",
                ["in the column of the list's '- ' entries (line 7)"],
                id="key-in-the-column-of-a-list",
            ),
            # An unclosed quote is named where it opens.
            pytest.param(
                "assessor: A. Analyst",
                'assessor: "A. Analyst',
                ["the quote opened at line 3, column 11 is never closed"],
                id="unclosed-quote",
            ),
            # 'The State's reply': double the apostrophe, or use the other quotes.
            pytest.param(
                "summary: The reply",
                "summary: 'The State's' reply",
                ["write an apostrophe inside single quotes as two"],
                id="apostrophe-inside-single-quotes",
            ),
            # An unclosed list is named where its bracket opens.
            pytest.param(
                "criteria: [lawyer]",
                "criteria: [lawyer",
                ["the list opened with '[' at line 8, column 15 is not closed"],
                id="unclosed-bracket",
            ),
            # ' #' inside brackets hides the closing bracket: said so.
            pytest.param(
                "criteria: [lawyer]",
                "criteria: [lawyer #1]",
                ["' #' inside the brackets starts a comment"],
                id="comment-inside-brackets",
            ),
            # '[sic] the reply': a value that begins with a bracket is a list; quote the text.
            pytest.param(
                "summary: The reply",
                "summary: [sic] The reply",
                ["the value begins with '['"],
                id="text-beginning-with-a-bracket",
            ),
            *(
                pytest.param(
                    "summary: The reply",
                    f"summary: {char}The reply",
                    ["unquoted text cannot begin with"],
                    id=f"reserved-first-character-{char}",
                )
                for char in ["@", "`"]
            ),
            pytest.param(
                "summary: The reply",
                "summary: *see* the reply",
                ["put it in quotes"],
                id="star-begins-an-alias",
            ),
            pytest.param(
                "summary: The reply",
                'summary: "C:\\path" The reply',
                ["a backslash starts an escape"],
                id="backslash-in-double-quotes",
            ),
        ],
    )
    def test_the_cause_is_named(self, old: str, new: str, says: list[str]) -> None:
        """A mistake people make, made in the minimal evidence: the message names its cause."""
        p = self.syntax(edit(EVIDENCE, old, new))
        for words in says:
            assert words in p.message

    @given(st.text(st.sampled_from("ab: -[]{}'\"#\t\n*@&|>"), max_size=40))
    def test_any_syntax_error_gets_words(self, text: str) -> None:
        """Whatever the broken text, the message has PyYAML's words, then a cause after ' — '."""
        try:
            parse_evidence(text, file="e.yaml")
        except LoadError as exc:
            for p in exc.problems:
                if p.code == "yaml-syntax":
                    assert " — " in p.message
                    assert p.message.split(" — ", 1)[1].strip()


class TestCodes:
    """Each problem's code is printed, and docs/errors.md's examples show it."""

    def test_validate_prints_the_code(self, run: Run) -> None:
        status, _, err = run("validate", str(DATA / "broken.yaml"))
        assert status == 1
        lines = [line for line in err.splitlines() if re.match(r".*:\d+:\d+: ", line)]
        assert lines
        assert all(re.search(r" \[[a-z0-9-]+\]$", line) for line in lines)
        assert lines[0].endswith("[wrong-type]")

    def test_the_doc_examples_end_with_their_code(self) -> None:
        """Every problem line in docs/errors.md ends with the code of the entry it is in."""
        doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
        entries = re.split(r"^### ", doc, flags=re.MULTILINE)[1:]
        for entry in entries:
            code = re.match(r"`([a-z0-9-]+)`", entry)
            assert code is not None
            shown = re.findall(r"^\S+:\d+:\d+: .*$", entry, re.MULTILINE)
            assert shown, code[1]
            for line in shown:
                assert line.endswith(f" [{code[1]}]"), line


class TestAlike:
    """A did-you-mean for a case-only difference, and values that differ by a dash or a space."""

    def test_enum_value_in_capitals(self) -> None:
        p = only(edit(MINIMAL, "evidence: [ngo, npm]", "evidence: [ngo, NPM]"), rubric=True)
        assert p.code == "unknown-value"
        assert "did you mean 'npm'? (they differ only in upper and lower case)" in p.message

    def test_finding_with_a_space(self) -> None:
        p = only(edit(EVIDENCE, "finding: partially_implemented", "finding: partially implemented"))
        assert "did you mean 'partially_implemented'?" in p.message
        assert "has a space where 'partially_implemented' has an underscore (_)" in p.message

    def test_key_in_capitals(self) -> None:
        (p,) = [
            p
            for p in problems_of(edit(MINIMAL, "session: 50", "Session: 50"), rubric=True)
            if p.code == "unknown-key"
        ]
        assert "did you mean 'session'? (they differ only in upper and lower case)" in p.message

    def test_criterion_id_in_capitals(self) -> None:
        p = only(edit(EVIDENCE, "criteria: [lawyer]", "criteria: [Lawyer]"))
        assert p.code == "unknown-reference"
        assert "did you mean 'lawyer'? (they differ only in upper and lower case)" in p.message

    def test_wrong_rubric_in_capitals(self) -> None:
        p = only(edit(EVIDENCE, "rubric: test-minimal", "rubric: Test-Minimal"))
        assert p.code == "wrong-rubric"
        assert "(they differ only in upper and lower case)" in p.message

    def test_cycles_that_differ_by_a_dash(self) -> None:
        """'2013–2014' against '2013-2014': the two files are told apart, and why."""
        one = parse_evidence(
            EVIDENCE.replace("2014 follow-up", "2013–2014 follow-up"), rubric=RUBRIC
        )
        two = parse_evidence(
            EVIDENCE.replace("2014 follow-up", "2013-2014 follow-up").replace("sp-1", "sp-2"),
            rubric=RUBRIC,
        )
        with pytest.raises(cat_rubric.AssessmentError) as info:
            cat_rubric.assess(RUBRIC, [one, two])
        message = str(info.value)
        assert "different follow-up cycles" in message
        assert "has a hyphen (-) where '2013–2014 follow-up' has an en dash (–, U+2013)" in message
        assert "write the cycle alike in every file" in message

    def test_cycles_that_really_differ_get_no_hint(self) -> None:
        one = parse_evidence(EVIDENCE, rubric=RUBRIC)
        two = parse_evidence(EVIDENCE.replace("2014 follow-up", "2015 follow-up"), rubric=RUBRIC)
        with pytest.raises(cat_rubric.AssessmentError) as info:
            cat_rubric.assess(RUBRIC, [one, two])
        assert "differ only" not in str(info.value)

    @given(st.text(max_size=20), st.text(st.sampled_from(" _\u00a0" + DASHES), max_size=3))
    def test_fold_forgives_only_case_dashes_and_space(self, word: str, noise: str) -> None:
        """A word with separators added at its ends, or in capitals, folds alike."""
        assert fold(noise + word.upper() + noise) == fold(word.lower()) or (
            word.upper().lower() != word.lower()  # a few characters change under case mapping
        )

    @given(st.text(max_size=20), st.text(max_size=20))
    def test_difference_only_for_alike_values(self, a: str, b: str) -> None:
        """`difference` speaks exactly when the values are unequal but fold alike."""
        said = difference(a, b)
        assert (said is not None) == (a != b and fold(a) == fold(b))

    def test_alike_needs_one_candidate(self) -> None:
        assert alike("NPM", ["npm", "ngo"]) == "npm"
        assert alike("a-b", ["a_b", "A B"]) is None  # two candidates: no guess
        assert alike("npm", ["npm"]) is None  # the word itself is no suggestion


OVERRIDE = (
    "overrides:\n  - {part: 9a, grade: %s, by: A. Analyst, date: 2014-09-01, reason: Judgement.}\n"
)


def with_override(letter: str) -> str:
    return edit(EVIDENCE, "items:", OVERRIDE % letter + "items:")


class TestOverrideLetters:
    """validate refuses the override letter that score would refuse: the scale's letters."""

    def test_a_letter_the_rubric_scale_lacks(self) -> None:
        p = only(with_override("B1"))
        assert (p.code, str(p.path), p.line) == ("unknown-value", "overrides[0].grade", 7)
        assert "'B1' is not a letter of scale cat-2015 (A, B, C, D, E)" in p.message
        assert "give it with --scale" in p.message
        assert "did you mean 'B'?" in p.message

    def test_a_letter_of_the_scale_given(self) -> None:
        """With the scale the file is graded on, its letters are the ones that count."""
        evidence = parse_evidence(with_override("B1"), rubric=RUBRIC, scale="ccpr-2013")
        assert evidence.overrides[0].grade == "B1"
        with pytest.raises(LoadError) as info:
            parse_evidence(with_override("B"), rubric=RUBRIC, scale="ccpr-2013")
        (p,) = info.value.problems
        assert "'B' is not a letter of scale ccpr-2013" in p.message
        assert "--scale" not in p.message  # the scale was given: nothing to add

    def test_without_a_rubric_nothing_is_checked(self) -> None:
        """A rubric of one's own, not given: the scale is unknown, so the letter is not judged."""
        text = edit(with_override("Z"), "rubric: test-minimal", "rubric: not-bundled")
        assert parse_evidence(text).overrides[0].grade == "Z"

    def test_validate_and_score_agree(self, run: Run, tmp_path: Path) -> None:
        """What validate passes, score accepts, and what score refuses, validate refuses."""
        rubric = tmp_path / "r.yaml"
        rubric.write_text(MINIMAL, encoding="utf-8")
        evidence = tmp_path / "e.yaml"
        evidence.write_text(with_override("B1"), encoding="utf-8")
        status, _, err = run("validate", str(rubric), str(evidence))
        assert status == 1
        assert "[unknown-value]" in err
        status, _, err = run("score", str(rubric), str(evidence))
        assert status == 1
        assert "'B1' is not a letter of scale cat-2015" in err
        status, out, _ = run("validate", "--scale", "ccpr-2013", str(rubric), str(evidence))
        assert status == 0, out
        status, out, _ = run("score", "--scale", "ccpr-2013", str(rubric), str(evidence))
        assert status == 0
        assert "B1 (override" in out


class TestNotBundled:
    """A rubric of one's own is found on the command line, and the errors say how to pass it."""

    @pytest.fixture(name="files")
    def _files(self, tmp_path: Path) -> tuple[Path, Path]:
        rubric = tmp_path / "my-rubric.yaml"
        rubric.write_text(MINIMAL, encoding="utf-8")
        evidence = tmp_path / "evidence.yaml"
        evidence.write_text(EVIDENCE, encoding="utf-8")
        return rubric, evidence

    def test_evidence_before_its_rubric(self, run: Run, files: tuple[Path, Path]) -> None:
        """validate EVIDENCE RUBRIC: the rubric named later on the line is the one used."""
        rubric, evidence = files
        status, out, err = run("validate", str(evidence), str(rubric))
        assert (status, err) == (0, "")
        assert f"{evidence}: ok — evidence for test-minimal" in out
        broken = evidence.read_text(encoding="utf-8").replace("[lawyer]", "[lawyr]")
        evidence.write_text(broken, encoding="utf-8")
        status, _, err = run("validate", str(evidence), str(rubric))
        assert status == 1
        assert "has no criterion 'lawyr'; did you mean 'lawyer'?" in err
        assert "no bundled rubric" not in err

    def test_evidence_without_its_rubric(self, run: Run, files: tuple[Path, Path]) -> None:
        _, evidence = files
        status, _, err = run("validate", str(evidence))
        assert status == 1
        assert "no bundled rubric has the id 'test-minimal'" in err
        assert "give the rubric's file on the same command line" in err
        assert "--rubric RUBRIC.yaml" in err

    def test_an_id_for_a_file_here(
        self, run: Run, files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """`score my-rubric ...` with my-rubric.yaml here: write my-rubric.yaml."""
        rubric, evidence = files
        monkeypatch.chdir(rubric.parent)
        status, _, err = run("score", "my-rubric", evidence.name)
        assert status == 1
        assert "the file my-rubric.yaml is here: write my-rubric.yaml" in err
        status, _, err = run("score", "test-minimal", evidence.name)
        assert status == 1
        assert (
            "named by its file's path (with a '/' or ending in .yaml), e.g. ./test-minimal" in err
        )

    def test_a_bundled_id_in_capitals(self, run: Run, tmp_path: Path) -> None:
        evidence = tmp_path / "e.yaml"
        text = (ROOT / "examples" / "kaz-2010-state-reply.yaml").read_text(encoding="utf-8")
        evidence.write_text(edit(text, "rubric: cat-kaz-co-2", "rubric: CAT-KAZ-CO-2"), "utf-8")
        _, _, err = run("validate", str(evidence))
        assert "did you mean 'cat-kaz-co-2'? (they differ only in upper and lower case)" in err


class TestUnknownCriterion:
    """A mistyped criterion id is an error wherever the rubric is known, never an ignored item."""

    STATE = ROOT / "examples" / "kaz-2010-state-reply.yaml"

    def typo(self, tmp_path: Path) -> Path:
        path = tmp_path / "reply.yaml"
        text = self.STATE.read_text(encoding="utf-8")
        path.write_text(
            edit(text, "kaz-9-prompt-presentation-to-judge", "kaz-9-prompt-presentation-to-jugde"),
            encoding="utf-8",
        )
        return path

    def test_load_evidence_without_rubric_checks_the_bundled_one(self, tmp_path: Path) -> None:
        with pytest.raises(LoadError) as info:
            cat_rubric.load_evidence(self.typo(tmp_path))
        (p,) = info.value.problems
        assert p.code == "unknown-reference"
        assert "did you mean 'kaz-9-prompt-presentation-to-judge'?" in p.message

    def test_parse_evidence_too(self, tmp_path: Path) -> None:
        with pytest.raises(LoadError):
            parse_evidence(self.typo(tmp_path).read_bytes())

    def test_a_rubric_of_ones_own_is_not_guessed(self) -> None:
        """An id no bundled rubric has: nothing to check against, and nothing is refused."""
        text = edit(EVIDENCE, "rubric: test-minimal", "rubric: mine").replace("[lawyer]", "[x]")
        assert parse_evidence(text).items[0].criteria == ("x",)

    def test_assess_refuses_it(self) -> None:
        """Built in Python, the item reaches assess: an AssessmentError, not an ignored use."""
        import attrs

        good = parse_evidence(EVIDENCE, rubric=RUBRIC)
        item = attrs.evolve(good.items[0], criteria=("lawyr",))
        with pytest.raises(cat_rubric.AssessmentError) as info:
            cat_rubric.assess(RUBRIC, attrs.evolve(good, items=(item,)))
        assert "item 'sp-1' names criterion 'lawyr'" in str(info.value)
        assert "did you mean 'lawyer'?" in str(info.value)

    def test_the_example_files_still_load(self) -> None:
        """The bundled examples name only criteria the bundled rubric has."""
        for name in ("kaz-2010-state-reply", "kaz-2010-ngo-report", "kaz-2010-no-reply"):
            cat_rubric.load_evidence(ROOT / "examples" / f"{name}.yaml")


class TestParagraphRanges:
    """follow_up.recommendations may say "paragraphs 11-15"."""

    KAZ = (ROOT / "rubrics" / "cat-kaz-co-2.yaml").read_text(encoding="utf-8")
    LIST = "recommendations: [7, 9, 18, 29]"

    def follow_up(self, entries: str) -> str:
        return edit(self.KAZ, self.LIST, f"recommendations: [{entries}]")

    @pytest.mark.parametrize("dash", ["-", "–", " - ", "—"])
    def test_a_range_expands(self, dash: str) -> None:
        """'7-9' is paragraphs 7, 8 and 9; here 8 is no recommendation, and is named."""
        found = problems_of(self.follow_up(f"7{dash}9, 18, 29"), rubric=True)
        assert [(p.code, str(p.path)) for p in found] == [
            ("unknown-reference", "follow_up.recommendations[0]")
        ]
        assert f"no recommendation has paragraph 8 (of the range '7{dash}9')" in found[0].message

    def test_ranges_and_numbers_together(self, tmp_path: Path) -> None:
        """With every paragraph of a range a recommendation, the rubric loads, expanded."""
        text = self.KAZ.replace("paragraph: 9\n", "paragraph: 8\n", 1)
        text = text.replace(self.LIST, "recommendations: [7-8, 18, 29]")
        assert parse_rubric(text).follow_up.recommendations == (7, 8, 18, 29)
        dumped = parse_rubric(cat_rubric.to_yaml(parse_rubric(text)))
        assert dumped.follow_up.recommendations == (7, 8, 18, 29)

    @pytest.mark.parametrize(
        ("entry", "code", "words"),
        [
            ("29-18", "bad-range", "write 18-29"),
            ("0-3", "bad-range", "paragraphs start at 1"),
            ("1-5000", "bad-range", "names 5,000 paragraphs"),
            ("seven", "wrong-type", "a paragraph number or a range of them such as 11-15"),
            ("7-9-11", "wrong-type", "a range of them"),
        ],
    )
    def test_bad_ranges(self, entry: str, code: str, words: str) -> None:
        found = problems_of(self.follow_up(f"7, 9, 18, {entry}"), rubric=True)
        (p,) = [p for p in found if str(p.path) == "follow_up.recommendations[3]"]
        assert p.code == code
        assert words in p.message

    @given(st.integers(1, 500), st.integers(0, 40))
    def test_range_law(self, low: int, width: int) -> None:
        """A range names every paragraph from its first to its last, once, in order."""
        from cat_rubric._schema import paragraph_range

        assert paragraph_range(f"{low}-{low + width}") == tuple(range(low, low + width + 1))

    def test_format_doc_says_so(self) -> None:
        doc = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
        assert "an entry may be a range, `11-15`" in doc
        assert "`id`, `statement`, `indicator`, `evidence`, `guidance` and `request`" in doc


class TestTemplates:
    """The template of a source other than the State leaves the reply to the State's file."""

    RUBRIC = cat_rubric.load_rubric("cat-kaz-co-2")

    def fill(self, text: str, kind: str) -> str:
        """The template with its date and one item filled in, as an analyst would."""
        text = text.replace("as_of: 2009-11-18", "as_of: 2010-06-30")
        if kind == "state_party":
            text = text.replace("received: false", "received: true\n  date: 2010-02-15")
        item = (
            f"  - id: {kind}-1\n    criteria: [kaz-7a-public-condemnation]\n"
            f"    finding: partially_implemented\n"
            f"    source: {{kind: {kind}, title: A report, date: 2010-02-15}}\n"
            "    summary: Illustrative.\n"
        )
        return text.replace("items: []", "items:\n" + item)

    @pytest.mark.parametrize("kind", [k.value for k in SourceKind])
    def test_every_template_loads(self, kind: str) -> None:
        from cat_rubric._template import evidence_template

        text = evidence_template(self.RUBRIC, source=kind)
        evidence = parse_evidence(text, rubric=self.RUBRIC)
        assert (evidence.reply is not None) == (kind == "state_party")
        assert f"source: {{kind: {kind}," in text
        assert "rubric_sha256: " + self.RUBRIC.origin.sha256 in text  # type: ignore[union-attr]

    def test_the_state_and_an_ngo_template_assess_together(self) -> None:
        """Before: the NGO template said 'received: false' and clashed with the State's reply."""
        from cat_rubric._template import evidence_template

        state, ngo = (
            parse_evidence(
                self.fill(evidence_template(self.RUBRIC, source=k), k), rubric=self.RUBRIC
            )
            for k in ("state_party", "ngo")
        )
        result = cat_rubric.assess(self.RUBRIC, [state, ngo])
        assert result.reply_received
        criterion = result.part("7a").criterion("kaz-7a-public-condemnation")
        assert set(criterion.items) == {"ngo-1", "state_party-1"}

    def test_the_command_takes_the_source(self, run: Run) -> None:
        status, out, _ = run("template", "cat-kaz-co-2", "--source", "ngo")
        assert status == 0
        assert "\nreply:" not in out
        assert "# reply: {received: true, date: YYYY-MM-DD}" in out
        status, _, err = run("template", "cat-kaz-co-2", "--source", "NGO")
        assert status == 2
        assert "invalid choice" in err


#: What a Python repr looks like in a message: an object's class and its fields.
REPR = re.compile(
    r"datetime\.date\(|\b(?:Reply|Item|Source|Override|EvidenceFile|Rubric|KeyPath|Problem|"
    r"Finding|SourceKind|Indicator|Outcome|Status)[.(]|<[a-z_.]+ object at 0x|\{'[a-z_]+': "
)


class TestNoReprs:
    """Messages are written in words: no Python repr of an object reaches the reader."""

    @pytest.mark.parametrize("code", sorted(CASES))
    def test_load_errors(self, code: str, tmp_path: Path) -> None:
        """Each catalogued problem, reached from its real input, is said in words."""
        with pytest.raises(LoadError) as info:
            CASES[code](tmp_path)
        for p in info.value.problems:
            assert not REPR.search(p.message), p

    def assessment_errors(self) -> list[str]:
        import datetime as dt

        import attrs

        from cat_rubric.evidence import Override, Reply

        base = parse_evidence(EVIDENCE, rubric=RUBRIC)
        other = attrs.evolve(base, reply=Reply(received=True, date=dt.date(2014, 6, 2)))
        not_received = attrs.evolve(base, reply=Reply(received=False), as_of=dt.date(2014, 9, 2))
        override = Override(part="9a", grade="B", by="A", date=dt.date(2014, 9, 1), reason="R")
        with_override = attrs.evolve(base, overrides=(override,))
        item = base.items[0]
        cases = [
            [],
            [attrs.evolve(base, rubric="other")],
            [base, attrs.evolve(base, cycle="2015 follow-up")],
            [base, other],
            [base, not_received],
            [attrs.evolve(base, reply=None)],
            [with_override, with_override],
            [attrs.evolve(with_override, overrides=(attrs.evolve(override, grade="Z"),))],
            [attrs.evolve(base, items=(attrs.evolve(item, criteria=("lawyer", "lawyer")),))],
            [attrs.evolve(base, items=(attrs.evolve(item, criteria=("lawyr",)),))],
        ]
        messages = []
        for files in cases:
            with pytest.raises(cat_rubric.AssessmentError) as info:
                cat_rubric.assess(RUBRIC, files)
            messages.append(str(info.value))
        return messages

    def test_assessment_errors(self) -> None:
        """Every way inputs can fail to be assessed together is said in words."""
        messages = self.assessment_errors()
        assert len(set(messages)) == len(messages)
        for message in messages:
            assert not REPR.search(message), message
        assert any("received on 2014-06-02" in m for m in messages)  # a date, as a date

    def test_the_pattern_finds_reprs(self) -> None:
        """The check itself catches what the issue saw."""
        import datetime as dt

        from cat_rubric.evidence import Reply

        assert REPR.search(f"{Reply(received=True, date=dt.date(2014, 6, 1))}")
        assert REPR.search(f"{cat_rubric.Finding.IMPLEMENTED}")
        assert not REPR.search("the reply was received on 2014-06-01 (implemented)")
