"""A terminal window closed (SIGHUP) or a shutdown (SIGTERM) ends the game the way
quitting does, in a real pseudo-terminal: nothing is left of a conversation that had
not begun, and one in progress is logged as abandoned."""

from __future__ import annotations

import signal
from pathlib import Path

from simulator.logs.reader import read_sessions
from tests.conftest import FIXTURES
from tests.tui.terminal import Terminal

LATE_REFUND = str(FIXTURES / "late-refund.yaml")


def _play(home: Path) -> Terminal:
    terminal = Terminal(home, "play", LATE_REFUND, "--seed", "1", "--trainee", "Ana")
    terminal.wait_for("Choose")  # the footer of the play screen: the first line is up
    return terminal


def test_a_closed_window_before_the_first_turn_leaves_no_log(isolated: Path) -> None:
    terminal = _play(isolated)
    try:
        assert len(list((isolated / "logs").rglob("*.jsonl"))) == 1  # the open session
        terminal.process.send_signal(signal.SIGHUP)
        assert terminal.end() == 0
    finally:
        terminal.close()
    assert list((isolated / "logs").rglob("*.jsonl")) == []


def test_a_shutdown_mid_conversation_logs_it_as_abandoned(isolated: Path) -> None:
    terminal = _play(isolated)
    try:
        terminal.press(b"1")
        terminal.wait_for("rules added up")  # the first lesson: the turn is logged
        terminal.process.send_signal(signal.SIGTERM)
        assert terminal.end() == 0
    finally:
        terminal.close()
    [summary] = read_sessions([isolated / "logs"])
    assert summary.status == "abandoned" and summary.turns == 1
    assert summary.verified
