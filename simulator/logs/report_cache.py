"""Incremental reports: each log folder's totals, kept until a file in it changes.

A report over a shared folder that grew by a few sessions should cost little more
than reading those sessions. The totals of every folder (in practice one per UTC day)
are cached under a signature of its files: path, device, inode, size, modification
and change time. Logs only ever grow, so a new record changes the size; an edit in
place changes the times, and the change time (ctime) cannot be set back by a user.
A folder whose signature differs is read again in full.

The cache is a convenience for reports only, never evidence: `simulator verify` (and
`export`, `send`, `replay`) always read every byte and check every seal. It lives in
the `report` folder of the per-user cache (`simulator/cache.py`), one file per set of
report filters, and a damaged or foreign cache file is simply rebuilt.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.cache import cache_root, keep, load_kept

if TYPE_CHECKING:
    from simulator.logs.report import Totals
    from simulator.logs.select import Filter

VERSION = 1
"""Bumped whenever Totals or the reader change what a file contributes."""


def cache_dir() -> Path:
    return cache_root() / "report"


def signature(paths: list[str]) -> str:
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
    """For one set of filters: the last whole report under the signature of every
    folder, and each folder's totals under its own signature.

    Two files, because the whole report is small and is all an unchanged folder
    needs, while the folders' totals are only worth loading when something changed.
    """

    def __init__(self, where: Filter) -> None:
        from simulator import __version__

        fingerprint = repr((VERSION, __version__, where.describe(), sorted(where.teams.items())))
        stem = hashlib.sha256(fingerprint.encode()).hexdigest()[:24]
        self.report_path = cache_dir() / f"{stem}.report.pickle"
        self.folders_path = cache_dir() / f"{stem}.folders.pickle"
        self.entries: dict[str, tuple[str, Totals]] = {}

    def report(self, whole: str) -> dict[str, Any] | None:
        loaded = load_kept(self.report_path, VERSION)
        if loaded is None or loaded.get("whole") != whole:
            return None
        report = loaded.get("report")
        return report if isinstance(report, dict) else None

    def load_folders(self) -> None:
        loaded = load_kept(self.folders_path, VERSION)
        entries = loaded.get("entries") if loaded is not None else None
        if isinstance(entries, dict):
            self.entries = entries

    def get(self, folder: str, sig: str) -> Totals | None:
        found = self.entries.get(folder)
        return found[1] if found is not None and found[0] == sig else None

    def put(self, folder: str, sig: str, totals: Totals) -> None:
        self.entries[folder] = (sig, totals)

    def save(self, whole: str, report: dict[str, Any], *, folders_changed: bool) -> None:
        if folders_changed:
            keep(self.folders_path, VERSION, {"entries": self.entries})
        keep(self.report_path, VERSION, {"whole": whole, "report": report})
