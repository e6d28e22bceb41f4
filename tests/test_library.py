"""The bundled library: every scenario loads cleanly and passes its own self-tests.

What a scenario teaches (surface strategies, content lints: `check --strict`) is pinned
for the whole library in tests/test_check_cli.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.analysis.selftests import run_self_tests
from simulator.bundled import bundled_dir
from simulator.scenario.library import scenario_files
from simulator.scenario.loader import load_scenario_file

FILES = scenario_files([bundled_dir()])


def test_the_library_is_not_empty() -> None:
    assert FILES, f"no scenarios under {bundled_dir()}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_loads_without_errors_or_warnings(path: Path) -> None:
    result = load_scenario_file(path)
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.loaded is not None
    assert result.loaded.scenario.id == path.stem, "the file name should be the scenario id"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_self_tests_pass(path: Path) -> None:
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    outcomes = run_self_tests(loaded)
    assert outcomes, "every bundled scenario should carry self-tests"
    failed = [f"{o.test.name}: {'; '.join(o.failures)}" for o in outcomes if not o.passed]
    assert not failed, "\n".join(failed)
