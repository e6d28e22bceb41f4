"""`simulator send` against a real Ralph LRS: read back equal, a resend adds nothing,
an LRS down or killed mid-send loses nothing, plain and anonymised coexist, and the
LRS is an anchor for `verify --against`."""

from __future__ import annotations

import base64
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from simulator.logs.send import BACKGROUND_LOG, state_path
from simulator.text import plural
from tests.conftest import FIXTURES, run_cli
from tests.ralph import PASSWORD, USER, Ralph, free_port
from tests.test_logs_writer import play_into

CREDENTIALS = {"SIMULATOR_LRS_USER": USER, "SIMULATOR_LRS_PASSWORD": PASSWORD}


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    server = Ralph(tmp_path_factory.mktemp("ralph"))
    server.make_credentials()
    server.start()
    yield server
    server.kill()


def logs_of(folder: Path, sessions: int) -> Path:
    for n in range(sessions):
        if n % 3 == 2:
            log = play_into(folder, ["hear-her-out"], trainee=f"T{n}", finish=False)
            log.abandon()  # an abandoned session is delivered too (it has its end record)
        else:
            play_into(folder, ["hear-her-out", "own-it"], trainee=f"T{n}")
    return folder


def send(folder: Path, url: str, *args: str, env: dict[str, str] | None = None) -> Any:
    return run_cli("send", str(folder), "--lrs", url, *args, env=env or CREDENTIALS)


def exported(folder: Path, *args: str) -> list[dict[str, Any]]:
    done = run_cli("export", str(folder), "--format", "xapi", *args)
    assert done.returncode == 0, done.stderr
    made: list[dict[str, Any]] = json.loads(done.stdout)
    return made


def stored(ralph: Ralph, ids: set[str]) -> list[dict[str, Any]]:
    return [s for s in ralph.statements() if s["id"] in ids]


def test_send_reads_back_equal_and_a_resend_adds_nothing(ralph: Ralph, tmp_path: Path) -> None:
    folder = logs_of(tmp_path / "logs", 3)
    done = send(folder, ralph.url)
    assert done.returncode == 0, done.stderr
    ours = {s["id"]: s for s in exported(folder)}
    assert f"sent {len(ours)} statements of 3 sessions" in done.stdout
    theirs = stored(ralph, set(ours))
    assert len(theirs) == len(ours)
    for statement in theirs:
        mine = ours[statement["id"]]
        for key in ("actor", "verb", "object", "result", "context", "timestamp"):
            if key in mine:
                assert _same(statement[key], mine[key]), (key, statement[key], mine[key])
    before = len(ralph.statements())
    again = send(folder, ralph.url)
    assert again.returncode == 0 and "sent 0 statements" in again.stdout
    assert "3 already delivered" in again.stdout
    assert len(ralph.statements()) == before
    # A session added since is the only thing the next send delivers.
    play_into(folder, ["hear-her-out", "own-it"], trainee="Late")
    third = send(folder, ralph.url)
    added = len(exported(folder)) - len(ours)
    assert f"sent {plural(added, 'statement')} of 1 session" in third.stdout
    assert len(ralph.statements()) == before + added


def _readable(server: Ralph) -> bool:
    try:
        json.loads((server.home / "app" / "history.json").read_text(encoding="utf-8"))
    except ValueError:
        return False
    return True


def _same(theirs: Any, mine: Any) -> bool:
    """Equal, allowing an LRS's normalised timestamps (…117Z vs …117000+00:00)."""
    if isinstance(mine, str) and isinstance(theirs, str) and mine.endswith("Z"):
        from simulator.logs.records import parse_time

        return parse_time(mine.replace("Z", "+00:00")) == parse_time(theirs) or mine == theirs
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return all(_same(theirs.get(k), v) for k, v in mine.items())
    if isinstance(mine, list) and isinstance(theirs, list):
        return len(mine) == len(theirs) and all(map(_same, theirs, mine))
    return bool(theirs == mine)


def test_plain_and_anonymised_coexist(ralph: Ralph, tmp_path: Path) -> None:
    folder = logs_of(tmp_path / "logs", 2)
    plain, anonymous = exported(folder), exported(folder, "--anonymize")
    assert not {s["id"] for s in plain} & {s["id"] for s in anonymous}
    assert send(folder, ralph.url).returncode == 0
    done = send(folder, ralph.url, "--anonymize")
    assert done.returncode == 0, done.stderr
    ids = {s["id"] for s in plain} | {s["id"] for s in anonymous}
    assert len(stored(ralph, ids)) == len(ids)
    names = {s["actor"]["name"] for s in stored(ralph, {s["id"] for s in anonymous})}
    assert all(n.startswith("trainee-") for n in names)


def test_credentials_come_from_the_environment_or_settings(
    ralph: Ralph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = logs_of(tmp_path / "logs", 1)
    refused = send(folder, ralph.url, env={"SIMULATOR_LRS_USER": USER})
    assert refused.returncode == 1 and "refused the credentials (401)" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(
        json.dumps({"lrs_url": ralph.url, "lrs_user": USER, "lrs_password": PASSWORD})
    )
    done = run_cli("send", str(folder), env={"SIMULATOR_CONFIG_DIR": str(config)})
    assert done.returncode == 0 and "of 1 session " in done.stdout, done.stderr
    help_text = run_cli("send", "--help").stdout
    assert "--password" not in help_text and "--user" not in help_text


def test_an_lrs_that_is_down_loses_nothing(ralph: Ralph, tmp_path: Path) -> None:
    folder = logs_of(tmp_path / "logs", 2)
    nobody = f"http://127.0.0.1:{free_port()}/xAPI/"
    down = send(folder, nobody, "--retries", "1")
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert len(down.stderr.strip().splitlines()) == 1
    assert "cannot reach the LRS" in down.stderr and "0 sessions delivered before it" in down.stderr
    done = send(folder, ralph.url)
    assert done.returncode == 0 and "of 2 sessions" in done.stdout


MALFORMED = [
    "http://",
    "https://",
    "http://:8100/xAPI/",
    "http://[::1/xAPI/",
    "http://127.0.0.1:99999/xAPI/",
    "http://lrs example.com/xAPI/",
    "http://lrs\x1b[31m.example.com/",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_a_malformed_lrs_url_is_one_line_before_any_request(url: str, tmp_path: Path) -> None:
    """A URL requests cannot use crashed send (`[::1`) or was retried with back-off as
    if the LRS were down, then called unreachable; it is refused before any request."""
    folder = logs_of(tmp_path / "logs", 1)
    refused = send(folder, url)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert refused.stderr.startswith("simulator: error: --lrs '"), refused.stderr
    assert "retries" not in refused.stderr and "cannot reach" not in refused.stderr
    checked = run_cli("verify", str(folder), "--against", url, env=CREDENTIALS)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr, checked.stderr
    assert ": error: --against '" in checked.stdout, checked.stdout
    assert "retries" not in checked.stdout


def test_a_malformed_lrs_url_in_settings_is_named_as_such(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text(json.dumps({"lrs_url": "http://[::1/xAPI/"}))
    folder = logs_of(tmp_path / "logs", 1)
    done = run_cli("send", str(folder), env={"SIMULATOR_CONFIG_DIR": str(config)})
    assert done.returncode == 1 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "lrs_url 'http://[::1/xAPI/' in the settings file: not a valid URL" in done.stderr


class _Refuses(http.server.BaseHTTPRequestHandler):
    """An LRS that refuses every request with 401, keeping the credentials it was sent."""

    seen: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        self.seen.append(self.headers.get("Authorization", ""))
        self.send_response(401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_credentials_beyond_latin_1_are_sent_as_utf_8(tmp_path: Path) -> None:
    """requests encodes str credentials as Latin-1, so a password like "pass€" was a
    UnicodeEncodeError traceback before any byte was sent."""
    folder = logs_of(tmp_path / "logs", 1)
    server = http.server.HTTPServer(("127.0.0.1", 0), _Refuses)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/xAPI/"
        env = {"SIMULATOR_LRS_USER": "zoë", "SIMULATOR_LRS_PASSWORD": "pass€"}
        done = send(folder, url, env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "refused the credentials (401)" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    sent = _Refuses.seen[-1].removeprefix("Basic ")
    assert base64.b64decode(sent).decode("utf-8") == "zoë:pass€"


def test_the_lrs_is_an_anchor_for_verify(ralph: Ralph, tmp_path: Path) -> None:
    folder = logs_of(tmp_path / "logs", 2)
    assert send(folder, ralph.url).returncode == 0
    ok = run_cli("verify", str(folder), "--against", ralph.url, env=CREDENTIALS)
    missing = [
        line for line in ok.stdout.splitlines() if "missing" in line and str(folder) not in line
    ]
    # Other tests' sessions in the same LRS are missing from *this* folder; ours are not.
    log = next(folder.rglob("*.jsonl"))
    assert not any(log.stem in line for line in missing)
    log.unlink()
    gone = run_cli("verify", str(folder), "--against", ralph.url, env=CREDENTIALS)
    assert gone.returncode == 1 and f"session {log.stem}: its log is missing" in gone.stdout
    # The issue names the LRS by its URL as typed, not as a mangled path ("http:/...").
    assert f"{ralph.url}: error: session {log.stem}: its log is missing" in gone.stdout


def test_killing_the_lrs_mid_send_loses_nothing(tmp_path: Path) -> None:
    server = Ralph(tmp_path / "ralph")
    server.make_credentials()
    server.start()
    try:
        folder = logs_of(tmp_path / "logs", 90)
        state = state_path(server.url)
        sender = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "simulator",
                "send",
                str(folder),
                "--lrs",
                server.url,
                "--batch",
                "4",
                "--retries",
                "2",
            ],
            env={**__import__("os").environ, **CREDENTIALS},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not state.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state.exists(), "no batch was acknowledged"
        server.kill()
        out, err = sender.communicate(timeout=120)
        assert sender.returncode == 1, (out, err)
        assert "cannot reach the LRS" in err and len(err.strip().splitlines()) == 1
        acknowledged = len(json.loads(state.read_text())["sessions"])
        assert 0 < acknowledged < 90
        server.start()
        damaged = (server.home / "app" / "history.json").exists() and not _readable(server)
        if damaged:
            # Ralph itself was hurt by the kill (see Ralph.repair_history): our send
            # fails cleanly again, loses nothing, and works once the LRS is repaired.
            failed = send(folder, server.url, "--retries", "1")
            assert failed.returncode == 1 and "answered 500" in failed.stderr
            assert server.repair_history()
        done = send(folder, server.url)
        assert done.returncode == 0, done.stderr
        assert f"{acknowledged} already delivered" in done.stdout
        ids = [s["id"] for s in server.statements()]
        assert len(ids) == len(set(ids))
        assert set(ids) == {s["id"] for s in exported(folder)}
    finally:
        server.kill()


# ---------------------------------------------------------------- as play goes


LATE_REFUND = str(FIXTURES / "late-refund.yaml")


def _settings(**values: Any) -> None:
    """The per-user settings file the play subprocess reads (the test's own folder)."""
    folder = Path(os.environ["SIMULATOR_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps(values), encoding="utf-8")


def _background_log(url: str) -> Path:
    return state_path(url).parent / BACKGROUND_LOG


def _play_plain(folder: Path, trainee: str, stdin: str = "1\n1\n1\n1\n") -> Any:
    done = run_cli(
        "play", LATE_REFUND, "--plain", "--seed", "1", "--trainee", trainee,
        "--log-dir", str(folder), stdin=stdin, env=CREDENTIALS,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done


def _eventually(check: Any, seconds: float = 60.0) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_play_delivers_each_session_as_it_ends(ralph: Ralph, tmp_path: Path) -> None:
    """With an LRS in the settings, a plain play's session reaches it without `send`:
    the statements the export makes, by their ids, and a later send adds nothing."""
    _settings(lrs_url=ralph.url)
    folder = tmp_path / "logs"
    _play_plain(folder, "Asha")
    _play_plain(folder, "Ben", stdin="1\n")  # left before the end: abandoned, sent too
    ours = {s["id"] for s in exported(folder)}
    assert ours
    assert _eventually(lambda: len(stored(ralph, ours)) == len(ours)), "not delivered"
    record = _background_log(ralph.url)
    assert _eventually(lambda: record.read_text().count("sent ") == 2), record.read_text()
    again = send(folder, ralph.url)
    assert "sent 0 statements" in again.stdout and "2 already delivered" in again.stdout


def test_play_with_the_lrs_down_loses_nothing(ralph: Ralph, tmp_path: Path) -> None:
    """The game ends as usual, the background send says why it failed, and the next
    `send` (to the LRS now up) delivers the session."""
    down = f"http://127.0.0.1:{free_port()}/xAPI/"
    _settings(lrs_url=down)
    folder = tmp_path / "logs"
    started = time.monotonic()
    done = _play_plain(folder, "Cara")
    assert time.monotonic() - started < 30  # the retries run after the game, not in it
    assert "Score:" in done.stdout
    record = _background_log(down)
    assert _eventually(lambda: record.exists() and "cannot reach" in record.read_text()), (
        record.read_text() if record.exists() else "no background log"
    )
    stamp, error = record.read_text().strip().splitlines()  # when and which, then why
    assert "after play:" in stamp and error.startswith("simulator: error: cannot reach")
    later = send(folder, ralph.url)
    assert later.returncode == 0 and "of 1 session " in later.stdout, later.stderr


def test_play_sends_nothing_without_an_lrs_or_when_told_not_to(
    ralph: Ralph, tmp_path: Path
) -> None:
    for settings in ({}, {"lrs_url": ralph.url, "send_after_play": False}):
        _settings(**settings)
        _play_plain(tmp_path / "logs", "Dev")
    time.sleep(1)
    assert not _background_log(ralph.url).exists()
    ours = {s["id"] for s in exported(tmp_path / "logs")}
    assert stored(ralph, ours) == []


def test_the_full_screen_game_delivers_finished_and_abandoned_sessions(
    ralph: Ralph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TUI's bookkeeping (what its screens forward to) hands over each session
    as it ends, and one left mid-conversation when it is abandoned."""
    from simulator.tui.game import Game, GameConfig
    from tests.tui.conftest import LIBRARY

    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    _settings(lrs_url=ralph.url)
    folder = tmp_path / "logs"
    game = Game(GameConfig(trainee="Eli", seed=3, log_dir=folder, library_dir=LIBRARY))
    finished = game.start(game.library.scenarios[0])
    finished.choose("hear-her-out")
    finished.choose("own-it")
    left = game.start(game.library.scenarios[0])
    left.choose("hear-her-out")
    game.close()
    ours = {s["id"] for s in exported(folder)}
    assert _eventually(lambda: len(stored(ralph, ours)) == len(ours)), "not delivered"


def test_a_state_file_that_is_a_fifo_or_a_bomb_is_nothing_sent_yet(
    ralph: Ralph, tmp_path: Path
) -> None:
    """The state file is only a memory of what was sent: one that cannot be used is
    read as "nothing sent yet" (the LRS keeps one copy of a resend), never a hang."""
    folder = logs_of(tmp_path / "logs", 1)
    state = state_path(ralph.url)
    state.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(state)
    done = send(folder, ralph.url)
    assert done.returncode == 0, done.stderr
    assert "of 1 session" in done.stdout
    state.unlink()
    state.write_text("[" * 100_000 + "]" * 100_000)
    again = send(folder, ralph.url)
    assert again.returncode == 0, again.stderr
    assert "of 1 session" in again.stdout and "0 already delivered" in again.stdout


def test_a_state_that_cannot_be_saved_is_one_line_and_the_next_send_mends_it(
    ralph: Ralph, tmp_path: Path
) -> None:
    folder = logs_of(tmp_path / "logs", 2)
    state = state_path(ralph.url)
    state.mkdir(parents=True)  # a folder where the state file goes: it cannot be replaced
    done = send(folder, ralph.url)
    assert done.returncode == 1
    (line,) = done.stderr.strip().splitlines()
    assert "the LRS took the statements, but what was sent cannot be remembered" in line
    assert "Traceback" not in done.stderr
    assert not list(state.parent.glob(".*.tmp"))  # no half-written file left behind
    state.rmdir()
    before = len(ralph.statements())
    again = send(folder, ralph.url)
    assert again.returncode == 0, again.stderr
    assert "of 2 sessions" in again.stdout
    assert len(ralph.statements()) == before  # offered again, kept once
    assert "2 already delivered" in send(folder, ralph.url).stdout
