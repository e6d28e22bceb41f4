"""Incremental reports: each log folder's totals, kept until a file in it changes.

A report over a shared folder that grew by a few sessions should cost little more
than reading those sessions. The totals of every folder (in practice one per UTC day)
are cached under a signature of its files: path, device, inode, size, modification
and change time. Logs only ever grow, so a new record changes the size; an edit in
place changes the times, and the change time (ctime) cannot be set back by a user.
A folder whose signature differs is read again in full.

The cache is a convenience for reports only, never evidence: `simulator verify` (and
`export`, `send`, `replay`) always read every byte and check every seal. It lives in
the per-user cache folder (`SIMULATOR_CACHE_DIR` overrides it), one file per set of
report filters, and a damaged or foreign cache file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

if TYPE_CHECKING:
    from simulator.logs.report import Totals
    from simulator.logs.select import Filter

APP_NAME = "difficult-customers"
VERSION = 1
"""Bumped whenever Totals or the reader change what a file contributes."""


def cache_dir() -> Path:
    override = os.environ.get("SIMULATOR_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME)) / "report"


def signature(paths: list[Path]) -> str:
    """What must not change for a folder's cached totals to stand."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            digest.update(f"{path}\0gone\n".encode(errors="surrogateescape"))
            continue
        digest.update(
            f"{path}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}\0"
            f"{st.st_ctime_ns}\n".encode(errors="surrogateescape")
        )
    return digest.hexdigest()


class ReportCache:
    """folder → (signature, Totals) for one set of filters."""

    def __init__(self, where: Filter) -> None:
        from simulator import __version__

        fingerprint = repr((VERSION, __version__, where.describe(), sorted(where.teams.items())))
        self.path = cache_dir() / f"{hashlib.sha256(fingerprint.encode()).hexdigest()[:24]}.pickle"
        self.entries: dict[str, tuple[str, Totals]] = {}
        try:
            with self.path.open("rb") as handle:
                loaded = pickle.load(handle)  # noqa: S301 - our own file, in the user's cache
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            TypeError,
            ValueError,
        ):
            return
        if isinstance(loaded, dict) and loaded.get("version") == VERSION:
            entries = loaded.get("entries")
            if isinstance(entries, dict):
                self.entries = entries

    def get(self, folder: Path, sig: str) -> Totals | None:
        found = self.entries.get(str(folder))
        return found[1] if found is not None and found[0] == sig else None

    def put(self, folder: Path, sig: str, totals: Totals) -> None:
        self.entries[str(folder)] = (sig, totals)

    def save(self) -> None:
        """Atomically; a cache that cannot be written only costs the next report time."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            with partial.open("wb") as handle:
                pickle.dump({"version": VERSION, "entries": self.entries}, handle, protocol=5)
            partial.replace(self.path)
        except OSError:
            pass
