"""Work over many log files on every core: a few equal shares, one per process each.

A company's log folder holds ~100,000 files and reading them is most of what
`report` and `verify` cost, while each file is independent of the others. Cutting the
list into a couple of shares per worker (whatever the day folders) keeps every core
busy to the end and makes few results to send back and combine. Below
`PARALLEL_FROM` files, or where no worker process can be started (a sandbox, a
limit), the work runs in this process, with the same result.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 2000
"""Below this many files a process pool costs more than it saves."""
SHARES_PER_WORKER = 2


def in_shares(
    items: Sequence[T], work: Callable[[list[T]], R], workers: int | None = None
) -> list[R]:
    """`work` applied to consecutive shares of `items`, results in the items' order.

    `work` must be a module-level function (or a `functools.partial` of one) so that
    worker processes can be handed it.
    """
    workers = workers or min(os.cpu_count() or 1, 8)
    if workers <= 1 or len(items) < PARALLEL_FROM:
        return [work(list(items))]
    size = -(-len(items) // (workers * SHARES_PER_WORKER))
    shares = [list(items[i : i + size]) for i in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(work, shares))
    except (BrokenProcessPool, OSError):
        return [work(list(items))]  # no worker processes here: the same work, in-process
