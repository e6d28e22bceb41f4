"""Per-user settings: who is training on this machine, and the theme they chose.

The trainee signs in once; the name is remembered in the per-user config folder so
the next `make play` opens straight on the scenario picker. Kept tiny and free of
Textual so the plain front end and the tests can read it too. A missing or damaged
file is treated as "no settings yet" rather than an error: losing a remembered name
costs one prompt, refusing to start costs a training session.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from simulator.files import SETTINGS_MAX, read_capped
from simulator.text import literal

APP_NAME = "difficult-customers"
NAME_MAX = 40


@dataclass(frozen=True)
class Settings:
    """What we remember between runs."""

    trainee: str | None = None
    """The signed-in trainee's display name, already cleaned by `clean_name`."""
    theme: str | None = None
    """The Textual theme the trainee last picked, or None for the default."""


def settings_path() -> Path:
    """`SIMULATOR_CONFIG_DIR/settings.json`, else the platform's per-user config folder."""
    override = os.environ.get("SIMULATOR_CONFIG_DIR")
    folder = Path(override) if override else platformdirs.user_config_path(APP_NAME)
    return folder / "settings.json"


def room_settings_path(room: Path, trainee: str) -> Path:
    """One trainee's settings in a training room: keyed by name, not by server account.

    The file name is a digest, so a name can never become a path.
    """
    digest = hashlib.sha256(trainee.casefold().encode("utf-8", "replace")).hexdigest()[:24]
    return room / ".trainees" / f"{digest}.json"


def clean_name(raw: str) -> str | None:
    """A trainee name safe to show and log: no control characters, one line, bounded.

    Returns None when nothing printable is left, so callers can ask again.
    """
    name = re.sub(r"\s+", " ", literal(raw)).strip()[:NAME_MAX].strip()
    return name or None


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        data = json.loads(read_capped(path, SETTINGS_MAX).decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    trainee = data.get("trainee")
    theme = data.get("theme")
    return Settings(
        trainee=clean_name(trainee) if isinstance(trainee, str) else None,
        theme=theme if isinstance(theme, str) and theme else None,
    )


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write atomically, so a crash mid-write never leaves half a file behind."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(asdict(settings), indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)
