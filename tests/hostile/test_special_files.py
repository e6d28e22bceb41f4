"""Special files, pathological sizes and bad bytes, made by each test in tmp_path.

FIFOs, devices, sockets, symlink loops, sparse files past a cap, names holding a
newline, ESC, RLO or a non-UTF-8 byte, thousands of misspelt ids: none of them is
committed, all are created here. Cases that could block (a FIFO opened the old way)
run in a subprocess with a timeout, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from simulator.files import LOG_MAX, SCENARIO_MAX
from tests.hostile.conftest import FIXTURE, LOGS, Ran, cli, run, sealed_copy

DEV_ZERO = Path("/dev/zero")


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def zero(path: Path) -> Path:
    path.symlink_to(DEV_ZERO)
    return path


def loop(path: Path) -> Path:
    path.symlink_to(path.name)
    return path


def sock(path: Path) -> Iterator[Path]:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def one_problem_per_line(ran: Ran, name: str) -> None:
    """Every line naming the file starts like a problem line, and no line is forged."""
    for line in ran.out.splitlines() + ran.err.splitlines():
        assert not line.startswith("fake.yaml"), line


# ------------------------------------------------------------------ scenario files

SPECIAL = {
    "fifo": (fifo, "not a regular file: a named pipe (FIFO)"),
    "dev-zero": (zero, "not a regular file: a character device"),
    "loop": (loop, "symlink loop"),
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_check_refuses_a_special_file_named_directly(kind: str, tmp_path: Path) -> None:
    make, message = SPECIAL[kind]
    path = make(tmp_path / "x.yaml")
    ran = run("check", path).clean()
    assert ran.code == 1
    assert message in ran.out + ran.err


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_check_reports_a_special_file_in_a_folder_and_checks_the_rest(
    kind: str, tmp_path: Path
) -> None:
    make, message = SPECIAL[kind]
    make(tmp_path / "a.yaml")
    shutil.copy(FIXTURE, tmp_path / "b.yaml")
    ran = run("check", "--no-analysis", tmp_path).clean()
    assert ran.code == 1
    assert f"a.yaml:1:1: error: cannot read file: {message}" in ran.out
    assert "b.yaml: late-refund: 2/2 self-tests passed" in ran.out


def test_check_names_a_socket(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in sock(tmp_path / "s.yaml"):
        ran = cli(capsys, "check", path).clean()
        assert "not a regular file: a socket" in ran.out


def test_check_names_a_dangling_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere")
    ran = cli(capsys, "check", tmp_path).clean()
    assert "gone.yaml:1:1: error: cannot read file: no such file or folder" in ran.out


def test_a_symlink_loop_is_not_called_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    looped = loop(tmp_path / "loop")
    ran = cli(capsys, "check", looped).clean()
    assert ran.err.startswith("simulator: error: symlink loop") and "no such" not in ran.err


def test_a_scenario_past_the_cap_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = sparse(tmp_path / "big.yaml", 4 * 1024**3)  # 4 GB, no disk used
    ran = cli(capsys, "check", path).clean()
    assert (
        f"file is too large: 4,294,967,296 bytes (the limit is {SCENARIO_MAX:,} bytes)" in ran.out
    )


def test_a_scenario_one_byte_past_the_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (SCENARIO_MAX + 1))
    assert "file is too large" in cli(capsys, "check", path).clean().out


NAMES = {
    "newline": "a\nfake.yaml:1:1: error: forged.yaml",
    "esc": "a\x1b]52;c;SGVsbG8=\x07.yaml",
    "rlo": "a\u202elmay.yaml",
    "c1": "a\x9b2J.yaml",
    "cr": "a\rfake.yaml",
}


@pytest.mark.parametrize("kind", sorted(NAMES))
def test_a_hostile_file_name_is_shown_escaped_on_one_line(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / NAMES[kind]
    path.write_text("format: 1\nid: x\nbogus: 1\n", encoding="utf-8")
    ran = cli(capsys, "check", path).clean()
    one_problem_per_line(ran, NAMES[kind])
    problems = [line for line in ran.out.splitlines() if ": error: " in line]
    assert problems and all(line.startswith(str(tmp_path)) for line in problems)
    for fmt in ("json", "github"):
        cli(capsys, "check", "--format", fmt, path).clean()


def test_a_non_utf8_file_name_is_checked_played_and_logged(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path)
    name = folder + b"/bad\xff.yaml"
    shutil.copy(os.fsencode(FIXTURE), name)
    ran = run("check", "--no-analysis", name).clean()
    assert "self-tests passed" in ran.out and "\\xff" not in ran.err
    logs = tmp_path / "logs"
    ran = run("play", name, "--choices", "hear-her-out,own-it", "--log-dir", logs).clean()
    assert ran.code == 0, ran.err
    (log,) = logs.rglob("*.jsonl")
    start = json.loads(log.read_bytes().split(b"\n")[0])
    assert start["scenario_file"].endswith("bad\ufffd.yaml")


def test_a_non_utf8_trainee_name_is_logged_not_a_crash(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    ran = run(
        "play", FIXTURE, "--choices", "hear-her-out", "--trainee", b"Ann\xff\xfe", "--log-dir", logs
    ).clean()
    assert ran.code == 0, ran.err
    (log,) = logs.rglob("*.jsonl")
    start = json.loads(log.read_bytes().split(b"\n")[0])
    assert start["trainee"] == "Ann\ufffd\ufffd"
    report = run("report", "--include-scripted", logs).clean()  # --choices is scripted
    assert "Ann\ufffd\ufffd" in report.out


def test_a_non_utf8_login_name_is_logged_not_a_crash(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    env = {"LOGNAME": "Bo\udcff", "USER": "Bo\udcff", "LNAME": "", "USERNAME": ""}
    env = {k: os.fsdecode(os.fsencode(v)) for k, v in env.items()}
    done = run("play", FIXTURE, "--choices", "hear-her-out", "--log-dir", logs, env=env)
    assert done.clean().code == 0, done.err
    (log,) = logs.rglob("*.jsonl")
    assert json.loads(log.read_bytes().split(b"\n")[0])["trainee"] == "Bo\ufffd"


# --------------------------------------------------------------- pathological sizes


def scenario(nodes: list[str], endings: str = "  done: {outcome: resolved}\n") -> str:
    head = "format: 1\nid: big\ntitle: Big\nsummary: Big.\ncustomer: {name: A, role: B}\n"
    return head + "start: n0\nnodes:\n" + "".join(nodes) + "endings:\n" + endings


def node(i: int, goto: str, when: str = "") -> str:
    condition = f", when: '{when}'" if when else ""
    return (
        f"  n{i}:\n    say: Hi.\n    choices:\n      - {{id: go, say: Ok., "
        f"techniques: [open_question], goto: {goto}{condition}}}\n"
    )


@pytest.mark.parametrize("count", [1000, 4000])
def test_misspelt_gotos_get_a_bounded_number_of_hints(
    count: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typos.yaml"
    path.write_text(scenario([node(i, f"nx{i}") for i in range(count)]), encoding="utf-8")
    ran = cli(capsys, "check", "--no-analysis", path).clean()
    errors = [line for line in ran.out.splitlines() if ": error: goto target" in line]
    assert len(errors) == count
    assert 1 <= sum("did you mean" in line for line in errors) <= 20


def test_misspelt_visited_references_get_a_bounded_number_of_hints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [node(i, "done", when=f"visited.nx{i}") for i in range(4000)]
    path = tmp_path / "visits.yaml"
    path.write_text(scenario(nodes), encoding="utf-8")
    ran = cli(capsys, "check", "--no-analysis", path).clean()
    errors = [line for line in ran.out.splitlines() if ": no node 'nx" in line]
    assert len(errors) == 4000 and sum("did you mean" in e for e in errors) <= 20


def test_an_8000_node_chain_is_linear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nodes = [node(i, f"n{i + 1}" if i < 7999 else "done") for i in range(8000)]
    path = tmp_path / "chain.yaml"
    path.write_text(scenario(nodes), encoding="utf-8")
    ran = cli(capsys, "check", "--no-analysis", path).clean()
    assert ran.code == 0 and "0 errors, 0 warnings" in ran.out


def test_a_long_chain_is_analysed_without_replaying_every_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nodes = [node(i, f"n{i + 1}" if i < 1999 else "done") for i in range(2000)]
    path = tmp_path / "chain.yaml"
    path.write_text(scenario(nodes), encoding="utf-8")
    ran = cli(capsys, "check", path).clean()
    assert "longest conversation 2,000 turns" in ran.out and "more turns" in ran.out
    assert max(map(len, ran.out.splitlines())) < 2000


def test_a_500kb_id_gives_one_short_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "key.yaml"
    path.write_bytes(FIXTURE.read_bytes().replace(b"[minimize]", b"[" + b"k" * 500_000 + b"]"))
    ran = cli(capsys, "check", path).clean()
    (problem,) = [line for line in ran.out.splitlines() if "unknown technique" in line]
    assert len(problem) < 2200 and problem.endswith("…")


def test_thousands_of_duplicate_keys_stop_at_the_problem_cap(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dups.yaml"
    path.write_text("a: 1\n" * 20_000, encoding="utf-8")
    ran = cli(capsys, "check", path).clean()
    assert "too many problems; stopping" in ran.out and len(ran.out.splitlines()) < 110


# ------------------------------------------------------------------------ log folders


def good_logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    sealed_copy(LOGS / "trainee-rlo.jsonl", folder / "good.jsonl")
    return folder


@pytest.mark.parametrize("kind", sorted(SPECIAL))
@pytest.mark.parametrize(
    "args",
    [["verify"], ["report"], ["export", "--format", "csv"], ["export", "--format", "xapi"]],
    ids=" ".join,
)
def test_a_special_entry_in_a_log_folder_hides_no_other_session(
    kind: str, args: list[str], tmp_path: Path
) -> None:
    make, message = SPECIAL[kind]
    folder = good_logs(tmp_path)
    make(folder / "x.jsonl")
    ran = run(*args, folder).clean()
    assert f"x.jsonl: error: cannot read: {message}" in ran.out + ran.err
    if args == ["verify"]:
        assert "1 session checked: 1 verified, 0 not" in ran.out
    elif args == ["report"]:
        assert ran.out.startswith("1 session,") and "Annexe.txt" in ran.out
    else:
        assert "0123456789abcdef" in ran.out


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_replay_of_a_special_entry_is_one_line(kind: str, tmp_path: Path) -> None:
    make, message = SPECIAL[kind]
    folder = good_logs(tmp_path)
    make(folder / "x.jsonl")
    ran = run("replay", "x", "--log-dir", folder).clean()
    assert ran.code == 1 and ran.err.count("\n") == 1 and message in ran.err


def test_a_log_past_the_cap_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = good_logs(tmp_path)
    sparse(folder / "huge.jsonl", LOG_MAX + 1)
    ran = cli(capsys, "verify", folder).clean()
    assert "huge.jsonl: error: cannot read: file is too large" in ran.out
    assert "1 session checked: 1 verified" in ran.out


def test_a_two_megabyte_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = good_logs(tmp_path)
    (folder / "line.jsonl").write_bytes(b'{"v":1,"x":"' + b"\x1b" * 2_000_000 + b"\n")
    ran = cli(capsys, "verify", folder).clean()
    assert "line.jsonl:1: error: line longer than 65536 bytes; skipped" in ran.out


def test_a_fifo_named_as_the_log_folder(tmp_path: Path) -> None:
    ran = run("verify", fifo(tmp_path / "logs")).clean()
    assert "cannot read: not a regular file: a named pipe (FIFO)" in ran.out


def test_replay_never_opens_a_fifo_the_log_names(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    record = json.loads((LOGS / "trainee-rlo.jsonl").read_bytes().split(b"\n")[0])
    target = fifo(tmp_path / "trap.yaml")
    line = (
        (LOGS / "trainee-rlo.jsonl")
        .read_bytes()
        .replace(json.dumps(record["scenario_file"]).encode(), json.dumps(str(target)).encode(), 1)
    )
    (folder / "s.jsonl").write_bytes(line)
    ran = run("replay", "s", "--log-dir", folder).clean()
    assert "== " in ran.out


# ---------------------------------------------------------------- exports and secrets


def anchors(tmp_path: Path, fmt: str, records: object, head: object = "a" * 64) -> Path:
    session = "0123456789abcdef0123456789abcdef"
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        path.write_text(f"session_id,chain_head,records\n{session},{head},{records}\n")
    elif fmt == "jsonl":
        row = {"session_id": session, "chain_head": head, "records": records}
        path.write_text(json.dumps(row) + "\n")
    else:
        ext = "https://difficult-customers.example/xapi/extensions"
        statement = {
            "context": {
                "registration": session,
                "extensions": {f"{ext}/chain-head": head, f"{ext}/records": records},
            }
        }
        path.write_text("[\n" + json.dumps(statement) + "\n]\n")
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xapi"])
@pytest.mark.parametrize("records", [-5, 0, "abc", 10**30, 1.5, True, None, "-1"])
def test_a_crafted_record_count_is_one_line(
    fmt: str, records: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if fmt == "csv" and records is None:
        records = ""
    against = anchors(tmp_path, fmt, records)
    ran = cli(capsys, "verify", good_logs(tmp_path), "--against", against).clean()
    assert ran.code == 1
    (line,) = [x for x in ran.out.splitlines() if "cannot read the export" in x]
    assert "record count" in line


@pytest.mark.parametrize("head", ["zz", 5, "A" * 64])
def test_a_crafted_chain_head_is_one_line(
    head: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    against = anchors(tmp_path, "jsonl", 3, head)
    ran = cli(capsys, "verify", good_logs(tmp_path), "--against", against).clean()
    assert "the chain head is not a SHA-256" in ran.out


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_a_special_export_is_refused(kind: str, tmp_path: Path) -> None:
    make, message = SPECIAL[kind]
    ran = run("verify", good_logs(tmp_path), "--against", make(tmp_path / "e.csv")).clean()
    assert f"cannot read the export: {message}" in ran.out


def test_an_export_of_statements_that_are_not_objects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "e.json"
    path.write_text('[\n[1,2],\n"\\u001b[2J"\n]\n')
    ran = cli(capsys, "verify", good_logs(tmp_path), "--against", path).clean()
    assert "cannot read the export: line 2: not an xAPI statement" in ran.out


def test_an_export_cell_past_the_csv_field_limit_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The csv module refuses a cell over 128 KiB with its own csv.Error (not a
    ValueError), which escaped `verify --against` as a traceback."""
    path = tmp_path / "e.csv"
    path.write_text("session_id,reflection,chain_head,records\nx," + "y" * 200_000 + ",,1\n")
    ran = cli(capsys, "verify", good_logs(tmp_path), "--against", path).clean()
    assert ran.code == 1
    (line,) = [x for x in ran.out.splitlines() if "cannot read the export" in x]
    assert "field larger than field limit" in line


def writes(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


DAMAGED = "the anonymisation secret is damaged"
SECRETS: dict[str, tuple[Callable[[Path], object], str]] = {
    "not-hex": (writes(b"zz" * 32 + b"\n"), DAMAGED),
    "short": (writes(b"abcd\n"), DAMAGED),
    "binary": (writes(b"\xff\xfe" * 40), DAMAGED),
    "fifo": (fifo, "not a regular file: a named pipe (FIFO)"),
    "dev-zero": (zero, "not a regular file: a character device"),
    "loop": (loop, "symlink loop"),
}


ANONYMISED = {
    "export": ("export", "--format", "csv", "--anonymize"),
    # The secret is read before anything is sent, so no LRS needs to be listening.
    "send": ("send", "--lrs", "http://127.0.0.1:9/xAPI/", "--retries", "0", "--anonymize"),
}


@pytest.mark.parametrize("command", sorted(ANONYMISED))
@pytest.mark.parametrize("kind", sorted(SECRETS))
def test_a_damaged_export_secret_is_one_line(kind: str, command: str, tmp_path: Path) -> None:
    make, message = SECRETS[kind]
    config = tmp_path / "config"
    config.mkdir()
    make(config / "export-secret")
    name, *options = ANONYMISED[command]
    ran = run(name, good_logs(tmp_path), *options, env={"SIMULATOR_CONFIG_DIR": str(config)})
    ran.clean()
    assert ran.code == 1 and ran.err.count("\n") == 1 and message in ran.err, ran.err


def test_a_fifo_as_settings_is_ignored(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    fifo(config / "settings.json")
    ran = run(
        "play",
        FIXTURE,
        "--choices",
        "hear-her-out",
        "--no-log",
        env={"SIMULATOR_CONFIG_DIR": str(config)},
    ).clean()
    assert ran.code == 0, ran.err


# ------------------------------------------------------------------ command-line text

ESC = "\x1b]52;c;SGVsbG8=\x07"


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", ESC],
        ["play", ESC],
        ["play", FIXTURE, "--choices", ESC, "--no-log"],
        ["report", "--since", ESC],
        ["replay", ESC],
        ["verify", ESC],
        ["check", "\u202e" + ESC],
        ["export", "--format", "csv", "--trainee", "a\nfake.yaml:1:1: error: forged"],
    ],
    ids=range(8),
)
def test_what_the_user_typed_is_echoed_escaped(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = cli(capsys, *args).clean()
    assert ran.err.count("\n") <= 1
    one_problem_per_line(ran, "")
