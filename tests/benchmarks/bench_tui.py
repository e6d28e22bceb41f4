"""How fast the game feels: launch to the first interactive frame, and a keypress.

Launch is timed from spawning the process to the first frame handed to the
terminal driver (interpreter, imports, first paint), against a minimal Textual app
started by the same harness in the same run; the goal is a ratio of at most 1.3.
The home screen is interactive before the scenario library has loaded (that
happens in a worker), so the time until the list is filled in is reported too.
A keypress is timed as the engine's work for one choice (the move, the judgement
of every alternative, the next line and choices) against one frame at 60 Hz; the
score log's durable write is timed separately because it is disk, not engine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from simulator.engine.session import Session
from simulator.logs.writer import SessionLog
from simulator.scenario.library import load_library
from tests.conftest import REPO

ROUNDS = 15
FRAME = 1 / 60
BUNDLED = REPO / "scenarios"


def launch(which: str, home: Path) -> float:
    """Seconds from spawning the process to its "ready" line (the first frame)."""
    command = [sys.executable, "-m", "tests.benchmarks._launch", which, str(BUNDLED), str(home)]
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        ready = time.perf_counter()
        process.stdout.read()
        assert process.wait(timeout=60) == 0 and line.strip() == b"ready"
    return ready - started


def test_launch_to_first_frame(benchmark: Any, tmp_path: Path) -> None:
    """Home screen interactive, against the minimal app; the filled picker for reference."""
    for which in ("minimal", "home", "picker"):
        launch(which, tmp_path)  # warm the disk cache for all three
    baseline: list[float] = []
    picker: list[float] = []

    def measure_the_others() -> None:
        baseline.append(launch("minimal", tmp_path))
        picker.append(launch("picker", tmp_path))

    benchmark.pedantic(
        launch, args=("home", tmp_path), setup=measure_the_others, rounds=ROUNDS, iterations=1
    )
    home = benchmark.stats.stats.median
    base = statistics.median(baseline)
    filled = statistics.median(picker)
    benchmark.extra_info.update(
        minimal_median_s=base, picker_median_s=filled, ratio=home / base, picker_ratio=filled / base
    )
    print(
        f"\nlaunch to first interactive frame (home, keys live): {home * 1000:.0f} ms; "
        f"minimal Textual app {base * 1000:.0f} ms; ratio {home / base:.2f} (goal <= 1.30)"
        f"\nlaunch to the scenario list filled in: {filled * 1000:.0f} ms; "
        f"ratio {filled / base:.2f}"
    )


def _fresh() -> tuple[tuple[Session, str], dict[str, Any]]:
    library = load_library(BUNDLED)
    loaded = max(library.scenarios, key=lambda s: len(s.scenario.nodes))
    session = Session(loaded, seed=1)
    return (session, session.choices()[0].id), {}


def _keypress(session: Session, choice_id: str) -> None:
    session.choose(choice_id)
    if not session.finished:
        session.line  # noqa: B018
        session.choices()
    else:
        session.result()


def test_engine_work_per_keypress(benchmark: Any) -> None:
    benchmark.pedantic(_keypress, setup=_fresh, rounds=200, iterations=1)
    median = benchmark.stats.stats.median
    benchmark.extra_info.update(frame_s=FRAME, share_of_frame=median / FRAME)
    print(
        f"\nengine work per keypress: {median * 1000:.2f} ms "
        f"= {median / FRAME:.0%} of a 60 Hz frame (goal < 100%)"
    )


def test_log_write_per_keypress(benchmark: Any, tmp_path: Path) -> None:
    (session, choice_id), _ = _fresh()
    log = SessionLog.open(session, trainee="Bench", mode="practice", log_dir=tmp_path)
    turn = session.choose(choice_id)
    benchmark.pedantic(log.turn, args=(turn,), rounds=200, iterations=1)
    log.close()
    median = benchmark.stats.stats.median
    print(f"\nscore-log write per keypress (fsync): {median * 1000:.2f} ms")
