"""The filters reports, exports and `send` share, declared once: which sessions count.

By default only real play counts: a scripted `--choices` run or a test run is logged
(nothing a trainee did is ever lost) but tagged with its `kind` and left out of
History, reports, exports and sends unless asked for, so a 0.03-second script can
never become someone's best score.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from simulator.files import TEAMS_MAX, read_capped, why
from simulator.logs.reader import SessionSummary
from simulator.logs.vocabulary import REAL_KINDS


@dataclass(frozen=True)
class Filter:
    since: datetime | None = None
    until: datetime | None = None
    """Sessions started before this moment (an `--until` day includes the whole day)."""
    trainee: str | None = None
    scenario: str | None = None
    mode: str | None = None
    team: str | None = None
    kinds: frozenset[str] | None = REAL_KINDS
    """None: every kind (`--include-scripted`)."""
    teams: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """trainee → team from a manager's mapping file; it overrides the team set at sign-in."""

    def __call__(self, summary: SessionSummary) -> bool:
        if self.kinds is not None and summary.kind not in self.kinds:
            return False
        if self.since is not None and summary.started_at < self.since:
            return False
        if self.until is not None and summary.started_at >= self.until:
            return False
        if self.trainee is not None and summary.trainee != self.trainee:
            return False
        if self.scenario is not None and summary.scenario != self.scenario:
            return False
        if self.mode is not None and summary.mode != self.mode:
            return False
        return self.team is None or self.team_of(summary) == self.team

    def team_of(self, summary: SessionSummary) -> str | None:
        return self.teams.get(summary.trainee) or summary.team

    def describe(self) -> dict[str, object]:
        """The filters as a report states them, so a reader knows what was left out."""
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "trainee": self.trainee,
            "scenario": self.scenario,
            "mode": self.mode,
            "team": self.team,
            "kinds": sorted(self.kinds) if self.kinds is not None else "all",
        }


def counts_as_play(summary: SessionSummary) -> bool:
    """What the trainee's own History shows: real play only."""
    return summary.kind in REAL_KINDS


def parse_since(text: str) -> datetime:
    """`YYYY-MM-DD` (midnight UTC) or a full ISO 8601 time; ValueError otherwise."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_until(text: str) -> datetime:
    """Like `parse_since`, but a bare day means the end of that day (inclusive).

    The day after 9999-12-31, the usual "no end" date, is past what datetime holds
    (an OverflowError traceback once): that day ends at the last moment there is.
    """
    moment = parse_since(text)
    try:
        date.fromisoformat(text)
    except ValueError:
        return moment
    try:
        return moment + timedelta(days=1)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


class TeamsError(ValueError):
    """The mapping file cannot be read: one line for the user."""


def _column(path: Path, column: str) -> dict[str, str]:
    """One column of the mapping file by trainee, or TeamsError.

    Read through the capped regular-files-only reader: the path comes from the
    command line or the settings file, and a plain read blocked for ever on a FIFO
    and ran out of memory on a link to /dev/zero. A cell past the csv module's field
    limit is its csv.Error, which is a one-line TeamsError too.
    """
    try:
        text = read_capped(path, TEAMS_MAX).decode("utf-8-sig")
    except OSError as exc:
        raise TeamsError(f"cannot read the teams file {path}: {why(exc)}") from None
    except UnicodeDecodeError as exc:
        raise TeamsError(f"cannot read the teams file {path}: {exc}") from None
    try:
        rows = csv.DictReader(text.splitlines())
        if not rows.fieldnames or not {"trainee", "team"} <= set(rows.fieldnames):
            raise TeamsError(f"{path}: the teams file needs a header row with trainee,team")
        found: dict[str, str] = {}
        for row in rows:
            trainee, value = (row.get("trainee") or "").strip(), (row.get(column) or "").strip()
            if trainee and value:
                found[trainee] = value
    except csv.Error as exc:
        raise TeamsError(f"{path}: the teams file is not valid CSV: {exc}") from None
    return found


def load_teams(path: Path) -> dict[str, str]:
    """A manager's mapping file: CSV with `trainee` and `team` columns (more are ignored)."""
    return _column(path, "team")


def load_ids(path: Path) -> dict[str, str]:
    """The same file's optional `id` column: each trainee's login in the company's LMS."""
    return _column(path, "id")
