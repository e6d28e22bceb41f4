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


def test_the_parser_imports_only_the_command_being_run() -> None:
    """`--version`, `--help` and a command's own `--help` load no scenario machinery."""
    code = (
        "import sys\n"
        "from simulator.cli import build_parser\n"
        "from simulator.commands import COMMANDS\n"
        "heavy = ('pydantic', 'yaml', 'textual', 'simulator.scenario', 'simulator.engine',\n"
        "         'simulator.analysis.', 'simulator.logs')\n"
        "for argv in (['--version'], ['--help'], *([name, '--help'] for name in COMMANDS)):\n"
        "    build_parser(argv)\n"
        "    loaded = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "    assert not loaded, (argv, loaded)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
