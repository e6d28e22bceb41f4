"""The `simulator check` contract: formats, --strict, exit codes 0/1/2, the library."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator.analysis.checker import Options, check_files
from simulator.bundled import bundled_dir
from simulator.cli import main
from simulator.scenario.library import scenario_files

CHECK = Path(__file__).parent / "fixtures" / "check"
CLEAN = CHECK / "judged-ok.yaml"
WARNS = CHECK / "unreachable-node.yaml"
FAILS = CHECK / "self-test-fails.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_clean_file_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(CLEAN))
    assert code == 0
    assert out.rstrip().endswith("checked 1 file: 0 errors, 0 warnings")
    assert "explored every conversation" in out and "best " in out and "worst " in out


def test_warnings_exit_0_unless_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(WARNS))
    assert code == 0
    assert f"{WARNS}:17:3: warning: node 'spare' is unreachable" in out
    code, out, _ = run(capsys, "--strict", str(WARNS))
    assert code == 1
    assert f"{WARNS}:17:3: error: node 'spare' is unreachable" in out


def test_errors_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(FAILS))
    assert code == 1
    assert "expected ending 'walked', got 'done' (path: hear-out)" in out


def test_load_errors_are_reported_with_positions(capsys: pytest.CaptureFixture[str]) -> None:
    bad = Path(__file__).parent / "fixtures" / "bad" / "goto-missing.yaml"
    code, out, _ = run(capsys, str(bad))
    assert code == 1
    assert out.startswith(f"{bad}:")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--format", "xml", str(CLEAN)])
    assert info.value.code == 2
    with pytest.raises(SystemExit) as info:
        main(["check", "--max-states", "0", str(CLEAN)])
    assert info.value.code == 2


def test_missing_paths_and_empty_folders_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.yaml"))
    assert code == 1 and "no such file or folder" in err
    code, _, err = run(capsys, str(tmp_path))
    assert code == 1 and "no scenario files" in err


def test_json_format_carries_problems_analysis_and_tests(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "--no-judgement", "--format", "json", str(WARNS), str(FAILS))
    assert code == 1
    document = json.loads(out)
    assert (document["ok"], document["errors"], document["warnings"]) == (False, 1, 1)
    warned, failed = document["files"]
    assert warned["problems"][0] == {
        "file": str(WARNS),
        "line": 17,
        "column": 3,
        "severity": "warning",
        "message": warned["problems"][0]["message"],
    }
    analysis = warned["analysis"]
    assert analysis["complete"] and analysis["paths_exact"]
    assert analysis["best"]["choices"] == ["hear-out"]
    assert analysis["endings"] == {"resolved": ["done"]}
    test = failed["self_tests"][0]
    assert test["passed"] is False and test["ending"] == "done"
    assert test["choices"] == ["hear-out"]


def test_github_format_emits_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--no-judgement", "--format", "github", str(WARNS), str(FAILS))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"::warning file={WARNS},line=17,col=3,title=simulator check::")
    assert any(line.startswith("::error file=") for line in lines)
    assert "%0A" not in lines[0] and "\n" not in lines[0]


def test_duplicate_ids_in_a_library_are_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shutil.copy(CLEAN, tmp_path / "a.yaml")
    shutil.copy(CLEAN, tmp_path / "b.yaml")
    code, out, _ = run(capsys, "--no-analysis", str(tmp_path))
    assert code == 1
    assert "scenario id 'judged-ok' is already used by" in out
    assert f"{tmp_path / 'b.yaml'}:" in out


def test_a_file_named_twice_is_checked_once_not_a_duplicate_of_itself(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A folder and a file inside it (a hook passing both), the same file twice, or
    # one folder spelt two ways: the same file, not two scenarios with one id.
    shutil.copy(CLEAN, tmp_path / "a.yaml")
    monkeypatch.chdir(tmp_path)
    for paths in (["a.yaml", "a.yaml"], [".", "a.yaml"], [".", str(tmp_path)]):
        code, out, _ = run(capsys, "--no-analysis", *paths)
        assert code == 0, (paths, out)
        assert "already used" not in out
        assert out.rstrip().splitlines()[-1].startswith("checked 1 file:"), (paths, out)


OVER_BUDGET = frozenset({"customs-invoice", "vip-wants-a-vp"})


def test_bundled_library_passes_strict_and_has_no_dead_ends() -> None:
    """The library ships clean under everything check does, the judgement checks
    included (what `check --strict` would fail on: any error or warning); speed is in
    make bench. Failed self-tests are pinned per scenario in tests/test_library.py."""
    files = scenario_files([bundled_dir()])
    assert files
    reports = check_files(files, Options())
    problems = [
        str(p) for r in reports for p in r.problems if not p.message.startswith("self-test '")
    ]
    assert problems == [], "\n".join(problems)
    for report in reports:
        assert report.analysis is not None
        # The rewritten customs-invoice and vip-wants-a-vp outgrew the default budget
        # (more than 250,000 merged states): their figures are bounds, and the analysis
        # must say why. Every other bundled scenario is exact. (Open in issue 11.)
        if Path(report.file).stem in OVER_BUDGET and not report.analysis.complete:
            assert report.analysis.bound_reason
        else:
            assert report.analysis.complete, (report.file, report.analysis.bound_reason)
        assert report.analysis.best is not None and report.analysis.worst is not None
        assert report.analysis.best.score >= report.analysis.worst.score


def test_pre_commit_hooks_run_the_real_command(capsys: pytest.CaptureFixture[str]) -> None:
    import yaml

    hooks = yaml.safe_load(
        (Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text()
    )
    assert {hook["id"] for hook in hooks} == {"simulator-check", "simulator-check-strict"}
    for hook in hooks:
        program, *argv = hook["entry"].split()
        assert program == "simulator" and hook["language"] == "python"
        code = main([*argv, str(WARNS)])
        capsys.readouterr()
        assert code == (1 if "--strict" in argv else 0)


def test_checking_in_worker_processes_reports_the_same_in_the_same_order() -> None:
    files = sorted(CHECK.glob("*.yaml"))[:8]
    assert len(files) == 8
    alone = check_files(files, Options(), jobs=1)
    shared = check_files(files, Options(), jobs=2)
    assert [r.file for r in shared] == [r.file for r in alone] == [str(p) for p in files]
    assert [r.problems for r in shared] == [r.problems for r in alone]
    for a, b in zip(alone, shared, strict=True):
        assert (a.analysis is None) == (b.analysis is None)
        if a.analysis is not None and b.analysis is not None:
            assert (a.analysis.best, a.analysis.worst, a.analysis.paths) == (
                b.analysis.best,
                b.analysis.worst,
                b.analysis.paths,
            )
