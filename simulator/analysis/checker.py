"""`simulator check` as a library: everything known about a set of scenario files.

The command, the pre-commit hook, the benchmarks and the tests all call this, so
they can never disagree about what counts as a problem. Output formats live in
`report.py`; this module only gathers facts.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.explore import Analysis, analyse
from simulator.analysis.findings import findings
from simulator.analysis.judgement import judge
from simulator.analysis.lint import Positions, lint
from simulator.analysis.selftests import SelfTestOutcome, run_self_tests, self_test_problems
from simulator.analysis.structure import Structure
from simulator.engine.catalog import Catalog, load_catalog
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


def check_files(paths: Sequence[Path], options: Options | None = None) -> list[FileReport]:
    """Check each file, then what only a whole library can show: duplicate ids."""
    catalog = load_catalog()
    reports = [check_file(path, options, catalog) for path in paths]
    return _duplicate_ids(reports)


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
        out.append(
            FileReport(
                report.file,
                tuple(sorted((*report.problems, problem))),
                loaded,
                report.analysis,
                report.tests,
                report.seconds,
            )
        )
    return out
