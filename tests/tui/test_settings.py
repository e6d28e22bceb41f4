"""Per-user settings: remembered, cleaned, and forgiving of a damaged file."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.logs.send import state_path
from simulator.settings import Settings, clean_name, load_settings, settings_path, update_settings


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.json"
    update_settings({"trainee": "Ana", "theme": "nord"}, path)
    assert load_settings(path) == Settings(trainee="Ana", theme="nord")
    assert path.stat().st_mode & 0o777 == 0o600  # it may hold the LRS password
    update_settings({"theme": None}, path)
    assert load_settings(path) == Settings(trainee="Ana")


def test_missing_or_damaged_file_means_no_settings(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "absent.json") == Settings()
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert load_settings(broken) == Settings()
    broken.write_text('["a list"]', encoding="utf-8")
    assert load_settings(broken) == Settings()


def test_env_override_picks_the_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SIMULATOR_CONFIG_DIR", str(tmp_path))
    assert settings_path() == tmp_path / "settings.json"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Ana  ", "Ana"),
        ("Ana\x1b[2J\x9b2J", "Ana[2J2J"),
        ("Ana\nBob", "Ana Bob"),
        ("\x1b\x07  ", None),
        ("x" * 100, "x" * 40),
        ("[b]Ana[/b]", "[b]Ana[/b]"),
    ],
)
def test_clean_name(raw: str, expected: str | None) -> None:
    assert clean_name(raw) == expected


def test_a_damaged_name_is_cleaned_on_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text('{"trainee": "Ana\\u001b]52;c;SGk=\\u0007", "theme": 3}', encoding="utf-8")
    assert load_settings(path) == Settings(trainee="Ana]52;c;SGk=", theme=None)


def test_a_hand_edited_file_with_a_bom_is_read(tmp_path: Path) -> None:
    # Notepad's "UTF-8 (with BOM)": read as "no settings", the next sign-in would have
    # saved over the manager's LRS address and every other hand-written key.
    path = tmp_path / "settings.json"
    path.write_bytes(b'\xef\xbb\xbf{"trainee": "Ana", "lrs_url": "https://lrs.example/x/"}')
    assert load_settings(path) == Settings(trainee="Ana", lrs_url="https://lrs.example/x/")


def test_a_lone_surrogate_in_a_text_setting_cannot_crash_its_user(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    keys = ("theme", "teams_file", "lrs_url", "lrs_user", "lrs_password", "xapi_home_page")
    path.write_text("{" + ", ".join(f'"{key}": "x\\ud800"' for key in keys) + "}")
    settings = load_settings(path)
    for key in keys:
        value = getattr(settings, key)
        assert value == "x\ufffd", key
        value.encode("utf-8")
    # What `play` does with lrs_url once a session ends: was a UnicodeEncodeError.
    assert state_path(settings.lrs_url or "").name.endswith(".json")
