"""Grading scales: the bundled ones, their lookups, and the checks on a scale of one's own."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

import cat_rubric
from cat_rubric import LoadError, NotFoundError, Scale, load_scale, parse_scale
from cat_rubric.exceptions import Problem
from cat_rubric.grading import Outcome
from tests.conftest import EXAMPLES

if TYPE_CHECKING:
    from pathlib import Path

# A valid four-letter scale; line numbers below refer to this text.
USER_SCALE = """\
id: my-scale
version: 3
title: A scale of my own
body: CAT
source: Nowhere
description: Four letters.
grades:
  - {letter: Good, label: Good, definition: Good., verified: false, ccpr_2016: A}
  - {letter: Fair, label: Fair, definition: Fair., verified: false, ccpr_2016: B}
  - {letter: Poor, label: Poor, definition: Poor., verified: false, ccpr_2016: C}
  - {letter: Bad, label: Bad, definition: Bad., verified: false, ccpr_2016: E}
rules:
  largely_implemented: Good
  substantive_steps: Fair
  initial_steps: Fair
  not_implemented: Poor
  not_relevant: Poor
  refusal: Poor
  silent_on_part: Poor
  no_reply: Poor
  contrary: Bad
information_quality: false
"""


def edit(text: str, old: str, new: str) -> str:
    """*text* with the one occurrence of *old* replaced by *new*."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str) -> tuple[Problem, ...]:
    """The problems loading *text* as a scale reports."""
    with pytest.raises(LoadError) as info:
        parse_scale(text, file="scale.yaml")
    return info.value.problems


def where(p: Problem) -> tuple[str, int, int, str, str]:
    """File, line, column, path and code of *p*."""
    return (p.file, p.line, p.column, str(p.path), p.code)


class TestBundled:
    """The scales that ship with cat_rubric."""

    def test_listed(self) -> None:
        """The three bundled scales are listed, sorted."""
        assert cat_rubric.bundled_scales() == ("cat-2015", "ccpr-2013", "ccpr-2016")

    @pytest.mark.parametrize(
        ("scale_id", "letters"),
        [
            ("cat-2015", ("A", "B", "C", "D", "E")),
            ("ccpr-2016", ("A", "B", "C", "D", "E")),
            ("ccpr-2013", ("A", "B1", "B2", "C1", "C2", "D1", "D2", "E")),
        ],
    )
    def test_letters_in_order(self, scale_id: str, letters: tuple[str, ...]) -> None:
        """Each bundled scale loads by id with its letters best first."""
        scale = load_scale(scale_id)
        assert scale.id == scale_id
        assert scale.letters == letters

    @pytest.mark.parametrize(
        ("scale_id", "verified"),
        [
            ("ccpr-2016", {"A", "B", "C", "D", "E"}),
            ("cat-2015", set()),
            ("ccpr-2013", {"A", "B1", "B2", "C2"}),
        ],
    )
    def test_verified_flags(self, scale_id: str, verified: set[str]) -> None:
        """Exactly the letters whose wording was checked are marked verified."""
        scale = load_scale(scale_id)
        assert {g.letter for g in scale.grades if g.verified} == verified

    @pytest.mark.parametrize("scale_id", ["cat-2015", "ccpr-2016", "ccpr-2013"])
    def test_unverified_wording_marked(self, scale_id: str) -> None:
        """Every unverified definition says so in its text; verified ones do not."""
        for grade in load_scale(scale_id).grades:
            assert ("[unverified" in grade.definition) is not grade.verified, grade.letter

    def test_information_quality(self) -> None:
        """Only cat-2015 judges the quality of the State's information."""
        assert load_scale("cat-2015").information_quality is True
        assert load_scale("ccpr-2016").information_quality is False
        assert load_scale("ccpr-2013").information_quality is False

    def test_unknown_id(self) -> None:
        """An id that is neither a file nor a bundled scale is NotFoundError listing the scales."""
        with pytest.raises(NotFoundError, match="ccpr-2016"):
            load_scale("nope")


class TestLookups:
    """letter(), rank() and grade() on a scale."""

    def test_letter(self) -> None:
        """Each outcome gets the letter its rule names."""
        scale = load_scale("ccpr-2013")
        expected = {
            Outcome.LARGELY: "A",
            Outcome.SUBSTANTIVE: "B1",
            Outcome.INITIAL: "B2",
            Outcome.NOT_IMPLEMENTED: "C1",
            Outcome.NOT_RELEVANT: "C2",
            Outcome.REFUSAL: "C2",
            Outcome.SILENT: "D1",
            Outcome.NO_REPLY: "D2",
            Outcome.CONTRARY: "E",
        }
        assert {o: scale.letter(o) for o in Outcome} == expected

    def test_rank(self) -> None:
        """rank counts from the worst letter (0) up; unknown letters raise KeyError."""
        scale = load_scale("cat-2015")
        assert [scale.rank(x) for x in scale.letters] == [4, 3, 2, 1, 0]
        with pytest.raises(KeyError):
            scale.rank("F")

    def test_grade(self) -> None:
        """grade returns the letter's Grade; unknown letters raise KeyError."""
        scale = load_scale("ccpr-2013")
        grade = scale.grade("C2")
        assert (grade.letter, grade.ccpr_2016, grade.verified) == ("C2", "C", True)
        assert scale.grade("D1").label.startswith("No response")
        with pytest.raises(KeyError):
            scale.grade("B")


class TestUserScale:
    """A scale of one's own, from YAML: loaded, used, and checked."""

    def test_parses(self) -> None:
        """The valid user scale loads with its letters and rules."""
        scale = parse_scale(USER_SCALE)
        assert scale.letters == ("Good", "Fair", "Poor", "Bad")
        assert scale.version == 3
        assert scale.letter(Outcome.SUBSTANTIVE) == "Fair"

    def test_file_used_by_assess(self, tmp_path: Path) -> None:
        """A scale file, given by path or as a Scale, grades an assessment in its letters."""
        path = tmp_path / "my-scale.yaml"
        path.write_text(USER_SCALE, encoding="utf-8")
        scale = load_scale(path)
        assert isinstance(scale, Scale)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        evidence = cat_rubric.load_evidence(EXAMPLES / "kaz-2010-state-reply.yaml", rubric=rubric)
        for given in (scale, str(path)):
            result = cat_rubric.assess(rubric, evidence, scale=given)
            assert result.record.scale == "my-scale"
            assert result.record.scale_version == 3
            assert result.part("7a").grade == "Good"
            assert result.part("9a").grade == "Fair"
            assert result.part("18a").grade == "Bad"
            assert result.recommendation(18).grade == "Bad"

    def test_no_reply_letter(self) -> None:
        """The user scale's no-reply letter is what an unanswered follow-up gets."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        evidence = cat_rubric.load_evidence(EXAMPLES / "kaz-2010-no-reply.yaml", rubric=rubric)
        result = cat_rubric.assess(rubric, evidence, scale=parse_scale(USER_SCALE))
        assert {p.grade for p in result.parts} == {"Poor"}
        assert result.as_of == dt.date(2010, 6, 30)

    def test_not_monotonic(self) -> None:
        """Rules giving better evidence a worse letter are rejected at the offending rule."""
        text = edit(USER_SCALE, "substantive_steps: Fair", "substantive_steps: Poor")
        text = edit(text, "not_implemented: Poor", "not_implemented: Fair")
        found = problems(text)
        assert [where(p) for p in found] == [
            ("scale.yaml", 14, 22, "rules.substantive_steps", "not-monotonic")
        ]
        assert "better evidence must never earn a worse letter" in found[0].message

    def test_unknown_letter_in_rule(self) -> None:
        """A rule naming a letter the scale lacks is unknown-reference, listing the letters."""
        (p,) = problems(edit(USER_SCALE, "initial_steps: Fair", "initial_steps: Okay"))
        assert where(p) == ("scale.yaml", 15, 18, "rules.initial_steps", "unknown-reference")
        assert "'Okay'" in p.message
        assert "Good, Fair, Poor, Bad" in p.message

    def test_every_unknown_letter_reported(self) -> None:
        """Two rules naming unknown letters are both reported, all at once."""
        text = edit(USER_SCALE, "initial_steps: Fair", "initial_steps: Okay")
        text = edit(text, "contrary: Bad", "contrary: Awful")
        found = problems(text)
        assert [(str(p.path), p.code) for p in found] == [
            ("rules.initial_steps", "unknown-reference"),
            ("rules.contrary", "unknown-reference"),
        ]

    def test_duplicate_letter(self) -> None:
        """A letter used twice is duplicate-id on the second."""
        again = "  - {letter: Fair, label: Again, definition: A., verified: false, ccpr_2016: B}\n"
        (p,) = problems(edit(USER_SCALE, "rules:\n", again + "rules:\n"))
        assert where(p) == ("scale.yaml", 12, 14, "grades[4].letter", "duplicate-id")
        assert "'Fair'" in p.message

    def test_ccpr_2016_letter_outside_a_to_e(self) -> None:
        """ccpr_2016 must be one of A to E."""
        (p,) = problems(edit(USER_SCALE, "ccpr_2016: B}", "ccpr_2016: B1}"))
        assert where(p) == ("scale.yaml", 9, 80, "grades[1].ccpr_2016", "unknown-value")
        assert "'B1'" in p.message
