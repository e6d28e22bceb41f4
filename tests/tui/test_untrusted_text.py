"""Scenario text and trainee names are data: shown literally, never run, never sent raw.

The hostile fixture puts Textual markup, action links (`app.quit`,
`app.screenshot(...)`, which would write a file) and terminal escapes (OSC 52
clipboard write, ESC [2J, the one-byte CSI 0x9B) into every field. The pilot test
checks what the widgets show and that nothing fired; the pseudo-terminal test
checks the bytes that really reach a terminal.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Static

from simulator.logs.reader import read_sessions
from simulator.tui.app import SimulatorApp
from simulator.tui.screens.debrief import DebriefScreen
from simulator.tui.screens.history import HistoryScreen
from simulator.tui.screens.home import HomeScreen
from simulator.tui.screens.play import PlayScreen
from tests.tui.conftest import HOSTILE, MakeApp, settle
from tests.tui.terminal import Terminal, read_all
from tests.tui.test_screens import play_to_end, start, text_of

HOSTILE_FILE = HOSTILE / "hostile-text.yaml"
HOSTILE_NAME = "[@click=app.quit]Eve[/] \x1b[2J\x9b2J [/oops]"


def files_outside_logs(root: Path) -> list[Path]:
    """Anything written besides the score log and settings (a screenshot link would be)."""
    return [*(root / "cwd").rglob("*"), *root.rglob("*.svg")]


async def test_hostile_text_is_shown_literally_and_fires_nothing(
    make_app: MakeApp, isolated: Path, log_dir: Path
) -> None:
    app = make_app(library=HOSTILE, trainee=HOSTILE_NAME.replace("\x1b", "").replace("\x9b", ""))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        home = text_of(app)
        assert "Hostile [@click=app.quit]x[/] title [/oops]" in home
        assert "[b]markup[/b]" in home
        await pilot.click("#detail-text")
        await start(pilot)
        play = text_of(app)
        assert "Say [@click=app.quit]x[/]" in play
        assert "and [/oops] and ]52;c;SGk=" in play
        assert "Mr. [@click=app.quit]Quit[/]" in play
        assert "Role [/oops] 2J" in play
        await click_everything(pilot)
        await play_to_end(pilot)
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        debrief = text_of(app)
        assert "Debrief [@click=app.screenshot('debrief.svg')]x[/]" in debrief
        assert "[@click=app.quit]x[/] [/oops]" in debrief  # the ending line
        await click_everything(pilot)
        assert app.is_running
        assert all("\x1b" not in t and "\x9b" not in t for t in (home, play, debrief))
    assert app.return_code is None  # nothing called app.quit
    assert files_outside_logs(isolated) == []
    [summary] = read_sessions([log_dir])
    assert summary.status == "completed"


async def click_everything(pilot: Pilot[None]) -> None:
    """Click every visible text widget: a live action link would fire here."""
    for widget in pilot.app.screen.query(Static):
        if widget.region and pilot.app.screen.region.contains_region(widget.region):
            await pilot.click(widget)
    if pilot.app.screen.query("#card"):
        await pilot.click("#card")


def test_no_escape_from_content_reaches_a_real_terminal(isolated: Path) -> None:
    """Play the hostile scenario on a pseudo-terminal and scan every byte written."""
    tmp_path = isolated
    work = tmp_path / "cwd"
    args = ("play", str(HOSTILE_FILE), "--seed", "1", "--trainee", "[@click=app.quit]Eve[/]")
    terminal = Terminal(tmp_path, *args, cwd=work)
    try:
        terminal.shown += read_all(terminal.main, terminal.process, time.monotonic() + 8)
        for key in (b"1", b"1", b"d", b"t"):
            terminal.press(key)
            terminal.shown += read_all(terminal.main, terminal.process, time.monotonic() + 1.5)
        terminal.press(b"\x11")  # Ctrl+Q: the conversation is over, so no question
        terminal.end()
    finally:
        terminal.close()
    process, output = terminal.process, terminal.shown

    text = output.decode("utf-8")  # strict: a stray 0x9B byte would fail here
    assert "[/oops]" in text, "the hostile scenario never reached the screen"
    assert "]52;c;SGk=" in text  # visible literally, its ESC removed
    assert "\x1b]52" not in text
    assert "\x1b[2J" not in text
    assert "\x9b" not in text
    assert process.returncode == 0
    assert list(work.iterdir()) == []
    [summary] = read_sessions([tmp_path / "logs"])
    assert summary.status == "completed" and summary.trainee == "[@click=app.quit]Eve[/]"


HOSTILE_LOG: dict[str, dict[str, object]] = {
    "session_started": {"mode": "practice\x1b]0;MODE\x07\x1b[2J"},
    "session_ended": {"outcome": "won\x1b]0;OUTCOME\x07", "grade": "A\x9b2J"},
}


async def open_tampered_history(
    app: SimulatorApp, pilot: Pilot[None], log_dir: Path, change: dict[str, dict[str, object]]
) -> str:
    """Play a session, rewrite its real log (a hand edit, a copied-in file), open history."""
    await start(pilot)
    await play_to_end(pilot)
    await pilot.press("q")
    await settle(pilot)
    [log] = log_dir.rglob("*.jsonl")
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    for record in records:
        record.update(change.get(record["type"], {}))
    log.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    await pilot.press("y")
    await pilot.pause()
    assert isinstance(app.screen, HistoryScreen)
    return text_of(app)


async def test_the_history_shows_a_tampered_logs_words_literally(
    make_app: MakeApp, log_dir: Path
) -> None:
    """The history lists score logs read from disk: their words are data, never escapes."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        history = await open_tampered_history(app, pilot, log_dir, HOSTILE_LOG)
        assert "practice]0;MODE" in history and "won]0;OUTCOME" in history
        assert "\x1b" not in history and "\x9b" not in history


async def test_a_tampered_logs_debrief_opens_and_shows_its_words_literally(
    make_app: MakeApp, log_dir: Path
) -> None:
    """An outcome no scenario could have (`won…`) must not crash the debrief's styling."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tampered_history(app, pilot, log_dir, HOSTILE_LOG)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        debrief = text_of(app)
        assert "GRADE A2J" in debrief and "WON]0;OUTCOME" in debrief
        assert "\x1b" not in debrief and "\x9b" not in debrief
    assert app.return_code is None  # no traceback screen
