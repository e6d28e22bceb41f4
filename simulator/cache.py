"""The per-user cache folder, and the one way anything is kept in it.

Two commands keep work they can redo: `report` (each log folder's totals) and `check`
(each scenario file's verdict). A cache only ever saves time, so every failure here
is quiet: a file that cannot be read, is damaged, is someone else's format or an
older version of ours reads as "nothing kept", and one that cannot be written costs
only the next run's time. Files are replaced atomically, so two runs at once never
see half a file.

The folder is the user's own (`folders.py`), and `SIMULATOR_CACHE_DIR` moves it:
pickles are loaded from there, so it must not be a folder other people can write to.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import Any

from simulator.files import CACHE_MAX, read_capped
from simulator.folders import cache_folder


def cache_root() -> Path:
    """Where every cache lives: one subfolder per command that keeps one."""
    return cache_folder()


def load_kept(path: Path, version: int) -> dict[str, Any] | None:
    """What `keep` wrote at `path` with this `version`, or None for anything else."""
    try:  # read_capped: a FIFO or device put there must not block the command
        loaded = pickle.loads(read_capped(path, CACHE_MAX))  # noqa: S301 - the user's cache
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
        IndexError,
        MemoryError,
        RecursionError,
    ):
        return None
    return loaded if isinstance(loaded, dict) and loaded.get("version") == version else None


def keep(path: Path, version: int, data: dict[str, Any]) -> None:
    """Write `data` (tagged with `version`) atomically; a failure only costs time."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as handle:
            pickle.dump({"version": version, **data}, handle, protocol=5)
        partial.replace(path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # no half-written file left behind
