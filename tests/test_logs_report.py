"""The manager's report: the numbers, the heat map, filters, every format, injections."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.logs.report import build_report, trend
from simulator.logs.report_html import render_html
from simulator.logs.select import Filter, parse_since
from tests.conftest import opening_turn
from tests.conftest import run_cli as run
from tests.test_logs_writer import play_into

SCRIPT_KIDDIE = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil","click")'


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    play_into(folder, ["calm-down", "policy"], trainee="Ann")
    play_into(folder, ["hear-her-out", "own-it"], trainee="Ann")
    play_into(folder, ["hear-her-out", "own-it"], trainee="Bo")
    play_into(folder, ["hear-her-out"], trainee="Bo", finish=False)
    play_into(folder, ["website", "own-it"], trainee=SCRIPT_KIDDIE)
    play_into(folder, ["hear-her-out", "own-it"], trainee=FORMULA)
    return folder


def test_trainee_totals_and_trend(logs: Path) -> None:
    report = build_report([logs])
    assert report["sessions"] == 6 and report["unverified"] == []
    ann = next(t for t in report["trainees"] if t["trainee"] == "Ann")
    scores = [s["score"] for s in ann["scores"]]
    assert ann["sessions"] == 2 and ann["completed"] == 2
    assert ann["best_score"] == max(scores) and ann["average_score"] == sum(scores) / 2
    assert ann["trend"] is None  # two sessions make a line, not a trend (five needed)
    bo = next(t for t in report["trainees"] if t["trainee"] == "Bo")
    assert bo["abandoned"] == 1 and bo["sessions"] == 2 and len(bo["scores"]) == 1
    assert bo["trend"] is None


def test_trend_is_the_least_squares_slope_of_at_least_five() -> None:
    assert trend([50, 60, 70, 80, 90]) == 10.0
    assert trend([80, 75, 70, 65, 60, 55]) == -5.0
    assert trend([70, 80, 90, 100]) is None


def test_summary_first(logs: Path) -> None:
    report = build_report([logs])
    summary = report["summary"]
    assert summary["sessions"] == 6 and summary["trainees"] == 4 and summary["scored"] == 5
    assert 0 <= summary["pass_rate"] <= 1 and sum(summary["grades"].values()) == 5
    assert sum(summary["outcomes"].values()) == 6 and summary["outcomes"]["abandoned"] == 1
    (week,) = summary["weeks"]
    assert week["sessions"] == 6 and week["enough"] is True
    (team,) = report["teams"]
    assert team["team"] == "(no team)" and team["trainees"] == 4


def test_paths_are_in_conversation_order_with_wording(logs: Path) -> None:
    (scenario,) = build_report([logs])["scenarios"]
    turns = [n["average_turn"] for n in scenario["nodes"]]
    assert scenario["nodes"][0]["node"] == "opening" and turns == sorted(turns)
    heard = next(c for c in scenario["nodes"][0]["choices"] if c["choice"] == "hear-her-out")
    assert heard["say"].startswith("I'm sorry it's taken this long.")


def test_weakest_are_below_the_average(logs: Path) -> None:
    for principle in build_report([logs])["principles"]:
        assert all(w["average"] < principle["team_average"] for w in principle["weakest"])


def test_path_heat_map_shares_and_mood_changes(logs: Path) -> None:
    (scenario,) = build_report([logs])["scenarios"]
    assert scenario["attempts"] == 6 and scenario["statuses"]["abandoned"] == 1
    opening = next(n for n in scenario["nodes"] if n["node"] == "opening")
    assert opening["trainees"] == 4 and opening["visits"] == 6
    choices = {c["choice"]: c for c in opening["choices"]}
    # Ann, Bo and the formula trainee heard her out; Ann also once said calm down.
    assert choices["hear-her-out"]["trainees"] == 3 and choices["hear-her-out"]["share"] == 0.75
    assert choices["calm-down"]["share"] == 0.25
    anger_before, anger_after, trust_before, trust_after = opening_turn()
    assert choices["hear-her-out"]["avg_anger_change"] == anger_after - anger_before
    assert choices["hear-her-out"]["avg_trust_change"] == trust_after - trust_before
    assert choices["calm-down"]["avg_anger_change"] > 0


def test_principles_team_average_and_weakest(logs: Path) -> None:
    report = build_report([logs])
    apology = next(p for p in report["principles"] if p["principle"] == "apology")
    assert apology["sessions"] >= 3 and 0 <= apology["team_average"] <= 100
    assert apology["weakest"][0]["average"] <= apology["weakest"][-1]["average"]


def test_filters(logs: Path) -> None:
    assert build_report([logs], where=Filter(trainee="Bo"))["sessions"] == 2
    assert build_report([logs], where=Filter(scenario="nope"))["sessions"] == 0
    assert build_report([logs], where=Filter(since=parse_since("2999-01-01")))["sessions"] == 0
    done = run("report", str(logs), "--format", "json", "--trainee", "Ann", "--since", "2000-01-01")
    assert done.returncode == 0 and json.loads(done.stdout)["sessions"] == 2
    bad = run("report", str(logs), "--since", "last tuesday")
    assert bad.returncode == 1 and "expected a date" in bad.stderr and "Traceback" not in bad.stderr


def test_unverified_sessions_are_marked_not_hidden(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out", "own-it"], trainee="Cy").path
    edited = f'"anger_after":{opening_turn()[1]}'.encode()
    raw = log.read_bytes()
    assert edited in raw
    raw = raw.replace(edited, b'"anger_after":1', 1)
    log.write_bytes(raw)
    report = build_report([tmp_path])
    assert [u["trainee"] for u in report["unverified"]] == ["Cy"]
    assert report["trainees"][0]["unverified"] == 1
    table = run("report", str(tmp_path)).stdout
    assert "UNVERIFIED SESSIONS" in table and "1 unverified" in table
    assert "failed verification" in render_html(report)


def test_table_strips_terminal_controls(tmp_path: Path) -> None:
    log = play_into(tmp_path, ["hear-her-out"], trainee="Dee", finish=False).path
    log.write_bytes(log.read_bytes().replace(b'"Dee"', b'"Dee\\u001b[2J\\u009b31m"'))
    done = run("report", str(tmp_path))
    assert done.returncode == 0 and "\x1b" not in done.stdout and "\x9b" not in done.stdout


def test_json_keeps_hostile_names_as_data(logs: Path) -> None:
    done = run("report", str(logs), "--format", "json")
    names = {t["trainee"] for t in json.loads(done.stdout)["trainees"]}
    assert SCRIPT_KIDDIE in names and FORMULA in names


def test_csv_neutralises_formulas(logs: Path) -> None:
    done = run("report", str(logs), "--format", "csv")
    cells = [cell for row in csv.reader(io.StringIO(done.stdout)) for cell in row]
    assert "'" + FORMULA in cells and FORMULA not in cells
    risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(_is_number(c) for c in risky), risky


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_with_charts_and_escapes_names(logs: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = run("report", str(logs), "--format", "html", "--out", str(out))
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    parsed = _Elements()
    parsed.feed(page)
    assert "script" not in parsed.tags and "iframe" not in parsed.tags
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    links = [v for k, v in parsed.attrs if k in ("src", "href") and v]
    assert links == [], "the report must not load anything"
    assert not any(k.startswith("on") for k, _ in parsed.attrs)
    assert parsed.tags.count("svg") == 1  # outcomes; one week is not a trend
    assert "Not enough data for a trend yet" in page
    heat = page.split('class="heat"', 1)[1].split("</table>", 1)[0]
    assert heat.count("<tr>") == 3 and "hsl(" in heat  # header, everyone, (no team)
    assert page.index("pass rate") < page.index("<h2>Teams") < page.index("need attention")
    assert SCRIPT_KIDDIE in "".join(parsed.text)
    assert "&lt;script&gt;" in page and "<script>" not in page


def test_the_cache_is_invalidated_by_growth_and_by_edits(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    play_into(logs, ["hear-her-out", "own-it"], trainee="Ann")
    first = build_report([logs])
    assert first["sessions"] == 1 and list((tmp_path.parent).glob("**/cache/report/*.pickle"))
    assert build_report([logs])["trainees"] == first["trainees"]  # from the cache
    play_into(logs, ["calm-down", "policy"], trainee="Bo")  # the folder grew
    assert build_report([logs])["sessions"] == 2
    log = next(p for p in logs.rglob("*.jsonl") if b'"Bo"' in p.read_bytes())
    raw = log.read_bytes()
    stat = log.stat()
    edited = raw.replace(b'"trainee":"Bo"', b'"trainee":"Bx"')
    log.write_bytes(edited)
    import os

    os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and mtime
    again = build_report([logs])
    assert {t["trainee"] for t in again["trainees"]} == {"Ann", "Bx"}
    assert [u["trainee"] for u in again["unverified"]] == ["Bx"]
    uncached = build_report([logs], cache=False)
    assert {**uncached, "generated_at": ""} == {**again, "generated_at": ""}
