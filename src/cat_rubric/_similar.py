"""Values that look alike but are not equal: how to find them, and how to say so.

``NPM`` for ``npm``, ``partially implemented`` for ``partially_implemented``, and two
evidence files whose cycles read ``2023–2024`` (an en dash) and ``2023-2024`` (a
hyphen): a spelling suggestion does not find these (difflib compares case and every
character), and an author cannot see them. `fold` makes them equal; `difference` says
in words what tells them apart. Used on error paths only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Final

#: Dashes and hyphens an author may type (or a word processor may put) for '-'.
DASHES: Final = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SEPARATORS: Final = re.compile(rf"[\s_{re.escape(DASHES)}]+")
_LEAD: Final = re.compile(rf"[\s_{re.escape(DASHES)}]*")
_TRAIL: Final = re.compile(rf"[\s_{re.escape(DASHES)}]*\Z")
_NAMES: Final = {"_": "an underscore (_)", "-": "a hyphen (-)", " ": "a space"}


def fold(text: str) -> str:
    """*text* with case, dashes, underscores and runs of white space made alike."""
    return _SEPARATORS.sub("-", text.casefold()).strip("-")


def alike(word: str, candidates: Iterable[str]) -> str | None:
    """The one candidate that differs from *word* only as `fold` forgives; else None."""
    key = fold(word)
    found = {c for c in candidates if c != word and fold(c) == key}
    return found.pop() if len(found) == 1 else None


def _name(run: str) -> str:
    """A run of separators in words: 'an en dash (–, U+2013)', '2 spaces', 'nothing'."""
    if not run:
        return "nothing"
    if len(run) > 1:
        if run == " " * len(run):
            return f"{len(run)} spaces"
        if len(set(run)) == 1:
            return f"{_name(run[0])} {len(run)} times"
        return " then ".join(_name(c) for c in run)
    known = _NAMES.get(run)
    if known is not None:
        return known
    name = unicodedata.name(run, "character").lower()
    article = "an" if name[:1] in "aeiou" else "a"
    shown = "" if run.isspace() else f"{run}, "
    return f"{article} {name} ({shown}U+{ord(run):04X})"


def _runs(text: str) -> tuple[str, list[str], str]:
    """*text*'s leading separators, the separator runs between its words, its trailing ones."""
    lead = _LEAD.match(text).group()  # type: ignore[union-attr]  # matches ''
    trail = _TRAIL.search(text[len(lead) :]).group()  # type: ignore[union-attr]
    inner = text[len(lead) : len(text) - len(trail)]
    return lead, _SEPARATORS.findall(inner), trail


def difference(a: str, b: str) -> str | None:
    """In words, what tells *a* from *b* when they differ only as `fold` forgives.

    None if they are equal, or differ in more than case, dashes, underscores and white
    space.
    """
    if a == b or fold(a) != fold(b):
        return None
    if _SEPARATORS.sub("", a) != _SEPARATORS.sub("", b):
        if a.casefold() == b.casefold():
            return "they differ only in upper and lower case"
        case = ", and in upper and lower case"
    else:
        case = ""
    (lead_a, runs_a, trail_a), (lead_b, runs_b, trail_b) = _runs(a), _runs(b)
    shown_a, shown_b = _shown(a), _shown(b)
    said: list[str] = []
    if lead_a != lead_b:
        said.append(f"at the start, {shown_a} has {_name(lead_a)} and {shown_b} {_name(lead_b)}")
    said.extend(
        f"{shown_a} has {_name(x)} where {shown_b} has {_name(y)}"
        for x, y in zip(runs_a, runs_b, strict=False)
        if x != y
    )
    if trail_a != trail_b:
        said.append(f"at the end, {shown_a} has {_name(trail_a)} and {shown_b} {_name(trail_b)}")
    return f"they differ only in dashes or white space{case}: " + "; ".join(dict.fromkeys(said))


def _shown(text: str) -> str:
    # Every character kept (one_line would merge the spaces this is about), made inert.
    from cat_rubric._text import inert_line

    return repr(inert_line(text if len(text) <= 60 else text[:59] + "…"))


__all__ = ["DASHES", "alike", "difference", "fold"]
