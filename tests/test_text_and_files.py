"""The shared helpers other modules rely on: text sanitising and capped file reads."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from simulator.files import FileTooLarge, UnreadableFile, check_exists, read_capped
from simulator.problems import Problem, SuggestionIndex, Suggestions, suggest
from simulator.text import literal, one_line, to_json, unsurrogate
from simulator.tui.safe import clean


def test_literal_removes_controls_and_bidi_but_keeps_paragraphs() -> None:
    assert literal("a\x1b[2Jb\x9bc\u202ed\u2066e\u200ff\u061cg\x7fh\n\ti") == "a[2Jbcdefgh\n\ti"
    assert literal("x\udcff") == "x\ufffd"
    assert clean(" \u202eBo\x1b ") == "Bo"


def test_one_line_shows_every_unsafe_character_as_an_escape() -> None:
    assert one_line("a\nb\r\tc") == "a\\nb\\r\\tc"
    assert one_line("\x1b]52;c;x\x07") == "\\x1b]52;c;x\\x07"
    assert one_line("\x9b\u202e\u2028") == "\\x9b\\u202e\\u2028"
    assert one_line("bad\udcff.yaml") == "bad\\xff.yaml"  # an undecodable byte, as a byte
    assert one_line(Path("a\nb")) == "a\\nb"
    assert one_line("x" * 50, 10) == "x" * 9 + "…"


def test_to_json_escapes_c1_and_bidi_and_never_writes_nan() -> None:
    text = to_json({"t": "a\x9bb\u202ec\x1b", "n": float("nan"), "i": [float("inf")]})
    assert "\\u009b" in text and "\\u202e" in text and "\\u001b" in text
    assert json.loads(text) == {"t": "a\x9bb\u202ec\x1b", "n": None, "i": [None]}
    assert json.loads(to_json("\ud800")) == "\ufffd"


def test_unsurrogate_only_touches_surrogates() -> None:
    assert unsurrogate("Ann\udcff\udcfe é") == "Ann\ufffd\ufffd é"


def test_problem_lines_cannot_be_forged() -> None:
    problem = Problem("a\nfake.yaml", 1, 1, "unknown key 'x\nfake.yaml:1:1: error: y'")
    assert str(problem).count("\n") == 0
    assert str(problem).startswith("a\\nfake.yaml:1:1: error: unknown key 'x\\nfake")


def test_read_capped_reads_up_to_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 10)
    assert read_capped(path, 10) == b"x" * 10
    with pytest.raises(FileTooLarge, match="file is too large: 10 bytes"):
        read_capped(path, 9)


def test_read_capped_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "p")
    with pytest.raises(UnreadableFile, match="named pipe"):
        read_capped(tmp_path / "p", 10)


def test_read_capped_refuses_folders_devices_and_loops(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="a folder"):
        read_capped(tmp_path, 10)
    with pytest.raises(UnreadableFile, match="character device"):
        read_capped("/dev/zero", 10)
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(UnreadableFile, match="symlink loop"):
        read_capped(tmp_path / "loop", 10)
    assert check_exists(tmp_path / "loop") == "symlink loop (the link points back at itself)"
    with pytest.raises(OSError, match="NUL"):
        read_capped("a\x00b", 10)


def test_suggestions_are_budgeted_per_file() -> None:
    index = SuggestionIndex(["history", "opening"])
    hints = Suggestions(budget=2)
    assert hints("histroy", index) == ' (did you mean "history"?)'
    assert hints("openin", index) == ' (did you mean "opening"?)'
    assert hints("histroy", index) == ""
    assert suggest("histroy", ["history"]) == ' (did you mean "history"?)'
