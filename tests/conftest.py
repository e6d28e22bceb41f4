"""Shared fixtures: paths to the fixture scenarios and a loader that fails loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from simulator.scenario.loader import LoadedScenario, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m simulator ARGS` as a user runs it: real exit code, stdout and stderr."""
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def load_fixture(name: str) -> LoadedScenario:
    result = load_scenario_file(FIXTURES / name)
    assert result.loaded is not None, "\n".join(map(str, result.problems))
    return result.loaded


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test's logs, settings and secrets out of the real user's folders.

    Subprocesses inherit the environment, so CLI tests are covered too.
    """
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SIMULATOR_LOG_DIR", str(home / "logs"))
    monkeypatch.setenv("SIMULATOR_CONFIG_DIR", str(home / "config"))


@pytest.fixture
def late_refund() -> LoadedScenario:
    return load_fixture("late-refund.yaml")


def opening_turn() -> tuple[int, int, int, int]:
    """The late-refund fixture's 'hear-her-out' as the engine plays it today.

    Log, export and report tests compare against this instead of literal numbers,
    so recalibrating the engine does not break tests about something else.
    """
    from simulator.engine.session import Session

    turn = Session(load_fixture("late-refund.yaml"), seed=0).choose("hear-her-out")
    b, a = turn.before.mood, turn.after.mood
    return b.anger, a.anger, b.trust, a.trust


def finish(process: BaseProcess, seconds: float, what: str) -> int | None:
    """Wait for a child; one still running after `seconds` fails the test, loudly.

    On a busy machine `join(timeout)` can return while the child is still working;
    its exit code is then None, which must never be read as "it ended by itself".
    """
    process.join(seconds)
    if process.exitcode is None:
        process.kill()
        process.join()
        pytest.fail(f"{what} was still running after {seconds:.0f} s (is the machine overloaded?)")
    return process.exitcode
