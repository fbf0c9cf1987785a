"""Worker processes: how many, and how they start.

One helper for every parallel step (``check --jobs``, the cross-report duplicate
finder's word segmentation): on Linux workers are forked, so they inherit what this
process has already loaded (compiled rules, jieba's dictionary, registered plug-ins);
elsewhere (macOS, Windows) the platform's default start method is the safe choice.
``multiprocessing`` and ``concurrent.futures`` are imported only when a pool is made:
a run of one or a few files never needs them, and they cost some 9 ms of a start.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

__all__ = ["default_jobs", "pool_context", "process_pool"]


def default_jobs() -> int:
    """The CPUs this process may run on (``--jobs`` 0: all of them)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def pool_context() -> BaseContext:
    """The start method of worker processes: fork on Linux, else the platform's default."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes started with :func:`pool_context` (use it with ``with``)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, mp_context=pool_context())
