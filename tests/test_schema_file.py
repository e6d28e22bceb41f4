"""docs/scenario.schema.json is `simulator schema`'s output and accepts the whole library.

Editors read the committed file through the modeline, so it must not drift from
the models; and every bundled scenario (whatever is in scenarios/ today) must
validate with an independent validator, check-jsonschema, not just our loader.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.bundled import bundled_dir
from simulator.cli import main
from simulator.scenario.library import scenario_files

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "docs" / "scenario.schema.json"
VALIDATOR = Path(sys.executable).parent / "check-jsonschema"


def test_schema_file_is_the_output_of_simulator_schema(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert SCHEMA.read_text(encoding="utf-8") == printed, (
        "docs/scenario.schema.json is stale: run `simulator schema > docs/scenario.schema.json`"
    )
    assert json.loads(printed)["$schema"].startswith("https://json-schema.org/")


def _validator() -> str:
    found = str(VALIDATOR) if VALIDATOR.exists() else shutil.which("check-jsonschema")
    assert found is not None, "check-jsonschema is missing: it is in the dev extras"
    return found


def test_every_bundled_scenario_validates_with_check_jsonschema() -> None:
    files = scenario_files([bundled_dir()])
    assert files, "no bundled scenarios"
    result = subprocess.run(
        [_validator(), "--schemafile", str(SCHEMA), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_rejects_what_the_loader_rejects(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: 1\nid: x\ntitle: t\nsummary: s\ncustomer: {name: n, role: r}\n"
        "start: a\nnodes: {a: {say: hi, choices: [{id: c, say: s, techniques: [shout], "
        "goto: e}]}}\nendings: {e: {outcome: won}}\ncolour: red\n"
    )
    result = subprocess.run(
        [_validator(), "--schemafile", str(SCHEMA), str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    for word in ("shout", "won", "colour"):
        assert word in result.stdout + result.stderr
