"""Sealed records: an edit of any byte of any record, the last one included, is found;
logs written before sealing still read, as legacy; an anchor catches the rest."""

from __future__ import annotations

import json
from pathlib import Path

from simulator.logs.reader import Issue, ParsedLog, check_bytes, parse_log, read_sessions
from simulator.logs.records import digest, encode
from tests.conftest import run_cli as run
from tests.test_logs_writer import play_into


def _verified(data: bytes, path: Path) -> bool:
    parsed = ParsedLog(path)
    check_bytes(parsed, data)
    return parsed.verified


def test_flipping_any_byte_of_any_record_is_detected(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out"]).path
    original = log.read_bytes()
    assert _verified(original, log)
    missed = []
    for position in range(len(original)):
        for flip in (0x01, 0x20):
            data = bytearray(original)
            data[position] ^= flip
            if _verified(bytes(data), log):
                missed.append((position, flip))
    assert missed == [], f"{len(missed)} undetected edits of {len(original)} bytes"


def test_the_score_in_the_last_record_is_protected(tmp_path: Path) -> None:
    log = play_into(tmp_path / "logs", ["hear-her-out", "own-it"]).path
    raw = log.read_bytes()
    score = json.loads(raw.splitlines()[-1])["score"]
    log.write_bytes(raw.replace(f'"score":{score}'.encode(), b'"score":99'))
    (summary,) = read_sessions([tmp_path / "logs"])
    assert not summary.verified
    done = run("verify", str(tmp_path / "logs"))
    assert done.returncode == 1 and "0 verified, 1 not" in done.stdout
    assert f"{log}:4: error: record edited" in done.stdout
    export = run("export", str(tmp_path / "logs"), "--format", "csv").stdout
    assert ",False," in export


def test_a_duplicate_key_or_nan_in_the_end_record_is_detected(tmp_path: Path) -> None:
    duplicate = play_into(tmp_path / "dup", ["hear-her-out", "own-it"]).path
    duplicate.write_bytes(duplicate.read_bytes().replace(b'"grade":', b'"score":99,"grade":'))
    assert not parse_log(duplicate).verified
    nan = play_into(tmp_path / "nan", ["hear-her-out", "own-it"]).path
    end = nan.read_bytes().splitlines()[-1]
    anger = json.loads(end)["anger"]
    nan.write_bytes(nan.read_bytes().replace(f'"anger":{anger},'.encode(), b'"anger":NaN,'))
    parsed = parse_log(nan)
    assert not parsed.verified and "anger" not in parsed.records[-1]


def _legacy(path: Path) -> Path:
    """The same session as the writer wrote it before records were sealed."""
    records = [json.loads(line) for line in path.read_bytes().splitlines()]
    lines, prev = [], None
    for record in records:
        record.pop("hash")
        record["prev"] = prev
        line = encode(record)
        prev = digest(line[:-1])
        lines.append(line)
    path.write_bytes(b"".join(lines))
    return path


def test_legacy_logs_still_read_but_are_reported_unsealed(tmp_path: Path) -> None:
    log = _legacy(play_into(tmp_path / "logs", ["hear-her-out", "own-it"]).path)
    issues: list[Issue] = []
    (summary,) = read_sessions([tmp_path / "logs"], issues=issues)
    assert summary.status == "completed" and summary.score is not None
    assert not summary.sealed and not summary.verified
    assert [i.severity for i in issues] == ["warning"] and "legacy" in issues[0].message
    done = run("verify", str(tmp_path / "logs"))
    assert "0 verified, 1 not (1 legacy, unsealed)" in done.stdout and done.returncode == 1
    report = json.loads(run("report", str(tmp_path / "logs"), "--format", "json").stdout)
    assert report["sessions"] == 1 and report["unverified"][0]["session_id"] == log.stem


def test_stripping_the_seal_from_one_record_is_detected(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out", "own-it"]).path
    raw = log.read_bytes().splitlines()
    last = raw[-1]
    raw[-1] = last[: last.rindex(b',"hash":')] + b"}"
    log.write_bytes(b"\n".join(raw) + b"\n")
    assert "4: record is not sealed (its hash is missing)" in [
        f"{i.line}: {i.message}" for i in parse_log(log).issues
    ]


def test_a_deleted_log_and_a_full_recomputation_show_against_an_export(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    log = play_into(logs, ["hear-her-out", "own-it"]).path
    play_into(logs, ["calm-down", "policy"])
    kept = tmp_path / "kept.jsonl"
    assert run("export", str(logs), "--format", "jsonl", "--out", str(kept)).returncode == 0
    log.unlink()
    done = run("verify", str(logs), "--against", str(kept))
    assert done.returncode == 1 and f"session {log.stem}: its log is missing" in done.stdout
