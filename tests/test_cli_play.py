"""The command-line contract: scripted JSON play, plain play, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from simulator.engine.catalog import PRINCIPLE_FAMILIES
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run

LATE_REFUND = str(FIXTURES / "late-refund.yaml")


def test_scripted_play_prints_the_json_contract() -> None:
    done = run("play", LATE_REFUND, "--choices", "hear-her-out,own-it", "--json", "--seed", "3")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    for key in (
        "scenario",
        "ending",
        "outcome",
        "score",
        "anger",
        "trust",
        "session_id",
        "principles",
        "turns",
    ):
        assert key in result
    assert result["scenario"] == "late-refund"
    assert result["ending"] == "resolved" and result["outcome"] == "resolved"
    assert 0 <= result["score"] <= 100
    assert all(0 <= v <= 100 for v in result["principles"].values())
    assert set(result["principles"]) <= PRINCIPLE_FAMILIES
    assert [t["choice"] for t in result["turns"]] == ["hear-her-out", "own-it"]
    for turn in result["turns"]:
        for key in (
            "node",
            "choice",
            "techniques",
            "anger_before",
            "anger_after",
            "trust_before",
            "trust_after",
            "reasons",
            "best_choice",
        ):
            assert key in turn
        assert turn["reasons"] and all(isinstance(r, str) for r in turn["reasons"])
    first, second = result["turns"]
    assert first["anger_after"] == second["anger_before"]
    assert result["anger"] == second["anger_after"]


def test_unavailable_choice_exits_1_with_one_line() -> None:
    done = run("play", LATE_REFUND, "--choices", "hear-her-out,nope", "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "choice 2 ('nope')" in lines[0] and "node 'history'" in lines[0]


def test_a_script_that_stops_before_an_ending_says_so() -> None:
    done = run("play", LATE_REFUND, "--choices", "hear-her-out", "--seed", "3")
    assert done.returncode == 0, done.stderr
    assert "stopped before an ending after 1 turn (abandoned)" in done.stdout
    assert "None" not in done.stdout


def test_continuing_past_an_ending_exits_1() -> None:
    done = run("play", LATE_REFUND, "--choices", "hear-her-out,own-it,own-it")
    assert done.returncode == 1
    assert "choice 3" in done.stderr and "already ended" in done.stderr


def test_unknown_scenario_id_suggests_and_exits_1() -> None:
    done = run("play", "no-such-scenario", "--choices", "a")
    assert done.returncode == 1
    assert done.stderr.startswith("simulator: error: no bundled scenario")


def test_broken_scenario_lists_problems_and_exits_1() -> None:
    bad = FIXTURES / "bad" / "goto-missing.yaml"
    done = run("play", str(bad), "--choices", "c")
    assert done.returncode == 1
    assert f"{bad}:" in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_exit_2() -> None:
    assert run("play", "--mode", "exam").returncode == 2
    assert run("frobnicate").returncode == 2


def test_version() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("simulator ")


def test_plain_play_reaches_the_debrief_from_a_pipe() -> None:
    done = run("play", LATE_REFUND, "--plain", "--seed", "1", stdin="1\n1\n1\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Ms. Walker:" in done.stdout
    assert "== Ending:" in done.stdout and "Score:" in done.stdout
    assert "anger" in done.stdout and "trust" in done.stdout


def test_plain_play_ends_cleanly_on_eof() -> None:
    done = run("play", LATE_REFUND, "--plain", "--seed", "1", stdin="")
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert "ended before the conversation finished" in done.stderr


def test_plain_play_rejects_bad_input_and_asks_again() -> None:
    done = run("play", LATE_REFUND, "--plain", "--seed", "1", stdin="9\nx\n1\n1\n1\n")
    assert "Please type a number from 1 to 3." in done.stdout


def test_digits_int_cannot_read_are_asked_again_not_a_traceback() -> None:
    # "²" is a digit to str.isdigit() but not to int(); 5,000 digits pass isdigit()
    # and exceed int()'s 4,300-digit limit. Both are only wrong answers.
    for answer in ("²", "9" * 5000):
        for args, typed in (
            (("play", LATE_REFUND), ""),
            (("play", LATE_REFUND, "--recall"), "Sorry, tell me what happened\n"),
            (("play",), ""),
        ):
            stdin = f"{typed}{answer}\n"
            done = run(*args, "--plain", "--seed", "1", "--no-log", stdin=stdin)
            assert done.returncode == 0, (args, done.stderr[-300:])
            assert "Traceback" not in done.stderr, args
            assert "Please" in done.stdout, args


def _plain_bytes(
    stdin: bytes, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "simulator", "play", LATE_REFUND, "--plain", "--seed", "1"],
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def test_piped_answers_are_echoed_without_terminal_controls() -> None:
    done = _plain_bytes(b"\x1b]0;pwned\x07\xc2\x9b2J\xe2\x80\xae1\n1\n1\n")
    assert done.returncode == 0, done.stderr
    assert b"\x1b" not in done.stdout and b"\x07" not in done.stdout
    assert "\x9b".encode() not in done.stdout and "\u202e".encode() not in done.stdout
    assert b"]0;pwned" in done.stdout  # shown, as data


def test_undecodable_bytes_at_the_prompt_are_a_wrong_answer() -> None:
    # A UTF-8 locale whose stdin is strict (en_US.UTF-8 is; C.UTF-8 is not).
    done = _plain_bytes(b"\xff\n1\n1\n1\n", env={"PYTHONIOENCODING": "utf-8:strict"})
    assert done.returncode == 0, done.stderr[-500:]
    assert b"Traceback" not in done.stderr
    assert b"== Ending:" in done.stdout


def test_a_huge_piped_line_is_cut_not_read_whole_or_echoed() -> None:
    done = _plain_bytes(b"x" * 20_000_000 + b"\n1\n1\n1\n")
    assert done.returncode == 0, done.stderr[-500:]
    assert b"== Ending:" in done.stdout
    assert len(done.stdout) < 100_000


def test_eof_at_the_scenario_picker_ends_cleanly() -> None:
    done = run("play", "--plain", "--no-log", stdin="")
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert done.stderr.strip() == "No scenario picked."


def test_schema_is_json_with_the_format_keys() -> None:
    done = run("schema")
    schema = json.loads(done.stdout)
    assert set(schema["required"]) >= {
        "format",
        "id",
        "title",
        "summary",
        "customer",
        "start",
        "nodes",
        "endings",
    }
    assert "listen" in json.dumps(schema)


def test_check_reports_problems_in_the_file_line_column_form() -> None:
    bad = FIXTURES / "bad" / "unknown-technique.yaml"
    done = run("check", str(bad))
    assert done.returncode == 1
    assert done.stdout.startswith(f"{bad}:")


def test_check_passes_a_good_file() -> None:
    assert run("check", LATE_REFUND).returncode == 0


def test_paths_are_reported_as_given(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    done = run("check", str(missing))
    assert done.returncode == 1
    assert done.stderr.strip() == f"simulator: error: no such file or folder: {missing}"


def test_log_commands_refuse_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    for command in (["report"], ["verify"], ["export", "--format", "csv"]):
        done = run(*command, str(missing))
        assert done.returncode == 1, command
        assert done.stderr.strip() == f"simulator: error: no such log folder or file: {missing}"


def test_every_command_shows_examples_that_parse() -> None:
    import shlex

    from simulator.cli import build_parser
    from simulator.commands import COMMANDS

    for command in COMMANDS:
        done = run(command, "--help")
        assert done.returncode == 0
        _, _, tail = done.stdout.partition("\nexamples:\n")
        examples = [line.strip() for line in tail.splitlines() if line.strip()]
        assert examples, f"{command} --help has no examples"
        for example in examples:
            words = shlex.split(example, comments=True)
            for stop in ("|", ">"):
                words = words[: words.index(stop)] if stop in words else words
            assert words[:2] == ["simulator", command], example
            build_parser(words[1:]).parse_args(words[1:])  # exits 2 if it does not parse


def test_numbers_on_the_command_line_are_bounded_and_said_in_one_short_line() -> None:
    """A seed past 64 bits was played, logged, and then failed verification; 5,000
    digits were repeated back whole; --retries 5000 slept for ever."""
    cases = [
        (["play", LATE_REFUND, "--choices", "hear-her-out", "--seed", "9" * 30], "--seed"),
        (["check", LATE_REFUND, "--max-states", "9" * 5000], "--max-states"),
        (["check", LATE_REFUND, "--max-states", "0"], "--max-states"),
        (["check", LATE_REFUND, "--max-states", "²"], "--max-states"),
        (["send", "--lrs", "http://127.0.0.1:1/", "--retries", "5000"], "--retries"),
        (["send", "--lrs", "http://127.0.0.1:1/", "--batch", "-1"], "--batch"),
        (["serve", "--port", "70000"], "--port"),
    ]
    for argv, option in cases:
        done = run(*argv)
        assert done.returncode == 2, argv
        (line,) = done.stderr.strip().splitlines()[-1:]
        assert f"argument {option}: '" in line and len(line) < 200, line
        assert "Traceback" not in done.stderr
    done = run("play", LATE_REFUND, "--choices", "hear-her-out", "--seed", "-5", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["seed"] == -5
