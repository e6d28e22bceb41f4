"""Helpers for the hostile corpus: run the CLI, and prove output holds nothing unsafe.

Every check here is about what reaches a terminal or a file: no raw C0/C1 control,
DEL, bidi control or lone surrogate, no traceback, and one line per problem.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import pytest

from simulator.cli import main

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
LOGS = HERE / "logs"
FIXTURE = HERE.parent / "fixtures" / "late-refund.yaml"

UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
"""What must never reach a terminal or an output file raw (newline and tab may)."""


def assert_clean(text: str, what: str = "output") -> None:
    found = UNSAFE.search(text)
    if found is not None:
        at = found.start()
        context = text[max(0, at - 40) : at + 40]
        raise AssertionError(f"raw {found.group()!r} in {what}: {context!r}")
    assert "Traceback (most recent call last)" not in text, text[-2000:]


@dataclass
class Ran:
    code: int
    out: str
    err: str

    def clean(self) -> Ran:
        assert_clean(self.out, "stdout")
        assert_clean(self.err, "stderr")
        return self


def cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Ran:
    """The command run in this process, as a user would run it (exit code, streams)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return Ran(code, out, err)


def run(*args: str | bytes | Path, env: dict[str, str] | None = None) -> Ran:
    """The command in a subprocess (for FIFOs and devices: a hang fails, never blocks).

    Output is decoded with surrogateescape so any byte that is not UTF-8 shows up as
    a surrogate, which `assert_clean` then rejects.
    """
    done = subprocess.run(
        [sys.executable, "-m", "simulator", *(os.fsencode(a) for a in args)],
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "surrogateescape"),
        done.stderr.decode("utf-8", "surrogateescape"),
    )


def _hung(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError("a hostile case hung (watchdog, not a speed test)")


@pytest.fixture(autouse=True)
def watchdog(request: pytest.FixtureRequest) -> Iterator[None]:
    """Turn a hang (a FIFO opened blocking) into a failure instead of a stuck run.

    Not for the fuzz properties: a long `make fuzz` run legitimately takes minutes.
    """
    if not hasattr(signal, "SIGALRM") or not getattr(request.module, "WATCHDOG", True):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(120)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def sealed_copy(source: Path, target: Path) -> None:
    """A corpus log as today's writer would seal it: the same records, a fresh chain.

    The corpus files are written by hand in the legacy format, which `verify` no
    longer counts as verified; tests that need one intact session next to a hostile
    entry re-chain and seal its records with the writer's own `seal`.
    """
    from tests.sealing import rechained

    target.write_bytes(rechained(json.loads(raw) for raw in source.read_bytes().splitlines()))
