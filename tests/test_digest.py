"""The file digest: CPython's own SHA-256 for small data, hashlib's for large, the same."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from cat_rubric import _digest


@given(st.binary(max_size=2048))
def test_small_data_is_hashed_as_hashlib_hashes_it(data: bytes) -> None:
    assert _digest._BUILTIN is not None  # CPython: the built-in implementation is used
    assert _digest.sha256(data) == hashlib.sha256(data).hexdigest()


@given(st.integers(-2, 2), st.binary(min_size=1, max_size=8))
def test_either_side_of_the_threshold(offset: int, unit: bytes) -> None:
    data = (unit * (_digest.SMALL // len(unit) + 1))[: _digest.SMALL + offset]
    assert _digest.sha256(data) == hashlib.sha256(data).hexdigest()


def test_without_the_built_in_hashlib_serves() -> None:
    """On an interpreter without CPython's module, every size goes to hashlib."""
    saved = _digest._BUILTIN
    try:
        _digest._BUILTIN = None  # type: ignore[misc]
        assert _digest.sha256(b"abc") == hashlib.sha256(b"abc").hexdigest()
    finally:
        _digest._BUILTIN = saved  # type: ignore[misc]
