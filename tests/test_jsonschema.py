"""The JSON Schema of rubric, evidence and scale files: generated, shipped, true to the loader.

The files in ``src/cat_rubric/schemas/`` are `cat_rubric._jsonschema`'s output; after a change
to a model, regenerate them with::

    python tests/test_jsonschema.py --update

Files are validated as an editor or CI would, with check-jsonschema run as a program (one
run per kind of file: it is slow to start). The properties validate in-process with the
jsonschema library, reading YAML as check-jsonschema does and matching patterns as
ECMA-262 (regress), as check-jsonschema does; a test checks the two ways agree.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import regress
import ruamel.yaml
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import YAMLError

import cat_rubric
from cat_rubric import _jsonschema
from cat_rubric._checks import not_blank
from cat_rubric._jsonschema import KINDS, MODELINE, render, schema, schema_path, schema_uri
from cat_rubric._model import Indicator, Rubric
from cat_rubric._template import evidence_template
from cat_rubric.exceptions import LoadError, Problem
from cat_rubric.testing import evidence_files, rubrics

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
MISTAKES = DATA / "jsonschema"
UPDATE = "python tests/test_jsonschema.py --update"

#: The repository's own files of each kind, all valid.
VALID: dict[str, list[Path]] = {
    "rubric": [*sorted((ROOT / "rubrics").glob("*.yaml")), DATA / "minimal.yaml"],
    "evidence": sorted((ROOT / "examples").glob("*.yaml")),
    "scale": sorted((ROOT / "src" / "cat_rubric" / "scales").glob("*.yaml")),
}
#: Files with mistakes, each the loader rejects.
BROKEN: dict[str, list[Path]] = {
    "rubric": [DATA / "broken.yaml", MISTAKES / "rubric-mistakes.yaml"],
    "evidence": [MISTAKES / "evidence-mistakes.yaml"],
    "scale": [MISTAKES / "scale-mistakes.yaml"],
}
#: Each mistake file's problems: the loader's key path, and the JSON path check-jsonschema
#: reports it at (a missing or unknown key at its mapping, as JSON Schema words it).
EXPECTED = {
    "rubric-mistakes.yaml": [
        ("title", "$.title"),
        ("session", "$.session"),
        ("colour", "$"),
        ("follow_up", "$.follow_up"),
        ("recommendations[0].id", "$.recommendations[0].id"),
        (
            "recommendations[0].parts[0].criteria[0].request",
            "$.recommendations[0].parts[0].criteria[0]",
        ),
        (
            "recommendations[0].parts[0].criteria[0].indicator",
            "$.recommendations[0].parts[0].criteria[0].indicator",
        ),
        (
            "recommendations[0].parts[0].criteria[0].weight",
            "$.recommendations[0].parts[0].criteria[0].weight",
        ),
        ("recommendations[1].parts[0].criteria", "$.recommendations[1].parts[0].criteria"),
    ],
    "evidence-mistakes.yaml": [
        ("reply", "$.reply"),
        ("items[0]", "$.items[0]"),
        ("items[1].criteria[1]", "$.items[1].criteria"),
        ("items[1].finding", "$.items[1].source.kind"),
        ("overrides[0]", "$.overrides[0]"),
    ],
    "scale-mistakes.yaml": [
        ("id", "$.id"),
        ("version", "$.version"),
        ("grades[0].verified", "$.grades[0].verified"),
        ("grades[1].ccpr_2016", "$.grades[1].ccpr_2016"),
        ("rules.contrary", "$.rules"),
    ],
}
PARSE_ERROR = "(not YAML that check-jsonschema reads)"


# -- validating as check-jsonschema does, in-process ----------------------------------


@functools.cache
def _yaml_reader() -> ruamel.yaml.YAML:
    """YAML read as check-jsonschema reads it (its parsers/yaml.py): YAML 1.2, dates as text."""
    reader = ruamel.yaml.YAML(typ="safe")

    class Constructor(SafeConstructor):  # its own table, not the shared one
        pass

    reader.Constructor = Constructor
    table = reader.constructor.yaml_constructors
    table["tag:yaml.org,2002:timestamp"] = table["tag:yaml.org,2002:str"]
    return reader


@functools.cache
def _ecma(pattern: str) -> regress.Regex:
    return regress.Regex(pattern, flags="u")


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[Any]:
    """JSON Schema's ``pattern``, matched as ECMA-262 (as check-jsonschema does by default)."""
    if validator.is_type(instance, "string") and _ecma(pattern).find(instance) is None:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _validator(kind: str, draft: str = "2020-12") -> Any:
    """A validator of the shipped schema; ``draft="7"`` reads it as a draft-07 editor would."""
    document = json.loads(schema_path(kind).read_text(encoding="utf-8"))
    if draft == "7":
        document.pop("$schema")  # read with draft-07's rules ($ref's siblings ignored)
        base = jsonschema.Draft7Validator
    else:
        base = jsonschema.Draft202012Validator
    cls = jsonschema.validators.extend(base, {"pattern": _pattern})
    return cls(document, format_checker=base.FORMAT_CHECKER)


def _errors(kind: str, text: str, draft: str = "2020-12", *, exact: bool = False) -> list[str]:
    """The JSON paths of the schema's errors in YAML *text* (none: the schema accepts it).

    With *exact*, the text is read as check-jsonschema reads it (ruamel.yaml, pure Python
    here and slow); otherwise with PyYAML's C reader, dates as text: the same data for the
    YAML that `cat_rubric.to_yaml` and `yaml.safe_dump` write (the spellings YAML 1.1 and
    1.2 read apart are tested on their own, exactly).
    """
    if exact:
        try:
            instance = _yaml_reader().load(text)
        except YAMLError:
            return [PARSE_ERROR]
    else:
        instance = _as_text(yaml.load(text, Loader=_SafeLoader))
    return sorted(e.json_path for e in _validator(kind, draft).iter_errors(instance))


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _as_text(data: Any) -> Any:
    """*data* with its dates as ISO text, as JSON Schema validators of YAML see them."""
    if isinstance(data, dict):
        return {key: _as_text(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_text(value) for value in data]
    if isinstance(data, dt.date):
        return data.isoformat()
    return data


def _loader(kind: str, text: str, rubric: Rubric | None = None) -> list[Problem]:
    """The loader's problems in *text* (none: it accepts it)."""
    try:
        if kind == "rubric":
            cat_rubric.parse_rubric(text)
        elif kind == "evidence":
            cat_rubric.parse_evidence(text, rubric=rubric)
        else:
            cat_rubric.parse_scale(text)
    except LoadError as exc:
        return list(exc.problems)
    return []


def _loader_problems(kind: str, text: str, rubric: Rubric | None = None) -> list[str]:
    """The key paths of the loader's problems in *text*."""
    return [str(p.path) for p in _loader(kind, text, rubric)]


def _dump(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def _data(path: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# -- check-jsonschema, the program ------------------------------------------------------


def _check_jsonschema(kind: str, files: list[Path]) -> dict[str, list[str]]:
    """Run check-jsonschema once on *files*: each file's error paths (none: valid)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            str(schema_path(kind)),
            "--output-format",
            "json",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = json.loads(done.stdout)
    found: dict[str, list[str]] = {str(f): [] for f in files}
    for error in report["errors"]:
        found[error["filename"]].append(error["path"])
    for error in report["parse_errors"]:
        found[error["filename"]].append(PARSE_ERROR)
    assert done.returncode == (1 if any(found.values()) else 0), done.stderr
    return {name: sorted(paths) for name, paths in found.items()}


@pytest.fixture(name="template_file", scope="module")
def _template_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("template") / "evidence.yaml"
    target.write_text(evidence_template(cat_rubric.load_rubric("cat-kaz-co-2")), encoding="utf-8")
    return target


@pytest.fixture(name="checked", scope="module")
def _checked(template_file: Path) -> dict[str, dict[str, list[str]]]:
    """check-jsonschema's verdict on every file of the corpus, by kind then file."""
    extra = {"evidence": [template_file]}
    return {
        kind: _check_jsonschema(kind, [*VALID[kind], *extra.get(kind, []), *BROKEN[kind]])
        for kind in KINDS
    }


class TestFiles:
    """Every file the project ships validates; files with mistakes do not."""

    @pytest.mark.parametrize("kind", KINDS)
    def test_bundled_and_example_files_are_valid(
        self, kind: str, checked: dict[str, dict[str, list[str]]]
    ) -> None:
        """The bundled rubrics, scales and the example evidence pass check-jsonschema."""
        assert VALID[kind]
        for path in VALID[kind]:
            assert checked[kind][str(path)] == [], path
            assert _loader_problems(kind, path.read_text(encoding="utf-8")) == []

    def test_a_fresh_template_is_valid(
        self, template_file: Path, checked: dict[str, dict[str, list[str]]]
    ) -> None:
        """`cat-rubric template`'s output passes check-jsonschema as it is written."""
        assert checked["evidence"][str(template_file)] == []

    def test_duplicate_keys_are_rejected(self, checked: dict[str, dict[str, list[str]]]) -> None:
        """tests/data/broken.yaml repeats a key: check-jsonschema's YAML reader refuses it too."""
        assert checked["rubric"][str(DATA / "broken.yaml")] == [PARSE_ERROR]

    @pytest.mark.parametrize("name", sorted(EXPECTED))
    def test_mistakes_are_found_where_the_loader_finds_them(
        self, name: str, checked: dict[str, dict[str, list[str]]]
    ) -> None:
        """Each mistake the loader reports, check-jsonschema reports at the same place."""
        kind = name.split("-", maxsplit=1)[0]
        path = MISTAKES / name
        loader = _loader_problems(kind, path.read_text(encoding="utf-8"))
        expected_loader, expected_schema = zip(*EXPECTED[name], strict=True)
        assert sorted(loader) == sorted(expected_loader)
        assert set(expected_schema) <= set(checked[kind][str(path)])

    @pytest.mark.parametrize("kind", KINDS)
    def test_in_process_validation_is_check_jsonschemas(
        self, kind: str, template_file: Path, checked: dict[str, dict[str, list[str]]]
    ) -> None:
        """The validator the properties use finds exactly what check-jsonschema finds."""
        for name, paths in checked[kind].items():
            assert _errors(kind, Path(name).read_text(encoding="utf-8"), exact=True) == paths, name


class TestModeline:
    """Files start with the line that tells YAML editors their schema."""

    @pytest.mark.parametrize(
        ("kind", "path"),
        [
            (kind, path)
            for kind, paths in VALID.items()
            for path in paths
            if DATA not in path.parents
        ]
        + [(kind, MISTAKES / f"{kind}-mistakes.yaml") for kind in KINDS],
        ids=lambda value: value.name if isinstance(value, Path) else value,
    )
    def test_repository_files_point_at_their_schema(self, kind: str, path: Path) -> None:
        """The first line names, relative to the file, the schema of its kind in src/."""
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(MODELINE)
        reference = first.removeprefix(MODELINE)
        assert not Path(reference).is_absolute()
        assert (path.parent / reference).resolve() == schema_path(kind).resolve()

    def test_template_points_at_the_installed_schema(self) -> None:
        """The template's first line is the installed evidence schema's file: URI."""
        template = evidence_template(cat_rubric.load_rubric("cat-kaz-co-2"))
        first = template.splitlines()[0]
        assert first == MODELINE + schema_uri("evidence")
        uri = urllib.parse.urlparse(first.removeprefix(MODELINE))
        assert uri.scheme == "file"
        local = Path(urllib.request.url2pathname(uri.path))
        assert local == schema_path("evidence").absolute()
        assert local.is_file()

    def test_an_odd_install_path_stays_one_inert_line(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Spaces, a line break or bidi controls in the install path are percent-encoded."""
        odd = Path("/opt/my env\n rubric: x\u202e/cat_rubric/schemas/evidence.schema.json")
        monkeypatch.setattr(_jsonschema, "schema_path", lambda _kind: odd)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        template = evidence_template(rubric)
        first, second = template.splitlines()[:2]
        assert first.isascii()
        assert first.isprintable()
        assert "%0A" in first
        assert second.startswith("# Evidence on")
        assert cat_rubric.parse_evidence(template, rubric=rubric).items == ()


class TestGenerated:
    """The shipped schemas are the generator's output, valid JSON Schema, with help on every key."""

    @pytest.mark.parametrize("kind", KINDS)
    def test_shipped_schema_is_the_generators_output(self, kind: str) -> None:
        """The committed schema file is byte for byte what the models generate."""
        shipped = schema_path(kind).read_text(encoding="utf-8")
        assert shipped == render(kind), (
            f"{schema_path(kind).relative_to(ROOT)} is out of date with the models; "
            f"regenerate the schemas with: {UPDATE}"
        )

    def test_the_folder_holds_the_three_schemas(self) -> None:
        """Nothing else lies in the schemas folder (a stale file would ship too)."""
        folder = schema_path("rubric").parent
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            f"{kind}.schema.json" for kind in KINDS
        )

    @pytest.mark.parametrize("kind", KINDS)
    def test_valid_under_2020_12_and_draft_07(self, kind: str) -> None:
        """Each schema is valid against the 2020-12 metaschema, and draft-07's."""
        document = schema(kind)
        assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(document)
        jsonschema.Draft7Validator.check_schema(
            {k: v for k, v in document.items() if k != "$schema"}
        )

    @pytest.mark.parametrize("kind", KINDS)
    def test_every_key_and_value_has_help(self, kind: str) -> None:
        """Every key, definition and enum value has a description, for editors to show."""
        document = schema(kind)
        mappings = [("(root)", document), *document["$defs"].items()]
        keys = 0
        for name, definition in mappings:
            assert definition.get("description"), name
            for key, value in definition.get("properties", {}).items():
                assert value.get("description"), f"{name}.{key}"
                keys += 1
            for value in definition.get("enum", ()):
                assert f"- {value}" in definition["description"], f"{name}: {value}"
        assert keys >= 9

    @pytest.mark.parametrize("kind", KINDS)
    def test_every_pattern_has_the_loaders_words(self, kind: str) -> None:
        """Editors never show a bare pattern: each has a message, one line of plain text."""

        def walk(node: Any) -> Iterator[dict[str, Any]]:
            if isinstance(node, dict):
                yield node
                for value in node.values():
                    yield from walk(value)
            elif isinstance(node, list):
                for value in node:
                    yield from walk(value)

        patterns = [node for node in walk(schema(kind)) if isinstance(node.get("pattern"), str)]
        assert patterns
        for node in patterns:
            message = node.get("patternErrorMessage")
            assert isinstance(message, str), node["pattern"]
            assert message.isprintable()
            assert "\\u" not in message

    @pytest.mark.parametrize("kind", KINDS)
    def test_root_keys_are_the_models_fields(self, kind: str) -> None:
        """The root's keys, and those required, are the model's YAML fields and those without
        defaults."""
        import attrs

        cls = KINDS[kind]
        fields = [f for f in attrs.fields(cls) if f.metadata.get("yaml", True)]
        document = schema(kind)
        assert list(document["properties"]) == [f.name for f in fields]
        assert document["required"] == [f.name for f in fields if f.default is attrs.NOTHING]
        assert document["additionalProperties"] is False

    def test_an_unstated_check_stops_the_generator(self) -> None:
        """A field check with no JSON Schema is an error, not a silently laxer schema."""

        def shouting(value: str) -> tuple[str, str] | None:
            return None if value.isupper() else ("not-upper", "write it in capitals")

        with pytest.raises(TypeError, match=r"shouting has no JSON Schema.*_CHECKS"):
            _jsonschema._check_schema(shouting)

    def test_unknown_field_metadata_stops_the_generator(self) -> None:
        """Metadata the generator does not know might change what the loader reads."""
        import attrs

        @attrs.frozen
        class Odd:
            key: str = attrs.field(metadata={"read_as_list": True})

        with pytest.raises(TypeError, match=r"Odd\.key has metadata \['read_as_list'\]"):
            _jsonschema._Generator().object_schema(Odd)

    @given(
        st.text(
            st.sampled_from("0123456789-\u2013\u2212\u2010 \t\n\u3000\u00a0\ufeff\x1ca"),
            max_size=14,
        )
        | st.builds("{}-{}".format, st.integers(0, 10**10), st.integers(0, 10**10))
    )
    def test_a_range_of_paragraphs_is_what_the_loader_reads(self, text: str) -> None:
        """A follow-up entry's text is a range to the schema iff the loader's reader parses one."""
        from cat_rubric._schema import RangeError, paragraph_range

        pattern = _jsonschema._paragraphs()["items"]["anyOf"][1]["pattern"]
        try:
            paragraph_range(text)
            loader = True
        except RangeError as exc:
            loader = exc.code != "wrong-type"  # a range, if one the loader refuses (beyond)
        assert (_ecma(pattern).find(text) is not None) is loader
        assert (re.search(pattern, text) is not None) is loader

    @pytest.mark.parametrize("tp", [list[int], int | str | None, dict[str, int]])
    def test_an_unsupported_type_stops_the_generator(self, tp: Any) -> None:
        """A field type the loader cannot read has no schema either."""
        with pytest.raises(TypeError, match="no JSON Schema for the field type"):
            _jsonschema._Generator().type_schema(tp)

    def test_defaults_are_written_as_json(self) -> None:
        """A default of a tuple, an enum member or a date is written as the file would hold it."""
        value = (Indicator.PROCESS, dt.date(2020, 1, 31), 1.0)
        assert _jsonschema._json_value(value) == ["process", "2020-01-31", 1.0]

    def test_docstrings_give_the_text_and_each_attribute(self) -> None:
        """The text before the sections, by paragraph, and each ``Attributes:`` entry, whole."""

        class Documented:
            """A summary line
            that goes on.


            A second paragraph, after two blank lines.

            Attributes:
                first: The first,
                    continued.

                second: The ``second`` one.

            Note:
                Not an attribute.
            """

        assert _jsonschema._class_docs(Documented) == (
            "A summary line that goes on.\n\nA second paragraph, after two blank lines.",
            {"first": "The first, continued.", "second": "The `second` one."},
        )

    def test_an_unknown_kind_is_refused(self) -> None:
        """schema() names the kinds it knows."""
        with pytest.raises(ValueError, match="rubric, evidence, scale"):
            schema("report")

    def test_blank_means_what_str_strip_means(self) -> None:
        """`not_blank`'s pattern excludes exactly Python's whitespace, in ECMA-262 and in re."""
        pattern = _jsonschema._CHECKS[not_blank]()[0]["pattern"]
        ecma, python = _ecma(pattern), re.compile(pattern)
        for point in range(0x10000):
            char = chr(point)
            if 0xD800 <= point < 0xE000:
                continue  # lone surrogates are not text a YAML file can hold
            expected = not char.isspace()
            assert (ecma.find(char) is not None) == expected, hex(point)
            assert (python.search(char) is not None) == expected, hex(point)
        for char in ("\U0001f600", "\U000e0001"):
            assert ecma.find(char) is not None
        assert not any(chr(c).isspace() for c in range(0x10000, sys.maxunicode + 1))


class TestCommand:
    """`cat-rubric schema KIND` prints the schema, or writes it with -o."""

    @pytest.mark.parametrize("kind", KINDS)
    def test_prints_the_shipped_schema(self, kind: str, run: Callable[..., Any]) -> None:
        """The output is the shipped file, byte for byte."""
        status, out, err = run("schema", kind)
        assert (status, err) == (0, "")
        assert out == schema_path(kind).read_text(encoding="utf-8")

    def test_writes_a_file_and_replaces_it_only_with_force(
        self, run: Callable[..., Any], tmp_path: Path
    ) -> None:
        """-o writes the schema; an existing file is replaced only with --force."""
        target = tmp_path / "evidence.schema.json"
        assert run("schema", "evidence", "-o", str(target))[0] == 0
        assert json.loads(target.read_text(encoding="utf-8")) == schema("evidence")
        target.write_text("{}", encoding="utf-8")
        status, _, err = run("schema", "evidence", "-o", str(target))
        assert status == 1
        assert "--force" in err
        assert target.read_text(encoding="utf-8") == "{}"
        assert run("schema", "evidence", "-o", str(target), "--force")[0] == 0
        assert target.read_text(encoding="utf-8") == render("evidence")

    def test_an_unknown_kind_is_a_usage_error(self, run: Callable[..., Any]) -> None:
        """Exit 2, naming the kinds."""
        status, out, err = run("schema", "report")
        assert status == 2
        assert out == ""
        assert "rubric" in err
        assert "evidence" in err
        assert "scale" in err


# -- the schema and the loader agree ----------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _criterion(data: dict[str, Any]) -> dict[str, Any]:
    criterion: dict[str, Any] = data["recommendations"][0]["parts"][0]["criteria"][0]
    return criterion


def _no_essential(data: dict[str, Any]) -> None:
    for criterion in data["recommendations"][0]["parts"][0]["criteria"]:
        criterion["essential"] = False


def _no_due_date(data: dict[str, Any]) -> None:
    data["follow_up"].pop("due", None)
    data["follow_up"].pop("within_months", None)


#: Mistakes in a valid rubric that both the loader and the schema reject.
RUBRIC_MUTATIONS: dict[str, Mutation] = {
    "unknown key": lambda d: d.update(colour="red"),
    "misspelt key": lambda d: _criterion(d).update(wieght=2),
    "text for a whole number": lambda d: d["recommendations"][0].update(paragraph="nine"),
    "a number for text": lambda d: d.update(title=2008),
    "a word for a list": lambda d: _criterion(d).update(evidence="ngo"),
    "text for true/false": lambda d: _criterion(d).update(essential="true"),
    "a list for text": lambda d: d.update(symbol=["CAT/C/KAZ/CO/2"]),
    "a mapping for a list": lambda d: d.update(recommendations={"id": "x"}),
    "missing required key": lambda d: d.pop("symbol"),
    "missing nested key": lambda d: _criterion(d).pop("request"),
    "empty value for a required key": lambda d: d.update(title=None),
    "blank text": lambda d: d.update(title="  \t "),
    "blank text in Unicode spaces": lambda d: _criterion(d).update(statement="\u3000\u00a0"),
    "id with a space": lambda d: d["recommendations"][0]["parts"][0].update(id="9 a"),
    "id starting with a dash": lambda d: _criterion(d).update(id="-lawyer"),
    "id over 100 characters": lambda d: d.update(id="a" * 101),
    "negative weight": lambda d: _criterion(d).update(weight=-1.5),
    "zero weight": lambda d: _criterion(d).update(weight=0),
    "no recommendations": lambda d: d.update(recommendations=[]),
    "no evidence kinds": lambda d: _criterion(d).update(evidence=[]),
    "unknown source kind": lambda d: _criterion(d).update(evidence=["ngos"]),
    "unknown indicator": lambda d: _criterion(d).update(indicator="structral"),
    "no essential criterion": _no_essential,
    "follow-up with no due date or period": _no_due_date,
    "paragraph 0": lambda d: d["recommendations"][0].update(paragraph=0),
    "session 0": lambda d: d.update(session=0),
    "a period of 0 months": lambda d: d["follow_up"].update(within_months=0),
    "a follow-up paragraph below 1": lambda d: d["follow_up"].update(paragraph=-3),
    "a follow-up recommendation numbered 0": lambda d: d["follow_up"].update(recommendations=[0]),
    "not a calendar date": lambda d: d.update(adopted="2008-02-30"),
    "a date with a time": lambda d: d.update(adopted="2008-02-01 10:00:00"),
    "a scale named by its file": lambda d: d.update(scale="my-scale.yaml"),
    "a theme that is not an id": lambda d: d["recommendations"][0].update(themes=["a theme"]),
    "a whole number over 18 digits": lambda d: d.update(session=10**18),
    "a follow-up paragraph range in words": lambda d: d["follow_up"].update(
        recommendations=["9 to 12"]
    ),
    "a placeholder left by cat-rubric draft": lambda d: _criterion(d).update(
        statement="DRAFT: a statement, checkable against documents"
    ),
}


def _item(data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = data["items"][0]
    return item


def _override(data: dict[str, Any]) -> dict[str, Any]:
    override: dict[str, Any] = data["overrides"][0]
    return override


def _part_of(data: dict[str, Any]) -> str:
    """The part of the criterion the base's override sets (see `_evidence_base`)."""
    part: str = data["_part"]
    return part


def _override_a_part(data: dict[str, Any]) -> None:
    override = _override(data)
    del override["criterion"]
    override.update(part=_part_of(data), grade="B")  # and the criterion's finding is left


def _drop(mapping: dict[str, Any], *keys: str) -> None:
    for key in keys:
        mapping.pop(key, None)


def _no_new_information_from_an_ngo(data: dict[str, Any]) -> None:
    _item(data)["finding"] = "no_new_information"
    _item(data)["source"]["kind"] = "ngo"


#: Mistakes in a valid evidence file (with an item and an override) that both reject.
EVIDENCE_MUTATIONS: dict[str, Mutation] = {
    "unknown key": lambda d: d.update(colour="red"),
    "misspelt item key": lambda d: _item(d).update(quotation="x"),
    "missing required key": lambda d: d.pop("assessor"),
    "blank text": lambda d: d.update(cycle=" "),
    "item id with a space": lambda d: _item(d).update(id="item one"),
    "rubric id with a space": lambda d: d.update(rubric="cat kaz"),
    "unknown finding": lambda d: _item(d).update(finding="done"),
    "unknown source kind": lambda d: _item(d)["source"].update(kind="ngo-report"),
    "a source without a title": lambda d: _item(d)["source"].pop("title"),
    "an item with neither quote nor summary": lambda d: _drop(_item(d), "quote", "summary"),
    "no new information from an NGO": _no_new_information_from_an_ngo,
    "a criterion listed twice": lambda d: _item(d).update(criteria=[_item(d)["criteria"][0]] * 2),
    "an item on no criterion": lambda d: _item(d).update(criteria=[]),
    "a reply received without a date": lambda d: d.update(reply={"received": True}),
    "a reply not received, with a date": lambda d: d.update(
        reply={"received": False, "date": d["as_of"]}
    ),
    "true/false as text": lambda d: _item(d).update(illustrative="yes"),
    "a word for a list of dates": lambda d: d.update(reminders="2010-01-01"),
    "an override of a criterion and a part": lambda d: _override(d).update(
        part=_part_of(d), grade="B"
    ),
    "an override of a criterion without a finding": lambda d: _override(d).pop("finding"),
    "an override of a criterion with a grade": lambda d: _override(d).update(grade="B"),
    "an override of a part with a finding": _override_a_part,
    "an override of nothing": lambda d: _drop(_override(d), "criterion", "finding"),
    "an override without a reason": lambda d: _override(d).pop("reason"),
}


def _scale_letter_blank(data: dict[str, Any]) -> None:
    data["grades"][0]["letter"] = "  "


#: Mistakes in a valid scale that both reject.
SCALE_MUTATIONS: dict[str, Mutation] = {
    "unknown key": lambda d: d.update(colour="red"),
    "unknown rule": lambda d: d["rules"].update(partly="B"),
    "missing rule": lambda d: d["rules"].pop("contrary"),
    "id with a space": lambda d: d.update(id="my scale"),
    "version as text": lambda d: d.update(version="1.0"),
    "blank letter": _scale_letter_blank,
    "not a ccpr-2016 letter": lambda d: d["grades"][0].update(ccpr_2016="F"),
    "no grades": lambda d: d.update(grades=[]),
    "verified as text": lambda d: d["grades"][0].update(verified="false"),
    "information quality as a number": lambda d: d.update(information_quality=1),
}


def _evidence_base(evidence: cat_rubric.EvidenceFile, rubric: Rubric) -> dict[str, Any]:
    """An evidence file as data, with a valid override of its first item's first criterion.

    ``_part`` (not a key of the format: `_both_reject` removes it) names that criterion's
    part, for the mistakes that make the override one of a part.
    """
    data: dict[str, Any] = yaml.safe_load(cat_rubric.to_yaml(evidence))
    criterion = data["items"][0]["criteria"][0]
    data["overrides"] = [
        {
            "criterion": criterion,
            "finding": "implemented",
            "by": "Illustrative analyst",
            "date": data["as_of"],
            "reason": "Illustrative.",
        }
    ]
    data["_part"] = next(p.id for _, p, c in rubric.iter_criteria() if c.id == criterion)
    return data


def _both_reject(
    kind: str, base: dict[str, Any], mutate: Mutation, rubric: Rubric | None = None
) -> None:
    """*base* is valid for both the loader and the schema; mutated, invalid for both."""
    broken = copy.deepcopy(base)
    mutate(broken)
    for data in (base, broken):
        data.pop("_part", None)
    text = _dump(base)
    assert _loader_problems(kind, text, rubric) == []
    assert _errors(kind, text) == []
    assert _errors(kind, text, draft="7") == []
    text = _dump(broken)
    assert _loader_problems(kind, text, rubric), "the loader accepts it"
    assert _errors(kind, text), "the schema accepts it"
    assert _errors(kind, text, draft="7"), "the schema, read as draft-07, accepts it"


class TestAgreement:
    """What the loader accepts the schema accepts; the usual mistakes both reject."""

    @given(rubrics())
    def test_every_rubric_the_loader_accepts_is_valid(self, rubric: Rubric) -> None:
        """A generated rubric, written as YAML, is valid per the schema (2020-12 and draft-07)."""
        text = cat_rubric.to_yaml(rubric)
        assume(_loader_problems("rubric", text) == [])  # the law's premise
        assert _errors("rubric", text) == []
        assert _errors("rubric", text, draft="7") == []

    @given(st.data())
    def test_every_evidence_file_the_loader_accepts_is_valid(self, data: st.DataObject) -> None:
        """A generated evidence file, written as YAML, is valid per the schema."""
        rubric = data.draw(rubrics(text=st.just("x")))
        text = cat_rubric.to_yaml(data.draw(evidence_files(rubric)))
        assume(_loader_problems("evidence", text, rubric) == [])  # the law's premise
        assert _errors("evidence", text) == []
        assert _errors("evidence", text, draft="7") == []

    @given(
        rubrics(max_recommendations=2, max_parts=2, max_criteria=3, text=st.just("Text.")),
        st.sampled_from(sorted(RUBRIC_MUTATIONS)),
    )
    def test_a_mistake_in_any_rubric_is_rejected_by_both(self, rubric: Rubric, name: str) -> None:
        """A mistake made in a generated rubric: the loader and the schema both reject it."""
        base = yaml.safe_load(cat_rubric.to_yaml(rubric))
        _both_reject("rubric", base, RUBRIC_MUTATIONS[name])

    @pytest.mark.parametrize("name", sorted(RUBRIC_MUTATIONS))
    def test_each_rubric_mistake_is_rejected_by_both(self, name: str) -> None:
        """Each mistake, made in tests/data/minimal.yaml: both reject it."""
        _both_reject("rubric", _data(DATA / "minimal.yaml"), RUBRIC_MUTATIONS[name])

    @given(st.data())
    def test_a_mistake_in_any_evidence_file_is_rejected_by_both(self, data: st.DataObject) -> None:
        """A mistake made in a generated evidence file: both reject it."""
        rubric = data.draw(rubrics(text=st.just("x")))
        evidence = data.draw(evidence_files(rubric, max_items=3).filter(lambda e: bool(e.items)))
        name = data.draw(st.sampled_from(sorted(EVIDENCE_MUTATIONS)))
        _both_reject("evidence", _evidence_base(evidence, rubric), EVIDENCE_MUTATIONS[name], rubric)

    @pytest.mark.parametrize("name", sorted(EVIDENCE_MUTATIONS))
    def test_each_evidence_mistake_is_rejected_by_both(self, name: str) -> None:
        """Each mistake, made in the example State reply (an override added): both reject it."""
        rubric = cat_rubric.load_rubric("cat-kaz-co-2")
        evidence = cat_rubric.load_evidence(
            ROOT / "examples" / "kaz-2010-state-reply.yaml", rubric=rubric
        )
        _both_reject("evidence", _evidence_base(evidence, rubric), EVIDENCE_MUTATIONS[name], rubric)

    @pytest.mark.parametrize("scale", VALID["scale"], ids=lambda p: p.stem)
    @pytest.mark.parametrize("name", sorted(SCALE_MUTATIONS))
    def test_each_scale_mistake_is_rejected_by_both(self, name: str, scale: Path) -> None:
        """Each mistake, made in each bundled scale: both reject it."""
        _both_reject("scale", _data(scale), SCALE_MUTATIONS[name])


def _second_override(data: dict[str, Any]) -> None:
    data["overrides"].append(dict(_override(data), reason="A second judgement."))


#: What the loader rejects and the schema cannot state, as docs/format.md lists it: the
#: base file, a change to it, and the loader's problem code.
BEYOND: dict[str, tuple[Path, Mutation, str]] = {
    "an id used twice": (
        DATA / "minimal.yaml",
        lambda d: _criterion(d).update(id="lawyer-practice"),
        "duplicate-id",
    ),
    "a paragraph number used twice": (
        ROOT / "rubrics" / "cat-kaz-co-2.yaml",
        lambda d: d["recommendations"][1].update(paragraph=7),
        "duplicate-id",
    ),
    "a follow-up paragraph the rubric lacks": (
        DATA / "minimal.yaml",
        lambda d: d["follow_up"].update(recommendations=[9, 12]),
        "unknown-reference",
    ),
    "a range of paragraphs that runs backwards": (
        DATA / "minimal.yaml",
        lambda d: d["follow_up"].update(recommendations=["12-9"]),
        "bad-range",
    ),
    "a range of more than 1,000 paragraphs": (
        DATA / "minimal.yaml",
        lambda d: d["follow_up"].update(recommendations=["1-1001"]),
        "bad-range",
    ),
    "a due date not after adoption": (
        DATA / "minimal.yaml",
        lambda d: d["follow_up"].update(due=dt.date(2013, 5, 1)),
        "impossible-date",
    ),
    "a period that ends beyond the calendar": (
        DATA / "minimal.yaml",
        lambda d: d.update(adopted=dt.date(9999, 6, 1)),
        "impossible-date",
    ),
    "an item id used twice": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: d["items"][1].update(id=_item(d)["id"]),
        "duplicate-id",
    ),
    "a reply dated after as_of": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: d["reply"].update(date=dt.date(2010, 7, 1)),
        "impossible-date",
    ),
    "a reply dated before the concluding observations": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: d["reply"].update(date=dt.date(2008, 11, 17)),
        "impossible-date",
    ),
    "an as_of before the concluding observations": (
        ROOT / "examples" / "kaz-2010-no-reply.yaml",
        lambda d: d.update(as_of=dt.date(2008, 1, 1)),
        "impossible-date",
    ),
    "a reminder before the concluding observations": (
        ROOT / "examples" / "kaz-2010-no-reply.yaml",
        lambda d: d.update(reminders=[dt.date(2008, 11, 1)]),
        "impossible-date",
    ),
    "a reminder after as_of": (
        ROOT / "examples" / "kaz-2010-no-reply.yaml",
        lambda d: d.update(reminders=[dt.date(2010, 7, 1)]),
        "impossible-date",
    ),
    "an override that lapses before it was made": (
        ROOT / "examples" / "kaz-2010-ngo-report.yaml",
        lambda d: _override(d).update(until=dt.date(2010, 1, 1)),
        "impossible-date",
    ),
    "a part or criterion overridden twice": (
        ROOT / "examples" / "kaz-2010-ngo-report.yaml",
        _second_override,
        "duplicate-override",
    ),
    "a criterion the rubric lacks": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: _item(d).update(criteria=["kaz-9-no-such-criterion"]),
        "unknown-reference",
    ),
    "an override of a part the rubric lacks": (
        ROOT / "examples" / "kaz-2010-ngo-report.yaml",
        lambda d: _override(d).update(part="99z"),
        "unknown-reference",
    ),
    "evidence for another rubric": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: d.update(rubric="cat-kaz-co-3"),
        "wrong-rubric",
    ),
    "a rubric_sha256 the rubric no longer has": (
        ROOT / "examples" / "kaz-2010-state-reply.yaml",
        lambda d: d.update(rubric_sha256="0" * 64),
        "rubric-changed",
    ),
    "a letter used twice": (
        VALID["scale"][0],
        lambda d: d["grades"][1].update(letter=d["grades"][0]["letter"]),
        "duplicate-id",
    ),
    "a rule giving a letter the scale lacks": (
        VALID["scale"][0],
        lambda d: d["rules"].update(no_reply="Z"),
        "unknown-reference",
    ),
    "rules that give better evidence a worse letter": (
        VALID["scale"][0],
        lambda d: d["rules"].update(largely_implemented=d["grades"][-1]["letter"]),
        "not-monotonic",
    ),
}

#: Where the loader and the schema part, as docs/format.md says: a file, a line of it
#: changed, and whether the loader accepts the change (the schema then does not, and the
#: other way round). The loader reads YAML 1.1 (PyYAML); editors and check-jsonschema 1.2.
GAPS: dict[str, tuple[Path, str, str, bool]] = {
    "no is false to the loader, text to YAML 1.2": (
        DATA / "minimal.yaml",
        "state_party: Testland",
        "state_party: no",
        False,
    ),
    "yes is true to the loader, text to YAML 1.2": (
        DATA / "minimal.yaml",
        "essential: true",
        "essential: yes",
        True,
    ),
    "1:30 is a number to the loader, text to YAML 1.2": (
        DATA / "minimal.yaml",
        "session: 50",
        "session: 1:30",
        True,
    ),
    "1e3 is text to the loader, a number to YAML 1.2": (
        DATA / "minimal.yaml",
        "title: Fundamental legal safeguards",
        "title: 1e3",
        True,
    ),
    "9.0 is a whole number to JSON Schema": (
        DATA / "minimal.yaml",
        "paragraph: 9",
        "paragraph: 9.0",
        False,
    ),
    "a weight of .nan passes JSON Schema": (
        DATA / "minimal.yaml",
        "weight: 2",
        "weight: .nan",
        False,
    ),
    "the loader strips spaces around a date in quotes": (
        DATA / "minimal.yaml",
        "adopted: 2013-05-31",
        'adopted: " 2013-05-31"',
        True,
    ),
}


def _kind(path: Path) -> str:
    return next(kind for kind, paths in VALID.items() if path in paths)


class TestRanges:
    @pytest.mark.parametrize("entry", ["9-9", "9–9", " 9 - 9 ", "9\u22129"])
    def test_a_range_the_loader_reads_is_valid(self, entry: str) -> None:
        """Follow-up paragraphs given as a range, with any dash or spaces, pass both."""
        data = _data(DATA / "minimal.yaml")
        data["follow_up"]["recommendations"] = [entry, 9]
        text = _dump(data)
        assert _loader("rubric", text) == []
        assert _errors("rubric", text, exact=True) == []
        assert _errors("rubric", text, draft="7") == []


class TestBeyondTheSchema:
    """Where the schema and the loader part, as docs/format.md says they do."""

    @pytest.mark.parametrize("name", sorted(BEYOND))
    def test_rules_across_fields_and_files_are_the_loaders(self, name: str) -> None:
        """Unique ids, references and dates in order: schema-valid, rejected by the loader."""
        path, mutate, code = BEYOND[name]
        kind = _kind(path)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2") if kind == "evidence" else None
        data = _data(path)
        mutate(data)
        text = _dump(data)
        assert _errors(kind, text, exact=True) == []
        assert code in {p.code for p in _loader(kind, text, rubric)}

    @pytest.mark.parametrize("name", sorted(GAPS))
    def test_where_they_read_a_file_apart(self, name: str) -> None:
        """The documented differences (YAML 1.1 against 1.2, numbers, dates in quotes) hold."""
        path, old, new, loader_accepts = GAPS[name]
        kind = _kind(path)
        rubric = cat_rubric.load_rubric("cat-kaz-co-2") if kind == "evidence" else None
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1
        assert _loader(kind, text, rubric) == []
        assert _errors(kind, text, exact=True) == []
        text = text.replace(old, new)
        assert (_loader(kind, text, rubric) == []) is loader_accepts
        assert (_errors(kind, text, exact=True) == []) is not loader_accepts


def _update() -> None:
    for kind in KINDS:
        path = schema_path(kind)
        text = render(kind)
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if old != text:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        raise SystemExit(f"usage: {UPDATE}")
    _update()
