"""Stable pseudonyms for exports that leave the building.

A pseudonym is an HMAC of the name under a secret kept in the user's config folder:
the same trainee gets the same pseudonym in every export from this machine (so
trends still work), and nobody without the secret can test a guessed name against
it, which a plain hash of a name would allow in seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import platformdirs

APP_NAME = "difficult-customers"
KEY_FILE = "export-secret"


def secret_path() -> Path:
    """`SIMULATOR_CONFIG_DIR/export-secret`, else the per-user config folder's."""
    override = os.environ.get("SIMULATOR_CONFIG_DIR")
    folder = Path(override) if override else platformdirs.user_config_path(APP_NAME)
    return folder / KEY_FILE


def load_secret(path: Path | None = None) -> bytes:
    """The secret, created on first use readable by its owner only.

    Created with O_EXCL, so two exports started at once agree on one secret.
    """
    path = path or secret_path()
    try:
        text = path.read_text(encoding="ascii").strip()
        if len(text) >= 32:
            return bytes.fromhex(text)
    except (OSError, ValueError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    value = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value.hex() + "\n")
    return value


class Pseudonyms:
    """Name → pseudonym under one secret; cached, since a name repeats in every row."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._cache: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        found = self._cache.get(name)
        if found is None:
            mac = hmac.new(self._secret, name.encode(), hashlib.sha256).hexdigest()
            found = self._cache[name] = f"trainee-{mac[:12]}"
        return found
