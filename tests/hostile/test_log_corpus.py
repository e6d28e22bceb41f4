"""Damaged and hostile score logs: every reader stays up and shows them safely.

`logs/` holds logs made from one real session: hostile text with an intact chain
(ESC, C1, bidi, surrogates, formulas after CR/LF in names, titles, ids, reasons
and reflections; paths in `scenario` and `scenario_file`) and damage (torn, empty,
depth bombs, NUL, bad UTF-8, BOM, CRLF, edited, reordered, dropped, NaN, wrong
types). `expect.json` names, per log, the command and the text its output must hold.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.hostile.conftest import LOGS, Ran, cli

EXPECT: dict[str, dict[str, str]] = json.loads((LOGS / "expect.json").read_text())
COMMANDS: dict[str, list[str]] = {
    "verify": ["verify"],
    "table": ["report"],
    "report-json": ["report", "--format", "json"],
    "csv": ["export", "--format", "csv"],
    "jsonl": ["export", "--format", "jsonl"],
    "jsonl-turns": ["export", "--format", "jsonl", "--turns"],
    "csv-turns": ["export", "--format", "csv", "--turns"],
    "xapi": ["export", "--format", "xapi"],
}
EVERY = [
    ["verify"],
    ["report"],
    ["report", "--format", "json"],
    ["report", "--format", "csv"],
    ["report", "--format", "html"],
    ["export", "--format", "csv"],
    ["export", "--format", "csv", "--turns"],
    ["export", "--format", "csv", "--anonymize"],
    ["export", "--format", "jsonl"],
    ["export", "--format", "jsonl", "--turns"],
    ["export", "--format", "xapi"],
]
RAW_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_the_corpus_is_large() -> None:
    assert len(EXPECT) >= 60
    assert {p.stem for p in LOGS.glob("*.jsonl")} == set(EXPECT)


def check_csv(text: str) -> None:
    """Every line of every cell is guarded: no line a spreadsheet reads starts a formula."""
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if re.fullmatch(r"-?[0-9.]+(e[-+]?[0-9]+)?", cell):
                continue  # a number: written as a number, read as one
            assert "\r" not in cell
            for line in cell.split("\n"):
                assert not line.startswith(TRIGGERS), (cell, row)


def check_json(text: str, *, lines: bool) -> None:
    assert not RAW_JSON_UNSAFE.search(text)
    assert "NaN" not in text and "Infinity" not in text
    if lines:
        for line in text.splitlines():
            json.loads(line)
    else:
        json.loads(text)


def check_output(args: list[str], ran: Ran) -> None:
    ran.clean()
    assert ran.code in (0, 1), ran.err
    for line in ran.err.splitlines():
        assert ": " in line  # one issue per line, never a continuation
    if "csv" in args:
        check_csv(ran.out)
    if "json" in args or "xapi" in args:
        check_json(ran.out, lines=False)
    if "jsonl" in args:
        check_json(ran.out, lines=True)


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_each_log_gives_its_expected_safe_output(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    shutil.copy(LOGS / f"{name}.jsonl", folder)
    want = EXPECT[name]
    if want["command"] == "replay":
        args = ["replay", name, "--log-dir", str(folder)]
    else:
        args = [*COMMANDS[want["command"]], str(folder)]
    ran = cli(capsys, *args)
    check_output(args, ran)
    assert want["contains"] in ran.out + ran.err, (want, ran.out[-3000:], ran.err[-3000:])


@pytest.mark.parametrize("args", EVERY, ids=" ".join)
def test_every_reader_over_the_whole_corpus(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(capsys, *args, LOGS)
    check_output(args, ran)
    if args == ["verify"]:
        readable = len(EXPECT)
        assert f"{readable} sessions checked" in ran.out


@pytest.mark.parametrize("name", sorted(EXPECT))
def test_replay_of_each_log_is_safe(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    ran = cli(capsys, "replay", name, "--log-dir", LOGS)
    check_output(["replay"], ran)
    assert ran.out.startswith("== ") or ran.code == 1
