"""Finding scenarios: the bundled library, or a path a trainer names.

SCENARIO on the command line is either a bundled id or a path, so the lookup
lives in one place and every command reports "no such scenario" the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from simulator.bundled import bundled_dir
from simulator.problems import Problem, suggest
from simulator.scenario.loader import LoadedScenario, LoadResult, load_scenario_file
from simulator.scenario.models import SCENARIO_ID_PATTERN
from simulator.text import one_line

SCENARIO_SUFFIXES = (".yaml", ".yml")


def scenario_files(paths: list[Path]) -> list[Path]:
    """Expand folders (recursively) into the scenario files under them, sorted.

    Each file once, under the first name it was reached by: a folder and a file in it
    (a pre-commit hook passes both), or one folder spelt two ways, would otherwise
    check the file twice and report its id as a duplicate of itself.
    """
    found: list[Path] = []
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            # Not `is_file()`: a FIFO or a dangling link named x.yaml is reported as
            # unreadable by the loader instead of being skipped without a word.
            named = sorted(
                p for p in path.rglob("*") if p.suffix in SCENARIO_SUFFIXES and not p.is_dir()
            )
        else:
            named = [path]
        for file in named:
            key = _same_file(file)
            if key not in seen:
                seen.add(key)
                found.append(file)
    return found


def _same_file(path: Path) -> str:
    """What two names of one file share: the real path (links and `..` followed)."""
    try:
        return os.path.realpath(path)
    except (OSError, ValueError):  # a NUL in the name: the loader says why
        return str(path)


@dataclass(frozen=True)
class Library:
    """Every scenario in a folder that loads, plus the problems of those that don't."""

    scenarios: tuple[LoadedScenario, ...]
    problems: tuple[Problem, ...]

    def ids(self) -> list[str]:
        return [loaded.scenario.id for loaded in self.scenarios]

    def get(self, scenario_id: str) -> LoadedScenario | None:
        return next((s for s in self.scenarios if s.scenario.id == scenario_id), None)


def load_library(folder: Path | None = None) -> Library:
    folder = folder or bundled_dir()
    loaded: list[LoadedScenario] = []
    problems: list[Problem] = []
    for path in scenario_files([folder]) if folder.is_dir() else []:
        result = load_scenario_file(path)
        problems += result.problems
        if result.loaded is not None:
            loaded.append(result.loaded)
    order = {"intro": 0, "standard": 1, "hard": 2}
    loaded.sort(key=lambda s: (order[s.scenario.difficulty], s.scenario.title))
    return Library(tuple(loaded), tuple(problems))


def bundled(scenario_id: str) -> LoadedScenario | None:
    """A bundled scenario by id only, never a path: for ids read from untrusted logs.

    `resolve` also accepts paths, so a log whose `scenario` field says `/dev/zero`
    or `../../secret.yaml` would make `replay` open that file.
    """
    if re.fullmatch(SCENARIO_ID_PATTERN, scenario_id) is None:
        return None
    folder = bundled_dir()
    if not folder.is_dir():
        return None
    for path in scenario_files([folder]):  # bundled files are named by their id
        if path.stem == scenario_id:
            result = load_scenario_file(path)
            if result.loaded is not None and result.loaded.scenario.id == scenario_id:
                return result.loaded
    return None


class ScenarioNotFound(LookupError):
    """Neither a file nor a bundled id; the message carries a "did you mean" hint."""


def resolve(ref: str) -> LoadResult:
    """Load a scenario named by path or by bundled id, with a hint when neither fits."""
    path = Path(ref)
    if path.suffix in SCENARIO_SUFFIXES or os.sep in ref or path.exists():
        return load_scenario_file(path)
    folder = bundled_dir()
    candidates = {p.stem: p for p in scenario_files([folder])} if folder.is_dir() else {}
    if ref in candidates:
        return load_scenario_file(candidates[ref])
    library = load_library(folder)
    match = library.get(ref)
    if match is not None:
        return LoadResult(match, [])
    hint = suggest(ref, list(candidates) + library.ids())
    raise ScenarioNotFound(f"no bundled scenario or file named '{one_line(ref)}'{hint}")
