"""Shared fixtures and the hypothesis profiles.

Profiles: ``ci`` (the default; enough examples to matter, no deadline because CI
machines are shared) and ``thorough`` for local runs::

    HYPOTHESIS_PROFILE=thorough python -m pytest
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
BUNDLED = ROOT / "rubrics" / "cat-kaz-co-2.yaml"


@pytest.fixture(name="minimal_text")
def _minimal_text() -> str:
    return (DATA / "minimal.yaml").read_text(encoding="utf-8")
