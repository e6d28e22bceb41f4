"""Each checker warning and error has a fixture that triggers it and one that does not.

A fixture states what the checker must report in `# expect: LINE:COL: severity:
message start` comments at its end, so the expectation sits beside the YAML it is
about and a moved line shows up as a failing position, not a silent pass.

The judgement checks (surface strategies and content lints, `judgement.LINTS`) ask
what a whole scenario teaches, so a two-node fixture about a dead end would trip
them all. A fixture therefore runs the judgement checks it names in a `# check: ID`
comment (e.g. `# check: lone-harmless`), and none when it names none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.analysis.checker import Options, check_file
from simulator.analysis.judgement import LINTS

FIXTURES = Path(__file__).parent / "fixtures" / "check"
FILES = sorted(FIXTURES.glob("*.yaml"))
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (error|warning): (.+)$")
CHECK = re.compile(r"^# check: ([\w, -]+)$")


def judged(path: Path) -> frozenset[str]:
    """The judgement checks a fixture asks for in its `# check:` comment."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = CHECK.match(line)
        if match:
            return frozenset(part.strip() for part in match.group(1).split(","))
    return frozenset()


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
    assert len(triggers) >= 11 + len(LINTS)
    asked = {lint for path in FILES for lint in judged(path)}
    assert asked == set(LINTS), "every judgement check needs its fixtures"
    for name in triggers:
        assert f"{name}-ok" in names, f"{name}.yaml has no {name}-ok.yaml"
        assert expectations(FIXTURES / f"{name}.yaml"), f"{name}.yaml expects nothing"
        assert not expectations(FIXTURES / f"{name}-ok.yaml")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_fixture_reports_exactly_what_it_expects(path: Path) -> None:
    assert judged(path) <= set(LINTS), f"unknown check in {path.name}"
    report = check_file(path, Options(judge=judged(path)))
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
        for problem in check_file(path, Options(judge=judged(path))).problems:
            lines = path.read_text(encoding="utf-8").splitlines()
            assert 1 <= problem.line <= len(lines)
            assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1


def test_the_surface_fixture_trips_every_strategy() -> None:
    """Each surface strategy has its trigger: replies equally good pass any way of choosing."""
    from simulator.analysis.judgement import strategies

    expected = " ".join(start for *_, start in expectations(FIXTURES / "surface.yaml"))
    for strategy in strategies("Ms. Test"):
        assert f"'{strategy.id}'" in expected, strategy.id
