"""SIGKILL at random points of real plays: every completed turn survives, all parses.

Children are forked from the test process (imports already done), so each run costs
only the play itself; the kill is a real SIGKILL of a real process, and what is
checked is only what is on disk afterwards.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import math
import multiprocessing
import os
import random
import re
import select
import signal
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

import pytest

from simulator.logs.reader import parse_log, read_sessions, turn_records
from simulator.logs.report import build_report
from simulator.logs.select import Filter
from tests.conftest import FIXTURES, finish

LOOP = str(FIXTURES / "logs" / "loop.yaml")
TURNS = 120
SCRIPT = ["listen", "sorry"] * (TURNS // 2) + ["wrap-up"]
FORK = multiprocessing.get_context("fork")
SHOWN = re.compile(rb"anger \d+ -> \d+")
"""The line plain play prints after a turn, once the turn is logged."""

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")


def _play(argv: list[str], stdin_fd: int | None, stdout_fd: int, stack: Path | None = None) -> None:
    """The child: the real command line, with its stdio on the given pipes.

    With `stack`, SIGUSR1 makes the child write every thread's traceback there, so a
    run that hangs says where instead of only that it did.
    """
    from simulator.cli import main

    if stack is not None:
        faulthandler.register(signal.SIGUSR1, file=stack.open("w"), all_threads=True)
    if stdin_fd is not None:
        os.dup2(stdin_fd, 0)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
    os.dup2(stdout_fd, 1)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    os._exit(main(argv))


@dataclass
class _Run:
    """One scripted play in flight: SIGKILLed `delay` seconds after its log appears."""

    folder: Path
    delay: float | None
    child: BaseProcess
    started: float = field(default_factory=time.monotonic)
    appeared: float | None = None
    kill_at: float = math.inf
    killed: bool = False

    @classmethod
    def start(cls, folder: Path, delay: float | None) -> _Run:
        argv = ["play", LOOP, "--choices", ",".join(SCRIPT), "--log-dir", str(folder)]
        argv += ["--trainee", "kill-test", "--seed", "7"]
        null = os.open(os.devnull, os.O_WRONLY)
        child = FORK.Process(target=_play, args=(argv, None, null, _stack_file(folder)))
        child.start()
        os.close(null)
        return cls(folder, delay, child)

    def tick(self, patience: float) -> tuple[int, float] | None:
        """Advance this run one step; its exit code and seconds since its log, once ended."""
        now = time.monotonic()
        if self.appeared is None and any(self.folder.glob("*/*.jsonl")):
            self.appeared = now
            if self.delay is not None:
                self.kill_at = now + self.delay
        if not self.killed and now >= self.kill_at:
            assert self.child.pid is not None
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.child.pid, signal.SIGKILL)
            self.killed = True
        code = self.child.exitcode
        if code is not None:
            assert self.appeared is not None, "the play ended without creating its log"
            return code, now - self.appeared
        if now - self.started > patience:
            self._fail(patience)
        return None

    def _fail(self, patience: float) -> None:
        assert self.child.pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.child.pid, signal.SIGUSR1)
        time.sleep(1)
        self.child.kill()
        self.child.join()
        stack = _stack_file(self.folder)
        where = stack.read_text() if stack.exists() else "(no traceback)"
        pytest.fail(f"a scripted play was still running after {patience:.0f} s:\n{where}")


def _stack_file(folder: Path) -> Path:
    return folder.with_name(folder.name + ".stack")


def _scripted(
    jobs: list[tuple[Path, float | None]], patience: float, at_once: int = 4
) -> list[tuple[int, float]]:
    """Run scripted plays, `at_once` alive at a time; every exit code and log-to-end time.

    Every fork happens here, on the test's only thread: forking while another thread
    holds a lock (a sibling's half-made pipe, a buffer, a waitpid) can leave a child
    waiting for ever, which is what a thread pool of forks did on a busy machine.
    `patience` bounds each run; it is scaled from a calibration run, so a busy machine
    gets longer, and a child that still has not finished fails the test with its stack.
    """
    pending = list(enumerate(jobs))
    running: dict[int, _Run] = {}
    results: dict[int, tuple[int, float]] = {}
    while pending or running:
        while pending and len(running) < at_once:
            index, (folder, delay) = pending.pop(0)
            running[index] = _Run.start(folder, delay)
        for index, run in list(running.items()):
            if (ended := run.tick(patience)) is not None:
                results[index] = ended
                del running[index]
        time.sleep(0.002)
    return [results[index] for index in range(len(jobs))]


def _check(folder: Path, killed: bool, script: list[str] = SCRIPT) -> int:
    """The log on disk is intact: chain verified, turns a prefix of the script."""
    (path,) = folder.glob("*/*.jsonl")
    parsed = parse_log(path)
    assert parsed.verified, [str(i) for i in parsed.issues]
    assert parsed.records[0]["type"] == "session_started"
    choices = [t["choice"] for t in turn_records(parsed.records)]
    assert choices == script[: len(choices)]
    ended = any(r["type"] == "session_ended" for r in parsed.records)
    if not ended:
        (summary,) = read_sessions([folder])
        assert summary.status == "abandoned" and summary.turns == len(choices)
    if not killed:
        assert ended
    return len(choices)


def _warm_up() -> None:
    """Play the script once in this process before forking from several threads.

    Children then inherit every module and the scenario's memoised judgement instead of
    each importing and judging alone, which under load can take longer than a run.
    """
    from simulator.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["play", LOOP, "--choices", ",".join(SCRIPT), "--no-log", "--seed", "7"]) == 0


def test_thirty_sigkills_of_a_scripted_play_lose_nothing(tmp_path: Path) -> None:
    _warm_up()
    started = time.monotonic()
    ((_, window),) = _scripted([(tmp_path / "calibrate", None)], patience=120)
    _check(tmp_path / "calibrate", killed=False)
    # Four at a time on a machine that may be shared: far more than one run alone needs.
    patience = max(60.0, 40 * (time.monotonic() - started))
    rng = random.Random(5)
    kills, runs = 0, 0
    while kills < 30:
        assert runs < 120, f"only {kills} kills landed in {runs} runs"
        batch: list[tuple[Path, float | None]]
        batch = [(tmp_path / f"run{runs + i}", rng.uniform(0, window)) for i in range(16)]
        runs += len(batch)
        codes = [code for code, _ in _scripted(batch, patience)]
        for (folder, _), code in zip(batch, codes, strict=True):
            killed = code == -signal.SIGKILL
            kills += killed
            _check(folder, killed)
    abandoned = sum(
        not any(r["type"] == "session_ended" for r in parse_log(path).records)
        for path in tmp_path.glob("run*/*/*.jsonl")
    )
    report = build_report([tmp_path], where=Filter(kinds=None))  # scripted runs
    statuses = report["scenarios"][0]["statuses"]
    assert statuses.get("abandoned", 0) == abandoned > 0
    assert report["unverified"] == []


def test_a_killed_plain_play_has_logged_every_turn_it_showed(tmp_path: Path) -> None:
    """Plain play prints a turn's mood change only after logging it: what was seen is on disk."""
    rng = random.Random(11)
    for run in range(10):
        folder = tmp_path / f"plain{run}"
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        argv = ["play", LOOP, "--plain", "--log-dir", str(folder), "--trainee", "k", "--seed", "1"]
        child = FORK.Process(target=_play, args=(argv, stdin_r, stdout_w))
        child.start()
        os.close(stdin_r)
        os.close(stdout_w)
        # Always answer "listen", never the wrap-up, so the play only ends by the kill.
        seen, target, output = 0, rng.randint(1, 40), b""
        deadline = time.monotonic() + 120
        while seen < target and time.monotonic() < deadline:
            if select.select([stdout_r], [], [], 0.01)[0]:
                output += os.read(stdout_r, 65536)
                seen = len(SHOWN.findall(output))
            if output.endswith(b": "):
                number = re.findall(rb"(\d)\. Go on, I'm listening", output)[-1]
                os.write(stdin_w, number + b"\n")
                output += b"\n"
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        finish(child, 60, "a killed plain play")
        output += _drain(stdout_r)
        os.close(stdin_w)
        shown = len(SHOWN.findall(output))
        logged = _check(folder, killed=True, script=["listen"] * TURNS)
        assert logged >= shown >= target


def _drain(fd: int) -> bytes:
    data = b""
    while chunk := os.read(fd, 65536):
        data += chunk
    os.close(fd)
    return data
