"""The filters reports and exports share: `--since`, `--trainee`, `--scenario`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from simulator.logs.reader import SessionSummary


@dataclass(frozen=True)
class Filter:
    since: datetime | None = None
    trainee: str | None = None
    scenario: str | None = None

    def __call__(self, summary: SessionSummary) -> bool:
        if self.since is not None and summary.started_at < self.since:
            return False
        if self.trainee is not None and summary.trainee != self.trainee:
            return False
        return self.scenario is None or summary.scenario == self.scenario


def parse_since(text: str) -> datetime:
    """`YYYY-MM-DD` (midnight UTC) or a full ISO 8601 time; ValueError otherwise."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        moment = datetime.fromisoformat(text)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
