"""The shared session filters: kind, mode, date range, trainee, team (sign-in or a
manager's mapping file) and scenario, the same for report, export and send."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from simulator.logs.report import build_report
from simulator.logs.select import Filter, load_teams, parse_since, parse_until
from tests.conftest import run_cli as run
from tests.test_logs_writer import play_into


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    play_into(folder, ["hear-her-out", "own-it"], trainee="Ann", team="North")
    play_into(folder, ["calm-down", "policy"], trainee="Bo", mode="assessment")
    play_into(folder, ["hear-her-out", "own-it"], trainee="Cy", team="South")
    play_into(folder, ["hear-her-out", "own-it"], trainee="Ann", kind="scripted")
    return folder


def count(logs: Path, *args: str) -> int:
    done = run("report", str(logs), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["sessions"])


def test_kind_and_mode(logs: Path) -> None:
    assert count(logs) == 3
    assert count(logs, "--include-scripted") == 4
    assert count(logs, "--mode", "assessment") == 1
    assert count(logs, "--kind", "scripted", "--kind", "play") == 4


def test_date_range(logs: Path) -> None:
    assert count(logs, "--since", "2000-01-01", "--until", "2999-12-31") == 3
    assert count(logs, "--until", "2000-01-01") == 0
    assert count(logs, "--until", "9999-12-31") == 3  # "no end": its next day overflowed
    assert parse_until("2025-03-01") == parse_since("2025-03-02")
    bad = run("report", str(logs), "--until", "soon")
    assert bad.returncode == 1 and "--until 'soon'" in bad.stderr


def test_team_from_sign_in_and_from_a_mapping_file(logs: Path, tmp_path: Path) -> None:
    assert count(logs, "--team", "North") == 1
    teams = tmp_path / "teams.csv"
    teams.write_text("trainee,team\nBo,North\nAnn,West\n", encoding="utf-8")
    assert load_teams(teams) == {"Bo": "North", "Ann": "West"}
    assert count(logs, "--team", "North", "--teams", str(teams)) == 1  # Bo; Ann moved
    assert count(logs, "--team", "West", "--teams", str(teams)) == 1
    rows = run("export", str(logs), "--format", "jsonl", "--teams", str(teams)).stdout
    assert {json.loads(r)["trainee"]: json.loads(r)["team"] for r in rows.splitlines()} == {
        "Ann": "West",
        "Bo": "North",
        "Cy": "South",
    }
    broken = tmp_path / "broken.csv"
    broken.write_text("name;group\n", encoding="utf-8")
    done = run("report", str(logs), "--teams", str(broken))
    assert done.returncode == 1 and "trainee,team" in done.stderr


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge_cell(path: Path) -> None:
    path.write_text("trainee,team\nAnn," + "x" * 200_000 + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_fifo, "not a regular file: a named pipe (FIFO)"),
        (_dev_zero, "not a regular file: a character device"),
        (_huge_cell, "not valid CSV: field larger than field limit"),
    ],
    ids=["fifo", "dev-zero", "huge-cell"],
)
def test_an_unusable_teams_file_is_one_line(
    make: Callable[[Path], None], message: str, logs: Path, tmp_path: Path
) -> None:
    """A FIFO blocked every log command for ever, /dev/zero ran it out of memory and a
    cell past the csv limit was a traceback; each is one line naming the file."""
    teams = tmp_path / "teams.csv"
    make(teams)
    for command in (["report"], ["export", "--format", "csv"]):
        done = run(*command, str(logs), "--teams", str(teams))
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
        assert str(teams) in done.stderr


def test_the_filter_in_process(logs: Path) -> None:
    assert build_report([logs], where=Filter(trainee="Ann"))["sessions"] == 1
    assert build_report([logs], where=Filter(kinds=None, trainee="Ann"))["sessions"] == 2
    assert build_report([logs], where=Filter(scenario="late-refund"))["sessions"] == 3


def test_history_shows_real_play_only(logs: Path) -> None:
    from simulator.tui.game import Game, GameConfig

    game = Game(GameConfig(trainee="Ann", log_dir=logs))
    assert [s.kind for s in game.history()] == ["play"]
    assert game.records()["late-refund"].attempts == 1
