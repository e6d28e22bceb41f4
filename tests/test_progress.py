"""The status line of a long command: on a terminal only, erased before the results."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time

from simulator.bundled import bundled_dir
from simulator.progress import WIDTH, Progress
from tests.conftest import REPO


def test_the_line_says_how_far_and_what_it_waits_for() -> None:
    progress = Progress(
        ["a.yaml", "b.yaml", "c.yaml", "\x1b[31mred\u202e.yaml"], "checking", io.StringIO()
    )
    assert progress.line().startswith("checking: 0 of 4 done, 0:00; waiting for a.yaml, b.yaml")
    assert progress.line().endswith("and 2 more")
    for name in ("a.yaml", "b.yaml", "c.yaml", "a.yaml"):  # told twice: counted once
        progress.done(name)
    line = progress.line()
    assert line.startswith("checking: 3 of 4 done") and "\x1b" not in line and "\u202e" not in line
    assert "waiting for \\x1b[31mred\\u202e.yaml" in line
    progress.done("\x1b[31mred\u202e.yaml")
    assert progress.line() == "checking: 4 of 4 done, 0:00"


def test_the_line_never_wraps() -> None:
    names = ["x" * 300, "y.yaml"]
    line = Progress(names, "checking", io.StringIO()).line()
    assert len(line) == WIDTH and line.endswith("…")
    two = Progress(["a" * 40 + ".yaml", "b" * 40 + ".yaml", "c.yaml"], "checking", io.StringIO())
    assert two.line().endswith("waiting for " + "a" * 40 + ".yaml and 2 more")


def test_nothing_is_written_where_nobody_watches() -> None:
    stream = io.StringIO()
    with Progress(["a.yaml"], "checking", stream) as progress:
        time.sleep(1.3)
        progress.done("a.yaml")
    assert stream.getvalue() == ""


def test_on_a_terminal_the_line_is_drawn_each_second_and_erased_at_the_end() -> None:
    leader, follower = os.openpty()
    terminal = os.fdopen(follower, "w", encoding="utf-8")
    with terminal, Progress(["a.yaml", "b.yaml"], "checking", terminal) as progress:
        time.sleep(2.5)  # two redraws at least, however loaded the machine
        progress.done("a.yaml")
        time.sleep(1.5)
    shown = read_all(leader).decode()
    assert "\r\x1b[Kchecking: 0 of 2 done, 0:0" in shown
    assert "; waiting for a.yaml, b.yaml" in shown
    assert "checking: 1 of 2 done" in shown and "waiting for b.yaml" in shown
    assert shown.endswith("\r\x1b[K")


def read_all(leader: int) -> bytes:
    """What a pseudo-terminal's other side was sent (its writer has closed)."""
    seen = b""
    os.set_blocking(leader, False)
    try:
        while chunk := os.read(leader, 65536):
            seen += chunk
    except (BlockingIOError, OSError):
        pass
    finally:
        os.close(leader)
    return seen


SMALL = ["upset-caller.yaml", "first-call.yaml", "reply-all-war.yaml", "abusive-caller.yaml"]
SLOWER = ["followed-the-instructions.yaml", "whats-the-catch.yaml", *SMALL[:2]]
"""About four seconds of checking, one file at a time: a few redraws of the line."""


def check_with_stderr_on(stderr: int, names: list[str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "simulator",
            "check",
            "--no-cache",
            "--jobs",
            "1",
            *(str(bundled_dir() / name) for name in names),
        ],
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=REPO,
        check=True,
        timeout=300,
    )


def test_a_terminal_sees_the_line_and_the_results_start_clean() -> None:
    """stderr on a real pseudo-terminal, stdout piped, as in `simulator check | less`."""
    leader, follower = os.openpty()
    try:
        done = check_with_stderr_on(follower, SLOWER)
    finally:
        os.close(follower)
    shown = read_all(leader).decode()
    assert "checking: " in shown and " of 4 done" in shown and "waiting for " in shown
    assert shown.endswith("\r\x1b[K")  # erased before the results
    assert b"\x1b" not in done.stdout and b"checked 4 files" in done.stdout


def test_piped_stderr_gets_nothing_extra() -> None:
    done = check_with_stderr_on(subprocess.PIPE, SMALL)
    assert done.stderr == b"" and b"checked 4 files" in done.stdout
