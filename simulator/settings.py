"""Per-user settings: who is training on this machine, their team, the theme they
chose, and (for a manager) where the learning record store is and how trainees are
known to it.

The trainee signs in once; the name is remembered in the per-user config folder so
the next `make play` opens straight on the scenario picker. Kept tiny and free of
Textual so the plain front end and the tests can read it too. A missing or damaged
file is treated as "no settings yet" rather than an error: losing a remembered name
costs one prompt, refusing to start costs a training session. Saving is the other
way round: the game writes only what it changed, into the file as it is then, and
never over a file it cannot read (`update_settings`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.files import SETTINGS_MAX, read_capped, why
from simulator.folders import config_folder
from simulator.text import single_line, unsurrogate

NAME_MAX = 40


@dataclass(frozen=True)
class Settings:
    """What we remember between runs."""

    trainee: str | None = None
    """The signed-in trainee's display name, already cleaned by `clean_name`."""
    theme: str | None = None
    """The Textual theme the trainee last picked, or None for the default."""
    team: str | None = None
    """The trainee's team or cohort, recorded in every session they start."""
    teams_file: str | None = None
    """A manager's trainee,team CSV that reports and exports use by default."""
    lrs_url: str | None = None
    """The learning record store `simulator send` delivers to when --lrs is not given."""
    send_after_play: bool | None = None
    """With `lrs_url` set, each session is delivered as it ends unless this is false
    (then only `simulator send` delivers)."""
    lrs_user: str | None = None
    lrs_password: str | None = None
    """Basic-auth credentials; SIMULATOR_LRS_USER / SIMULATOR_LRS_PASSWORD win."""
    xapi_home_page: str | None = None
    """The LMS that knows trainees by name: actors become account {homePage, name}."""
    xapi_mbox_domain: str | None = None
    """Or: actors become mbox mailto:NAME@DOMAIN (NAME from the teams file's `id`)."""


def settings_path() -> Path:
    """`SIMULATOR_CONFIG_DIR/settings.json`, else the platform's per-user config folder."""
    return config_folder() / "settings.json"


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
    name = single_line(raw)[:NAME_MAX].strip()
    return name or None


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    try:
        data = _read(path)
    except (OSError, ValueError, RecursionError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    trainee = data.get("trainee")
    team = data.get("team")

    def text(key: str) -> str | None:
        # A "\ud800" escape is valid JSON but no writer can encode it: the URL of a
        # session's LRS delivery would fail after play, a theme name in the TUI.
        value = data.get(key)
        return unsurrogate(value) if isinstance(value, str) and value else None

    return Settings(
        trainee=clean_name(trainee) if isinstance(trainee, str) else None,
        theme=text("theme"),
        team=clean_name(team) if isinstance(team, str) else None,
        teams_file=text("teams_file"),
        lrs_url=text("lrs_url"),
        send_after_play=flag if isinstance(flag := data.get("send_after_play"), bool) else None,
        lrs_user=text("lrs_user"),
        lrs_password=text("lrs_password"),
        xapi_home_page=text("xapi_home_page"),
        xapi_mbox_domain=text("xapi_mbox_domain"),
    )


class SettingsError(Exception):
    """The settings file is there but unusable: saving over it would lose it."""


def update_settings(changes: Mapping[str, str | bool | None], path: Path | None = None) -> None:
    """Set `changes` (None removes a key) in the settings file *as it is on disk now*.

    The game saves a theme or a name while it runs, and used to write back everything
    it had loaded at start: a manager's hand edit made meanwhile (the LRS address, a
    team) was lost, and so was every key this version does not know. Now only the
    changed keys are written, into what the file holds at that moment; a file that is
    there but is not a JSON object (half-way through a hand edit) is left as it is,
    with SettingsError to say why.
    """
    path = path or settings_path()
    try:
        data = _read(path)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise SettingsError(f"cannot read {path}: {why(exc)}; not saved") from None
        data = {}  # no file yet
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise SettingsError(f"{path} is not a JSON object: fix it or delete it; not saved")
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    _write(path, data)


def _read(path: Path) -> object:
    """The file's JSON, or OSError, ValueError or RecursionError.

    utf-8-sig: a file hand-edited in Notepad starts with a BOM, and one read as "no
    settings" would be overwritten, hand-written keys and all, at the next save.
    """
    return json.loads(read_capped(path, SETTINGS_MAX).decode("utf-8-sig"))


def _write(path: Path, data: Mapping[str, object]) -> None:
    """Atomically, so a crash mid-write never leaves half a file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    # It may hold the LRS password: readable by its owner only, from the first byte.
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
    temporary.replace(path)
