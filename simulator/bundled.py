"""Where the bundled library and its schema live: in an installed wheel, or a checkout.

The wheel carries `scenarios/` and the JSON Schema as package data under
`simulator/bundled/` (built from the trainers' working copy by the build backend, so
there is never a second copy to drift); a source checkout finds them beside the
package. Kept free of heavy imports: `--help` and the TUI's empty state name the folder.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INSTALLED = PACKAGE / "bundled"
CHECKOUT = PACKAGE.parent

SCENARIOS_VARIABLE = "SIMULATOR_SCENARIOS"
"""Environment variable naming another library folder (a training team's own)."""


def bundled_dir() -> Path:
    """`$SIMULATOR_SCENARIOS`, else the wheel's bundled library, else the checkout's."""
    override = os.environ.get(SCENARIOS_VARIABLE)
    if override:
        return Path(override)
    installed = INSTALLED / "scenarios"
    return installed if installed.is_dir() else CHECKOUT / "scenarios"


def schema_file() -> Path | None:
    """The scenario JSON Schema on this machine (installed or in the checkout), if any."""
    for candidate in (
        INSTALLED / "scenario.schema.json",
        CHECKOUT / "docs" / "scenario.schema.json",
    ):
        if candidate.is_file():
            return candidate
    return None
