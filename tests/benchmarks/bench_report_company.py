"""The company-sized HTML report: 20,000 sessions of 5,000 trainees in 40 teams (the
issue's measurement). Prints its generation time and size and saves a screenshot of
its first screen from headless Chromium; goal: under 2 MB, summary on the first screen."""

from __future__ import annotations

import time
from typing import Any

from simulator.logs.report import build_report
from simulator.logs.report_html import render_html
from tests.company import write_company
from tests.conftest import REPO

DATA = REPO / ".benchmarks" / "company-5000-sealed"
SHOTS = REPO / ".benchmarks" / "screenshots"


def test_report_for_5000_trainees(benchmark: Any) -> None:
    if not (DATA / "done").exists():
        write_company(DATA, trainees=5000, sessions=20000, teams=40, weeks=12)
        (DATA / "done").write_text("20000\n")
    timings: list[float] = []

    def once() -> str:
        begin = time.perf_counter()
        page = render_html(build_report([DATA]))
        timings.append(time.perf_counter() - begin)
        return page

    page = benchmark.pedantic(once, rounds=1, iterations=1)
    out = SHOTS / "report-5000.html"
    SHOTS.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    size = out.stat().st_size
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium")
        view = browser.new_page(viewport={"width": 1280, "height": 800})
        view.goto(out.as_uri())
        view.screenshot(path=str(SHOTS / "report-5000-top.png"))
        height = view.evaluate("document.body.scrollHeight")
        browser.close()
    benchmark.extra_info.update(bytes=size, height_px=height)
    print(
        f"\n5,000 trainees, 20,000 sessions: report built and rendered in {timings[0]:.1f} s, "
        f"{size / 1e6:.2f} MB (goal < 2 MB), {height:,} px tall; "
        f"screenshot {SHOTS / 'report-5000-top.png'}"
    )
    assert size < 2_000_000
