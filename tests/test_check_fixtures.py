"""Each checker warning and error has a fixture that triggers it and one that does not.

A fixture states what the checker must report in `# expect: LINE:COL: severity:
message start` comments at its end, so the expectation sits beside the YAML it is
about and a moved line shows up as a failing position, not a silent pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.analysis.checker import check_file

FIXTURES = Path(__file__).parent / "fixtures" / "check"
FILES = sorted(FIXTURES.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (error|warning): (.+)$")


def expectations(path: Path) -> list[tuple[int, int, str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            row, column, severity, start = match.groups()
            found.append((int(row), int(column), severity, start.strip()))
    return found


def test_every_trigger_has_a_clean_twin() -> None:
    names = {p.stem for p in FILES}
    triggers = {n for n in names if not n.endswith("-ok")}
    assert len(triggers) >= 11
    for name in triggers:
        assert f"{name}-ok" in names, f"{name}.yaml has no {name}-ok.yaml"
        assert expectations(FIXTURES / f"{name}.yaml"), f"{name}.yaml expects nothing"
        assert not expectations(FIXTURES / f"{name}-ok.yaml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_reports_exactly_what_it_expects(path: Path) -> None:
    report = check_file(path)
    assert report.loaded is not None, "\n".join(map(str, report.problems))
    actual = sorted(
        (p.line, p.column, p.severity, p.message) for p in report.problems if p.file == str(path)
    )
    expected = sorted(expectations(path))
    assert len(actual) == len(expected), "\n".join(map(str, report.problems))
    for (line, column, severity, message), (e_line, e_column, e_severity, start) in zip(
        actual, expected, strict=True
    ):
        assert (line, column, severity) == (e_line, e_column, e_severity), message
        assert message.startswith(start), message


def test_problems_point_into_the_file_they_name() -> None:
    for path in FILES:
        for problem in check_file(path).problems:
            lines = path.read_text(encoding="utf-8").splitlines()
            assert 1 <= problem.line <= len(lines)
            assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1
