"""The per-user folders, each of which one environment variable moves.

Settings and the export secret live in the config folder, the LRS delivery state in
the data folder, caches in the cache folder (platformdirs picks each per platform).
Tests and shared training rooms move them with `SIMULATOR_CONFIG_DIR`,
`SIMULATOR_DATA_DIR` and `SIMULATOR_CACHE_DIR`; logs have their own variable
(`SIMULATOR_LOG_DIR`, see `logs/writer.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "difficult-customers"


def config_folder() -> Path:
    override = os.environ.get("SIMULATOR_CONFIG_DIR")
    return Path(override) if override else platformdirs.user_config_path(APP_NAME)


def data_folder() -> Path:
    override = os.environ.get("SIMULATOR_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def cache_folder() -> Path:
    override = os.environ.get("SIMULATOR_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME))
