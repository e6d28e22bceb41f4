"""Every way of playing from the command line leaves a log, unless told not to."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.logs.reader import read_sessions
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run

LATE_REFUND = str(FIXTURES / "late-refund.yaml")


def test_scripted_play_is_logged_with_the_trainee(tmp_path: Path) -> None:
    done = run(
        "play",
        LATE_REFUND,
        "--choices",
        "hear-her-out,own-it",
        "--log-dir",
        str(tmp_path),
        "--trainee",
        "Ann",
        "--mode",
        "assessment",
        "--seed",
        "4",
    )
    assert done.returncode == 0, done.stderr
    (session,) = read_sessions([tmp_path])
    assert (session.trainee, session.mode, session.status, session.turns) == (
        "Ann",
        "assessment",
        "completed",
        2,
    )
    assert session.seed == 4 and session.verified


def test_a_bad_script_writes_nothing(tmp_path: Path) -> None:
    for script in ("hear-her-out,nope", "nope"):
        done = run("play", LATE_REFUND, "--choices", script, "--log-dir", str(tmp_path))
        assert done.returncode == 1 and "('nope')" in done.stderr
    assert read_sessions([tmp_path]) == [] and not list(tmp_path.rglob("*.jsonl"))


def test_scripted_runs_are_tagged_and_left_out_unless_asked_for(tmp_path: Path) -> None:
    logs = str(tmp_path)
    assert (
        run(
            "play",
            LATE_REFUND,
            "--choices",
            "hear-her-out,own-it",
            "--log-dir",
            logs,
            "--trainee",
            "Ann",
        ).returncode
        == 0
    )
    assert (
        run(
            "play", LATE_REFUND, "--plain", "--log-dir", logs, "--trainee", "Ann", stdin="1\n1\n1\n"
        ).returncode
        == 0
    )
    kinds = sorted(s.kind for s in read_sessions([tmp_path]))
    assert kinds == ["play", "scripted"]

    def sessions(*extra: str) -> int:
        done = run("report", logs, "--format", "json", *extra)
        assert done.returncode == 0, done.stderr
        return int(json.loads(done.stdout)["sessions"])

    assert sessions() == 1
    assert sessions("--include-scripted") == 2
    assert sessions("--kind", "scripted") == 1
    exported = run("export", logs, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["kind"] for line in exported] == ["play"]
    env = {"SIMULATOR_SESSION_KIND": "test"}
    assert (
        run(
            "play", LATE_REFUND, "--plain", "--log-dir", logs, stdin="1\n1\n1\n", env=env
        ).returncode
        == 0
    )
    assert sessions() == 1 and sessions("--kind", "test") == 1


def test_quitting_before_the_first_turn_writes_nothing(tmp_path: Path) -> None:
    done = run("play", LATE_REFUND, "--plain", "--log-dir", str(tmp_path), stdin="")
    assert done.returncode == 0
    assert not list(tmp_path.rglob("*.jsonl"))


def test_plain_play_at_eof_is_logged_abandoned(tmp_path: Path) -> None:
    done = run("play", LATE_REFUND, "--plain", "--log-dir", str(tmp_path), stdin="1\n")
    assert done.returncode == 0
    (session,) = read_sessions([tmp_path])
    assert session.status == "abandoned" and session.turns == 1 and session.verified


def test_plain_play_to_the_end_is_logged_completed(tmp_path: Path) -> None:
    done = run("play", LATE_REFUND, "--plain", "--log-dir", str(tmp_path), stdin="1\n1\n1\n")
    assert done.returncode == 0, done.stderr
    (session,) = read_sessions([tmp_path])
    assert session.status in ("completed", "walked_out") and session.score is not None


def test_the_environment_picks_the_folder_and_no_log_writes_nothing(tmp_path: Path) -> None:
    env = {"SIMULATOR_LOG_DIR": str(tmp_path / "room")}
    assert run("play", LATE_REFUND, "--choices", "hear-her-out,own-it", env=env).returncode == 0
    assert len(read_sessions([tmp_path / "room"])) == 1
    quiet = run("play", LATE_REFUND, "--choices", "hear-her-out,own-it", "--no-log", env=env)
    assert quiet.returncode == 0
    assert len(read_sessions([tmp_path / "room"])) == 1


def test_an_unwritable_log_folder_is_one_line_with_a_way_out(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    done = run("play", LATE_REFUND, "--choices", "hear-her-out", "--log-dir", str(blocker))
    assert done.returncode == 1 and "--no-log" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
