"""Drafting a rubric from the Committee's text: `cat-rubric draft` and `cat_rubric.draft_rubric`.

The seed, tests/data/CAT-C-KAZ-CO-2-extract.txt, is a copy of the project's extract of
CAT/C/KAZ/CO/2 (see tests/data/CAT-C-KAZ-CO-2-extract.md). The other texts here are
invented, illustrative concluding observations, never the Committee's words.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import cat_rubric
from cat_rubric import CatRubricError, LoadError, parse_rubric
from cat_rubric._draft import DRAFT, Observations, draft, read_observations
from cat_rubric.exceptions import Problem
from tests.conftest import BUNDLED, DATA, Run

SEED = DATA / "CAT-C-KAZ-CO-2-extract.txt"
SEED_NAME = "tests/data/CAT-C-KAZ-CO-2-extract.txt"
GOLDEN = DATA / "kaz-co-2-draft.yaml"


def words(text: str | None) -> str:
    """*text* whitespace-normalised, a word broken after a hyphen at a line end mended."""
    assert text is not None
    return " ".join(re.sub(r"-[ \t]*\r?\n\s*", "-", text).split())


@pytest.fixture(name="seed", scope="module")
def _seed() -> Observations:
    return read_observations(SEED.read_bytes(), file=SEED_NAME)


@pytest.fixture(name="drafted", scope="module")
def _drafted() -> dict[str, Any]:
    data = yaml.safe_load(draft(SEED.read_bytes(), file=SEED_NAME).text)
    assert isinstance(data, dict)
    return data


def fill(data: Any, key: str = "") -> Any:
    """*data* with every ``DRAFT:`` placeholder replaced by a value of the kind it stands for,
    as an author would fill it (mechanically, for the test)."""
    if isinstance(data, dict):
        return {k: fill(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [fill(v, key) for v in data]
    if isinstance(data, str) and data.startswith(DRAFT):
        filled: dict[str, Any] = {
            "adopted": dt.date(2008, 11, 18),
            "within_months": 12,
            "symbol": "CAT/C/KAZ/CO/2",
        }
        return filled.get(key, f"Written by the author ({key}).")
    return data


def placeholders(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """The key path of every ``DRAFT:`` placeholder in *data*."""
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in placeholders(v, (*path, k))]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in placeholders(v, (*path, i))]
    return [path] if isinstance(data, str) and data.startswith(DRAFT) else []


class TestSeed:
    """On the seed extract of CAT/C/KAZ/CO/2."""

    def test_finds_the_follow_up_paragraphs_with_their_parts_and_articles(
        self, seed: Observations
    ) -> None:
        """Paragraphs 7, 9, 18 and 29, their lettered parts (7 alone has some) and articles."""
        found = {
            p.number: ([s.letter for s in p.parts], p.articles)
            for p in seed.paragraphs
            if p.recommendation
        }
        assert found == {
            7: (["a", "b", "c"], ("2", "11", "12")),
            9: ([], ("2",)),
            18: ([], ("7",)),
            29: ([], ("15",)),
        }

    def test_finds_the_follow_up_paragraph_and_its_deadline(self, seed: Observations) -> None:
        """Paragraph 36 names 7, 9, 18 and 29 and gives one year."""
        assert seed.follow_up is not None
        assert seed.follow_up.paragraph == 36
        assert seed.follow_up.recommendations == (7, 9, 18, 29)
        assert seed.follow_up.within_months == 12
        assert seed.follow_up.due is None
        assert seed.follow_up.parts == {}

    def test_headings(self, seed: Observations) -> None:
        """The heading above each paragraph, a wrapped one joined, not the section's."""
        headings = {p.number: p.heading for p in seed.paragraphs}
        assert headings == {
            7: "Torture and ill-treatment",
            9: "Insufficient safeguards governing initial period of detention",
            18: "Appropriate penalties",
            29: "Evidence obtained through torture",
            36: None,  # an elision since the last heading: it may not be this paragraph's
        }

    def test_the_recommendation_begins_where_the_committee_turns_to_the_state(
        self, seed: Observations
    ) -> None:
        """Split at "The State party should", also in mid-sentence after "As recommended"."""
        starts = {
            p.number: words(p.recommendation)[:40] for p in seed.paragraphs if p.recommendation
        }
        assert starts == {
            7: "The State party should apply a zero-tole",
            9: "The State party should promptly implemen",
            18: "The State party should ensure that all a",
            29: "As recommended in the previous concludin",
        }
        nine = seed.paragraph(9)
        assert "(c) The failure to introduce" in nine.concern  # lettered, but a concern
        assert nine.concern.endswith("(art. 2).")
        assert seed.paragraph(29).concern.endswith("in every instance (art.15).")

    def test_the_words_are_the_sources(self, seed: Observations) -> None:
        """Every text is the source's words, whitespace-normalised: nothing added or lost."""
        source = words(SEED.read_text(encoding="utf-8"))
        for para in seed.paragraphs:
            texts = [para.concern, para.recommendation or "", *(s.text for s in para.parts)]
            for text in [*texts, para.heading or ""]:
                assert words(text) in source, text
            assert words(para.concern + " " + (para.recommendation or "")) in source
        assert seed.follow_up is not None
        assert words(seed.follow_up.text) in source

    def test_the_words_agree_with_the_bundled_rubric(self, seed: Observations) -> None:
        """Where the bundled rubric quotes the extract, the draft has the same words."""
        bundled = cat_rubric.load_rubric(BUNDLED)
        for rec in bundled.recommendations:
            para = seed.paragraph(rec.paragraph)
            assert words(para.concern) == words(rec.concern), rec.paragraph
            assert words(para.recommendation) == words(rec.recommendation), rec.paragraph
            assert para.heading == rec.title
            assert para.articles == rec.articles
            letters = [s.letter for s in para.parts]
            lettered = [p for p in rec.parts if p.label and re.fullmatch(r"\([a-z]\)", p.label)]
            assert letters == [p.label.strip("()") for p in lettered if p.label]
            for sub, part in zip(para.parts, lettered, strict=True):
                assert words(sub.text) == words(part.text)
        assert seed.follow_up is not None
        assert words(seed.follow_up.text) == words(bundled.follow_up.text)
        assert seed.follow_up.recommendations == bundled.follow_up.recommendations
        assert seed.follow_up.within_months == bundled.follow_up.within_months

    def test_header(self, seed: Observations) -> None:
        """The State and title are read; the extract gives no symbol, session or date."""
        assert seed.state_party == "Kazakhstan"
        assert seed.title == "Concluding observations of the Committee against Torture: Kazakhstan"
        assert (seed.symbol, seed.session, seed.adopted) == (None, None, None)


class TestDraftedRubric:
    """The rubric written for the seed."""

    def test_recommendations_and_parts(self, drafted: dict[str, Any]) -> None:
        """Only the follow-up paragraphs, a part per sub-paragraph, one part otherwise."""
        recs = drafted["recommendations"]
        assert [r["paragraph"] for r in recs] == [7, 9, 18, 29]
        assert [[p["id"] for p in r["parts"]] for r in recs] == [
            ["7a", "7b", "7c"],
            ["9"],
            ["18"],
            ["29"],
        ]
        assert [p["label"] for p in recs[0]["parts"]] == ["(a)", "(b)", "(c)"]
        assert drafted["follow_up"] == {
            "paragraph": 36,
            "recommendations": [7, 9, 18, 29],
            "within_months": 12,
            "text": "The Committee requests the State party to provide, within one year, "
            "information on its response to the Committee’s recommendations contained in "
            "paragraphs 7, 9, 18 and 29 above.",
        }

    def test_the_texts_are_the_readings(self, drafted: dict[str, Any], seed: Observations) -> None:
        """The YAML holds the texts read, exactly (line breaks only between sub-paragraphs)."""
        for rec in drafted["recommendations"]:
            para = seed.paragraph(rec["paragraph"])
            assert rec["concern"] == para.concern
            assert rec["recommendation"] == para.recommendation
            if para.parts:
                assert [p["text"] for p in rec["parts"]] == [s.text for s in para.parts]
            else:
                assert rec["parts"][0]["text"] == para.recommendation

    def test_each_part_has_one_essential_placeholder_criterion(
        self, drafted: dict[str, Any]
    ) -> None:
        """One criterion per part, essential, whose statement, guidance and request are drafts."""
        for rec in drafted["recommendations"]:
            for part in rec["parts"]:
                (criterion,) = part["criteria"]
                assert criterion["essential"] is True
                for key in ("statement", "guidance", "request"):
                    assert criterion[key].startswith(DRAFT)

    def test_header_placeholders(self, drafted: dict[str, Any]) -> None:
        """What the text does not give is a placeholder; what it gives is filled in."""
        assert drafted["state_party"] == "Kazakhstan"
        assert drafted["symbol"].startswith(DRAFT)
        assert drafted["adopted"].startswith(DRAFT)
        assert "session" not in drafted  # optional: left out rather than invented
        assert drafted["treaty_body"] == "CAT"
        assert drafted["scale"] == "cat-2015"

    def test_loads_as_a_rubric_once_the_placeholders_are_filled(
        self, drafted: dict[str, Any]
    ) -> None:
        """Filled mechanically, the draft is a valid rubric, due when the bundled one is."""
        rubric = parse_rubric(yaml.safe_dump(fill(drafted), allow_unicode=True))
        bundled = cat_rubric.load_rubric(BUNDLED)
        assert rubric.due == bundled.due
        assert [r.paragraph for r in rubric.recommendations] == [7, 9, 18, 29]
        assert sum(1 for _ in rubric.iter_criteria()) == 6

    def test_the_loader_refuses_each_placeholder_where_it_is(self) -> None:
        """Loading the draft reports every placeholder, at its line, and nothing else."""
        text = draft(SEED.read_bytes(), file=SEED_NAME).text
        lines = text.splitlines()
        with pytest.raises(LoadError) as info:
            parse_rubric(text)
        problems = info.value.problems
        assert {p.code for p in problems} == {"draft-placeholder", "wrong-type"}
        reported = {p.path.steps for p in problems}
        assert reported == set(placeholders(yaml.safe_load(text)))
        for problem in problems:
            assert DRAFT in lines[problem.line - 1][problem.column - 1 :], problem
        (wrong,) = [p for p in problems if p.code == "wrong-type"]
        assert wrong.path.steps == ("adopted",)

    def test_the_committed_draft_is_what_draft_writes(self) -> None:
        """tests/data/kaz-co-2-draft.yaml (its validate output is in the README) is current."""
        text = draft(SEED.read_bytes(), file=SEED_NAME).text
        assert GOLDEN.read_text(encoding="utf-8") == text, (
            "regenerate it: cat-rubric draft tests/data/CAT-C-KAZ-CO-2-extract.txt "
            "-o tests/data/kaz-co-2-draft.yaml --force"
        )

    def test_the_public_function_is_the_text(self) -> None:
        """`cat_rubric.draft_rubric` returns the same YAML, from text or from bytes."""
        data = SEED.read_bytes()
        text = cat_rubric.draft_rubric(data, file=SEED_NAME)
        assert text == cat_rubric.draft_rubric(data.decode("utf-8"), file=SEED_NAME)
        assert text == draft(data, file=SEED_NAME).text
        assert text.startswith("# A rubric drafted by `cat-rubric draft`")


def _pdf_like(text: str) -> str:
    """*text* as a PDF converter leaves it: a page break every 12 lines with running headers
    and footers, CRLF line ends, a byte-order mark, a word broken at a line end that the text
    uses elsewhere, no-break spaces, a ligature, a soft hyphen and a zero-width space."""
    text = text.replace("evidence in criminal proceedings", "evidence in criminal proceed-\nings")
    text = text.replace("arts. 2, 11 and 12", "arts.\u00a02, 11 and\u00a012")
    text = text.replace("in the field of", "in the \ufb01eld of")
    text = text.replace("in custodial facilities", "in custo\u00ad\ndial facilities")
    text = text.replace("zero-tolerance approach", "zero-tolerance\u200b approach")
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if i and i % 12 == 0:
            page = i // 12
            out += [
                f"- {page} -",
                "GE.08-45678 (E) 011208",
                "\fCAT/C/KAZ/CO/2",
                f"page {page + 1}",
            ]
            out.append("")
        out.append(line)
    return "\ufeff" + "\r\n".join(out)


class TestTolerance:
    """What PDF-to-text conversion leaves in the text changes nothing that is read."""

    def test_pdf_like_text_reads_as_the_clean_text(self, seed: Observations) -> None:
        """Page furniture, CRLF, BOM, broken words and invisible characters are taken in stride."""
        noisy = read_observations(_pdf_like(SEED.read_text(encoding="utf-8")).encode("utf-8"))
        assert noisy.paragraphs == seed.paragraphs
        assert noisy.follow_up == seed.follow_up
        assert noisy.kept_hyphens == ()
        assert noisy.symbol == "CAT/C/KAZ/CO/2"  # from the running header

    def test_with_the_symbol_the_id_is_the_bundled_rubrics(self) -> None:
        """The id is made from the symbol as the bundled rubric's is."""
        noisy = _pdf_like(SEED.read_text(encoding="utf-8"))
        data = yaml.safe_load(draft(noisy).text)
        assert (data["id"], data["symbol"]) == ("cat-kaz-co-2", "CAT/C/KAZ/CO/2")

    def test_an_unknown_word_broken_after_a_hyphen_keeps_it_and_says_so(self) -> None:
        """A word the text gives no evidence for keeps its hyphen, and the notes list it."""
        text = SEED.read_text(encoding="utf-8").replace("unacknowledged", "unacknow-\nledged")
        found = read_observations(text)
        assert found.kept_hyphens == ("unacknow-ledged",)
        assert "unacknow-ledged detention" in (found.paragraph(9).recommendation or "")
        assert "unacknow-ledged; check these words" in yaml.safe_load(draft(text).text)["notes"]

    def test_no_blank_lines(self, seed: Observations) -> None:
        """Without blank lines between blocks, headings and paragraphs are still found."""
        text = "\n".join(
            line for line in SEED.read_text(encoding="utf-8").split("\n") if line.strip()
        )
        found = read_observations(text)
        assert [(p.number, p.heading) for p in found.paragraphs] == [
            (p.number, p.heading) for p in seed.paragraphs
        ]
        assert [words(p.recommendation or "") for p in found.paragraphs] == [
            words(p.recommendation or "") for p in seed.paragraphs
        ]


#: Invented concluding observations in the present-day form: a concern and its
#: recommendation in paragraphs of their own, a due date, sub-paragraphs followed up.
MODERN = """\
                                                       CAT/C/TST/CO/3
Committee against Torture
Concluding observations on the third periodic report of
Testland*

* Adopted by the Committee at its seventy-eighth session (30 October–24 November 2023).

1. The Committee considered the third periodic report of Testland (CAT/C/TST/3) at its
2034th and 2035th meetings (see CAT/C/SR.2034 and CAT/C/SR.2035), held on 6 and 7
November 2023, and adopted the present concluding observations at its 2050th meeting,
held on 17 November 2023.

C. Principal subjects of concern and recommendations

Fundamental legal safeguards

12. While noting the illustrative reform, the Committee is concerned that detainees are
not afforded safeguards from the outset of deprivation of liberty (arts. 2, 11 and 16).

13. The State party should:

(a) Ensure that all detained persons are afforded, in law and in practice, all
fundamental legal safeguards from the very outset of deprivation of liberty;

(b) Ensure that the safeguards are monitored;

(c) Keep registers of detention.

Excessive use of force

14. The Committee is concerned at reports of the use of force, contrary to articles 1
and 4 of the Convention, and at article 308 of the Criminal Code.

15. The Committee recommends that the State party:

(a) Investigate all allegations;

(b) Publish data.

16. The State party should disseminate widely the concluding observations.

Follow-up procedure

30. The Committee requests the State party to provide, by 24 November 2024, information
on follow-up to the Committee's recommendations on fundamental legal safeguards and
on the use of force (see paras. 13 (a) and 15 (b) above).
"""


class TestModernForm:
    """The present-day form of concluding observations (an invented example)."""

    def test_header(self) -> None:
        """Symbol, title, State, session and adoption date from the text."""
        found = read_observations(MODERN)
        assert found.symbol == "CAT/C/TST/CO/3"
        assert found.title == "Concluding observations on the third periodic report of Testland"
        assert found.state_party == "Testland"
        assert found.session == 78
        assert found.adopted == dt.date(2023, 11, 17)

    def test_follow_up_by_a_date_and_by_sub_paragraph(self) -> None:
        """ "by 24 November 2024" is the due date; "13 (a)" selects that part only."""
        found = read_observations(MODERN)
        assert found.follow_up is not None
        assert found.follow_up.paragraph == 30
        assert found.follow_up.recommendations == (13, 15)
        assert found.follow_up.parts == {13: ("a",), 15: ("b",)}
        assert found.follow_up.due == dt.date(2024, 11, 24)
        assert found.follow_up.within_months is None

    def test_a_recommendation_of_its_own_takes_the_concern_before_it(self) -> None:
        """Paragraph 13's concern is paragraph 12's text, with its articles."""
        found = read_observations(MODERN)
        thirteen = found.paragraph(13)
        assert thirteen.concern.startswith("While noting the illustrative reform")
        assert thirteen.concern_paragraph == 12
        assert thirteen.articles == ("2", "11", "16")
        assert found.paragraph(15).articles == ("1", "4")  # not article 308 of another code
        assert [s.letter for s in thirteen.parts] == ["a", "b", "c"]

    def test_the_draft_holds_the_parts_followed_up(self) -> None:
        """Only 13 (a) and 15 (b) are drafted; the date and the due date are the text's."""
        data = yaml.safe_load(draft(MODERN).text)
        assert [[p["id"] for p in r["parts"]] for r in data["recommendations"]] == [
            ["13a"],
            ["15b"],
        ]
        assert data["adopted"] == dt.date(2023, 11, 17)
        assert data["session"] == 78
        assert data["follow_up"]["due"] == dt.date(2024, 11, 24)
        assert data["id"] == "cat-tst-co-3"
        assert "The concern of paragraph 13 is paragraph 12." in data["notes"]
        rubric = parse_rubric(yaml.safe_dump(fill(data), allow_unicode=True))
        assert rubric.due == dt.date(2024, 11, 24)

    def test_all_drafts_every_recommendation(self) -> None:
        """--all adds every paragraph with a recommendation; the follow-up stays as named."""
        data = yaml.safe_load(draft(MODERN, all_paragraphs=True).text)
        assert [r["paragraph"] for r in data["recommendations"]] == [13, 15, 16]
        assert data["follow_up"]["recommendations"] == [13, 15]
        assert data["recommendations"][2]["concern"].startswith(DRAFT)  # 16 has none
        parse_rubric(yaml.safe_dump(fill(data), allow_unicode=True))

    def test_without_a_follow_up_paragraph(self) -> None:
        """Without --all it is an error that says what to do; with --all a placeholder."""
        text = MODERN.split("Follow-up procedure", maxsplit=1)[0]
        with pytest.raises(LoadError) as info:
            draft(text, file="co.txt")
        (problem,) = info.value.problems
        assert problem.code == "nothing-to-draft"
        assert "--all" in problem.message
        data = yaml.safe_load(draft(text, all_paragraphs=True).text)
        assert data["follow_up"]["recommendations"].startswith(DRAFT)
        filled = fill(data)
        filled["follow_up"]["recommendations"] = [13]
        parse_rubric(yaml.safe_dump(filled, allow_unicode=True))


def _problems(data: dict[str, Any]) -> tuple[Problem, ...]:
    try:
        parse_rubric(yaml.safe_dump(data, allow_unicode=True))
    except LoadError as exc:
        return exc.problems
    return ()


class TestForms:
    """Other ways the Committee words what the draft reads (invented sentences in its forms)."""

    @pytest.mark.parametrize(
        ("asked", "named", "months"),
        [
            ("within one year, information on paragraphs 11 to 13 above", (11, 12, 13), 12),
            ("within 18 months, information on paragraphs 11–13 above", (11, 12, 13), 18),
            ("within two years, information on paras. 11 and 13 (b)", (11, 13), 24),
            ("within six months, information on paragraph 12 above", (12,), 6),
        ],
    )
    def test_follow_up_ranges_and_periods(
        self, asked: str, named: tuple[int, ...], months: int
    ) -> None:
        paragraphs = "".join(
            f"Heading {n}\n\n{n}. The Committee is concerned. The State party should act.\n\n"
            for n in (11, 12, 13)
        )
        text = f"{paragraphs}20. The Committee requests the State party to provide, {asked}.\n"
        found = read_observations(text)
        assert found.follow_up is not None
        assert found.follow_up.recommendations == named
        assert found.follow_up.within_months == months

    def test_the_older_header(self) -> None:
        """Title in capitals, the session as "41st", the adoption in the first paragraph."""
        text = (
            "CAT/C/TST/CO/2\n\nCOMMITTEE AGAINST TORTURE\nForty-first session\n\n"
            "CONCLUSIONS AND RECOMMENDATIONS OF THE COMMITTEE AGAINST TORTURE\n\nTESTLAND\n\n"
            "1. The Committee considered the second periodic report of Testland (CAT/C/TST/2) "
            "at its 838th and 840th meetings (CAT/C/SR.838 and 840), held on 6 and 7 November\n"
            "2008, and adopted, at its 858th meeting (CAT/C/SR.858), held on 18 November 2008,\n"
            "the following conclusions and recommendations.\n"
        )
        found = read_observations(text)
        assert found.title == (
            "Conclusions and recommendations of the Committee against Torture: Testland"
        )
        assert (found.state_party, found.session) == ("Testland", 41)
        assert found.adopted == dt.date(2008, 11, 18)
        assert found.symbol == "CAT/C/TST/CO/2"

    def test_a_paragraph_named_but_absent_is_noted(self) -> None:
        """The follow-up names a paragraph the extract lacks: the notes say so, validate too."""
        text = SEED.read_text(encoding="utf-8").replace("18 \nand 29 above", "18, 29 and 33 above")
        data = yaml.safe_load(draft(text).text)
        assert data["follow_up"]["recommendations"] == [7, 9, 18, 29, 33]
        assert "paragraph(s) 33; add them" in data["notes"]
        with pytest.raises(LoadError) as info:
            parse_rubric(yaml.safe_dump(fill(data), allow_unicode=True))
        assert [p.code for p in info.value.problems] == ["unknown-reference"]


#: Text that YAML would misread if it were written unquoted, and text a terminal or an editor
#: would: the Committee's words are untrusted input like any other.
HOSTILE = [
    "key: value # not a comment",
    "&anchor *alias <<: merge",
    "!!python/object/apply:os.system ['echo pwned']",
    "--- a document ... ends",
    "'single' \"double\" {flow: map} [flow, seq] %TAG @at `back` | > ?",
    "yes no ~ null 0x1F 1e3 2008-11-18",
    "\x1b]0;pwned\x07\x1b[2J and \x9b31m and DEL\x7f",
    "right-to-left \u202eevil\u202c and isolate \u2066x\u2069 and mark \u200f",
    "zero\u200bwidth\u200djoiner\ufeff and\u00a0no-break",
    "Қазақстан Республикасы — «азаптау»",
]


class TestHostileText:
    @pytest.mark.parametrize("hostile", HOSTILE)
    def test_the_words_come_back_as_text(self, hostile: str) -> None:
        """What YAML or a terminal would misread is written so it reads back as the same text;
        control and bidirectional characters are dropped."""
        text = (
            f"No\n\n5. The Committee is concerned that {hostile}. The State party should "
            f"{hostile}.\n\n6. The Committee requests the State party to provide, within one "
            "year, information on paragraph 5 above.\n"
        )
        found = read_observations(text).paragraph(5)
        assert found.heading == "No"
        for read in (found.concern, found.recommendation or ""):
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e]", read)
            assert not re.search("[\u2066-\u2069\ufeff]", read)
        drafted = draft(text, file="evil\nname\u202e.txt").text
        data = yaml.safe_load(drafted)
        (rec,) = data["recommendations"]
        assert (rec["title"], rec["concern"]) == ("No", found.concern)
        assert rec["recommendation"] == found.recommendation
        assert "from evil\\u000aname\\u202e.txt (sha256" in data["notes"]  # shown inert
        rubric = parse_rubric(yaml.safe_dump(fill(data), allow_unicode=True))
        assert rubric.recommendations[0].concern == found.concern
        assert rubric.recommendations[0].title == "No"


class TestNotText:
    """What is not concluding observations in plain text gets a clear error."""

    @pytest.mark.parametrize(
        ("data", "code", "says"),
        [
            (b"%PDF-1.7\n\xe2\xe3\xcf\xd3", "not-utf8", "pdftotext"),
            (b"\xff\xfe7\x00.\x00", "not-utf8", "UTF-16"),
            (b"7. The Committee \xff", "not-utf8", "not valid UTF-8"),
            (b"7. The\x00 Committee", "bad-character", "not a text file"),
            (b"Nothing numbered here.\n", "nothing-to-draft", "numbered paragraph"),
            (b"7. The Committee is concerned.\n", "nothing-to-draft", "follow-up paragraph"),
        ],
    )
    def test_clear_errors(self, data: bytes, code: str, says: str) -> None:
        with pytest.raises(LoadError) as info:
            draft(data, file="co.txt")
        (problem,) = info.value.problems
        assert (problem.code, problem.file) == (code, "co.txt")
        assert says in problem.message

    @given(st.text(), st.booleans())
    def test_any_text(self, text: str, every: bool) -> None:
        """Any text drafts or raises a LoadError, never anything else; a draft is YAML."""
        try:
            drafted = draft(text, all_paragraphs=every)
        except LoadError:
            return
        assert isinstance(yaml.safe_load(drafted.text), dict)

    @given(
        st.lists(
            st.sampled_from(
                [
                    "7. The Committee is concerned. The State party should act.\n",
                    "\n36. The Committee requests the State party to provide, within one year, "
                    "information on paragraphs 7 and 12 above.\n",
                    "7. ", "12.", "The State party should ", "The Committee recommends ",
                    "(a) ", "(b) ", "(i) ", "\n", "\n\n", "\f", "\r\n", "(…)", "...", "-\n",
                    "paragraphs 7 and 9", "paras. 11 to 13 (a)", "within one year",
                    "by 8 December 2023", "requests the State party to provide ", "adopted ",
                    "held on 18 November 2008", "CAT/C/KAZ/CO/2", "(arts. 2, 11 and 12)",
                    "(art.", "articles 1 and 4 of the Convention", "Torture", "KAZAKHSTAN",
                    "Concluding observations of", "page 3", "1 See", " ", ".", ":", ";", "ill-",
                    "treatment", "\u00ad", "\ufb01", "DRAFT: ", "'", '"', "#", "&", "*",
                ]
            ),
            max_size=80,
        ).map("".join),
        st.booleans(),
    )  # fmt: skip
    def test_any_arrangement_of_what_it_reads(self, text: str, every: bool) -> None:
        """The fragments the reader reacts to, in any order: a draft that reads back as YAML
        and loads once filled, or a LoadError."""
        try:
            drafted = draft(text, all_paragraphs=every)
        except LoadError:
            return
        data = yaml.safe_load(drafted.text)
        assert len(placeholders(data)) == drafted.placeholders
        filled = fill(data)
        if isinstance(filled["follow_up"]["recommendations"], str):
            filled["follow_up"]["recommendations"] = list(drafted.paragraphs)
        # What the text itself gets wrong may remain (a paragraph named but absent, a
        # deadline before the adoption), never anything in the writing.
        codes = {p.code for p in _problems(filled)}
        assert codes <= {"unknown-reference", "impossible-date"}, codes

    @given(st.binary())
    def test_any_bytes(self, data: bytes) -> None:
        """Any bytes draft or raise a CatRubricError."""
        try:
            draft(data, all_paragraphs=True)
        except CatRubricError:
            return


# -- a synthetic concluding observations, generated and read back -----------------------

#: Words that mean something to the reader: kept out of the generated prose.
_MEANINGFUL = {
    "should", "recommends", "urges", "calls", "encourages", "reiterates", "requests",
    "requested", "asks", "asked", "invites", "invited", "provide", "para", "paras",
    "paragraph", "paragraphs", "art", "arts", "article", "articles", "within", "adopted",
    "held", "session", "page", "report", "reports",
}  # fmt: skip
_WORD = st.text(string.ascii_lowercase, min_size=2, max_size=9).filter(
    lambda w: w not in _MEANINGFUL
)


def _sentence(draw: st.DrawFn, lead: str = "", end: str = ".") -> str:
    body = " ".join(draw(st.lists(_WORD, min_size=2, max_size=14)))
    text = f"{lead} {body}" if lead else body
    return text[0].upper() + text[1:] + end


@st.composite
def synthetic(draw: st.DrawFn) -> tuple[bytes, dict[int, dict[str, Any]], tuple[int, ...]]:
    """Concluding observations (bytes) with what is in them: per paragraph number, its
    heading, concern, recommendation intro and parts; and the paragraphs followed up."""
    count = draw(st.integers(1, 5))
    numbers: list[int] = []
    for _ in range(count):
        numbers.append((numbers[-1] if numbers else 0) + draw(st.integers(1, 40)))
    titles = draw(
        st.lists(
            st.lists(_WORD, min_size=1, max_size=4).map(" ".join),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    width = draw(st.integers(24, 100))
    gap = "\n\n" if draw(st.booleans()) else "\n"
    made: dict[int, dict[str, Any]] = {}
    blocks: list[str] = []
    for number, title in zip(numbers, titles, strict=True):
        heading = title[0].upper() + title[1:]
        concern = " ".join(
            [_sentence(draw, "the Committee is concerned that")]
            + [_sentence(draw) for _ in range(draw(st.integers(0, 2)))]
        )
        parts = [_sentence(draw, end=";") for _ in range(draw(st.integers(0, 4)))]
        if parts:
            parts[-1] = parts[-1][:-1] + "."
        intro = _sentence(draw, "the State party should", ", in particular:" if parts else ".")
        made[number] = {"heading": heading, "concern": concern, "intro": intro, "parts": parts}
        blocks.append(heading)
        blocks.append(
            f"{number}. {concern}" + (gap + intro if draw(st.booleans()) else f" {intro}")
        )
        blocks += [f"({chr(97 + i)}) {text}" for i, text in enumerate(parts)]
    named = tuple(draw(st.lists(st.sampled_from(numbers), min_size=1, unique=True)))
    listed = ", ".join(map(str, named[:-1])) + (" and " if len(named) > 1 else "") + str(named[-1])
    follow_up = numbers[-1] + draw(st.integers(1, 40))
    blocks.append(
        f"{follow_up}. The Committee requests the State party to provide, within one year, "
        f"information on its response to the Committee’s recommendations contained in "
        f"paragraph{'s' if len(named) > 1 else ''} {listed} above."
    )
    lines: list[str] = []
    for block in blocks:
        wrapped = textwrap.wrap(block, width, break_long_words=False, break_on_hyphens=False)
        lines += [*wrapped, *([""] if gap == "\n\n" else [])]
    for at in sorted(draw(st.lists(st.integers(1, len(lines)), max_size=4)), reverse=True):
        lines[at:at] = ["- 3 -", "GE.12-34567", "\fCAT/C/TST/CO/1", "page 4"]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + newline.join(lines)).encode("utf-8"), made, named


class TestSyntheticRoundTrip:
    @settings(max_examples=60)
    @given(synthetic())
    def test_what_is_written_is_read(
        self, generated: tuple[bytes, dict[int, dict[str, Any]], tuple[int, ...]]
    ) -> None:
        """Paragraph numbers, headings, parts, concerns and recommendations come back."""
        data, made, named = generated
        found = read_observations(data)
        assert [p.number for p in found.paragraphs][:-1] == list(made)
        for number, para in made.items():
            got = found.paragraph(number)
            assert got.heading == para["heading"]
            assert [s.letter for s in got.parts] == [chr(97 + i) for i in range(len(para["parts"]))]
            assert [words(s.text) for s in got.parts] == [words(t) for t in para["parts"]]
            assert words(got.concern) == words(para["concern"])
            expected = " ".join(
                [para["intro"], *(f"({chr(97 + i)}) {t}" for i, t in enumerate(para["parts"]))]
            )
            assert words(got.recommendation) == words(expected)
        assert found.follow_up is not None
        assert found.follow_up.recommendations == named
        assert found.follow_up.within_months == 12
        drafted = yaml.safe_load(draft(data).text)
        assert [r["paragraph"] for r in drafted["recommendations"]] == sorted(named)
        parse_rubric(yaml.safe_dump(fill(drafted), allow_unicode=True))


class TestCommandLine:
    def test_draft_then_validate(self, run: Run, tmp_path: Path) -> None:
        """draft writes the file and says what remains; validate lists each placeholder."""
        out = tmp_path / "rubric.yaml"
        status, stdout, stderr = run("draft", str(SEED), "-o", str(out))
        assert (status, stdout) == (0, "")
        assert f"wrote {out}" in stderr
        assert "drafted paragraphs 7, 9, 18, 29 (follow-up paragraph 36)" in stderr
        assert "20 placeholders to replace" in stderr
        status, stdout, stderr = run("validate", str(out))
        assert status == 1
        listed = [line for line in stderr.splitlines() if line.endswith("[draft-placeholder]")]
        assert len(listed) == 19  # and the adoption date, a text where a date is wanted
        assert all(re.match(rf"{re.escape(str(out))}:\d+:\d+: ", line) for line in listed)
        assert stderr.splitlines()[-1] == f"{out}: 20 problems"

    def test_to_standard_output(self, run: Run) -> None:
        status, stdout, stderr = run("draft", str(SEED))
        assert status == 0
        assert stdout == draft(SEED.read_bytes(), file=str(SEED)).text
        assert "cat-rubric validate FILE lists them" in stderr

    def test_refuses_to_overwrite(self, run: Run, tmp_path: Path) -> None:
        """An existing file only with --force; the text read never, even with --force."""
        text = tmp_path / "co.txt"
        text.write_bytes(SEED.read_bytes())
        out = tmp_path / "rubric.yaml"
        out.write_text("mine\n", encoding="utf-8")
        status, _, stderr = run("draft", str(text), "-o", str(out))
        assert status == 1
        assert "--force" in stderr
        assert out.read_text(encoding="utf-8") == "mine\n"
        assert run("draft", str(text), "-o", str(out), "--force")[0] == 0
        assert out.read_text(encoding="utf-8").startswith("# A rubric drafted")
        status, _, stderr = run("draft", str(text), "-o", str(text), "--force")
        assert status == 1
        assert "input" in stderr
        assert text.read_bytes() == SEED.read_bytes()

    @pytest.mark.parametrize(
        ("content", "says"),
        [
            (None, "no such file"),
            ("dir", "directory, not a text file"),
            (b"%PDF-1.4\n\x00\xff", "pdftotext"),
            (b"\x7fELF\x02\x01\x01\x00\x00", "not a text file"),
            (b"Just a letter.\n", "found no numbered paragraph"),
        ],
    )
    def test_what_is_not_text(
        self, run: Run, tmp_path: Path, content: bytes | str | None, says: str
    ) -> None:
        """A clear error and status 1, never a traceback."""
        path = tmp_path / "co.txt"
        if content == "dir":
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        status, stdout, stderr = run("draft", str(path))
        assert (status, stdout) == (1, "")
        assert says in stderr
        assert stderr.startswith(f"{path}:1:")
