"""Shared fixtures: paths to the fixture scenarios and a loader that fails loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario.loader import LoadedScenario, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def load_fixture(name: str) -> LoadedScenario:
    result = load_scenario_file(FIXTURES / name)
    assert result.loaded is not None, "\n".join(map(str, result.problems))
    return result.loaded


@pytest.fixture
def late_refund() -> LoadedScenario:
    return load_fixture("late-refund.yaml")
