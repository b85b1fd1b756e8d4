"""Pausing Python's cyclic garbage collector around work that only builds acyclic data.

A 20,000-article graph holds millions of small dicts, lists and strings. While it is being built,
every few hundred allocations the collector walks the growing heap looking for cycles that this
code never makes: 2.1 of the 4 s that ``build_graph`` takes at 226k links. Reference counting
still frees everything as usual; cycles made meanwhile (none here) wait for the next collection.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
