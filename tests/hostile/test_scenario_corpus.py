"""Hostile scenario files: every one gives its expected one-line error, escaped.

Each file in `scenarios/` starts with `# expect: FRAGMENT`: the escaped text the
problem line must hold (`unknown key 'x\\x1b]52;c;…'`), or `ok` for a file that loads
and must then be shown literally, without its controls and bidi marks, when played.
Keys, technique, persona and principle names, duplicate keys, `set:` flags, tags,
conditions and self-test names each carry ESC/OSC 52, C1 CSI/OSC, bidi overrides,
isolates and marks, DEL, BEL, backspace, CR, U+2028 and a newline that tries to forge
a `fake.yaml:1:1: error:` line.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from simulator.analysis.checker import Options, check_file
from simulator.engine.session import Session
from simulator.plain import PlainGame
from simulator.scenario.loader import load_scenario_file
from tests.hostile.conftest import SCENARIOS, assert_clean, cli

CASES = sorted(SCENARIOS.glob("*.yaml"))
PROBLEM = re.compile(r"^(?P<file>[^:]+):\d+:\d+: (error|warning): ")


def expectation(path: Path) -> str:
    first = path.read_text(encoding="ascii").split("\n", 1)[0]
    assert first.startswith("# expect: "), f"{path.name} lacks '# expect: '"
    return first.removeprefix("# expect: ")


def test_the_corpus_is_large() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_each_file_gives_its_one_line_problem(path: Path) -> None:
    expected = expectation(path)
    report = check_file(path, Options(analyse=False))
    lines = [str(problem) for problem in report.problems]
    for line in lines:
        assert_clean(line)
        assert "\n" not in line and "\t" not in line
        match = PROBLEM.match(line)
        assert match and match["file"] == str(path), line
    if expected == "ok":
        assert report.loaded is not None and report.count("error") == 0, lines
    else:
        assert report.count("error") >= 1
        assert any(expected in line for line in lines), (expected, lines)


@pytest.mark.parametrize("path", [p for p in CASES if expectation(p) == "ok"], ids=lambda p: p.stem)
def test_loadable_hostile_text_is_played_literally(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(capsys, "play", path, "--choices", "own-it", "--no-log").clean()
    assert ran.code == 0 and ran.out.startswith("Refund")
    as_json = cli(capsys, "play", path, "--choices", "own-it", "--no-log", "--json").clean()
    assert json.loads(as_json.out)["title"].startswith("Refund")
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    out = io.StringIO()
    PlainGame(Session(loaded, seed=0), out, lambda prompt: "1").run()
    assert_clean(out.getvalue(), "plain play")
    assert "Where" in out.getvalue() and "Bo" in out.getvalue()


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_over_the_whole_corpus_stays_one_line_per_problem(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [] if fmt == "text" else ["--no-analysis"]
    ran = cli(capsys, "check", SCENARIOS, "--format", fmt, *args).clean()
    assert ran.code == 1
    if fmt == "json":
        document = json.loads(ran.out)
        assert len(document["files"]) == len(CASES)
        assert not re.search("[\x80-\x9f\u202a-\u202e\u2066-\u2069]", ran.out)
        messages = [p["message"] for f in document["files"] for p in f["problems"]]
        assert any("\x1b]52;c;" in m for m in messages)  # the data is kept, only escaped
        return
    lines = ran.out.splitlines()
    assert lines[-1].startswith("checked ") and "fake.yaml" not in lines[-1]
    for line in lines:
        if fmt == "github":
            assert line.startswith("::") or line.startswith("checked "), line
        elif not line.startswith(" "):
            assert (
                PROBLEM.match(line)
                or line.endswith("self-tests passed")
                or line.startswith("checked ")
            ), line
    assert not any(line.startswith("fake.yaml") for line in lines)
