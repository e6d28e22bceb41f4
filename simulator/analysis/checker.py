"""`simulator check` as a library: everything known about a set of scenario files.

The command, the pre-commit hook, the benchmarks and the tests all call this, so
they can never disagree about what counts as a problem. Output formats live in
`report.py`; this module only gathers facts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.explore import Analysis, analyse
from simulator.analysis.findings import findings
from simulator.analysis.judgement import judge
from simulator.analysis.lint import Positions, lint
from simulator.analysis.selftests import SelfTestOutcome, run_self_tests, self_test_problems
from simulator.engine.catalog import Catalog, load_catalog
from simulator.engine.structure import Structure
from simulator.problems import Problem
from simulator.scenario.loader import LoadedScenario, load_scenario_file


@dataclass(frozen=True)
class FileReport:
    """One file's verdict: its problems, and (when it loads) analysis and self-tests."""

    file: str
    problems: tuple[Problem, ...]
    loaded: LoadedScenario | None = field(default=None, repr=False)
    analysis: Analysis | None = None
    tests: tuple[SelfTestOutcome, ...] = ()
    seconds: float = 0.0
    cached: bool = False
    """Kept from an earlier check of the same bytes by the same simulator (check_cache.py)."""

    @property
    def scenario_id(self) -> str | None:
        return self.loaded.scenario.id if self.loaded else None

    def count(self, severity: str) -> int:
        return sum(1 for p in self.problems if p.severity == severity)


@dataclass(frozen=True)
class Options:
    """What to run beyond loading: lint is always on, it costs next to nothing."""

    analyse: bool = True
    self_tests: bool = True
    max_states: int = DEFAULT_MAX_STATES
    judge: frozenset[str] | None = None
    """Which judgement checks to run (`judgement.LINTS`); None runs them all."""


def check_loaded(
    loaded: LoadedScenario, options: Options, catalog: Catalog, problems: Sequence[Problem] = ()
) -> FileReport:
    """Lint, analyse and self-test one scenario that loaded."""
    started = time.perf_counter()
    structure = Structure(loaded.scenario, loaded.walkout_ending)
    found = [*problems, *lint(loaded, structure, catalog)]
    analysis = None
    if options.analyse:
        analysis = analyse(loaded, max_states=options.max_states)
        found += findings(loaded, structure, analysis)
    found += judge(loaded, catalog, options.judge)
    outcomes: list[SelfTestOutcome] = []
    if options.self_tests:
        outcomes = run_self_tests(loaded)
        found += self_test_problems(loaded, outcomes)
    return FileReport(
        loaded.file,
        tuple(sorted(found)),
        loaded,
        analysis,
        tuple(outcomes),
        time.perf_counter() - started,
    )


def check_file(
    path: Path, options: Options | None = None, catalog: Catalog | None = None
) -> FileReport:
    started = time.perf_counter()
    result = load_scenario_file(path)
    if result.loaded is None:
        return FileReport(str(path), tuple(result.problems), seconds=time.perf_counter() - started)
    return check_loaded(
        result.loaded, options or Options(), catalog or load_catalog(), result.problems
    )


def check_files(
    paths: Sequence[Path],
    options: Options | None = None,
    *,
    jobs: int | None = None,
    cache: bool = False,
    done: Done | None = None,
) -> list[FileReport]:
    """Check each file, then what only a whole library can show: duplicate ids.

    Files are independent, so several are checked at once in worker processes, one file
    per task, largest first so the longest analysis starts at once; the reports come
    back in the order of `paths` whatever finished first. `jobs` caps the processes
    (default: the cores this process may use); one file, or one job, stays in-process.
    With `cache`, a file checked before, unchanged, by the same simulator with the same
    options, is not checked again (check_cache.py); the command turns it on. `done` is
    called with each file's report as soon as it is known (a progress line).
    """
    if not cache:
        return _duplicate_ids(_check_each(paths, options, jobs, done))
    from simulator.analysis.check_cache import CheckCache

    kept = CheckCache(options or Options())
    reports: list[FileReport | None] = [None] * len(paths)
    for index, report in kept.lookup(paths).items():
        reports[index] = report
        if done is not None:
            done(report)
    todo = [index for index, report in enumerate(reports) if report is None]
    fresh = _check_each([paths[index] for index in todo], options, jobs, done)
    kept.store(fresh)
    for index, report in zip(todo, fresh, strict=True):
        reports[index] = report
    return _duplicate_ids([report for report in reports if report is not None])


Done = Callable[[FileReport], None]
"""Told each file's report as soon as it is known, in whatever order they finish."""


def _check_each(
    paths: Sequence[Path], options: Options | None, jobs: int | None, done: Done | None
) -> list[FileReport]:
    workers = min(len(paths), jobs if jobs is not None else available_cores())
    if workers > 1:
        try:
            return _in_processes(paths, options, workers, done)
        except (BrokenProcessPool, OSError):
            pass  # no worker processes here (a sandbox, a limit): check in-process
    catalog = load_catalog()
    reports = []
    for path in paths:
        reports.append(check_file(path, options, catalog))
        if done is not None:
            done(reports[-1])
    return reports


def available_cores() -> int:
    """The cores this process may run on (affinity, where the platform tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _in_processes(
    paths: Sequence[Path], options: Options | None, workers: int, done: Done | None
) -> list[FileReport]:
    order = sorted(range(len(paths)), key=lambda i: -_size(paths[i]))
    reports: list[FileReport | None] = [None] * len(paths)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(check_file, paths[i], options): i for i in order}
        for future in as_completed(futures):
            report = reports[futures[future]] = future.result()
            if done is not None:
                done(report)
    return [report for report in reports if report is not None]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the check itself reports why it cannot be read


def _duplicate_ids(reports: list[FileReport]) -> list[FileReport]:
    first: dict[str, str] = {}
    out = []
    for report in reports:
        loaded = report.loaded
        if loaded is None:
            out.append(report)
            continue
        scenario_id = loaded.scenario.id
        if scenario_id not in first:
            first[scenario_id] = report.file
            out.append(report)
            continue
        problem = Positions(loaded).error(
            ("id",), f"scenario id '{scenario_id}' is already used by {first[scenario_id]}"
        )
        out.append(replace(report, problems=tuple(sorted((*report.problems, problem)))))
    return out
