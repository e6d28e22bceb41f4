"""`play --replies FILE` and `--plain --recall`: typed replies matched, played, logged.

The lost-parcel fixture's wording is ours, so these tests do not move when the bundled
library is rewritten.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from simulator.matching.replies import MAX_BYTES
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run

PARCEL = str(FIXTURES / "recall" / "library" / "lost-parcel.yaml")
GOOD = "walk me through what happened yesterday\n\nleave it with me, I'll chase it\n"


def _file(tmp_path: Path, text: str | bytes, name: str = "replies.txt") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_replies_are_matched_and_played_with_the_match_in_json(tmp_path: Path) -> None:
    done = run("play", PARCEL, "--replies", _file(tmp_path, GOOD), "--json", "--no-log")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ending"] == "sorted"
    first, second = result["turns"]
    assert first["typed"] == "walk me through what happened yesterday"
    assert first["choice"] == first["match"]["choice"] == "tell-me-more"
    assert 0 < first["match"]["confidence"] <= 1
    assert first["match"]["runner_up"] in {"check-porch", "courier-problem"}
    assert second["choice"] == "own-it" and "to" in second and "rating" in second


def test_plain_text_result_without_json(tmp_path: Path) -> None:
    done = run("play", PARCEL, "--replies", _file(tmp_path, GOOD), "--no-log")
    assert done.returncode == 0, done.stderr
    assert "ending sorted (resolved)" in done.stdout


def test_a_reply_that_fits_nothing_exits_1_naming_its_line(tmp_path: Path) -> None:
    text = "walk me through what happened yesterday\n\npurple monkey dishwasher\n"
    done = run("play", PARCEL, "--replies", _file(tmp_path, text), "--no-log")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "replies.txt:3:" in lines[0] and "purple monkey" in lines[0]
    assert "Traceback" not in done.stderr


def test_replies_past_the_ending_exit_1(tmp_path: Path) -> None:
    text = GOOD + "and one more thing\n"
    done = run("play", PARCEL, "--replies", _file(tmp_path, text), "--no-log")
    assert done.returncode == 1
    assert ":4: the conversation ended before this reply" in done.stderr


def test_unsafe_files_are_one_line_errors(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    cases = {
        str(tmp_path): "not a regular file",
        str(fifo): "not a regular file",
        str(tmp_path / "missing.txt"): "cannot read replies",
        _file(tmp_path, b"fine\n\xff\xfe\n", "bytes.txt"): "bytes.txt:2: not UTF-8",
        _file(tmp_path, b"a\x00b\n", "nul.txt"): "NUL byte",
        _file(tmp_path, "x" * (MAX_BYTES + 1), "big.txt"): "too large",
    }
    for path, message in cases.items():
        done = run("play", PARCEL, "--replies", path, "--no-log")
        assert done.returncode == 1, path
        assert len(done.stderr.strip().splitlines()) == 1 and message in done.stderr, done.stderr


def test_choices_and_replies_together_are_refused(tmp_path: Path) -> None:
    done = run("play", PARCEL, "--replies", _file(tmp_path, GOOD), "--choices", "own-it")
    assert done.returncode == 1 and "give one" in done.stderr


def test_typed_text_is_stored_literally_and_shown_safely(tmp_path: Path) -> None:
    hostile = "walk me through yesterday \x1b[31m\u202e[bold]"
    path = _file(tmp_path, hostile + "\nleave it with me, I'll chase it\n")
    done = run("play", PARCEL, "--replies", path, "--json", "--no-log")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["turns"][0]["typed"] == hostile
    bad = _file(tmp_path, "\x1b]0;owned\x07 zzz qqq\n", "bad.txt")
    refused = run("play", PARCEL, "--replies", bad, "--no-log")
    assert refused.returncode == 1 and "\x1b" not in refused.stderr


def test_plain_recall_types_confirms_overrides_and_refuses() -> None:
    # Turn 1: typed, matched, confirmed with Enter. Turn 2: refused, then picked by number.
    script = "walk me thru yesterday\n\nbanana rocket\n"
    done = run(
        "play", PARCEL, "--plain", "--recall", "--seed", "3", "--no-log", stdin=script + "3\n"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Closest move: 1. That's annoying" in out and "Runner-up:" in out
    assert "I couldn't match that to anything on offer; rephrase, or pick from the list" in out
    assert 'you typed "walk me thru yesterday": matched tell-me-more' in out
    assert 'you typed "banana rocket": matched nothing (refused)' in out
    assert "Recall: 1 of 2 typed replies already matched the best move (50%)" in out


def test_plain_recall_override_picks_another_move() -> None:
    script = "walk me thru yesterday\n2\nleave it with me, I'll chase it\n\n"
    done = run("play", PARCEL, "--plain", "--recall", "--seed", "3", "--no-log", stdin=script)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "turn 1: courier-problem" in out and "turn 2: own-it" in out
    assert 'you typed "walk me thru yesterday": matched tell-me-more; best tell-me-more' in out
