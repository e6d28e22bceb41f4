"""A training room: 4 processes × 25 sessions into one shared folder at the same time."""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import sys
import time
from pathlib import Path

import pytest

from simulator.logs.reader import parse_log, read_sessions, turn_records
from tests.conftest import FIXTURES, finish

LATE_REFUND = str(FIXTURES / "late-refund.yaml")
SCRIPTS = [["hear-her-out", "own-it"], ["calm-down", "policy"], ["website", "own-it"]]


def _player(number: int, folder: str) -> None:
    """One trainee's machine: 25 scripted plays through the real command line."""
    from simulator.cli import main

    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    for game in range(25):
        script = SCRIPTS[(number + game) % len(SCRIPTS)]
        argv = ["play", LATE_REFUND, "--choices", ",".join(script), "--log-dir", folder]
        code = main([*argv, "--trainee", f"player-{number}", "--seed", str(game)])
        if code != 0:
            os._exit(code)
    os._exit(0)


@pytest.mark.skipif(sys.platform == "win32", reason="uses fork")
def test_four_players_share_one_folder_without_losing_or_mixing(tmp_path: Path) -> None:
    from simulator.cli import main

    started = time.monotonic()
    one = ["play", LATE_REFUND, "--choices", ",".join(SCRIPTS[0]), "--no-log", "--seed", "1"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(one) == 0
    # 25 plays each, four at once, on a machine another job may be keeping busy.
    patience = max(120.0, 25 * 4 * 10 * (time.monotonic() - started))
    fork = multiprocessing.get_context("fork")
    players = [fork.Process(target=_player, args=(n, str(tmp_path))) for n in range(4)]
    for player in players:
        player.start()
    codes = [finish(player, patience, f"player {n}") for n, player in enumerate(players)]
    assert codes == [0, 0, 0, 0]
    files = sorted(tmp_path.glob("*/*.jsonl"))
    assert len(files) == 100
    sessions = read_sessions([tmp_path])
    assert len({s.session_id for s in sessions}) == 100
    assert all(s.verified and s.status == "completed" for s in sessions)
    per_player = {f"player-{n}": 0 for n in range(4)}
    for path in files:
        parsed = parse_log(path)
        assert parsed.issues == []
        assert {r["session"] for r in parsed.records} == {path.stem}
        trainee = parsed.records[0]["trainee"]
        seed = parsed.records[0]["seed"]
        number = int(str(trainee).removeprefix("player-"))
        expected = SCRIPTS[(number + int(str(seed))) % len(SCRIPTS)]
        assert [t["choice"] for t in turn_records(parsed.records)] == expected
        per_player[str(trainee)] += 1
    assert per_player == {f"player-{n}": 25 for n in range(4)}
