"""The HTML report in a real browser (Debian's headless Chromium via Playwright): it
renders with no console errors and no network request of any kind, and its first
screen is the summary, not a list of names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from simulator.logs.report import build_report
from simulator.logs.report_html import render_html
from tests.company import write_company
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = REPO / ".benchmarks" / "screenshots"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_company(tmp_path_factory.mktemp("company"), trainees=300, sessions=1500, teams=6)
    report = build_report([folder])
    assert report["sessions"] == 1500 and not report["unverified"]
    page = tmp_path_factory.mktemp("html") / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    return page


def test_the_report_renders_offline_in_chromium(page_file: Path) -> None:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "install Debian's chromium (apt-get install chromium)"
    assert page_file.stat().st_size < 2_000_000
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "report-top.png"))
            top = page.evaluate("document.elementFromPoint(640, 200).closest('.card') !== null")
            height = page.evaluate("document.body.scrollHeight")
            summary_y = page.evaluate(
                "document.querySelector('.cards').getBoundingClientRect().top"
            )
        finally:
            browser.close()
    assert errors == []
    assert requests == [page_file.as_uri()], "the report must load nothing"
    assert top and summary_y < 200, "the first screen is the summary"
    assert height < 40_000
