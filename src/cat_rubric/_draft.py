"""Drafting a rubric from the Committee's own text: concluding observations as plain text.

`draft_rubric` reads concluding observations converted to plain text (``pdftotext``,
a copy from a PDF reader, a saved web page) and writes the skeleton of a rubric: the
paragraphs the follow-up paragraph selects (with ``all_paragraphs``, every numbered
paragraph with a recommendation), each with its heading, the Convention articles it
cites, the concern and the recommendation in the Committee's words, one part per
lettered sub-paragraph of the recommendation, and one placeholder criterion per part.

What the author must still write begins with ``DRAFT:`` (`DRAFT`); the loader refuses
such a text with the problem code ``draft-placeholder``, so ``cat-rubric validate``
lists, with its line and column, every placeholder that remains. A number or date the
text does not give (the adoption date, say) is a ``DRAFT:`` text too, which the loader
reports as text where a date is wanted.

Reading is line-based and forgiving: a byte-order mark, CRLF or CR line ends, form
feeds, page headers and footers (document symbols, page numbers, job numbers, lines
repeated at the edge of many pages, footnotes at a page's foot), elisions ``(…)``, runs
of spaces and words broken at a line end are all taken in their stride. See
docs/format.md, "Drafting a rubric from the concluding observations".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from cat_rubric._digest import sha256
from cat_rubric._model import DRAFT_MARK
from cat_rubric._text import display_name
from cat_rubric._yaml import Limits, decode, problem, read_bytes
from cat_rubric.exceptions import LoadError

#: What every placeholder of a drafted rubric begins with; the loader refuses a rubric
#: text that begins with it (``draft-placeholder``).
DRAFT: Final = DRAFT_MARK

# -- characters and lines --------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_LINE_ENDS: Final = re.compile("\r\n|[\r\x0b\x85\u2028\u2029]")
# Invisible or formatting characters a conversion leaves in (controls other than the
# line end, tab and form feed; soft hyphens; zero-width and bidirectional controls;
# byte-order marks; lone surrogates, which no file can hold): none is part of a word.
_INVISIBLE: Final = re.compile(
    "[\x01-\x08\x0e-\x1f\x7f-\x9f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)
_SPACES: Final = re.compile(r"[^\S\n\f]+")
_LIGATURES: Final = re.compile("[\ufb00-\ufb06]")

_NUMBERED: Final = re.compile(r"(\d{1,3})\.(?:\s+(.*))?")
_LETTER: Final = re.compile(r"\(([a-z])\)(?:\s+|$)")
_NESTED: Final = re.compile(r"\((?:[a-z]{1,4}|\d{1,2})\)\s")
_ELISION: Final = re.compile(r"[(\[]\s*(?:…|\.\s?\.\s?\.)\s*[)\]]|…|\.\.\.")
_SENTENCE_END: Final = re.compile(r"[.!?;:][\"'”’)\]]*\d{0,3}\Z")
_HEADING_END: Final = re.compile(r"[.,;:!?][\"'”’)\]]*\Z")
_SECTION: Final = re.compile(r"(?:[A-Z]|[IVX]{1,5})\.\s+")

#: Lines that a PDF page carries around the text: page numbers, document symbols,
#: job numbers and bar codes, separator rules.
_PAGE_NOISE: Final = re.compile(
    r"(?i:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|-\s*\d{1,4}\s*-"
    r"|[A-Z]{1,6}(?:/[A-Z0-9][A-Z0-9.()\-]*){2,}(?:\s+(?i:page)\s+\d{1,4})?"
    r"|(?:GE\.)?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+[\d*/]+)*"
    r"|\*\d{5,}\*"
    r"|[_\-–—=*]{3,}"
)
_FOOTNOTE: Final = re.compile(r"\d{1,3}\s+[A-Z]")

# -- what the Committee's words say ----------------------------------------------------

#: Where a recommendation begins: the sentence with one of these.
_TRIGGER: Final = re.compile(
    r"\bthe\s+State\s+party\s+should\b"
    r"|\bthe\s+Committee\s+(?:recommends|urges|calls\s+(?:up)?on|encourages"
    r"|reiterates\s+its\s+recommendation)\b",
    re.IGNORECASE,
)
_SENTENCE_BREAK: Final = re.compile(r"[.!?][\"'”’)\]]*\d{0,3}\s+(?=[\"“‘(]?[A-Z])")
_ARTICLE_OPEN: Final = re.compile(r"\(\s*arts?\s*\.?\s*(?=\d)", re.IGNORECASE)
_ARTICLES_OF_CONVENTION: Final = re.compile(
    r"\barticles?\s+(\d{1,2}(?:\s*\(\d+\))?(?:\s*(?:,|and|or|to|–|-)\s*\d{1,2}(?:\s*\(\d+\))?)*)"
    r"\s+of\s+the\s+Convention\b",
    re.IGNORECASE,
)
_NUMBER_OR_RANGE: Final = re.compile(r"(\d{1,3})(?:\s*\(\d+\))?|\b(to)\b|([–-])")
_REQUEST: Final = re.compile(
    r"\b(?:requests?|requested|asks?|asked|invites?|invited)\b.{0,160}?\bto\s+provide\b",
    re.IGNORECASE | re.DOTALL,
)
_PARA_LIST: Final = re.compile(
    r"\bpara(?:graph)?s?\.?\s*"
    r"(\d{1,3}(?:\s*\([a-z]{1,4}\))*"
    r"(?:\s*(?:,\s*(?:and\s+)?|and\s+|to\s+|[–-]\s*)\d{1,3}(?:\s*\([a-z]{1,4}\))*)*)",
    re.IGNORECASE,
)
_PARA_ITEM: Final = re.compile(r"(\d{1,3})((?:\s*\([a-z]{1,4}\))*)|\b(to)\b|([–-])")
_COUNTS: Final = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "eighteen": 18, "twenty-four": 24,
}  # fmt: skip
_WITHIN: Final = re.compile(
    r"\bwithin\s+(?:a\s+period\s+of\s+)?(" + "|".join(_COUNTS) + r"|\d{1,2})\s+(years?|months?)\b",
    re.IGNORECASE,
)
_MONTHS: Final = _words(
    "January February March April May June July August September October November December"
)
_DATE: Final = r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})"
_BY_DATE: Final = re.compile(r"\bby\s+" + _DATE)
# "... adopted, at its 858th meeting, held on 18 November 2008, ..."; a period inside a
# symbol (CAT/C/SR.858) does not end the sentence.
_ADOPTED_THEN_DATE: Final = re.compile(
    r"\badopted\b(?:[^.]|\.(?=\S)){0,250}?\b(?:held\s+)?on\s+(?:\d{1,2}\s+and\s+)?" + _DATE
)
_DATE_THEN_ADOPTED: Final = re.compile(
    r"\bheld\s+on\s+(?:\d{1,2}\s+and\s+)?" + _DATE + r"(?:[^.]|\.(?=\S)){0,60}?\badopted\b"
)
_SYMBOL: Final = re.compile(r"\b([A-Z]{2,6})/C/([A-Z]{3})/CO/(\d{1,2}(?:-\d{1,2})?)\b")
_TITLE: Final = re.compile(r"(?i:concluding\s+observations|conclusions\s+and\s+recommendations)\b")
_TITLE_GOES_ON: Final = re.compile(r"\b(?:of|on|the|and|to|reports?|periodic)\Z", re.IGNORECASE)
_REPORT_OF: Final = re.compile(r"\breports?\s+of\s+(?:the\s+)?(.+?)\s*[*\d]*\Z")
_SESSION: Final = re.compile(r"\b([A-Za-z]+(?:-[A-Za-z]+)?|\d{1,3}(?:st|nd|rd|th))\s+session\b")
_CAPS_STOP: Final = frozenset(
    _words(
        "REPORT REPORTS CONVENTION COMMITTEE OBSERVATIONS CONCLUDING ARTICLE CONSIDERATION NATIONS "
        "GENERAL DISTR ORIGINAL ENGLISH SESSION EXTRACTS AGAINST TORTURE CONCLUSIONS PARTIES "
        "STATES RECOMMENDATIONS SUBMITTED ADVANCE UNEDITED VERSION"
    )
)
_UNITS: Final = {
    w: n
    for n, w in enumerate(_words("first second third fourth fifth sixth seventh eighth ninth"), 1)
}
_TEENS: Final = {
    w: n
    for n, w in enumerate(
        _words(
            "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
            "eighteenth nineteenth"
        ),
        10,
    )
}
_TENS: Final = {
    w: 10 * n
    for n, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
_TENTHS: Final = {
    w: 10 * n
    for n, w in enumerate(
        _words("twentieth thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth"), 2
    )
}
_PROPER: Final = frozenset({"committee", "torture", "human", "rights", "convention", "covenant"})
_SMALL_WORDS: Final = frozenset({"and", "of", "the", "de", "du", "la", "le", "des", "d'"})
_BODY_SCALES: Final = {"CAT": "cat-2015", "CCPR": "ccpr-2016"}


# -- what was read ---------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SubParagraph:
    """A lettered sub-paragraph of a recommendation: a part to grade.

    Attributes:
        letter: ``a`` for ``(a)``.
        text: Its words, without the letter.
    """

    letter: str
    text: str


@attrs.frozen(kw_only=True)
class Paragraph:
    """One numbered paragraph, as read.

    Attributes:
        number: Its number.
        heading: The heading above it (or the last one above an earlier paragraph).
        concern: The Committee's words before the recommendation begins (for a
            recommendation standing in a paragraph of its own, those of the paragraph
            before it); empty if there are none.
        recommendation: From the sentence where the recommendation begins to the end;
            None if the paragraph has none.
        parts: The recommendation's lettered sub-paragraphs.
        articles: The Convention's articles it cites, in order, each once.
        concern_paragraph: The paragraph the concern was taken from, if another one.
    """

    number: int
    heading: str | None
    concern: str
    recommendation: str | None
    parts: tuple[SubParagraph, ...]
    articles: tuple[str, ...]
    concern_paragraph: int | None = None


@attrs.frozen(kw_only=True)
class FollowUpRequest:
    """The follow-up paragraph, as read.

    Attributes:
        paragraph: Its number.
        recommendations: The paragraphs it names, in order.
        parts: For a paragraph named with sub-paragraphs (``14 (a)``), their letters.
        within_months: The period it gives, in months.
        due: The date it gives ("by 18 November 2009").
        text: Its words.
    """

    paragraph: int
    recommendations: tuple[int, ...]
    parts: dict[int, tuple[str, ...]]
    within_months: int | None
    due: dt.date | None
    text: str


@attrs.frozen(kw_only=True)
class Observations:
    """Concluding observations read from plain text.

    Attributes:
        symbol: The document symbol, e.g. ``CAT/C/KAZ/CO/2``.
        treaty_body: The symbol's first element, e.g. ``CAT``.
        state_party: The State party, e.g. ``Kazakhstan``.
        title: The title line, with the State party if the line lacks it.
        session: The session of adoption.
        adopted: The adoption date.
        paragraphs: Every numbered paragraph.
        follow_up: The follow-up paragraph.
        kept_hyphens: Words broken at a line end after a hyphen that the text gives no
            other evidence for: the hyphen was kept (``ill-treatment``).
    """

    symbol: str | None
    treaty_body: str | None
    state_party: str | None
    title: str | None
    session: int | None
    adopted: dt.date | None
    paragraphs: tuple[Paragraph, ...]
    follow_up: FollowUpRequest | None
    kept_hyphens: tuple[str, ...]

    def paragraph(self, number: int) -> Paragraph:
        """The paragraph with this number; `KeyError` if the text has none."""
        for found in self.paragraphs:
            if found.number == number:
                return found
        raise KeyError(number)


# -- reading ----------------------------------------------------------------------------


def _decoded(source: str | bytes, file: str) -> str:
    """The text of *source*, refusing what is not text with a clear problem."""
    if isinstance(source, bytes):
        if source.startswith(b"%PDF"):
            raise LoadError(
                (
                    problem(
                        file,
                        1,
                        1,
                        "not-utf8",
                        "this is a PDF file, not plain text; convert it first, e.g. "
                        "pdftotext -layout CO.pdf CO.txt, and draft from the text",
                    ),
                )
            )
        if source.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise LoadError(
                (problem(file, 1, 1, "not-utf8", "this text is UTF-16; save it as UTF-8"),)
            )
        text = decode(source, file)
    else:
        text = source.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        column = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise LoadError(
            (
                problem(
                    file,
                    line,
                    column,
                    "bad-character",
                    "a NUL character: this is not a text file; give the concluding "
                    "observations as plain text (UTF-8)",
                ),
            )
        )
    return text


def _clean(text: str) -> str:
    text = _LINE_ENDS.sub("\n", text)
    text = re.sub("\u00ad[^\\S\n\f]*\n[^\\S\n\f]*", "", text)  # a soft hyphen: a broken word
    text = _INVISIBLE.sub("", text)
    text = _LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _SPACES.sub(" ", text)


def _edges(lines: list[str], count: int = 2) -> list[int]:
    """The first and last *count* non-blank lines of a page: where furniture stands."""
    filled = [i for i, line in enumerate(lines) if line]
    return sorted({*filled[:count], *filled[-count:]})


def _furniture(line: str) -> str | None:
    """*line* with its numbers as ``#`` if it could be a running header or footer."""
    if len(line) > 100 or _ELISION.fullmatch(line) or _NUMBERED.match(line) or _LETTER.match(line):
        return None
    return re.sub(r"\d+", "#", line)


def _page_lines(text: str) -> list[str]:
    """The text's lines, stripped, without the page furniture around the text.

    Furniture is a line of a known kind (`_PAGE_NOISE`) anywhere, a line repeated at
    the edge of three pages or more (numbers aside: ``page 3``, ``page 4``), and the
    footnotes at the foot of a page that a form feed ends.
    """
    pages = [[line.strip() for line in page.split("\n")] for page in text.split("\f")]
    recurring: Counter[str] = Counter()
    if len(pages) >= 3:
        for lines in pages:
            seen = {_furniture(lines[i]) for i in _edges(lines)}
            recurring.update(s for s in seen if s)
    out: list[str] = []
    for number, lines in enumerate(pages):
        drop = {i for i, line in enumerate(lines) if line and _PAGE_NOISE.fullmatch(line)}
        for i in _edges(lines):
            shape = _furniture(lines[i])
            if shape and recurring[shape] >= 3:
                drop.add(i)
        kept = [line for i, line in enumerate(lines) if i not in drop]
        if number < len(pages) - 1:
            kept = _without_footnotes(kept)
        if len(pages) > 1:  # blank lines at a page's edges are the page break's, not the text's
            while kept and not kept[-1]:
                kept.pop()
            first = next((i for i, line in enumerate(kept) if line), len(kept))
            kept = kept[first:]
        out.extend(kept)
    return out


def _without_footnotes(lines: list[str]) -> list[str]:
    """*lines* of a page without the footnotes at its foot (``1 See CAT/C/...``)."""
    end = len(lines)
    while end and not lines[end - 1]:
        end -= 1
    start = end
    while start and lines[start - 1]:
        start -= 1
    block = lines[start:end]
    if start and 0 < len(block) <= 8 and _FOOTNOTE.match(block[0]):
        return lines[:start]
    return lines


def _word_forms(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text))


class _Joiner:
    """Joins lines into running text, mending words broken at a line end."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self.kept: list[str] = []

    def glue(self, last: str, line: str) -> tuple[str, str]:
        """*last* (the line before) as it stays, and what goes between it and *line*."""
        broken = re.search(r"([^\W\d_]+)-\Z", last[-120:])
        head = re.match(r"[^\W\d_]+", line)
        if not (broken and head and line[0].islower()):
            return last, " "
        whole = (broken[1] + head[0]).lower()
        hyphenated = f"{broken[1]}-{head[0]}".lower()
        if whole in self.words and hyphenated not in self.words:
            return last[:-1], ""
        if hyphenated not in self.words:
            self.kept.append(f"{broken[1]}-{head[0]}")
        return last, ""

    def join(self, lines: Sequence[str]) -> str:
        """*lines* as one text."""
        block = _Block(None)
        for line in lines:
            block.add(line, self)
        return block.text


@attrs.define
class _Block:
    """A run of text, or a lettered sub-paragraph, gathered line by line."""

    letter: str | None
    pieces: list[str] = attrs.Factory(list)

    @property
    def last(self) -> str:
        return self.pieces[-1] if self.pieces else ""

    @property
    def text(self) -> str:
        return "".join(self.pieces)

    def add(self, line: str, joiner: _Joiner, *, newline: bool = False) -> None:
        if not line:
            return
        if self.pieces:
            if newline:
                between = "\n"
            else:
                self.pieces[-1], between = joiner.glue(self.last, line)
            self.pieces.append(between)
        self.pieces.append(line)

    def render(self) -> str:
        return f"({self.letter}) {self.text}" if self.letter else self.text


def _kind(line: str, numbers: set[int], index: int) -> str:
    if not line:
        return "blank"
    if _ELISION.fullmatch(line):
        return "elision"
    if index in numbers:
        return "number"
    return "text"


def _heading_run(lines: list[str], numbers: set[int], at: int, low: int) -> tuple[int, int] | None:
    """The heading lines above the numbered line *at* (not above *low*): (start, end)."""
    j = at - 1
    while j >= low and _kind(lines[j], numbers, j) in ("blank", "elision"):
        j -= 1
    if j < low or _kind(lines[j], numbers, j) != "text":
        return None
    k = j  # a heading has at most 3 lines: look no further up than the line above them
    while k >= max(low, j - 3) and _kind(lines[k], numbers, k) == "text":
        k -= 1
    start = k + 1
    ends = [i for i in range(start, j + 1) if _SENTENCE_END.search(lines[i])]
    if ends:  # a heading never ends a sentence: it follows the last line that does
        start = ends[-1] + 1
    elif k >= 0 and _kind(lines[k], numbers, k) in ("text", "number"):
        # No blank line above: a heading follows the end of a sentence.
        before = _NUMBERED.fullmatch(lines[k]) if k in numbers else None
        if not _SENTENCE_END.search((before[2] or "") if before else lines[k]):
            return None
    run = lines[start : j + 1]
    if not run or len(run) > 3 or sum(map(len, run)) > 200:
        return None
    if _HEADING_END.search(run[-1]) or not run[0][0].isupper():
        return None
    if any(_LETTER.match(line) for line in run):
        return None
    return start, j + 1


def _numbered_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that begin a numbered paragraph, numbers rising."""
    found: list[int] = []
    accepted: set[int] = set()
    previous = 0
    for i, line in enumerate(lines):
        match = _NUMBERED.fullmatch(line)
        if not match:
            continue
        number, rest = int(match[1]), match[2] or ""
        if number <= previous or number > (previous + 60 if previous else 200):
            continue
        if rest and not (rest[0].isupper() or rest[0] in '"“‘('):
            continue
        above = lines[i - 1] if i else ""
        if (
            above
            and not _ELISION.fullmatch(above)
            and not _SENTENCE_END.search(above)
            and _heading_run(lines, accepted, i, found[-1] + 1 if found else 0) is None
        ):
            continue
        found.append(i)
        accepted.add(i)
        previous = number
    return found


def _blocks(lines: list[str], joiner: _Joiner) -> list[_Block]:
    """A paragraph's lines as blocks: the running text, and each lettered sub-paragraph."""
    blocks: list[_Block] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        current = blocks[-1] if blocks else None
        letter = _LETTER.match(line)
        expected = chr(ord(current.letter) + 1) if current and current.letter else "a"
        nested = current is not None and current.last.endswith(":") and letter is not None
        if letter and letter[1] == expected and not (nested and letter[1] == "i"):
            blocks.append(_Block(letter[1]))
            blocks[-1].add(line[letter.end() :].strip(), joiner)
        elif current is None or (
            current.letter
            and (
                (blank and _SENTENCE_END.search(current.last) and line[0].isupper())
                or _TRIGGER.match(line)
            )
        ):
            blocks.append(_Block(None))
            blocks[-1].add(line, joiner)
        else:
            current.add(line, joiner, newline=_NESTED.match(line) is not None)
        blank = False
    return [b for b in blocks if b.pieces or b.letter]


def _split(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]] | None:
    """The concern's blocks and the recommendation's, split where the recommendation begins."""
    for i, block in enumerate(blocks):
        found = _TRIGGER.search(block.text)
        if not found:
            continue
        start = 0
        for brk in _SENTENCE_BREAK.finditer(block.text):
            if brk.end() > found.start():
                break
            start = brk.end()
        if start == 0:
            return blocks[:i], blocks[i:]
        head = _Block(block.letter, [block.text[:start].rstrip()])
        return [*blocks[:i], head], [_Block(None, [block.text[start:]]), *blocks[i + 1 :]]
    return None


def _article_numbers(text: str) -> list[str]:
    out: list[str] = []
    previous: int | None = None
    ranging = False
    for match in _NUMBER_OR_RANGE.finditer(text):
        if match[1] is None:
            ranging = previous is not None
            continue
        number = int(match[1])
        if ranging and previous is not None and previous < number <= previous + 20:
            out.extend(str(n) for n in range(previous + 1, number + 1))
        else:
            out.append(str(number))
        previous, ranging = number, False
    return out


def _articles(text: str) -> tuple[str, ...]:
    """The Convention's articles *text* cites, never another law's.

    ``(arts. 2, 11 and 12)`` and ``articles 1 and 4 of the Convention`` count;
    ``article 308 of the Criminal Code`` does not.
    """
    found: list[tuple[int, list[str]]] = []
    for opening in _ARTICLE_OPEN.finditer(text):
        depth, end = 1, opening.end()
        while end < len(text) and end - opening.end() < 120 and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth == 0:
            inside = re.sub(r"\(\d+\)", "", text[opening.end() : end - 1])
            inside = re.split(r"\bof\b", inside, maxsplit=1)[0]
            found.append((opening.start(), _article_numbers(inside)))
    for match in _ARTICLES_OF_CONVENTION.finditer(text):
        found.append((match.start(), _article_numbers(re.sub(r"\(\d+\)", "", match[1]))))
    out: dict[str, None] = {}
    for _, numbers in sorted(found, key=lambda f: f[0]):
        out.update(dict.fromkeys(numbers))
    return tuple(out)


def _date(day: str, month: str, year: str) -> dt.date | None:
    try:
        return dt.date(int(year), _MONTHS.index(month) + 1, int(day))
    except ValueError:
        return None


def _follow_up(number: int, text: str) -> FollowUpRequest | None:
    if not _REQUEST.search(text):
        return None
    named: dict[int, set[str] | None] = {}
    for listed in _PARA_LIST.finditer(text):
        previous: int | None = None
        ranging = False
        for item in _PARA_ITEM.finditer(listed[1]):
            if item[1] is None:
                ranging = previous is not None
                continue
            value = int(item[1])
            letters = set(re.findall(r"[a-z]+", item[2]))
            span = range(previous + 1, value + 1) if ranging and previous is not None else ()
            for n in span if 0 < len(span) <= 50 else (value,):
                # A paragraph named whole anywhere is followed up whole.
                known = named.get(n, set())
                mine = letters if n == value else set()
                named[n] = None if known is None or not mine else known | mine
            previous, ranging = value, False
    if not named:
        return None
    within = _WITHIN.search(text)
    months = None
    if within:
        word = within[1].lower()
        count = int(word) if word.isdigit() else _COUNTS[word]
        months = count * 12 if within[2].lower().startswith("year") else count
        months = months or None
    by = _BY_DATE.search(text)
    return FollowUpRequest(
        paragraph=number,
        recommendations=tuple(named),
        parts={n: tuple(sorted(v)) for n, v in named.items() if v},
        within_months=months,
        due=_date(*by.groups()) if by else None,
        text=text,
    )


def _ordinal(word: str) -> int | None:
    word = word.lower()
    if re.fullmatch(r"\d{1,3}(?:st|nd|rd|th)", word):
        return int(word[:-2])
    if word in _UNITS or word in _TEENS or word in _TENTHS:
        return _UNITS.get(word) or _TEENS.get(word) or _TENTHS[word]
    tens, _, unit = word.partition("-")
    if tens in _TENS and unit in _UNITS:
        return _TENS[tens] + _UNITS[unit]
    return None


def _proper_case(caps: str) -> str:
    words = caps.lower().split(" ")
    return " ".join(
        w if (i and w in _SMALL_WORDS) else (w[:1].upper() + w[1:]) for i, w in enumerate(words)
    )


def _title_from_capitals(title: str) -> str:
    """A title in capitals in sentence case, its proper nouns and State party capitalised."""
    of = re.search(r"\bREPORTS? OF ", title)
    head, state = (title[: of.start()], title[of.start() :]) if of else (title, "")
    words = head.lower().split(" ")
    cased = " ".join(w.capitalize() if not i or w in _PROPER else w for i, w in enumerate(words))
    if of:
        cased += of.group().lower() + _proper_case(state[len(of.group()) :])
    return cased


def _header(text: str, lines: list[str], first: int) -> dict[str, Any]:
    """The symbol, State party, title, session and adoption date, where the text gives them.

    *text* is the whole text (page headers included: they repeat the symbol), *lines*
    its lines without page furniture, and *first* the index of the first numbered one.
    """
    head = lines[:first]
    # The session and the adoption sentence stand at the top (the header, paragraph 1).
    joined = " ".join(lines)[:20_000]
    found: dict[str, Any] = {}
    # The document's own symbol heads it and every page; others are cited once or twice.
    symbols = [m.group() for m in _SYMBOL.finditer(text)]
    if symbols:
        counted = Counter(symbols)  # ordered by first occurrence: max keeps the first of a tie
        chosen = max(counted, key=counted.__getitem__)
        found["symbol"], found["treaty_body"] = chosen, chosen.split("/", 1)[0]
    for i, line in enumerate(head):
        if _TITLE.match(line):
            title = line
            if i + 1 < len(head) and _TITLE_GOES_ON.search(line) and head[i + 1]:
                title = f"{title} {head[i + 1]}"
            title = title.rstrip("*").rstrip()
            found["title"] = _title_from_capitals(title) if title.isupper() else title
            of = _REPORT_OF.search(found["title"])
            if of:
                found["state_party"] = of[1]
            break
    if "state_party" not in found:
        for line in head:
            words = re.findall(r"[A-Z][A-Z'’\-]*", line)
            if (
                line.isupper()
                and words
                and len(words) <= 8
                and re.fullmatch(r"[A-Z'’\-(), ]+", line)
                and not {w.strip("(),") for w in words} & _CAPS_STOP
            ):
                found["state_party"] = _proper_case(line.strip())
                break
    if "title" in found and "state_party" in found and found["state_party"] not in found["title"]:
        found["title"] = f"{found['title']}: {found['state_party']}"
    for match in _SESSION.finditer(" ".join(head) or joined):
        number = _ordinal(match[1])
        if number:
            found["session"] = number
            break
    adopted = _ADOPTED_THEN_DATE.search(joined) or _DATE_THEN_ADOPTED.search(joined)
    if adopted:
        found["adopted"] = _date(*adopted.groups()[-3:])
    return found


def read_observations(source: str | bytes, *, file: str = "<string>") -> Observations:
    """Read concluding observations from plain text (a `str`, or UTF-8 bytes).

    Raises:
        LoadError: the bytes are not UTF-8 text (or are a PDF), or the text has a NUL.
    """
    text = _clean(_decoded(source, file))
    lines = _page_lines(text)
    numbers = _numbered_lines(lines)
    marks = set(numbers)
    joiner = _Joiner(_word_forms(text))
    heads: list[tuple[int, int] | None] = []
    for k, at in enumerate(numbers):
        heads.append(_heading_run(lines, marks, at, numbers[k - 1] + 1 if k else 0))
    paragraphs: list[Paragraph] = []
    follow_up: FollowUpRequest | None = None
    heading: str | None = None
    for k, at in enumerate(numbers):
        end = len(lines)
        if k + 1 < len(numbers):
            after = heads[k + 1]
            end = after[0] if after else numbers[k + 1]
        elision = next((i for i in range(at + 1, end) if _ELISION.fullmatch(lines[i])), None)
        own = heads[k]
        if own:
            run = [_SECTION.sub("", lines[own[0]], count=1), *lines[own[0] + 1 : own[1]]]
            heading = joiner.join(run)
        elif k and any(
            _ELISION.fullmatch(lines[i]) for i in range(numbers[k - 1], at)
        ):  # an elision since the heading: it may not be this paragraph's
            heading = None
        match = _NUMBERED.fullmatch(lines[at])
        assert match is not None
        body = [match[2] or "", *lines[at + 1 : elision if elision is not None else end]]
        blocks = _blocks(body, joiner)
        whole = "\n".join(b.render() for b in blocks)
        number = int(match[1])
        split = _split(blocks)
        parts: tuple[SubParagraph, ...]
        if split is None:
            concern, recommendation, parts = whole, None, ()
        else:
            concern = "\n".join(b.render() for b in split[0])
            recommendation = "\n".join(b.render() for b in split[1])
            parts = tuple(SubParagraph(letter=b.letter, text=b.text) for b in split[1] if b.letter)
        paragraphs.append(
            Paragraph(
                number=number,
                heading=heading,
                concern=concern,
                recommendation=recommendation,
                parts=parts,
                articles=_articles(whole),
            )
        )
        follow_up = _follow_up(number, whole.replace("\n", " ")) or follow_up
    paragraphs = _concerns_from_before(paragraphs)
    found = _header(text, lines, numbers[0] if numbers else len(lines))
    return Observations(
        symbol=found.get("symbol"),
        treaty_body=found.get("treaty_body"),
        state_party=found.get("state_party"),
        title=found.get("title"),
        session=found.get("session"),
        adopted=found.get("adopted"),
        paragraphs=tuple(paragraphs),
        follow_up=follow_up,
        kept_hyphens=tuple(dict.fromkeys(joiner.kept)),
    )


def _concerns_from_before(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A recommendation in a paragraph of its own takes its concern from the one before."""
    out = list(paragraphs)
    for i, para in enumerate(paragraphs):
        if para.recommendation is None or para.concern or not i:
            continue
        before = paragraphs[i - 1]
        if (
            before.number == para.number - 1
            and before.recommendation is None
            and before.heading == para.heading
        ):
            out[i] = attrs.evolve(
                para,
                concern=before.concern,
                concern_paragraph=before.number,
                articles=tuple(dict.fromkeys((*before.articles, *para.articles))),
            )
    return out


# -- writing -----------------------------------------------------------------------------


def _excerpt(text: str, words: int = 12) -> str:
    """A part's title: its opening words, up to the first comma or semicolon."""
    flat = " ".join(text.split())
    clause = re.split(r"[,;:]\s", flat, maxsplit=1)[0]
    taken = clause.split(" ")
    if len(taken) > words:
        return " ".join(taken[:words]).rstrip(".,;:") + "…"
    return clause.rstrip(".,;:") or flat


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _rubric_id(found: Observations) -> str:
    if found.symbol:
        parts = [p for i, p in enumerate(found.symbol.split("/")) if not (i == 1 and p == "C")]
        return _slug("-".join(parts))[:100] or "draft"
    body = (found.treaty_body or "cat").lower()
    state = _slug(found.state_party or "")[:80]
    return f"{body}-{state}-co" if state else f"{body}-draft"


def _criterion(part_id: str) -> dict[str, Any]:
    return {
        "id": f"{part_id}-1",
        "statement": f"{DRAFT} a statement, checkable against documents, of what part {part_id} "
        "asks of the State party (then review indicator, essential and evidence)",
        "indicator": "process",
        "essential": True,
        "evidence": ["state_party", "ngo", "nhri"],
        "guidance": f"{DRAFT} for the assessor: what counts as evidence for this criterion, "
        "and what does not",
        "request": f"{DRAFT} the sentence the Committee would use to ask for the information "
        "(Please provide information on ...)",
    }


def _recommendation(para: Paragraph, letters: Sequence[str], notes: list[str]) -> dict[str, Any]:
    n = para.number
    rec: dict[str, Any] = {"id": f"para-{n}", "paragraph": n}
    rec["title"] = para.heading or f"{DRAFT} the heading of paragraph {n}"
    if para.articles:
        rec["articles"] = list(para.articles)
    rec["concern"] = para.concern or f"{DRAFT} the Committee's concern for paragraph {n}"
    if para.recommendation is None:
        notes.append(
            f'Paragraph {n} has no sentence where a recommendation begins ("The State party '
            'should ..."): its whole text is the recommendation; split it.'
        )
    words = para.recommendation or para.concern
    rec["recommendation"] = words or f"{DRAFT} the recommendation of paragraph {n}"
    chosen = [p for p in para.parts if p.letter in letters] if letters else list(para.parts)
    if letters and len(chosen) < len(letters):
        notes.append(
            f"The follow-up paragraph names sub-paragraphs ({', '.join(letters)}) of paragraph "
            f"{n} that were not all found; every part is drafted."
        )
        chosen = list(para.parts)
    if chosen:
        parts = [_part(f"{n}{p.letter}", f"({p.letter})", _excerpt(p.text), p.text) for p in chosen]
    else:
        title = para.heading or _excerpt(_TRIGGER.split(words, maxsplit=1)[-1].strip() or words)
        parts = [_part(str(n), None, title, words)]
    rec["parts"] = parts
    return rec


def _part(part_id: str, label: str | None, title: str, text: str) -> dict[str, Any]:
    part: dict[str, Any] = {"id": part_id}
    if label:
        part["label"] = label
    part["title"] = title or f"Part {part_id}"  # no words to take a title from
    if text:
        part["text"] = text
    part["criteria"] = [_criterion(part_id)]
    return part


@attrs.frozen(kw_only=True)
class Drafted:
    """A drafted rubric: its YAML text and what it was drafted from.

    Attributes:
        text: The rubric's YAML text.
        paragraphs: The paragraph numbers drafted, in order.
        follow_up: The follow-up paragraph's number, if found.
        placeholders: How many ``DRAFT:`` placeholders the text holds.
    """

    text: str
    paragraphs: tuple[int, ...]
    follow_up: int | None
    placeholders: int


def draft(source: str | bytes, *, all_paragraphs: bool = False, file: str = "<string>") -> Drafted:
    """Draft a rubric from concluding observations; see `draft_rubric`."""
    found = read_observations(source, file=file)
    by_number = {p.number: p for p in found.paragraphs}
    fu = found.follow_up
    if not found.paragraphs:
        raise _nothing(file, "found no numbered paragraph ('7. The Committee is concerned ...')")
    if fu is None and not all_paragraphs:
        raise _nothing(
            file,
            "found no follow-up paragraph (one that requests the State party to provide, within "
            "a period, information on the recommendations in named paragraphs); draft every "
            "paragraph with a recommendation with --all (all_paragraphs=True)",
        )
    named = fu.recommendations if fu else ()
    chosen = sorted(n for n in named if n in by_number)
    if all_paragraphs:
        others = (p.number for p in found.paragraphs if p.recommendation)
        chosen = sorted({*chosen, *others} - {fu.paragraph if fu else 0})
    if not chosen:
        what = "the paragraphs the follow-up paragraph names" if named else "any paragraph"
        raise _nothing(file, f"found no recommendation in {what} to draft")
    notes: list[str] = []
    missing = [n for n in named if n not in by_number]
    if missing:
        notes.append(
            "Named by the follow-up paragraph but not found in the text: paragraph(s) "
            f"{', '.join(map(str, missing))}; add them."
        )
    recommendations = [
        _recommendation(by_number[n], fu.parts.get(n, ()) if fu else (), notes) for n in chosen
    ]
    for n in chosen:
        para = by_number[n]
        if para.concern_paragraph is not None:
            notes.append(f"The concern of paragraph {n} is paragraph {para.concern_paragraph}.")
    if found.kept_hyphens:
        notes.append(
            "A hyphen at a line end was kept where the text gives no other evidence: "
            f"{', '.join(found.kept_hyphens)}; check these words."
        )
    data = _rubric_data(found, recommendations, notes, source, file)
    text = _yaml(data)
    return Drafted(
        text=text,
        paragraphs=tuple(chosen),
        follow_up=fu.paragraph if fu else None,
        placeholders=_count_placeholders(data),
    )


def _rubric_data(
    found: Observations,
    recommendations: list[dict[str, Any]],
    notes: list[str],
    source: str | bytes,
    file: str,
) -> dict[str, Any]:
    data_bytes = source if isinstance(source, bytes) else source.encode("utf-8", "replace")
    digest = sha256(data_bytes)
    data: dict[str, Any] = {
        "id": _rubric_id(found),
        "title": found.title or f"{DRAFT} the title of the concluding observations",
        "treaty_body": found.treaty_body or "CAT",
        "state_party": found.state_party or f"{DRAFT} the State party",
        "symbol": found.symbol or f"{DRAFT} the document symbol, e.g. CAT/C/KAZ/CO/2",
    }
    if found.session is not None:
        data["session"] = found.session
    data["adopted"] = found.adopted or f"{DRAFT} the date of adoption, YYYY-MM-DD"
    scale = _BODY_SCALES.get(found.treaty_body or "CAT")
    if scale:
        data["scale"] = scale
    data["notes"] = " ".join(
        [
            f"Drafted by cat-rubric draft from {display_name(file)} (sha256 {digest}).",
            "The headings, the concern, recommendation and part texts and follow_up.text are "
            "the Committee's words as read from that text (line breaks joined, runs of spaces "
            "made one, page headers and footers left out): check them against the official "
            "document. Part titles are each part's opening words. Every text beginning "
            f'"{DRAFT}" is a placeholder to replace; cat-rubric validate lists those that '
            "remain.",
            *notes,
        ]
    )
    fu = found.follow_up
    follow_up: dict[str, Any] = {}
    if fu is not None:
        follow_up["paragraph"] = fu.paragraph
        follow_up["recommendations"] = list(fu.recommendations)
        if fu.within_months is not None:
            follow_up["within_months"] = fu.within_months
        if fu.due is not None:
            follow_up["due"] = fu.due
        if fu.within_months is None and fu.due is None:
            follow_up["within_months"] = f"{DRAFT} the period, in months"
        follow_up["text"] = fu.text
    else:
        follow_up["recommendations"] = f"{DRAFT} the paragraphs selected for follow-up, e.g. [7, 9]"
        follow_up["within_months"] = f"{DRAFT} the period, in months"
    data["follow_up"] = follow_up
    data["recommendations"] = recommendations
    return data


def _count_placeholders(data: Any) -> int:
    if isinstance(data, dict):
        return sum(_count_placeholders(v) for v in data.values())
    if isinstance(data, list):
        return sum(_count_placeholders(v) for v in data)
    return int(isinstance(data, str) and data.startswith(DRAFT))


def _nothing(file: str, message: str) -> LoadError:
    return LoadError((problem(file, 1, 1, "nothing-to-draft", message),))


# -- YAML --------------------------------------------------------------------------------


def _folded_or_plain(dumper: Any, value: str) -> Any:
    # A placeholder starts on its key's line, where validate points.
    long = (len(value) > 80 or "\n" in value) and not value.startswith(DRAFT)
    style = ">" if long else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow_if_flat(dumper: Any, value: list[Any]) -> Any:
    flat = all(isinstance(v, int | str) and len(str(v)) <= 40 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flat)


def _yaml(data: dict[str, Any]) -> str:
    """*data* as YAML: long texts folded; checked to read back equal, else PyYAML's plain."""
    import yaml

    from cat_rubric._dump import _Dumper

    class Folding(_Dumper):
        pass

    Folding.add_representer(str, _folded_or_plain)
    Folding.add_representer(list, _flow_if_flat)
    options: dict[str, Any] = {"allow_unicode": True, "sort_keys": False, "width": 92}
    text = str(yaml.dump(data, Dumper=Folding, **options))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's where PyYAML has it
    if yaml.load(text, Loader=loader) != data:  # noqa: S506 - a safe loader
        text = str(yaml.dump(data, Dumper=_Dumper, **options))  # pragma: no cover - never seen
    header = [
        "# A rubric drafted by `cat-rubric draft` from the Committee's text: a skeleton to fill.",
        '# Replace every text that begins "DRAFT:", write the criteria of each part (the one per',
        "# part is a placeholder), and check the Committee's words against the official document.",
        "# `cat-rubric validate THIS_FILE` lists what remains; the rubric loads once nothing does.",
    ]
    return "\n".join(header) + "\n" + text


def draft_rubric(text: str | bytes, *, all_paragraphs: bool = False, file: str = "<string>") -> str:
    """Draft a rubric from concluding observations given as plain text.

    The draft holds the paragraphs the follow-up paragraph names ("... within one year,
    information on ... paragraphs 7, 9, 18 and 29 above"), or, with *all_paragraphs*,
    also every other numbered paragraph with a recommendation. Each gets its heading,
    the Convention articles it cites, its concern and recommendation verbatim (split
    where "The State party should", "The Committee recommends that the State party" or
    the like begins), a part per lettered sub-paragraph (one part if it has none) and
    a placeholder criterion per part. Placeholders begin with ``DRAFT:``; the rubric
    loads with `cat_rubric.load_rubric` once none is left (``cat-rubric validate``
    lists them).

    Args:
        text: The concluding observations: text, or its UTF-8 bytes (a byte-order mark,
            CRLF line ends, form feeds and page headers and footers are tolerated).
        all_paragraphs: Draft every numbered paragraph with a recommendation, not only
            those the follow-up paragraph names.
        file: The name used in the rubric's notes and in error messages.

    Returns:
        The rubric's YAML text.

    Raises:
        LoadError: the input is not UTF-8 text (``not-utf8``, ``bad-character``), or it
            has nothing to draft (``nothing-to-draft``): no numbered paragraph, no
            follow-up paragraph (without *all_paragraphs*), or no recommendation.
    """
    return draft(text, all_paragraphs=all_paragraphs, file=file).text


def draft_file(
    path: str | Path, *, all_paragraphs: bool = False, limits: Limits | None = None
) -> Drafted:
    """Draft a rubric from the text file at *path*; see `draft_rubric`.

    Raises:
        LoadError: the file cannot be read, is not text, or has nothing to draft.
    """
    name = display_name(path)
    if Path(path).is_dir():
        raise LoadError(
            (problem(name, 1, 1, "file-unreadable", "this is a directory, not a text file"),)
        )
    data = read_bytes(Path(path), limits or Limits(), name=name)
    return draft(data, all_paragraphs=all_paragraphs, file=name)


__all__ = [
    "DRAFT",
    "Drafted",
    "FollowUpRequest",
    "Observations",
    "Paragraph",
    "SubParagraph",
    "draft",
    "draft_file",
    "draft_rubric",
    "read_observations",
]
