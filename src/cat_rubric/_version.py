"""The library's version, as a constant: reading it costs no importlib.metadata (15 ms).

It must equal ``project.version`` in pyproject.toml (tests/test_api.py checks both that
and the installed distribution's metadata).
"""

from __future__ import annotations

from typing import Final

VERSION: Final = "0.1.0"

__all__ = ["VERSION"]
