"""The built wheel works where a user installs it: bundled scenarios and schema inside.

The wheel is built from this checkout (hatchling, no network) and unpacked into a
folder outside it; the commands then run from `/`, so nothing can be found by
accident beside the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO

PROBE = """
import asyncio, json, sys
sys.path.insert(0, sys.argv[1])
import simulator
from simulator.bundled import bundled_dir, schema_file
from simulator.cli import main
from simulator.tui.app import SimulatorApp
from simulator.tui.game import GameConfig

async def listed():
    app = SimulatorApp(GameConfig(trainee="Wheel Test", seed=1))
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            options = app.screen.query("#scenarios")
            if options and options.first().option_count:
                return options.first().option_count
    return 0

code = main(["play", "first-call", "--choices", "take-your-time,specific-empathy",
             "--no-log", "--json"])
print(json.dumps({"package": simulator.__file__, "library": str(bundled_dir()),
                  "schema": str(schema_file()), "play": code,
                  "listed": asyncio.run(listed())}))
"""


def test_an_installed_wheel_carries_the_library_and_the_schema(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("*.whl")
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMULATOR_")}
    env["HOME"] = str(tmp_path / "home")
    env["XDG_CONFIG_HOME"] = env["XDG_DATA_HOME"] = str(tmp_path / "home")
    ran = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        cwd="/",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    *played, probe = ran.stdout.strip().splitlines()
    found = json.loads(probe)
    assert json.loads("\n".join(played))["scenario"] == "first-call"
    assert found["play"] == 0
    assert Path(found["package"]).is_relative_to(site)
    assert Path(found["library"]) == site / "simulator" / "bundled" / "scenarios"
    assert Path(found["schema"]) == site / "simulator" / "bundled" / "scenario.schema.json"
    shipped = sorted(p.name for p in Path(found["library"]).glob("*.yaml"))
    assert shipped == sorted(p.name for p in (REPO / "scenarios").glob("*.yaml"))
    assert found["listed"] == len(shipped)
