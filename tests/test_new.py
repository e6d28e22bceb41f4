"""`simulator new` writes a starter that passes `check` cleanly and plays to its endings."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.analysis.checker import check_file
from simulator.bundled import CHECKOUT, schema_file
from simulator.cli import main
from simulator.engine.session import Session
from simulator.scenario.loader import load_scenario_file
from tests.conftest import run_cli


def test_starter_passes_check_without_a_single_warning(tmp_path: Path) -> None:
    assert main(["new", "late-parcel", "--dir", str(tmp_path)]) == 0
    target = tmp_path / "late-parcel.yaml"
    report = check_file(target)
    assert report.problems == (), "\n".join(map(str, report.problems))
    assert report.analysis is not None and report.analysis.complete
    assert report.tests and all(t.passed for t in report.tests)
    assert main(["check", "--strict", str(target)]) == 0


def test_starter_plays_to_both_kinds_of_ending(tmp_path: Path) -> None:
    main(["new", "late-parcel", "--dir", str(tmp_path)])
    loaded = load_scenario_file(tmp_path / "late-parcel.yaml").loaded
    assert loaded is not None
    assert loaded.scenario.id == "late-parcel"
    good = Session(loaded).play(["hear-her-out", "own-it"])
    bad = Session(loaded).play(["policy", "website"])
    assert (good.outcome, bad.outcome) == ("resolved", "lost")
    assert good.score.score > bad.score.score


def test_starter_carries_a_modeline_that_finds_the_schema(tmp_path: Path) -> None:
    main(["new", "late-parcel", "--dir", str(tmp_path / "deep" / "er")])
    first = (tmp_path / "deep" / "er" / "late-parcel.yaml").read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    reference = first.split("$schema=", 1)[1]
    schema = schema_file()
    assert schema is not None, "the checkout ships docs/scenario.schema.json"
    # Outside the checkout the modeline is the schema's file URI, loadable offline.
    assert reference == schema.as_uri()


def test_a_starter_inside_the_checkout_points_at_the_schema_relatively() -> None:
    from simulator.analysis.scaffold import schema_reference

    reference = schema_reference(Path(CHECKOUT, "scenarios"))
    assert reference == "../docs/scenario.schema.json"
    assert Path(CHECKOUT, "scenarios", reference).resolve() == schema_file()


def test_new_refuses_bad_ids_and_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Bad_Id", "--dir", str(tmp_path)]) == 1
    assert "not a valid scenario id" in capsys.readouterr().err
    assert main(["new", "twice", "--dir", str(tmp_path)]) == 0
    before = (tmp_path / "twice.yaml").read_text()
    assert main(["new", "twice", "--dir", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tmp_path / "twice.yaml").read_text() == before


@pytest.mark.parametrize(
    "folder", ["two\nlines", "esc\x1b]0;x\x07", "bad-byte-\udcff"], ids=["newline", "esc", "byte"]
)
def test_a_starter_in_an_awkward_folder_still_passes_check(tmp_path: Path, folder: str) -> None:
    # The folder is named in the starter's comments: a newline there once ended the
    # comment (a starter that fails check), an undecodable byte could not be written
    # at all (a traceback, and an empty file left that blocked the next try).
    directory = tmp_path / folder
    done = run_cli("new", "late-parcel", "--dir", str(directory))
    assert done.returncode == 0, done.stderr
    target = directory / "late-parcel.yaml"
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\x07" not in text
    report = check_file(target)
    assert report.problems == (), "\n".join(map(str, report.problems))


def test_new_into_a_file_says_it_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine\n")
    done = run_cli("new", "late-parcel", "--dir", str(tmp_path / "notes"))
    assert done.returncode == 1
    assert done.stderr == f"simulator: error: {tmp_path / 'notes'} is not a folder\n"
    assert (tmp_path / "notes").read_text() == "mine\n"
