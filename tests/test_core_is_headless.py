"""The core must be importable without the terminal UI (the import contract)."""

from __future__ import annotations

import subprocess
import sys


def test_core_packages_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import simulator.scenario.loader, simulator.engine.session, simulator.engine.scoring\n"
        "import simulator.analysis, simulator.logs, simulator.cli\n"
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
