"""`simulator check` keeps each file's verdict until the file, the options or the
simulator change (simulator/analysis/check_cache.py), and never lets a kept verdict
stand for anything else."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.analysis.check_cache import ENTRIES_KEPT, FINGERPRINTS_KEPT, CheckCache
from simulator.analysis.checker import Options, check_file, check_files
from simulator.cache import cache_root
from simulator.cli import main

CHECK = Path(__file__).parent / "fixtures" / "check"
CLEAN = CHECK / "judged-ok.yaml"
WARNS = CHECK / "unreachable-node.yaml"


def check_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["check", "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def files_of(document: dict[str, object]) -> list[dict[str, object]]:
    files = document["files"]
    assert isinstance(files, list)
    return files


def without_cached(document: dict[str, object]) -> list[dict[str, object]]:
    return [{k: v for k, v in f.items() if k != "cached"} for f in files_of(document)]


def kept_files() -> list[Path]:
    return sorted((cache_root() / "check").glob("*/*.pickle"))


@pytest.fixture
def scenario(tmp_path: Path) -> Path:
    path = tmp_path / "warns.yaml"
    shutil.copy(WARNS, path)
    return path


def test_an_unchanged_file_gets_its_kept_verdict_word_for_word(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    code, first = check_json(capsys, str(scenario))
    assert code == 0 and [f["cached"] for f in files_of(first)] == [False]
    assert len(kept_files()) == 1
    again, second = check_json(capsys, str(scenario))
    assert again == code and [f["cached"] for f in files_of(second)] == [True]
    assert without_cached(second) == without_cached(first)
    assert files_of(first)[0]["warnings"] == 1  # the verdict kept is the real one
    # --strict is applied to the kept verdict like to a fresh one.
    assert main(["check", "--strict", str(scenario)]) == 1
    out = capsys.readouterr().out
    assert ": error: node 'spare' is unreachable" in out
    assert "(unchanged since its last check: from the cache)" in out


def test_any_edit_of_the_file_is_checked_again(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    check_json(capsys, str(scenario))
    scenario.write_bytes(scenario.read_bytes() + b"# one more comment\n")
    _, edited = check_json(capsys, str(scenario))
    assert [f["cached"] for f in files_of(edited)] == [False]
    os.utime(scenario, (0, 0))  # touching it is not an edit: same bytes, same verdict
    _, touched = check_json(capsys, str(scenario))
    assert [f["cached"] for f in files_of(touched)] == [True]


def test_other_options_are_other_verdicts(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    _, full = check_json(capsys, str(scenario))
    _, small = check_json(capsys, "--max-states", "50", str(scenario))
    _, quick = check_json(capsys, "--no-analysis", str(scenario))
    assert [files_of(d)[0]["cached"] for d in (full, small, quick)] == [False] * 3
    assert files_of(quick)[0]["analysis"] is None
    _, small_again = check_json(capsys, "--max-states", "50", str(scenario))
    assert files_of(small_again)[0]["cached"] is True
    assert without_cached(small_again) == without_cached(small)


def test_no_cache_neither_reads_nor_writes_it(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    _, fresh = check_json(capsys, "--no-cache", str(scenario))
    assert not kept_files() and files_of(fresh)[0]["cached"] is False
    check_json(capsys, str(scenario))
    _, forced = check_json(capsys, "--no-cache", str(scenario))
    assert files_of(forced)[0]["cached"] is False


def test_a_damaged_cache_is_checked_again_and_mended(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    _, first = check_json(capsys, str(scenario))
    for junk in (b"", b"not a pickle", b"\x80\x05K\x01.", b"\x80\x05" + b"(" * 100_000):
        for kept in kept_files():
            kept.write_bytes(junk)
        code, again = check_json(capsys, str(scenario))
        assert code == 0 and files_of(again)[0]["cached"] is False
        assert without_cached(again)[0]["problems"] == without_cached(first)[0]["problems"]
    _, mended = check_json(capsys, str(scenario))
    assert files_of(mended)[0]["cached"] is True


def test_a_fifo_in_the_cache_is_nothing_kept_not_a_hang(
    capsys: pytest.CaptureFixture[str], scenario: Path
) -> None:
    check_json(capsys, str(scenario))
    (kept,) = kept_files()
    kept.unlink()
    os.mkfifo(kept)  # opened plainly, this blocked the check until someone wrote to it
    code, again = check_json(capsys, str(scenario))
    assert code == 0 and files_of(again)[0]["cached"] is False
    assert kept.is_file()  # and the verdict is kept again, over it


def test_a_file_that_does_not_load_is_never_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: [\n", encoding="utf-8")
    for _ in range(2):
        code, document = check_json(capsys, str(broken))
        assert code == 1 and files_of(document)[0]["cached"] is False
    assert not kept_files()


def test_duplicate_ids_are_found_among_kept_verdicts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    one, two = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(CLEAN, one)
    shutil.copy(CLEAN, two)
    for _ in range(2):
        code, document = check_json(capsys, str(one), str(two))
        assert code == 1
        messages = [p["message"] for f in files_of(document) for p in f["problems"]]  # type: ignore[attr-defined]
        assert sum("is already used by" in str(m) for m in messages) == 1
    assert [f["cached"] for f in files_of(document)] == [True, True]


def test_a_file_changed_while_it_was_checked_is_not_kept(scenario: Path) -> None:
    kept = CheckCache(Options(analyse=False))
    assert kept.lookup([scenario]) == {}
    scenario.write_bytes(scenario.read_bytes() + b"# edited meanwhile\n")
    kept.store([check_file(scenario, Options(analyse=False))])
    assert not kept_files()  # the verdict is of other bytes than the ones looked up


def test_an_unusable_cache_folder_costs_only_time(
    capsys: pytest.CaptureFixture[str], scenario: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = scenario.parent / "a-file-not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("SIMULATOR_CACHE_DIR", str(blocker))
    for _ in range(2):
        code, document = check_json(capsys, str(scenario))
        assert code == 0 and files_of(document)[0]["cached"] is False


def test_old_verdicts_and_fingerprints_are_pruned(scenario: Path) -> None:
    kept = CheckCache(Options(analyse=False))
    for n in range(FINGERPRINTS_KEPT + 2):
        old = kept.folder.parent / f"old-fingerprint-{n}"
        old.mkdir(parents=True)
        os.utime(old, (n, n))
    kept.folder.mkdir(parents=True, exist_ok=True)
    for n in range(ENTRIES_KEPT + 5):
        stale = kept.folder / f"stale-{n:05d}.pickle"
        stale.write_bytes(b"")
        os.utime(stale, (n, n))
    assert kept.lookup([scenario]) == {}
    kept.store([check_file(scenario, Options(analyse=False))])
    folders = sorted(p.name for p in kept.folder.parent.iterdir())
    assert len(folders) == FINGERPRINTS_KEPT and kept.folder.name in folders
    entries = list(kept.folder.iterdir())
    assert len(entries) == ENTRIES_KEPT // 2
    assert kept.lookup([scenario]) != {}  # the newest verdict is one of those kept


def test_the_library_call_keeps_nothing_unless_asked(scenario: Path) -> None:
    check_files([scenario], Options(analyse=False), jobs=1)
    assert not kept_files()
    check_files([scenario], Options(analyse=False), jobs=1, cache=True)
    assert len(kept_files()) == 1


def test_the_fingerprint_follows_every_file_of_the_package(tmp_path: Path) -> None:
    """A copy of the package, edited in one data file, is another simulator."""
    import simulator

    copy = tmp_path / "simulator"
    shutil.copytree(
        Path(simulator.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    program = "from simulator.analysis.check_cache import fingerprint; print(fingerprint())"

    def fingerprint_of_copy() -> str:
        done = subprocess.run(
            [sys.executable, "-c", program],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(tmp_path)},
        )
        return done.stdout.strip()

    before = fingerprint_of_copy()
    assert fingerprint_of_copy() == before
    catalog = copy / "engine" / "data" / "catalog.yaml"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n# tuned\n", encoding="utf-8")
    assert fingerprint_of_copy() != before


def test_what_cannot_be_kept_leaves_nothing_behind(tmp_path: Path) -> None:
    from simulator.cache import keep, load_kept

    target = tmp_path / "kept" / "entry.pickle"
    keep(target, 1, {"report": lambda: None})  # a lambda cannot be pickled
    assert not target.exists() and list(target.parent.iterdir()) == []
    keep(target, 1, {"report": "fine"})
    assert load_kept(target, 1) == {"version": 1, "report": "fine"}
    assert load_kept(target, 2) is None  # another version of the format is nothing kept
