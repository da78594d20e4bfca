"""The public API: what each module exports is pinned, documented, and cheap to import."""

from __future__ import annotations

import importlib
import inspect
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import cat_rubric
from cat_rubric.exceptions import KeyPath, Problem
from tests.conftest import ROOT

#: Every public module and its ``__all__``: a name added or removed is a decision, made here.
PUBLIC: dict[str, list[str]] = {
    "cat_rubric": [
        "FOLLOW_UP_THEMES",
        "Assessment",
        "AssessmentError",
        "CatRubricError",
        "Comparison",
        "EvidenceFile",
        "Finding",
        "History",
        "LoadError",
        "NotFoundError",
        "Policy",
        "Rollup",
        "Rubric",
        "RubricComparison",
        "Scale",
        "Settings",
        "assess",
        "bundled_rubrics",
        "bundled_scales",
        "compare",
        "compare_rubrics",
        "draft_rubric",
        "evidence_from_csv",
        "history",
        "load_evidence",
        "load_rubric",
        "load_scale",
        "parse_evidence",
        "parse_rubric",
        "parse_scale",
        "to_yaml",
    ],
    "cat_rubric.model": [
        "Criterion",
        "FollowUp",
        "Indicator",
        "LegalReference",
        "Origin",
        "Part",
        "Recommendation",
        "Rubric",
        "SourceKind",
    ],
    "cat_rubric.evidence": ["EvidenceFile", "Finding", "Item", "Override", "Reply", "Source"],
    "cat_rubric.result": [
        "Assessment",
        "Conflict",
        "CriterionResult",
        "FileRecord",
        "ItemUse",
        "OverrideRecord",
        "PartResult",
        "RecommendationResult",
        "Record",
        "Score",
        "Status",
        "Use",
        "WhatIf",
    ],
    "cat_rubric.grading": [
        "Grade",
        "Outcome",
        "Policy",
        "Rollup",
        "Rules",
        "Scale",
        "Settings",
        "decide",
    ],
    "cat_rubric.limits": ["HAVE_LIBYAML", "Limits"],
    "cat_rubric.exceptions": [
        "PROBLEM_CODES",
        "AssessmentError",
        "CatRubricError",
        "KeyPath",
        "LimitError",
        "LoadError",
        "MissingExtraError",
        "NotFoundError",
        "OutputError",
        "Problem",
        "SettingsError",
    ],
    "cat_rubric.render": ["Chart", "chart", "csv", "html", "letter", "markdown"],
    "cat_rubric.testing": ["KAZAKH", "dates", "evidence_files", "identifiers", "rubrics", "texts"],
}

SRC = ROOT / "src" / "cat_rubric"


def _constant_documented(name: str, module_doc: str) -> bool:
    """A constant is named in its public module's docstring or has a ``#:`` comment."""
    if f"`{name}`" in module_doc:
        return True
    pattern = re.compile(rf"^#:.*\n(?:#:.*\n)*{re.escape(name)}\b.*=", re.MULTILINE)
    return any(pattern.search(path.read_text(encoding="utf-8")) for path in SRC.glob("*.py"))


class TestPublicNames:
    @pytest.mark.parametrize("module", sorted(PUBLIC))
    def test_all_is_pinned(self, module: str) -> None:
        """Each public module exports exactly the pinned names, none by accident."""
        mod = importlib.import_module(module)
        assert sorted(mod.__all__) == sorted(PUBLIC[module])
        assert len(set(mod.__all__)) == len(mod.__all__)

    @pytest.mark.parametrize("module", sorted(PUBLIC))
    def test_every_name_is_documented(self, module: str) -> None:
        """The module, and every name it exports, has a docstring of its own."""
        mod = importlib.import_module(module)
        assert (mod.__doc__ or "").strip(), module
        for name in mod.__all__:
            value = getattr(mod, name)
            if inspect.isclass(value) or inspect.isfunction(value):
                own = value.__dict__.get("__doc__") if inspect.isclass(value) else value.__doc__
                assert (own or "").strip(), f"{module}.{name} has no docstring"
            else:
                assert _constant_documented(name, mod.__doc__ or ""), f"{module}.{name}"

    def test_submodules_share_the_top_level_objects(self) -> None:
        """A name at the top and in a submodule is one object, not a copy."""
        for module in PUBLIC:
            mod = importlib.import_module(module)
            for name in mod.__all__:
                if name in cat_rubric.__all__:
                    assert getattr(mod, name) is getattr(cat_rubric, name), (module, name)

    def test_internals_are_not_at_the_top(self) -> None:
        """Names moved to submodules are gone from the top level, with a clear error."""
        for name in ("decide", "Problem", "Part", "ItemUse", "Limits", "HAVE_LIBYAML"):
            with pytest.raises(AttributeError, match=f"no attribute '{name}'"):
                getattr(cat_rubric, name)

    def test_dir_lists_the_lazy_names_and_submodules(self) -> None:
        names = dir(cat_rubric)
        assert set(cat_rubric.__all__) <= set(names)
        assert {"model", "evidence", "result", "grading", "limits", "exceptions"} <= set(names)
        assert "__version__" in names

    def test_submodules_are_attributes(self) -> None:
        """``cat_rubric.result.Status`` works after a bare ``import cat_rubric``."""
        out = _run("import cat_rubric; print(cat_rubric.result.Status.GRADED.value)")
        assert out.strip() == "graded"

    def test_version_matches_the_metadata(self) -> None:
        """The constant version is pyproject's, and the installed distribution's."""
        from importlib.metadata import version

        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert cat_rubric.__version__ == project["project"]["version"]
        assert cat_rubric.__version__ == version("cat_rubric")


class TestKeyPath:
    def test_text_is_the_documented_form(self) -> None:
        path = KeyPath(("recommendations", 2, "parts", 0, "id"))
        assert str(path) == "recommendations[2].parts[0].id"
        assert path.steps[1] == 2
        assert str(KeyPath((0, "a"))) == "[0].a"

    def test_the_document_itself_is_the_empty_path(self) -> None:
        assert str(KeyPath()) == ""
        assert not KeyPath()
        assert KeyPath(("a",))

    def test_problem_takes_steps(self) -> None:
        """A tuple of steps is made a KeyPath; a string is refused, not split into letters."""
        problem = Problem(file="f", line=1, column=2, path=("a", 1), code="c", message="m")
        assert problem.path == KeyPath(("a", 1))
        assert str(problem) == "f:1:2: a[1]: m [c]"
        with pytest.raises(TypeError, match="key path"):
            Problem(file="f", line=1, column=2, path="a", code="c", message="m")  # type: ignore[arg-type]

    def test_loaders_report_structured_paths(self) -> None:
        text = (ROOT / "tests" / "data" / "broken.yaml").read_text(encoding="utf-8")
        with pytest.raises(cat_rubric.LoadError) as info:
            cat_rubric.parse_rubric(text)
        steps = {p.path.steps for p in info.value.problems}
        assert ("recommendations", 0, "parts", 0, "criteria", 0, "weight") in steps
        assert all(isinstance(p.path, KeyPath) for p in info.value.problems)


# -- start-up: not timed; what each command imports ------------------------------------

#: Modules that only grading, loading or rendering need.
ENGINE = (
    "cat_rubric._api",
    "cat_rubric._engine",
    "cat_rubric._evidence",
    "cat_rubric._load",
    "cat_rubric._model",
    "cat_rubric._render",
    "cat_rubric._result",
    "cat_rubric._route",
    "cat_rubric._rules",
    "cat_rubric._scales",
    "cat_rubric._schema",
    "cat_rubric._yaml",
    "cattrs",
    "tabulate",
    "yaml",
)


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def _modules_after_cli(args: list[str], tmp_path: Path) -> set[str]:
    """Run ``python -m cat_rubric ARGS`` in a child; the modules it had imported at exit."""
    out = tmp_path / "modules.json"
    code = (
        "import json, runpy, sys\n"
        "out, sys.argv = sys.argv[1], ['cat-rubric', *sys.argv[2:]]\n"
        "try:\n"
        "    runpy.run_module('cat_rubric', run_name='__main__', alter_sys=True)\n"
        "except SystemExit:\n"
        "    pass\n"
        "with open(out, 'w') as fh:\n"
        "    json.dump(sorted(sys.modules), fh)\n"
    )
    _run(code, str(out), *args)
    return set(json.loads(out.read_text(encoding="utf-8")))


class TestStartUp:
    @pytest.mark.parametrize("args", [["--help"], ["--version"], ["scroe"], []])
    def test_help_version_and_usage_errors_load_no_engine(
        self, args: list[str], tmp_path: Path
    ) -> None:
        """--help, --version and a usage error import argparse, not the engine or YAML."""
        found = _modules_after_cli(args, tmp_path)
        assert "cat_rubric._cli" in found
        assert sorted(m for m in ENGINE if m in found) == []
        assert "importlib.metadata" not in found

    def test_score_loads_no_cattrs(self, tmp_path: Path) -> None:
        """A table needs no cattrs (only the JSON and YAML writers and readers do)."""
        found = _modules_after_cli(
            ["score", "cat-kaz-co-2", "examples/kaz-2010-state-reply.yaml"], tmp_path
        )
        assert "cat_rubric._engine" in found
        assert "cattrs" not in found

    def test_import_loads_nothing_but_the_package(self) -> None:
        """``import cat_rubric`` imports no submodule (nor tabulate, yaml or attrs)."""
        out = _run(
            "import sys, json, cat_rubric\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('cat_rubric') "
            "or m.split('.')[0] in ('tabulate', 'yaml', 'attr', 'cattrs'))))"
        )
        assert json.loads(out) == ["cat_rubric"]
