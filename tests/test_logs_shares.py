"""Reading a company's logs on every core gives exactly what one process gives:
`verify` (issues in file order included) and `report`, over a folder big enough for
worker processes and holding broken files too."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.logs.report import build_report
from simulator.logs.shares import PARALLEL_FROM, in_shares
from simulator.logs.verify import verify
from tests.company import templates, write_company
from tests.conftest import load_fixture


def echo(share: list[int]) -> list[int]:
    return share


def test_shares_cover_every_item_in_order() -> None:
    items = list(range(PARALLEL_FROM * 3 + 7))
    parts = in_shares(items, echo, workers=2)
    assert len(parts) == 4 and [i for part in parts for i in part] == items
    assert in_shares(items[:10], echo, workers=2) == [items[:10]]  # too few: in-process
    assert in_shares(items, echo, workers=1) == [items]


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,400 sessions over two weeks of day folders; some edited, torn or not JSON."""
    plays = templates(8, [load_fixture("late-refund.yaml")])
    folder = write_company(
        tmp_path_factory.mktemp("company"),
        trainees=150,
        sessions=PARALLEL_FROM + 400,
        teams=5,
        weeks=2,
        plays=plays,
    )
    for n, path in enumerate(sorted(folder.rglob("*.jsonl"))):
        data = path.read_bytes()
        if n % 97 == 0:
            data = data.replace(b'"score":', b'"score":1', 1)  # edited: the seal breaks
        elif n % 89 == 0:
            data = data[:-40]  # torn last line
        elif n % 83 == 0:
            data = b"not json\n" + data
        path.write_bytes(data)
    return folder


def test_verify_on_every_core_is_verify_in_one_process(company: Path) -> None:
    alone = verify([company], workers=1)
    shared = verify([company], workers=2)
    assert shared.sessions == alone.sessions == PARALLEL_FROM + 400
    assert 0 < shared.verified == alone.verified < shared.sessions
    assert [str(i) for i in shared.issues] == [str(i) for i in alone.issues]
    assert shared.heads == alone.heads and shared.legacy == alone.legacy


def test_report_on_every_core_is_the_report_in_one_process(company: Path) -> None:
    alone = build_report([company], cache=False, workers=1)
    shared = build_report([company], cache=False, workers=2)
    for report in (alone, shared):
        report.pop("generated_at")
    assert shared == alone and shared["sessions"] == PARALLEL_FROM + 400
    assert shared["unverified"]
