"""Recall mode in the logs: typed replies stored literally, exported safely, and each
trainee's recall score in every report format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

PARCEL = str(FIXTURES / "recall" / "library" / "lost-parcel.yaml")
FORMULA = '=HYPERLINK("http://x") walk me through yesterday'


def _play(folder: Path, replies: str, trainee: str, tmp: Path) -> None:
    path = tmp / f"{trainee}.txt"
    path.write_text(replies, encoding="utf-8")
    done = run_cli(
        "play", PARCEL, "--replies", str(path), "--trainee", trainee, "--log-dir", str(folder)
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    tmp = tmp_path_factory.mktemp("replies")
    # Ann: both typed replies name the best move. Bo: one of two (waiting is not best).
    _play(folder, f"{FORMULA}\nleave it with me, I'll chase it\n", "Ann", tmp)
    _play(folder, "walk me through yesterday\nlet's wait a few days and see\n", "Bo", tmp)
    return folder


def test_typed_replies_are_stored_literally_in_turn_records(logs: Path) -> None:
    turns = [
        json.loads(line)
        for path in sorted(logs.rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if json.loads(line)["type"] == "turn"
    ]
    assert FORMULA in [t["typed"] for t in turns]
    for turn in turns:
        assert set(turn["match"]) >= {"choice", "confidence", "runner_up", "fit"}


def test_verify_accepts_logs_with_typed_turns(logs: Path) -> None:
    assert run_cli("verify", str(logs)).returncode == 0


def test_turn_csv_neutralises_typed_text_and_anonymising_drops_it(
    logs: Path, tmp_path: Path
) -> None:
    done = run_cli("export", str(logs), "--format", "csv", "--turns", "--include-scripted")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    typed = [r["typed"] for r in rows]
    assert "'" + FORMULA in typed and FORMULA not in typed
    assert {r["matched"] for r in rows} >= {"tell-me-more", "own-it", "wait-and-see"}
    private = run_cli(
        "export",
        str(logs),
        "--format",
        "csv",
        "--turns",
        "--include-scripted",
        "--anonymize",
        env={"SIMULATOR_CONFIG_DIR": str(tmp_path)},
    )
    assert private.returncode == 0, private.stderr
    assert all(not r["typed"] for r in csv.DictReader(io.StringIO(private.stdout)))


def test_reports_show_each_trainees_recall_score(logs: Path) -> None:
    # --replies runs are scripted: a report counts them only when asked to.
    def report(*args: str) -> str:
        return run_cli("report", str(logs), "--include-scripted", *args).stdout

    data = json.loads(report("--format", "json"))
    recall = {t["trainee"]: (t["recall"], t["recall_turns"]) for t in data["trainees"]}
    assert recall == {"Ann": (100, 2), "Bo": (50, 2)}
    table = report()
    assert "recall" in table and "100%" in table and "50%" in table
    rows = list(csv.reader(io.StringIO(report("--format", "csv"))))
    at = next(i for i, row in enumerate(rows) if row[:1] == ["trainee"] and "recall" in row)
    header = rows[at]  # the per-trainee section of the sectioned CSV
    by_name = {row[0]: row for row in rows[at + 1 : at + 3]}
    assert by_name["Bo"][header.index("recall")] == "50"
    html = report("--format", "html")
    assert "<th>recall</th>" in html
