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
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from cat_rubric import Assessment, EvidenceFile, Rubric

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
#: The bundled example's evidence files on the bundled rubric (CLI arguments as they are).
STATE = str(EXAMPLES / "kaz-2010-state-reply.yaml")
NGO = str(EXAMPLES / "kaz-2010-ngo-report.yaml")
NO_REPLY = str(EXAMPLES / "kaz-2010-no-reply.yaml")

#: The minimal rubric (one recommendation, one part, two criteria), and evidence on it:
#: one item of the State party's reply, written as an author would write it.
MINIMAL = (DATA / "minimal.yaml").read_text(encoding="utf-8")
MINIMAL_EVIDENCE = """\
rubric: test-minimal
cycle: 2014 follow-up
assessor: A. Analyst
as_of: 2014-09-01
reply: {received: true, date: 2014-06-01}
items:
  - id: sp-1
    criteria: [lawyer]
    finding: partially_implemented
    source: {kind: state_party, title: Follow-up reply, date: 2014-06-01}
    summary: The reply reports a draft amendment.
"""


def as_real(evidence: EvidenceFile) -> EvidenceFile:
    """*evidence* with no item marked illustrative, as if it had been gathered, not invented."""
    import attrs

    items = tuple(attrs.evolve(item, illustrative=False) for item in evidence.items)
    return attrs.evolve(evidence, items=items)


@pytest.fixture(name="minimal_text")
def _minimal_text() -> str:
    return MINIMAL


# The bundled example, built once a worker: results are frozen, so tests may share them.

#: The example's evidence files: the State party's reply, then the NGO report.
ExampleFiles = tuple["EvidenceFile", "EvidenceFile"]


@pytest.fixture(name="kaz", scope="session")
def _kaz() -> Rubric:
    """The bundled rubric, CAT/C/KAZ/CO/2."""
    from cat_rubric import load_rubric

    return load_rubric("cat-kaz-co-2")


@pytest.fixture(name="example_files", scope="session")
def _example_files(kaz: Rubric) -> ExampleFiles:
    """The example's evidence: the State party's reply and the NGO report, in that order."""
    from cat_rubric import load_evidence

    return load_evidence(STATE, rubric=kaz), load_evidence(NGO, rubric=kaz)


@pytest.fixture(name="example", scope="session")
def _example(kaz: Rubric, example_files: ExampleFiles) -> Assessment:
    """The bundled example, assessed: the reply and the NGO report on the bundled rubric."""
    from cat_rubric import assess

    return assess(kaz, example_files)


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
