"""How fast the command line answers: `--version`, `--help`, `check --help`.

Each is timed as a whole process (the installed `simulator` script, interpreter
start included) against bare `python -c pass`, interleaved in the same run so a busy
machine slows both alike. Wall time is what a user feels; the CPU time the child
used is printed beside it because it barely moves when another job shares the
machine. The goal is a median ratio of at most 3.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROUNDS = 31
SCRIPT = Path(sys.executable).with_name("simulator")


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_cli_start_against_bare_python() -> None:
    bare = [sys.executable, "-c", "pass"]
    cases = {"--version": ["--version"], "--help": ["--help"], "check --help": ["check", "--help"]}
    commands = {"python -c pass": bare} | {n: [str(SCRIPT), *a] for n, a in cases.items()}
    for command in commands.values():  # warm the disk cache
        _run(command)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(ROUNDS):
        for name, command in commands.items():
            runs[name].append(_run(command))
    wall = {n: statistics.median(w for w, _ in r) for n, r in runs.items()}
    cpu = {n: statistics.median(c for _, c in r) for n, r in runs.items()}
    print(f"\nCLI start, median of {ROUNDS} (goal: at most 3x bare python):")
    base_wall, base_cpu = wall["python -c pass"], cpu["python -c pass"]
    for name in commands:
        print(
            f"  {name:<16} wall {wall[name] * 1000:6.1f} ms {wall[name] / base_wall:4.2f}x"
            f"   cpu {cpu[name] * 1000:6.1f} ms {cpu[name] / base_cpu:4.2f}x"
        )
