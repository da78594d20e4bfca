"""Grading scales as data: the letters, their wording, and which outcome maps to which letter.

The engine decides an *outcome* for each part (`Outcome`: substantive steps, reply
silent on the part, contrary measure ...); a scale says which of its letters each
outcome receives. Scales ship in the package (``cat-2015``, ``ccpr-2016``,
``ccpr-2013``) and users may load their own from YAML with `cat_rubric.load_scale`.
This module holds the models only; loading lives in `cat_rubric._load`.
"""

import enum
import functools
from typing import Final

import attrs

from cat_rubric._checks import checks, identifier, non_empty, not_blank
from cat_rubric._model import Origin, fast_hash
from cat_rubric._repr import fields_repr


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

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    letter: str = attrs.field(metadata=checks(not_blank))
    label: str = attrs.field(metadata=checks(not_blank))
    definition: str = attrs.field(metadata=checks(not_blank))
    verified: bool
    ccpr_2016: str = attrs.field(metadata=checks(not_blank))


@attrs.frozen(kw_only=True)
class Rules:
    """Which letter each outcome receives (the keys are `Outcome` values)."""

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

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
        origin: Where it was loaded from, with the sha256 of the file's bytes (not part
            of equality, not written to YAML); assessments record it.
    """

    __repr__ = fields_repr  # one for all records: see cat_rubric._repr

    id: str = attrs.field(metadata=checks(identifier))
    version: int
    title: str = attrs.field(metadata=checks(not_blank))
    body: str = attrs.field(metadata=checks(not_blank))
    source: str = attrs.field(metadata=checks(not_blank))
    description: str = attrs.field(metadata=checks(not_blank))
    grades: tuple[Grade, ...] = attrs.field(metadata=checks(non_empty))
    rules: Rules
    information_quality: bool = False
    origin: Origin | None = attrs.field(
        default=None, eq=False, repr=False, metadata={"yaml": False}
    )

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
    def _outcome_ranks(self) -> dict[Outcome, tuple[str, int]]:
        """Each outcome's letter on this scale, and that letter's `rank` (for what-if)."""
        ranks = self._ranks
        return {o: (letter, ranks[letter]) for o in Outcome for letter in (self.letter(o),)}

    @functools.cached_property
    def _ranks(self) -> dict[str, int]:
        n = len(self.grades)
        return {g.letter: n - 1 - i for i, g in enumerate(self.grades)}
