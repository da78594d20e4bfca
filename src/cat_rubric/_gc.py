"""Pausing the cyclic garbage collector while building large acyclic structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore its previous state.

    Loading and assessing build hundreds of thousands of small objects with no
    reference cycles. With the collector running, every full collection walks all the
    objects the caller already holds (other rubrics, evidence, results), so a batch
    over many files grows faster than linearly. Reference counting still frees
    everything as usual; only the search for cycles waits until the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
