"""Every malformed fixture is rejected with the exact line and column it declares.

Each file in fixtures/bad starts with `# expect: LINE:COL: message-fragment`, so the
expectation sits next to the mistake it describes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.scenario.loader import load_scenario_file

BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.*)$")


def _cases() -> list[Path]:
    return sorted(BAD.glob("*.yaml"))


def test_there_are_at_least_twenty_malformed_fixtures() -> None:
    assert len(_cases()) >= 20


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_malformed_fixture_reports_exact_position(path: Path) -> None:
    match = EXPECT.match(path.read_bytes().split(b"\n", 1)[0].decode())
    assert match, f"{path.name} lacks an '# expect: LINE:COL: message' header"
    line, column, fragment = int(match[1]), int(match[2]), match[3]
    result = load_scenario_file(path)
    assert result.loaded is None
    rendered = [str(p) for p in result.problems]
    assert any(
        p.line == line and p.column == column and fragment in p.message for p in result.problems
    ), f"expected {line}:{column}: …{fragment}… in {rendered}"
    for text in rendered:
        assert text.startswith(f"{path}:") and ": error: " in text
        assert "\n" not in text and "Traceback" not in text
