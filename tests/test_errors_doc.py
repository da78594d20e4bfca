"""Errors are for people: every problem code is catalogued in docs/errors.md, and each
catalogued error is reachable from a real input."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from cat_rubric import (
    Assessment,
    LoadError,
    draft_rubric,
    load_rubric,
    parse_evidence,
    parse_rubric,
    parse_scale,
)
from cat_rubric._load import load_any
from cat_rubric._rehash import set_rubric_sha256
from cat_rubric.exceptions import PROBLEM_CODES
from cat_rubric.limits import Limits
from tests.conftest import DATA, MINIMAL, ROOT
from tests.conftest import MINIMAL_EVIDENCE as EVIDENCE

RUBRIC = parse_rubric(MINIMAL)
SCALE = (ROOT / "src" / "cat_rubric" / "scales" / "ccpr-2016.yaml").read_text(encoding="utf-8")


def _rubric(old: str, new: str) -> Callable[[Path], object]:
    assert old in MINIMAL, old
    return lambda _: parse_rubric(MINIMAL.replace(old, new, 1))


def _evidence(old: str, new: str) -> Callable[[Path], object]:
    assert old in EVIDENCE, old
    return lambda _: parse_evidence(EVIDENCE.replace(old, new, 1), rubric=RUBRIC)


def _scale(old: str, new: str) -> Callable[[Path], object]:
    assert old in SCALE, old
    return lambda _: parse_scale(SCALE.replace(old, new, 1))


def _directory(tmp: Path) -> object:
    return load_rubric(tmp)


def _write_and_load_any(tmp: Path, text: str) -> object:
    path = tmp / "notes.yaml"
    path.write_text(text, encoding="utf-8")
    return load_any(path)


def _import_csv(tmp: Path, items: str) -> object:
    from cat_rubric import evidence_from_csv

    (tmp / "header.yaml").write_text(EVIDENCE, encoding="utf-8")
    (tmp / "items.csv").write_text(items, encoding="utf-8")
    return evidence_from_csv(tmp / "items.csv", header=tmp / "header.yaml", rubric=RUBRIC)


def _large(_: Path) -> object:
    return parse_rubric(MINIMAL, limits=Limits(max_bytes=100))


#: One input per problem code: the code must be reported for it.
CASES: dict[str, Callable[[Path], object]] = {
    "alias-expansion": lambda _: parse_rubric(
        MINIMAL.replace(
            "evidence: [state_party, ngo]", "evidence: &kinds [state_party, ngo]"
        ).replace("evidence: [ngo, npm]", "evidence: *kinds"),
        limits=Limits(max_alias_nodes=0),
    ),
    "bad-scalar": _rubric("session: 50", "session: 0x_"),
    "csv-syntax": lambda tmp: _import_csv(tmp, 'id,criteria\n"lawyer,x\n'),
    "bad-character": lambda _: parse_rubric(MINIMAL.replace("Testland", "Test\x07land")),
    "bad-id": _rubric("id: lawyer\n", "id: has space\n"),
    "bad-key": _rubric("title: Minimal", "1: x\ntitle: Minimal"),
    "bad-range": _rubric("recommendations: [9]", "recommendations: [9-2]"),
    "duplicate-id": _rubric("id: lawyer-practice", "id: lawyer"),
    "duplicate-key": _rubric("session: 50", "session: 50\nsession: 51"),
    "duplicate-override": _evidence(
        "items:",
        "overrides:\n"
        + "".join(
            "  - {part: 9a, grade: B, by: A. Analyst, date: 2014-09-01, reason: Judgement.}\n"
            for _ in range(2)
        )
        + "items:",
    ),
    "draft-placeholder": _rubric("symbol: CAT/C/TST/CO/1", 'symbol: "DRAFT: the symbol"'),
    "empty-file": lambda _: parse_rubric("# nothing here\n"),
    "empty-list": _rubric("recommendations: [9]", "recommendations: []"),
    "empty-value": _rubric("title: Minimal rubric for tests", "title:"),
    "file-not-found": lambda tmp: load_rubric(tmp / "missing.yaml"),
    "file-too-large": _large,
    "file-unreadable": _directory,
    "finding-not-for-source": _evidence(
        "finding: partially_implemented\n    source: {kind: state_party",
        "finding: no_new_information\n    source: {kind: ngo",
    ),
    "impossible-date": _evidence("as_of: 2014-09-01", "as_of: 2014-05-01"),
    "inconsistent": _evidence("received: true", "received: false"),
    "json-syntax": lambda _: Assessment.from_json('{"format": '),
    "invalid-date": _rubric("adopted: 2013-05-31", "adopted: 2013-02-30"),
    "merge-key": lambda _: parse_rubric(
        "base: &b {title: x}\n" + MINIMAL.replace("title: Minimal rubric for tests", "<<: *b", 1)
    ),
    "missing-key": _rubric("symbol: CAT/C/TST/CO/1\n", ""),
    "no-essential-criterion": _rubric("essential: true", "essential: false"),
    "not-monotonic": _scale("substantive_steps: B", "substantive_steps: C"),
    "not-positive": _rubric("weight: 2", "weight: 0"),
    "not-utf8": lambda _: parse_rubric(
        MINIMAL.encode("utf-8").replace(b"Testland", b"Test\xffland")
    ),
    "nothing-to-draft": lambda _: draft_rubric("No numbered paragraph here.\n"),
    "override-target": _evidence(
        "items:",
        "overrides:\n  - {by: A. Analyst, date: 2014-09-01, reason: Judgement.}\nitems:",
    ),
    "rehash-by-hand": lambda _: set_rubric_sha256(
        EVIDENCE.replace("cycle:", "rubric_sha256: |\n  0000\ncycle:"), "0" * 64
    ),
    "rubric-changed": lambda _: parse_evidence(
        EVIDENCE.replace("cycle:", 'rubric_sha256: "0000"\ncycle:'),
        rubric=load_rubric(DATA / "minimal.yaml"),
    ),
    "too-deep": lambda _: parse_rubric("notes: " + "[" * 200 + "]" * 200),
    "unknown-format": lambda _: Assessment.from_json('{"format": "cat-rubric-assessment/1"}'),
    "unknown-kind": lambda tmp: _write_and_load_any(tmp, "title: something else\n"),
    "unknown-key": _rubric("title: Minimal", "titel: Minimal"),
    "unknown-reference": _evidence("criteria: [lawyer]", "criteria: [laywer]"),
    "unknown-value": _rubric("indicator: structural", "indicator: structral"),
    "unsupported-tag": _rubric("state_party: Testland", "state_party: !!python/object:os.system x"),
    "wrong-kind": lambda _: parse_rubric(EVIDENCE),
    "wrong-rubric": _evidence("rubric: test-minimal", "rubric: another-rubric"),
    "wrong-type": _rubric("state_party: Testland", "state_party: no"),
    "yaml-syntax": lambda _: parse_rubric("id: [unclosed\n"),
}

DOC = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
DOCUMENTED = re.findall(r"^### `([a-z0-9-]+)`", DOC, re.MULTILINE)


class TestCatalogue:
    def test_every_code_is_documented_once(self) -> None:
        """docs/errors.md has one entry per problem code, and no entry for a code that does not
        exist."""
        assert sorted(DOCUMENTED) == sorted(PROBLEM_CODES)
        assert len(DOCUMENTED) == len(set(DOCUMENTED))

    def test_every_entry_has_an_example_and_a_fix(self) -> None:
        """Each entry shows an example and says how to fix it."""
        entries = re.split(r"^### ", DOC, flags=re.MULTILINE)[1:]
        for entry in entries:
            assert "```" in entry, entry[:40]
            assert "Fix:" in entry, entry[:40]

    def test_the_source_uses_only_catalogued_codes(self) -> None:
        """Every problem code string in the source is in PROBLEM_CODES."""
        used: set[str] = set()
        for path in (ROOT / "src" / "cat_rubric").glob("*.py"):
            text = path.read_text(encoding="utf-8")
            used |= set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)+|inconsistent)",\n?\s', text))
        not_codes = {"utf-8", "cat-2015", "ccpr-2016", "cat-rubric", "state-only", "import-csv"}
        assert used - not_codes <= PROBLEM_CODES

    @pytest.mark.parametrize("code", sorted(CASES))
    def test_each_code_is_reachable(self, code: str, tmp_path: Path) -> None:
        """Each catalogued problem is reported, with a location, for a real input."""
        with pytest.raises(LoadError) as info:
            CASES[code](tmp_path)
        codes = {p.code for p in info.value.problems}
        assert code in codes, info.value
        for problem in info.value.problems:
            assert problem.line >= 1
            assert problem.column >= 1

    def test_cases_cover_every_code(self) -> None:
        """The reachability cases cover the whole catalogue."""
        assert set(CASES) == set(PROBLEM_CODES)
