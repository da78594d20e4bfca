"""Pausing the cyclic garbage collector while building large acyclic structures."""

from __future__ import annotations

import gc


class paused:  # noqa: N801 - used as a function: ``with paused():``
    """Pause the cyclic garbage collector for the block, then restore its previous state.

    Loading and assessing build hundreds of thousands of small objects with no
    reference cycles. With the collector running, every full collection walks all the
    objects the caller already holds (other rubrics, evidence, results), so a batch
    over many files grows faster than linearly. Reference counting still frees
    everything as usual; only the search for cycles waits until the block ends.

    A class rather than a generator-based context manager: the explanation enters it
    once per part, and this costs a third as much.
    """

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._enabled:
            gc.enable()
