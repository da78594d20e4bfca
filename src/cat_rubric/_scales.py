"""Grading scales as data: the letters, their wording, and which outcome maps to which letter.

The engine decides an *outcome* for each part (`Outcome`: substantive steps, reply
silent on the part, contrary measure ...); a scale says which of its letters each
outcome receives. Scales ship in the package (``cat-2015``, ``ccpr-2016``,
``ccpr-2013``) and users may load their own from YAML with `load_scale`.
"""

from __future__ import annotations

import enum
import functools
import itertools
import os
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs

from cat_rubric._load import Parser, load_document
from cat_rubric._model import fast_hash
from cat_rubric._schema import Builder, checks, identifier, non_empty, not_blank, positions
from cat_rubric._yaml import Limits, read_bytes
from cat_rubric.exceptions import NotFoundError


class Outcome(enum.Enum):
    """What the engine concluded about a part, before a scale gives it a letter."""

    CONTRARY = "contrary"
    """A contrary measure, or (by default) an explicit rejection."""
    NO_REPLY = "no_reply"
    """No follow-up reply after the reminder(s)."""
    SILENT = "silent_on_part"
    """A reply arrived but says nothing on this part."""
    REFUSAL = "refusal"
    """A bare refusal, when the settings do not treat refusal as contrary."""
    NOT_RELEVANT = "not_relevant"
    """Information provided is not relevant to the recommendation."""
    NOT_IMPLEMENTED = "not_implemented"
    """Action taken, or information given, that does not implement it."""
    INITIAL = "initial_steps"
    """Initial action: a draft, a plan, an announced training."""
    SUBSTANTIVE = "substantive_steps"
    """Substantive, on-point action with gaps left."""
    LARGELY = "largely_implemented"
    """Every essential criterion implemented."""


fast_hash(Outcome)


#: Outcomes reached from evidence, least to most favourable. A scale's letters must
#: not go down along this chain, or raising a finding could lower a grade.
EVIDENCE_CHAIN: Final = (
    Outcome.CONTRARY,
    Outcome.SILENT,
    Outcome.REFUSAL,
    Outcome.NOT_RELEVANT,
    Outcome.NOT_IMPLEMENTED,
    Outcome.INITIAL,
    Outcome.SUBSTANTIVE,
    Outcome.LARGELY,
)

CCPR_2016_LETTERS: Final = ("A", "B", "C", "D", "E")


@attrs.frozen(kw_only=True)
class Grade:
    """One letter of a scale.

    Attributes:
        letter: E.g. ``B1``.
        label: Its short name, e.g. ``Reply/action partially satisfactory``.
        definition: Its wording.
        verified: Whether the wording was checked against the UN document (see ``source``).
        ccpr_2016: The ccpr-2016 letter it corresponds to, for comparisons across scales.
    """

    letter: str = attrs.field(metadata=checks(not_blank))
    label: str = attrs.field(metadata=checks(not_blank))
    definition: str = attrs.field(metadata=checks(not_blank))
    verified: bool
    ccpr_2016: str = attrs.field(metadata=checks(not_blank))


@attrs.frozen(kw_only=True)
class Rules:
    """Which letter each outcome receives (the keys are `Outcome` values)."""

    largely_implemented: str
    substantive_steps: str
    initial_steps: str
    not_implemented: str
    not_relevant: str
    refusal: str
    silent_on_part: str
    no_reply: str
    contrary: str


@attrs.frozen(kw_only=True)
class Scale:
    """A named, versioned grading scale.

    Attributes:
        id: E.g. ``ccpr-2016``.
        version: Bumped whenever the letters, wording or rules change.
        title: Its name.
        body: The treaty body that uses it.
        source: The documents it is taken from.
        description: What it is and how far its wording is verified.
        grades: The letters, best first.
        rules: Which letter each outcome receives.
        information_quality: Whether assessments also judge the quality of the
            State's information (thorough / partial / not relevant / none), as CAT does.
    """

    id: str = attrs.field(metadata=checks(identifier))
    version: int
    title: str = attrs.field(metadata=checks(not_blank))
    body: str = attrs.field(metadata=checks(not_blank))
    source: str = attrs.field(metadata=checks(not_blank))
    description: str = attrs.field(metadata=checks(not_blank))
    grades: tuple[Grade, ...] = attrs.field(metadata=checks(non_empty))
    rules: Rules
    information_quality: bool = False

    def letter(self, outcome: Outcome) -> str:
        """The letter this scale gives *outcome*."""
        return str(getattr(self.rules, outcome._value_))  # _value_: Enum.value is slow

    def rank(self, letter: str) -> int:
        """Position of *letter* counted from the worst (0); higher is better."""
        return self._ranks[letter]

    def grade(self, letter: str) -> Grade:
        """The `Grade` for *letter*; `KeyError` if the scale has no such letter."""
        return self.grades[len(self.grades) - 1 - self._ranks[letter]]

    @property
    def letters(self) -> tuple[str, ...]:
        """The letters, best first."""
        return tuple(g.letter for g in self.grades)

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        n = len(self.grades)
        return {g.letter: n - 1 - i for i, g in enumerate(self.grades)}


def _validate_scale(b: Builder, fields: dict[str, Any]) -> None:
    grades: tuple[Grade, ...] = fields.get("grades", ())
    letters: dict[str, int] = {}
    for i, grade in positions(grades):
        if grade.letter in letters:
            b.report_at(
                ("grades", i, "letter"), "duplicate-id", f"letter {grade.letter!r} is used twice"
            )
        letters.setdefault(grade.letter, len(grades) - 1 - i)
        if grade.ccpr_2016 not in CCPR_2016_LETTERS:
            b.report_at(
                ("grades", i, "ccpr_2016"),
                "unknown-value",
                f"{grade.ccpr_2016!r} is not a ccpr-2016 letter (A, B, C, D or E)",
            )
    rules: Rules | None = fields.get("rules")
    if rules is None or not letters:
        return
    unknown = [o for o in Outcome if getattr(rules, o.value) not in letters]
    for outcome in unknown:
        b.report_at(
            ("rules", outcome.value),
            "unknown-reference",
            f"{getattr(rules, outcome.value)!r} is not a letter of this scale "
            f"({', '.join(letters)})",
        )
    if unknown:
        return
    for lower, higher in itertools.pairwise(EVIDENCE_CHAIN):
        lo, hi = getattr(rules, lower.value), getattr(rules, higher.value)
        if letters[lo] > letters[hi]:
            b.report_at(
                ("rules", higher.value),
                "not-monotonic",
                f"{higher.value} gets {hi!r}, worse than {lower.value}'s {lo!r}; better "
                "evidence must never earn a worse letter",
            )


def parse_scale(
    text: str | bytes,
    *,
    file: str = "<string>",
    limits: Limits | None = None,
    parser: Parser = "auto",
) -> Scale:
    """Load a grading scale from YAML text.

    Raises:
        LoadError: listing every problem, each with its line and column.
    """
    return load_document(text, file, Scale, _validate_scale, limits=limits, parser=parser)


def load_scale(source: str | os.PathLike[str], *, limits: Limits | None = None) -> Scale:
    """Load a bundled scale by id (``cat-2015``, ``ccpr-2016``, ``ccpr-2013``) or a YAML file.

    Raises:
        LoadError: the file has problems.
        NotFoundError: *source* is neither a file nor a bundled scale's id.
    """
    if isinstance(source, str) and source in _CACHE:
        return _CACHE[source]
    limits = limits or Limits()
    path = Path(source)
    if not path.exists():
        bundled = _bundled_scale_dir() / f"{source}.yaml"
        if not bundled.is_file() or os.sep in str(source):
            known = ", ".join(bundled_scales())
            raise NotFoundError(
                f"{source!r} is neither a file nor the id of a bundled scale (bundled: {known})"
            )
        return _cached_bundled(str(source))
    return parse_scale(read_bytes(path, limits), file=str(source), limits=limits)


_CACHE: dict[str, Scale] = {}


def _cached_bundled(scale_id: str) -> Scale:
    if scale_id not in _CACHE:
        path = _bundled_scale_dir() / f"{scale_id}.yaml"
        _CACHE[scale_id] = parse_scale(path.read_bytes(), file=f"<bundled scale {scale_id}>")
    return _CACHE[scale_id]


def _bundled_scale_dir() -> Path:
    return Path(str(resources.files("cat_rubric"))) / "scales"


def bundled_scales() -> tuple[str, ...]:
    """Ids of the scales that ship with cat_rubric, sorted."""
    return tuple(sorted(p.stem for p in _bundled_scale_dir().glob("*.yaml")))
