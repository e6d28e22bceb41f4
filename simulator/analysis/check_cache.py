"""Each scenario file's verdict, kept until the file or the simulator changes.

Checking one file can take minutes (customs-invoice's lookahead), yet a trainer who
saves one scenario of a folder of twenty should wait only for that one. A verdict is a
pure function of the file's bytes, the checker's options and the simulator itself
(its code, its data files: the technique catalogue, the personas, every number, and
the libraries that parse YAML and validate the model), so it is kept under a key of
exactly those, and nothing else can make a kept verdict wrong:

- the file's bytes, by SHA-256 (an edit of one character, or `git checkout` of another
  version, is a new key; touching the file is not);
- the name it was checked under (the verdict's messages quote it);
- the options (`--max-states`, `--no-analysis`, `--no-judgement`);
- a fingerprint of every file of the installed `simulator` package and the versions of
  Python, PyYAML, pydantic and transitions.

Files that do not load are never kept (they cost no analysis). Old verdicts are pruned:
the three newest fingerprints are kept, and at most `ENTRIES_KEPT` files under each.
`simulator check --no-cache` ignores the cache, neither reading nor writing it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from simulator.cache import cache_root, keep, load_kept
from simulator.files import read_capped
from simulator.scenario.loader import file_name
from simulator.scenario.safe_yaml import MAX_BYTES

if TYPE_CHECKING:
    from simulator.analysis.checker import FileReport, Options

VERSION = 1
"""Bumped if what is kept changes shape (the fingerprint covers everything else)."""
FINGERPRINTS_KEPT = 3
ENTRIES_KEPT = 1000


@functools.cache
def fingerprint() -> str:
    """The simulator as installed: every file of the package, and the libraries whose
    behaviour a verdict depends on. Computed once per process (a few milliseconds)."""
    import pydantic
    import transitions
    import yaml

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256(
        f"{sys.version}\0{yaml.__version__}\0{pydantic.VERSION}\0"
        f"{transitions.__version__}\n".encode()
    )
    for folder, subdirs, files in os.walk(package):
        subdirs[:] = sorted(d for d in subdirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = Path(folder, name)
            digest.update(str(path.relative_to(package)).encode(errors="surrogateescape"))
            try:
                digest.update(path.read_bytes())
            except OSError:
                digest.update(b"\0unreadable")
    return digest.hexdigest()


class CheckCache:
    """The kept verdicts for one set of options: `lookup` before checking, `store` after."""

    def __init__(self, options: Options, root: Path | None = None) -> None:
        judge = None if options.judge is None else sorted(options.judge)
        settings = repr((options.analyse, options.self_tests, options.max_states, judge))
        self._prefix = f"{VERSION}\0{fingerprint()}\0{settings}\0"
        self.folder = (root or cache_root() / "check") / fingerprint()[:24]
        self._wanted: dict[str, str] = {}
        """name checked under → SHA-256 of the bytes looked up (what a verdict must match)."""

    def lookup(self, paths: Sequence[Path]) -> dict[int, FileReport]:
        """The kept verdict of every file that has one (by its position in `paths`)."""
        found: dict[int, FileReport] = {}
        for index, path in enumerate(paths):
            try:
                data = read_capped(path, MAX_BYTES)
            except OSError:
                continue  # the check itself says why it cannot be read
            name = file_name(path)  # the name the loader gives the report
            sha = hashlib.sha256(data).hexdigest()
            self._wanted[name] = sha
            kept = load_kept(self._entry(name, sha), VERSION)
            report = kept.get("report") if kept is not None else None
            if _matches(report, name, sha):
                found[index] = replace(report, cached=True)
        return found

    def store(self, reports: Sequence[FileReport]) -> None:
        """Keep each verdict whose file still held the bytes that were looked up."""
        stored = False
        for report in reports:
            sha = self._wanted.get(report.file)
            if sha is not None and _matches(report, report.file, sha):
                keep(self._entry(report.file, sha), VERSION, {"report": report})
                stored = True
        if stored:
            self._prune()

    def _entry(self, name: str, sha: str) -> Path:
        key = hashlib.sha256(
            f"{self._prefix}{name}\0{sha}".encode(errors="surrogateescape")
        ).hexdigest()
        return self.folder / f"{key[:40]}.pickle"

    def _prune(self) -> None:
        """Bounded on disk: older fingerprints go first, then the oldest verdicts."""
        _keep_newest([p for p in _listing(self.folder.parent) if p.is_dir()], FINGERPRINTS_KEPT)
        entries = _listing(self.folder)
        if len(entries) > ENTRIES_KEPT:
            _keep_newest(entries, ENTRIES_KEPT // 2)


def _matches(report: object, name: str, sha: str) -> TypeGuard[FileReport]:
    from simulator.analysis.checker import FileReport

    return (
        isinstance(report, FileReport)
        and report.file == name
        and report.loaded is not None
        and report.loaded.sha256 == sha
    )


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _keep_newest(paths: list[Path], count: int) -> None:
    def modified(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    import shutil

    for old in sorted(paths, key=modified, reverse=True)[count:]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
