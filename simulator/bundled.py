"""Where the bundled library and its schema live: in an installed wheel, or a checkout.

The wheel carries `scenarios/` and the JSON Schema as package data under
`simulator/bundled/` (built from the trainers' working copy by the build backend, so
there is never a second copy to drift); a source checkout finds them beside the
package. Only `os.path` at import: `--help` names the folder, and start-up counts.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # `typing` and `pathlib` cost start-up time; mypy reads this as True
if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = os.path.dirname(os.path.abspath(__file__))
INSTALLED = os.path.join(PACKAGE, "bundled")
CHECKOUT = os.path.dirname(PACKAGE)

SCENARIOS_VARIABLE = "SIMULATOR_SCENARIOS"
"""Environment variable naming another library folder (a training team's own)."""


def library_folder() -> str:
    """`$SIMULATOR_SCENARIOS`, else the wheel's bundled library, else the checkout's."""
    override = os.environ.get(SCENARIOS_VARIABLE)
    if override:
        return override
    installed = os.path.join(INSTALLED, "scenarios")
    return installed if os.path.isdir(installed) else os.path.join(CHECKOUT, "scenarios")


def bundled_dir() -> Path:
    """`library_folder()` as a path, for the code that reads it."""
    from pathlib import Path

    return Path(library_folder())


def schema_file() -> Path | None:
    """The scenario JSON Schema on this machine (installed or in the checkout), if any."""
    from pathlib import Path

    candidates = (
        Path(INSTALLED, "scenario.schema.json"),
        Path(CHECKOUT, "docs", "scenario.schema.json"),
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None
