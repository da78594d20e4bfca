"""Shared fixtures and the hypothesis profiles.

Profiles: ``dev`` (the default: what the README's test command runs, in about a
minute on a 2-core machine), ``ci`` (what ``.ci/run`` runs under coverage: more
examples) and ``thorough`` for long local runs. None has a deadline: machines are
shared, and performance is the benchmark's business, not the tests'::

    HYPOTHESIS_PROFILE=ci python -m pytest
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("dev", max_examples=40, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=_QUIET)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=_QUIET
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
BUNDLED = ROOT / "rubrics" / "cat-kaz-co-2.yaml"


@pytest.fixture(name="minimal_text")
def _minimal_text() -> str:
    return (DATA / "minimal.yaml").read_text(encoding="utf-8")


#: Runs the CLI in-process: (exit status, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(name="run")
def _run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the CLI; return (status, stdout, stderr), checking no traceback ever shows."""
    from cat_rubric._cli import main

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return status, out, err

    return run
