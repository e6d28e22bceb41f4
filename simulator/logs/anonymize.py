"""Stable pseudonyms for exports that leave the building.

A pseudonym is an HMAC of the name under a secret kept in the user's config folder:
the same trainee gets the same pseudonym in every export from this machine (so
trends still work), and nobody without the secret can test a guessed name against
it, which a plain hash of a name would allow in seconds.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import secrets
import time
from pathlib import Path

from simulator.files import SECRET_MAX, UnreadableFile, read_capped
from simulator.folders import config_folder
from simulator.text import one_line

KEY_FILE = "export-secret"
_HEX = re.compile(rb"[0-9a-fA-F]+")


def secret_path() -> Path:
    """`SIMULATOR_CONFIG_DIR/export-secret`, else the per-user config folder's."""
    return config_folder() / KEY_FILE


class SecretError(ValueError):
    """The secret file exists but is not one we wrote: one line for the user.

    It is never replaced silently: a new secret changes every pseudonym, so the
    manager decides (delete the file) rather than the export.
    """


def _parse_secret(path: Path, data: bytes) -> bytes:
    text = data.strip()
    if len(text) < 32 or _HEX.fullmatch(text) is None:
        raise SecretError(
            f"{one_line(path)}: the anonymisation secret is damaged (expected at least "
            "32 hex digits); delete it to make a new one (pseudonyms will change)"
        )
    return bytes.fromhex(text.decode("ascii"))


def _existing(path: Path) -> bytes | None:
    """The secret already on disk, None when there is none, or SecretError/OSError."""
    try:
        data = read_capped(path, SECRET_MAX)
    except FileNotFoundError:
        return None
    except UnreadableFile as exc:
        if exc.errno == errno.ENOENT:
            return None
        raise
    return _parse_secret(path, data)


def load_secret(path: Path | None = None) -> bytes:
    """The secret, created on first use readable by its owner only.

    Created with O_EXCL, so two exports started at once agree on one secret; read
    through the capped regular-file reader, so a FIFO or /dev/zero there is refused.
    Raises SecretError (damaged file) or OSError (unreadable) with a one-line reason.
    """
    path = path or secret_path()
    found = _existing(path)
    if found is not None:
        return found
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another export created it a moment ago: wait for its write to land.
        for _ in range(50):
            try:
                return _parse_secret(path, read_capped(path, SECRET_MAX))
            except SecretError:
                time.sleep(0.02)
        return _parse_secret(path, read_capped(path, SECRET_MAX))
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
            # surrogatepass: a name read from a log may hold a lone surrogate escape.
            data = name.encode("utf-8", "surrogatepass")
            mac = hmac.new(self._secret, data, hashlib.sha256).hexdigest()
            found = self._cache[name] = f"trainee-{mac[:12]}"
        return found
