"""Start-up and packaging: a light import, and a correct pure-Python fallback without libyaml."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import cat_rubric
import cat_rubric.limits
from tests.conftest import ROOT


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


class TestImport:
    def test_import_is_light(self) -> None:
        """`import cat_rubric` imports neither tabulate, hypothesis nor cattrs."""
        out = _python(
            "import sys, cat_rubric, json; "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('tabulate', 'hypothesis', 'cattrs'))))"
        )
        assert json.loads(out) == []

    def test_public_api_is_sorted_and_importable(self) -> None:
        """__all__ is sorted and every name in it exists."""
        names = list(cat_rubric.__all__)
        assert names == sorted(names, key=lambda n: (not n.isupper(), n[0].islower(), n))
        for name in names:
            assert hasattr(cat_rubric, name), name


class TestSchemas:
    def test_the_json_schemas_are_files_the_wheel_takes(self) -> None:
        """The JSON Schemas lie in the package and no ignore rule drops them, so hatch ships them.

        Hatch puts every file under ``src/cat_rubric`` in the wheel except what .gitignore
        excludes (a wheel built by hand lists ``cat_rubric/schemas/*.schema.json``).
        """
        from cat_rubric._jsonschema import KINDS, schema_path

        package = ROOT / "src" / "cat_rubric"
        for kind in KINDS:
            path = schema_path(kind)
            assert path.is_file(), path
            assert path.parent == package / "schemas"
            ignored = subprocess.run(
                ["git", "check-ignore", "--no-index", "--quiet", str(path)],
                cwd=ROOT,
                check=False,
                timeout=60,
            )
            assert ignored.returncode == 1, f"{path} matches an ignore rule: it would not ship"


class TestPureFallback:
    @pytest.mark.skipif(not cat_rubric.limits.HAVE_LIBYAML, reason="compares against libyaml")
    def test_without_libyaml_the_results_are_the_same(self) -> None:
        """With libyaml hidden, loading falls back to pure Python and gives identical JSON."""
        script = (
            "import yaml, sys\n"
            "{hide}"
            "import cat_rubric\n"
            "r = cat_rubric.load_rubric('cat-kaz-co-2')\n"
            "e = [cat_rubric.load_evidence(f'examples/kaz-2010-{n}.yaml', rubric=r)\n"
            "     for n in ('state-reply', 'ngo-report')]\n"
            "print(cat_rubric.limits.HAVE_LIBYAML)\n"
            "print(cat_rubric.assess(r, e).to_json())\n"
        )
        hide = "del yaml.CSafeLoader, yaml.CSafeDumper\n"
        pure = _python(script.replace("{hide}", hide))
        native = _python(script.replace("{hide}", ""))
        assert pure.startswith("False\n")
        assert native.startswith("True\n")
        assert pure.split("\n", 1)[1] == native.split("\n", 1)[1]

    def test_python_parser_reports_the_same_problems(self) -> None:
        """Both parsers report the same problems, at the same places, for a broken file."""
        text = (ROOT / "tests" / "data" / "broken.yaml").read_text(encoding="utf-8")
        found = []
        for parser in ("c", "python"):
            with pytest.raises(cat_rubric.LoadError) as info:
                cat_rubric.parse_rubric(text, parser=parser)
            found.append([(p.line, p.column, p.code, p.path) for p in info.value.problems])
        assert found[0] == found[1]


class TestPackageData:
    def test_the_report_templates_ship_in_the_wheel(self) -> None:
        """The wheel takes src/cat_rubric whole, and nothing leaves the report's templates out.

        Hatch puts every file of the package into the wheel unless a pattern excludes it
        (its own, or one of .gitignore's); .ci/run also renders a report from a regular
        install, which fails if a template is missing.
        """
        import fnmatch
        import tomllib
        from importlib.resources import files

        from cat_rubric._report import TEMPLATES

        config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        build = config["tool"]["hatch"]["build"]
        wheel = build["targets"]["wheel"]
        assert wheel["packages"] == ["src/cat_rubric"]
        for table in (build, wheel):
            assert not {"only-include", "exclude", "only-packages", "ignore-vcs"} & table.keys()
        ignored = [
            line.strip().rstrip("/")
            for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")
        ]
        for name in TEMPLATES:
            path = f"src/cat_rubric/templates/{name}"
            assert (ROOT / path).is_file(), path
            assert not any(
                fnmatch.fnmatch(part, pattern)
                for pattern in ignored
                for part in (name, "templates", path)
            ), path
            assert (files("cat_rubric") / "templates" / name).is_file()
