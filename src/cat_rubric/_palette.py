"""One palette for grades, shared by the HTML report and the notebook display.

Colour is never the only signal: every coloured cell also shows its letter. The pairs
keep a contrast ratio of at least 4.5:1 (WCAG AA) between text and background.
"""

from __future__ import annotations

#: Background and text colour by a grade's first letter (B1 and B2 share B's).
GRADE_COLOURS: dict[str, tuple[str, str]] = {
    "A": ("#1b7a3a", "#ffffff"),
    "B": ("#b8e0a8", "#1a1a1a"),
    "C": ("#ffd27f", "#1a1a1a"),
    "D": ("#c9c9c9", "#1a1a1a"),
    "E": ("#b3261e", "#ffffff"),
}
#: For a part with no grade (pending, awaiting a reminder).
UNGRADED: tuple[str, str] = ("#ffffff", "#1a1a1a")


def grade_colours(letter: str | None) -> tuple[str, str]:
    """The (background, text) colours for *letter*; `UNGRADED`'s for None or unknown."""
    if not letter:
        return UNGRADED
    return GRADE_COLOURS.get(letter[0].upper(), UNGRADED)
