"""Exports: CSV per session and per turn, JSONL, xAPI validated by Learning Locker's
validator, formula neutralisation, and stable pseudonyms under a private secret."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from simulator.logs.anonymize import Pseudonyms, load_secret
from simulator.logs.csvsafe import neutralise
from tests.conftest import REPO, opening_turn, run_cli
from tests.test_logs_writer import play_into

NODE_TOOLS = REPO / "tests" / "node"
FORMULAS = ["=1+1", "+1", "-1+cmd", "@SUM(A1)", "\tx", "\rx"]


def run(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    """The CLI with its own config folder, where the anonymisation secret lives."""
    return run_cli(*args, env={"SIMULATOR_CONFIG_DIR": str(config)})


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    done = play_into(folder, ["hear-her-out", "own-it"], trainee="Ann")
    done.reflect("I'd apologise sooner, Ann")
    done.close()
    play_into(folder, ["calm-down", "policy"], trainee='=HYPERLINK("http://x")')
    play_into(folder, ["hear-her-out"], trainee="@Bo", finish=False)
    play_into(folder, ["website", "own-it"], trainee="Cy")
    return folder


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_neutralise_every_trigger() -> None:
    for formula in FORMULAS:
        # A CR becomes LF, which the csv writer always quotes (it leaves a lone CR bare).
        assert neutralise(formula) == "'" + formula.replace("\r", "\n")
    assert neutralise("Ann") == "Ann" and neutralise(-3) == -3


def test_csv_one_row_per_session_with_chain_head(logs: Path, tmp_path: Path) -> None:
    done = run("export", str(logs), "--format", "csv", config=tmp_path)
    assert done.returncode == 0, done.stderr
    table = rows(done.stdout)
    assert len(table) == 4
    assert {r["status"] for r in table} == {"completed", "abandoned"}
    for row in table:
        assert len(row["chain_head"]) == 64 and int(row["records"]) >= 2
        assert row["verified"] == "True"
    ann = next(r for r in table if r["trainee"] == "Ann")
    assert ann["reflection"] == "I'd apologise sooner, Ann" and ann["principle_apology"]
    names = {r["trainee"] for r in table}
    assert '\'=HYPERLINK("http://x")' in names and "'@Bo" in names


def test_csv_per_turn(logs: Path, tmp_path: Path) -> None:
    done = run("export", str(logs), "--format", "csv", "--turns", config=tmp_path)
    table = rows(done.stdout)
    assert len(table) == 2 + 2 + 1 + 2
    first = next(r for r in table if r["trainee"] == "Ann" and r["turn"] == "1")
    assert first["choice"] == "hear-her-out" and first["techniques"] == "apologize;open_question"
    anger_before, anger_after, _, _ = opening_turn()
    assert first["anger_before"] == str(anger_before)
    assert first["anger_after"] == str(anger_after)
    assert "apologize lowered anger" in first["reasons"]


def test_jsonl(logs: Path, tmp_path: Path) -> None:
    done = run("export", str(logs), "--format", "jsonl", config=tmp_path)
    sessions = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(sessions) == 4 and all(s["chain_head"] for s in sessions)
    assert '=HYPERLINK("http://x")' in {s["trainee"] for s in sessions}  # JSON is data
    turns = run("export", str(logs), "--format", "jsonl", "--turns", config=tmp_path)
    assert len(turns.stdout.splitlines()) == 7


def test_anonymize_is_stable_keyed_and_private(logs: Path, tmp_path: Path) -> None:
    first = rows(run("export", str(logs), "--format", "csv", "--anonymize", config=tmp_path).stdout)
    again = rows(run("export", str(logs), "--format", "csv", "--anonymize", config=tmp_path).stdout)
    other = tmp_path / "other-machine"
    elsewhere = rows(
        run("export", str(logs), "--format", "csv", "--anonymize", config=other).stdout
    )
    names = [r["trainee"] for r in first]
    assert all(n.startswith("trainee-") for n in names) and len(set(names)) == 4
    assert names == [r["trainee"] for r in again]
    assert names != [r["trainee"] for r in elsewhere]
    assert all(r["reflection"] == "" for r in first)
    secret = tmp_path / "export-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert Pseudonyms(load_secret(secret))("Ann") in names
    xapi = run("export", str(logs), "--format", "xapi", "--anonymize", config=tmp_path).stdout
    assert "Ann" not in xapi and "HYPERLINK" not in xapi


def _validate(statements: list[dict[str, object]]) -> dict[str, object]:
    node = shutil.which("node")
    assert node, "Node.js is needed to validate xAPI statements"
    assert (NODE_TOOLS / "node_modules" / "@learninglocker").is_dir(), (
        "run `make node-tools` (make test does) to install the xAPI validator"
    )
    done = subprocess.run(
        [node, str(NODE_TOOLS / "validate-xapi.js")],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        timeout=60,
    )
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_every_xapi_statement_validates(logs: Path, tmp_path: Path) -> None:
    done = run("export", str(logs), "--format", "xapi", config=tmp_path)
    statements = json.loads(done.stdout)
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs.count("attempted") == 4 and verbs.count("responded") == 7
    assert verbs.count("completed") == 3 and verbs.count("abandoned") == 1
    assert verbs.count("passed") + verbs.count("failed") == 3
    report = _validate(statements)
    assert report == {"checked": len(statements), "failures": {}}
    ids = [s["id"] for s in statements]
    assert len(set(ids)) == len(ids)
    again = json.loads(run("export", str(logs), "--format", "xapi", config=tmp_path).stdout)
    assert [s["id"] for s in again] == ids  # re-exporting never duplicates in an LRS


def test_xapi_end_carries_score_duration_and_chain(logs: Path, tmp_path: Path) -> None:
    statements = json.loads(run("export", str(logs), "--format", "xapi", config=tmp_path).stdout)
    completed = [s for s in statements if s["verb"]["display"]["en-US"] == "completed"]
    for statement in completed:
        result = statement["result"]
        assert set(result["score"]) == {"scaled", "raw", "min", "max"}
        assert 0 <= result["score"]["scaled"] <= 1 and result["completion"] is True
        assert result["duration"].startswith("PT") and isinstance(result["success"], bool)
        extensions = statement["context"]["extensions"]
        assert any(k.endswith("/chain-head") for k in extensions)
        assert any(k.endswith("/principles") for k in result["extensions"])
    registrations = {s["context"]["registration"] for s in statements}
    assert len(registrations) == 4


def test_the_validator_is_real(tmp_path: Path) -> None:
    """A broken statement must fail, or the test above proves nothing."""
    report = _validate([{"actor": {"mbox": "nope"}, "verb": {"id": "x"}, "object": {}}])
    assert report["failures"]


def test_export_needs_a_known_format(logs: Path, tmp_path: Path) -> None:
    done = run("export", str(logs), "--format", "pdf", config=tmp_path)
    assert done.returncode == 2
    done = run("export", str(logs), "--format", "xapi", "--turns", config=tmp_path)
    assert done.returncode == 1 and "--turns" in done.stderr
