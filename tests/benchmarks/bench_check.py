"""Checker speed on a 1,000-scenario library, against bare YAML parsing of the same files.

The library is the bundled scenarios copied under new ids until there are 1,000
files. Three things are timed in the same run, on the same files, each as the
median of several rounds:

- the baseline: reading each file and `yaml.load` with the C loader, nothing else;
- validation and lint: `load_scenario_file` (safe YAML with positions, the models,
  cross-references) plus the lint warnings; the goal is at least half of the
  baseline's throughput, i.e. a ratio of at least 0.5;
- the exhaustive analysis of each distinct bundled scenario at the default budget,
  reported as states explored per second (it does not depend on library size).
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.explore import analyse
from simulator.analysis.lint import lint
from simulator.analysis.structure import Structure
from simulator.bundled import bundled_dir
from simulator.engine.catalog import load_catalog
from simulator.scenario.library import scenario_files
from simulator.scenario.loader import load_scenario_file

LIBRARY_SIZE = 1_000
ROUNDS = 5
_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sources = [p.read_text(encoding="utf-8") for p in scenario_files([bundled_dir()])]
    assert sources, "no bundled scenarios to copy"
    folder = tmp_path_factory.mktemp("library")
    files = []
    for n in range(LIBRARY_SIZE):
        text = re.sub(r"(?m)^id: .*$", f"id: bench-{n:04d}", sources[n % len(sources)], count=1)
        path = folder / f"bench-{n:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def median_seconds(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_only(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=_LOADER)


def validate_and_lint(files: list[Path]) -> None:
    catalog = load_catalog()
    for path in files:
        loaded = load_scenario_file(path).loaded
        assert loaded is not None
        lint(loaded, Structure(loaded.scenario, loaded.walkout_ending), catalog)


def test_validation_and_lint_against_bare_parsing(library: list[Path]) -> None:
    parse_only(library)  # warm the page cache and imports for both
    validate_and_lint(library[:10])
    parse = median_seconds(lambda: parse_only(library))
    check = median_seconds(lambda: validate_and_lint(library))
    ratio = parse / check
    print(
        f"\n{LIBRARY_SIZE} scenarios, median of {ROUNDS} rounds:\n"
        f"  bare YAML parsing (C safe loader):  {parse:.3f}s  "
        f"({LIBRARY_SIZE / parse:,.0f} files/s)\n"
        f"  validation + lint:                  {check:.3f}s  "
        f"({LIBRARY_SIZE / check:,.0f} files/s)\n"
        f"  throughput ratio (goal >= 0.5):     {ratio:.2f}"
    )


def test_analysis_states_per_second() -> None:
    print(f"\nexhaustive analysis, budget {DEFAULT_MAX_STATES:,} states, median of 3:")
    total_states, total_seconds = 0, 0.0
    for path in scenario_files([bundled_dir()]):
        loaded = load_scenario_file(path).loaded
        if loaded is None:
            continue
        runs = [analyse(loaded) for _ in range(3)]
        seconds = statistics.median(r.seconds for r in runs)
        result = runs[0]
        total_states += result.states
        total_seconds += seconds
        done = "complete" if result.complete else f"stopped at {result.complete_turns} turns"
        print(
            f"  {loaded.scenario.id:28} {result.states:>7,} states  {seconds:6.2f}s  "
            f"{result.states / seconds:>8,.0f} states/s  ({done})"
        )
    print(
        f"  {'all':28} {total_states:>7,} states  {total_seconds:6.2f}s  "
        f"{total_states / total_seconds:>8,.0f} states/s"
    )
