"""Trust: one loading path, the same verdict everywhere, no traceback at the calendar's
edges or from a tampered JSON, and models that know nothing of files."""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cat_rubric
import cat_rubric.evidence
from cat_rubric import Assessment, CatRubricError, LoadError
from cat_rubric._load import load_any
from tests.conftest import BUNDLED, EXAMPLES, ROOT, Run

STATE = EXAMPLES / "kaz-2010-state-reply.yaml"
NGO = EXAMPLES / "kaz-2010-ngo-report.yaml"
RUBRIC = cat_rubric.load_rubric("cat-kaz-co-2")
SRC = ROOT / "src" / "cat_rubric"


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "cat_rubric", *args],
        input=stdin,
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


class TestValidateReadsOnce:
    def test_standard_input(self) -> None:
        """`cat evidence.yaml | cat-rubric validate /dev/stdin` validates the evidence."""
        done = _cli("validate", "/dev/stdin", stdin=STATE.read_bytes())
        assert done.returncode == 0, done.stderr
        assert b"ok \xe2\x80\x94 evidence for cat-kaz-co-2" in done.stdout

    def test_a_pipe(self, tmp_path: Path) -> None:
        """A FIFO (what `<(cat evidence.yaml)` gives) is read once, like a file."""
        fifo = tmp_path / "fifo"
        os.mkfifo(fifo)
        writer = subprocess.Popen(f"cat {STATE} > {fifo}", shell=True)
        try:
            done = _cli("validate", str(fifo))
        finally:
            writer.wait(timeout=30)
        assert done.returncode == 0, done.stderr
        assert b"evidence for cat-kaz-co-2" in done.stdout

    @pytest.mark.parametrize("newline", ["\x85", "\u2028", "\r"])
    def test_odd_line_breaks_are_still_evidence(
        self, newline: str, run: Run, tmp_path: Path
    ) -> None:
        """An evidence file with NEL, LS or CR line breaks is judged evidence, as score reads it."""
        path = tmp_path / "e.yaml"
        text = STATE.read_text(encoding="utf-8")
        path.write_text(text.replace("\n", newline), encoding="utf-8", newline="")
        status, out, err = run("validate", str(path))
        assert status == 0, err
        assert "evidence for cat-kaz-co-2" in out
        odd = cat_rubric.load_evidence(path, rubric=RUBRIC)
        plain = cat_rubric.load_evidence(STATE, rubric=RUBRIC)
        # The same document (only text in block scalars keeps its own line breaks).
        assert [(i.id, i.criteria, i.finding) for i in odd.items] == [
            (i.id, i.criteria, i.finding) for i in plain.items
        ]

    def test_flow_style_is_still_evidence(self, run: Run, tmp_path: Path) -> None:
        """The same evidence written in flow style is evidence too."""
        data = cat_rubric.load_evidence(STATE, rubric=RUBRIC)
        import yaml

        from cat_rubric._convert import converter

        path = tmp_path / "flow.yaml"
        plain = json.loads(json.dumps(converter().unstructure(data), default=str))
        path.write_text(yaml.safe_dump(plain, default_flow_style=True, width=10**6), "utf-8")
        status, out, err = run("validate", str(path))
        assert status == 0, err
        assert "evidence for cat-kaz-co-2" in out

    def test_kinds_are_told_apart(self, run: Run) -> None:
        """A rubric, an evidence file and a scale, each recognised for what it is."""
        scale = SRC / "scales" / "ccpr-2013.yaml"
        status, out, _ = run("validate", str(BUNDLED), str(STATE), str(scale))
        assert status == 0
        assert [line.split(" — ")[1].split()[0] for line in out.splitlines()] == [
            "rubric",
            "evidence",
            "scale",
        ]

    def test_evidence_checked_against_a_rubric_given_before_it(
        self, run: Run, tmp_path: Path
    ) -> None:
        """Evidence for a rubric that is not bundled is checked against the one given."""
        rubric = tmp_path / "r.yaml"
        rubric.write_text(
            BUNDLED.read_text(encoding="utf-8").replace("id: cat-kaz-co-2", "id: my-rubric", 1),
            encoding="utf-8",
        )
        evidence = tmp_path / "e.yaml"
        evidence.write_text(
            STATE.read_text(encoding="utf-8")
            .replace("rubric: cat-kaz-co-2", "rubric: my-rubric")
            .replace("kaz-9-prompt-presentation-to-judge", "kaz-9-typo"),
            encoding="utf-8",
        )
        status, _, err = run("validate", str(evidence))
        assert status == 1
        assert "no bundled rubric has the id 'my-rubric'" in err
        status, _, err = run("validate", str(rubric), str(evidence))
        assert status == 1
        assert "has no criterion 'kaz-9-typo'" in err


_MUTATIONS = st.sampled_from(
    ["", "\t", ":", " ", "'", '"', "-", "\n", "#", "[", "{", "&a ", "*a", "!!int ", "0x_", "\x85"]
)


class TestSameVerdict:
    @given(st.data())
    def test_validate_and_score_agree(self, data: st.DataObject) -> None:
        """For any mutation of the example evidence, validate says ok exactly when it loads
        against the rubric for scoring, and then both see the same model."""
        text = STATE.read_text(encoding="utf-8")
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        mutated = text[:at] + data.draw(_MUTATIONS) + text[at + cut :]
        raw = mutated.encode("utf-8")
        try:
            scored: object = cat_rubric.parse_evidence(raw, rubric=RUBRIC, file="e.yaml")
        except LoadError as exc:
            scored = [(p.line, p.column, p.code) for p in exc.problems]
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "e.yaml"
            path.write_bytes(raw)
            try:
                validated: object = load_any(path)
            except LoadError as exc:
                validated = [(p.line, p.column, p.code) for p in exc.problems]
        if isinstance(scored, list) and isinstance(validated, list):
            # Both refuse it. validate may also not know which rubric applies (a mutated
            # rubric: key), which scoring is told.
            codes = {c for _, _, c in validated}
            assert scored == validated or "unknown-reference" in codes or "unknown-kind" in codes
        else:
            assert scored == validated


class TestCalendarEdges:
    @given(
        as_of=st.dates(),
        reminder=st.dates(),
        source=st.none() | st.dates(),
        measure=st.none() | st.dates(),
        stale=st.integers(1, 10**9),
    )
    def test_any_date_is_assessed_without_error(
        self,
        as_of: dt.date,
        reminder: dt.date,
        source: dt.date | None,
        measure: dt.date | None,
        stale: int,
    ) -> None:
        """Whatever the dates, from 0001-01-01 to 9999-12-31, an assessment or a CatRubricError."""
        reply = cat_rubric.load_evidence(STATE, rubric=RUBRIC)
        item = attrs.evolve(
            reply.items[0],
            source=attrs.evolve(reply.items[0].source, date=source),
            measure_date=measure,
        )
        reply = attrs.evolve(
            reply, as_of=as_of, reminders=(reminder,), items=(item,), reply=None, origin=None
        )
        settings = cat_rubric.Settings(stale_after_days=stale)
        no_reply = cat_rubric.EvidenceFile(
            rubric=RUBRIC.id,
            cycle=reply.cycle,
            assessor="x",
            as_of=as_of,
            reply=cat_rubric.evidence.Reply(received=False),
        )
        for files in ([reply, no_reply],):
            try:
                result = cat_rubric.assess(RUBRIC, files, settings=settings)
            except CatRubricError:
                continue
            assert result.as_of == as_of
            Assessment.from_json(result.to_json())

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_cli_as_of_at_the_edges(self, day: str, run: Run) -> None:
        """--as-of at either end of the calendar grades, or refuses in words."""
        status, out, err = run("score", "cat-kaz-co-2", str(STATE), "--as-of", day)
        assert status in (0, 1)
        assert (out if status == 0 else err).strip()


class TestFromJson:
    JSON = cat_rubric.assess(
        RUBRIC, [cat_rubric.load_evidence(p, rubric=RUBRIC) for p in (STATE, NGO)]
    ).to_json()

    def test_round_trip(self) -> None:
        """The JSON written reads back equal."""
        assert Assessment.from_json(self.JSON).to_json() == self.JSON

    @given(st.data())
    def test_tampered_json_is_a_located_load_error(self, data: st.DataObject) -> None:
        """Any change to the JSON gives an assessment or a LoadError with a location."""
        text = self.JSON
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(
            st.sampled_from(["", "1", '"x"', "null", "[", "{", "}", ",", "-", "9" * 5000, "true"])
        )
        try:
            Assessment.from_json(text[:at] + insert + text[at + cut :], file="a.json")
        except LoadError as exc:
            problems = exc.problems
            assert problems
            for p in problems:
                assert p.file == "a.json"
                assert p.line >= 1
                assert p.column >= 1

    def test_a_wrong_value_is_located_at_its_key(self) -> None:
        """A grade that is a number is reported at that key's line, not silently coerced."""
        data = json.loads(self.JSON)
        data["recommendations"][1]["parts"][0]["grade"] = 3
        text = json.dumps(data, indent=2)
        with pytest.raises(LoadError) as info:
            Assessment.from_json(text)
        [problem] = info.value.problems
        assert problem.code == "wrong-type"
        assert str(problem.path) == "recommendations[1].parts[0].grade"
        assert problem.path.steps == ("recommendations", 1, "parts", 0, "grade")
        assert text.splitlines()[problem.line - 1].strip() == '"grade": 3,'

    @pytest.mark.parametrize(
        ("text", "code"),
        [
            ("", "json-syntax"),
            ("[" * 100_000 + "]" * 100_000, "too-deep"),
            ('{"format": "cat-rubric-assessment/1"}', "unknown-format"),
            ('{"format": "cat-rubric-assessment/99"}', "unknown-format"),
            ("{}", "unknown-format"),
            ("[]", "wrong-type"),
            ('{"format": "cat-rubric-assessment/3"}', "missing-key"),
        ],
    )
    def test_bad_documents(self, text: str, code: str) -> None:
        """Each kind of bad document has its code; none raises anything but a LoadError."""
        with pytest.raises(LoadError) as info:
            Assessment.from_json(text)
        assert code in {p.code for p in info.value.problems}

    def test_bytes_and_strict_values(self) -> None:
        """UTF-8 bytes read like text; other bytes, a date that is a number, a bool that
        is 1, are located problems; a whole number where a number is wanted is fine."""
        assert Assessment.from_json(self.JSON.encode("utf-8")).to_json() == self.JSON
        with pytest.raises(LoadError) as info:
            Assessment.from_json(b"\xff{}")
        assert info.value.problems[0].code == "not-utf8"
        data = json.loads(self.JSON)
        data["as_of"] = 20100630
        data["reply_received"] = 1
        data["recommendations"][0]["parts"][0]["criteria"][0]["weight"] = 2
        with pytest.raises(LoadError) as info:
            Assessment.from_json(json.dumps(data))
        assert sorted(str(p.path) for p in info.value.problems) == ["as_of", "reply_received"]
        from cat_rubric._convert import iso_dates

        with pytest.raises(TypeError):
            iso_dates(object())

    def test_bad_file_names(self, tmp_path: Path) -> None:
        """A NUL in a file name is a LoadError, not a ValueError."""
        with pytest.raises(LoadError) as info:
            cat_rubric.load_evidence("a\x00b.yaml")
        assert info.value.problems[0].code == "file-unreadable"
        with pytest.raises(LoadError):
            cat_rubric.load_rubric("./a\x00b.yaml")


#: Modules that hold models: they import nothing of loading, YAML, files or rendering.
_MODELS = ("_checks", "_model", "_evidence", "_scales", "_result", "_rules")
_FORBIDDEN = {
    "yaml",
    "cattrs",
    "tabulate",
    "pathlib",
    "importlib",
    "cat_rubric._load",
    "cat_rubric._yaml",
    "cat_rubric._schema",
    "cat_rubric._io",
    "cat_rubric._resolve",
    "cat_rubric._dump",
    "cat_rubric._render",
    "cat_rubric._cli",
    "cat_rubric._api",
}
#: The only imports allowed inside functions of a model module: the JSON methods, and the
#: tables and notebook display behind `to_records`/`to_frame` and `_repr_html_` (protocols
#: that must live on the class; pandas is imported there only for the type checker).
_LAZY_ALLOWED = {
    "cat_rubric._convert",
    "cat_rubric._json",
    "cat_rubric._text",
    "cat_rubric._tables",
    "cat_rubric._display",
    "pandas",
}


def _imports(path: Path) -> tuple[set[str], set[str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top: set[str] = set()
    lazy: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
            )
            (top if node.col_offset == 0 else lazy).update(names)
    return top, lazy


class TestLayers:
    @pytest.mark.parametrize("module", _MODELS)
    def test_models_import_nothing_of_loading_or_io(self, module: str) -> None:
        """The model modules sit at the bottom: no YAML, no files, no loaders."""
        top, lazy = _imports(SRC / f"{module}.py")
        assert not top & _FORBIDDEN
        assert lazy <= _LAZY_ALLOWED, lazy

    def test_the_engine_reads_no_file(self) -> None:
        """The engine takes a resolved Scale: it imports no loader and dumps no YAML."""
        for module in ("_engine", "_core", "_explain", "_route", "_rules"):
            top, lazy = _imports(SRC / f"{module}.py")
            assert not (top | lazy) & _FORBIDDEN, module

    def test_one_converter_and_one_resolver(self) -> None:
        """Only _convert makes a cattrs Converter; only _resolve finds bundled files."""
        for path in SRC.glob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.stem != "_convert":
                assert "cattrs.Converter(" not in text, path.name
            if path.stem != "_resolve":
                assert "resources.files" not in text, path.name
