"""The report as one self-contained HTML file: inline CSS and SVG, no script, no fetch.

A manager opens it offline from an e-mail or a shared drive. Every value taken from a
log is escaped, and a Content-Security-Policy forbids scripts outright, so a trainee
named `<script>…` is shown as text even if an escape were ever missed.

It is written for a company, not a classroom: the first screen is the summary (pass
rate, grade spread, outcome mix, the weekly trend), then teams, the trainees who need
attention, the completion grid, principles and paths. Every long table is sorted and
cut at a limit with a note pointing at the CSV, which holds everything; so 5,000
trainees make a page of a few hundred kilobytes, not 8 MB and 400,000 pixels.
"""

from __future__ import annotations

from html import escape
from typing import Any

from simulator.text import literal, plural

OUTCOME_COLOURS = {
    "resolved": "#2e7d32",
    "escalated": "#1565c0",
    "lost": "#ef6c00",
    "failed_compliance": "#c62828",
    "abandoned": "#9e9e9e",
}
STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;margin:6px 0}th,td{padding:3px 8px;text-align:left;
border-bottom:1px solid #eee;font-variant-numeric:tabular-nums}th{background:#f5f5f5}
td.num{text-align:right}.muted{color:#777}.warn{color:#b71c1c;font-weight:600}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;
padding:8px 10px}.card b{display:block;margin-bottom:2px}
.heat td.cell{text-align:center;min-width:44px}.bar{height:10px;background:#5c6bc0;
display:inline-block;vertical-align:middle}.legend span{display:inline-block;margin-right:12px}
.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
.big{font-size:26px;font-weight:700}.stack{display:flex;height:16px;width:360px;
border-radius:3px;overflow:hidden;margin:4px 0}.stack span{display:block;height:100%}
.grid td.cell{text-align:center;min-width:34px;font-size:12px}.note{color:#555;font-size:12px}
.say{color:#444;font-size:12px;max-width:420px}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
LIMIT = 50
"""Rows of any per-trainee table; the CSV has them all."""
TEAMS_LIMIT = 30
GRADE_COLOURS = {"A": "#2e7d32", "B": "#66bb6a", "C": "#c0ca33", "D": "#ffa726", "F": "#e53935"}


def _t(value: object) -> str:
    """Log text as safe HTML: control characters removed, markup escaped."""
    return escape(literal("" if value is None else str(value)))


def _num(value: object) -> str:
    return "–" if value is None else _t(f"{value:g}" if isinstance(value, float) else value)


def _heat(value: float | None) -> str:
    """Red (0) through amber to green (100), light enough to read black text on."""
    if value is None:
        return "#f5f5f5"
    return f"hsl({max(0.0, min(100.0, value)) * 1.2:.0f},65%,80%)"


def _delta(value: float | None, *, good_when_up: bool) -> str:
    if value is None:
        return "<td class=num>–</td>"
    good = (value > 0) == good_when_up
    colour = "#2e7d32" if value and good else "#c62828" if value else "#555"
    return f'<td class=num style="color:{colour}">{value:+.1f}</td>'


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def outcomes_chart(scenarios: list[dict[str, Any]], width: int = 520) -> str:
    """One stacked bar per scenario: outcomes of its attempts, abandoned in grey."""
    row, label = 22, 170
    height = row * len(scenarios) + 8
    parts = [
        f'<svg role="img" aria-label="outcomes per scenario" width="{width + label + 40}" '
        f'height="{height}">'
    ]
    for i, s in enumerate(scenarios):
        counts = {**s["outcomes"], "abandoned": s["statuses"].get("abandoned", 0)}
        total = max(1, s["attempts"])
        y, x = 4 + i * row, float(label)
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{_t(s["scenario"])[:28]}</text>')
        for outcome, count in counts.items():
            if not count:
                continue
            w = width * count / total
            colour = OUTCOME_COLOURS.get(outcome, "#7e57c2")
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 6}" fill="{colour}">'
                f"<title>{_t(outcome)}: {count}</title></rect>"
            )
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="11">{s["attempts"]}</text>')
    parts.append("</svg>")
    legend = "".join(
        f'<span><i style="background:{c}"></i>{escape(k)}</span>'
        for k, c in OUTCOME_COLOURS.items()
    )
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _limited(shown: int, total: int, what: str) -> str:
    if shown >= total:
        return ""
    return (
        f'<p class="note">Showing {shown} of {total} {what}; every one is in '
        "<code>simulator report --format csv</code>.</p>"
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def stacked(counts: dict[str, int], colours: dict[str, str], label: str) -> str:
    """One horizontal bar split by counts, with a legend of the numbers."""
    total = sum(counts.values()) or 1
    parts = "".join(
        f'<span style="width:{100 * n / total:.1f}%;background:{colours.get(k, "#7e57c2")}" '
        f'title="{_t(k)}: {n}"></span>'
        for k, n in counts.items()
        if n
    )
    legend = "".join(
        f'<span><i style="background:{colours.get(k, "#7e57c2")}"></i>{_t(k)} {n}</span>'
        for k, n in counts.items()
    )
    bar = f'<div aria-label="{_t(label)}" class="stack">{parts}</div>'
    return f'{bar}<div class="legend">{legend}</div>'


def weekly_chart(weeks: list[dict[str, Any]], width: int = 520, height: int = 120) -> str:
    """Average score per week, only for weeks with enough sessions to mean something."""
    shown = [w for w in weeks if w["enough"]]
    if len(shown) < 2:
        return (
            '<p class="muted">Not enough data for a trend yet (it needs at least two weeks '
            "with five or more finished sessions each).</p>"
        )
    n = len(shown)
    xs = [30 + (width - 40) * i / (n - 1) for i in range(n)]
    ys = [height - 18 - (height - 30) * float(w["average_score"]) / 100 for w in shown]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#3949ab"><title>{_t(w["week"])}: '
        f"{w['average_score']:g} average, {_pct(w['pass_rate'])} passed, "
        f"{plural(w['sessions'], 'session')}</title></circle>"
        for x, y, w in zip(xs, ys, shown, strict=True)
    )
    labels = "".join(
        f'<text x="{x:.1f}" y="{height - 3}" font-size="10" text-anchor="middle">'
        f"{_t(w['week'][5:])}</text>"
        for x, w in list(zip(xs, shown, strict=True))[:: max(1, n // 8)]
    )
    guide = height - 18 - (height - 30) * 0.65
    return (
        f'<svg role="img" aria-label="average score per week" width="{width}" '
        f'height="{height}"><rect width="{width}" height="{height}" fill="#fafafa"/>'
        f'<line x1="24" x2="{width}" y1="{guide:.1f}" y2="{guide:.1f}" stroke="#ccc" '
        f'stroke-dasharray="3 3"/><text x="2" y="{guide + 3:.1f}" font-size="9">65</text>'
        f'<polyline points="{points}" fill="none" stroke="#3949ab" stroke-width="2"/>'
        f"{dots}{labels}</svg>"
    )


def summary_section(report: dict[str, Any]) -> list[str]:
    summary = report["summary"]
    cards = [
        ("sessions", str(summary["sessions"])),
        ("trainees", str(summary["trainees"])),
        ("pass rate", _pct(summary["pass_rate"])),
        ("average score", _num(summary["average_score"])),
        ("unverified", str(len(report["unverified"]))),
    ]
    out = ['<div class="cards">']
    out += [f'<div class="card"><b>{k}</b><span class="big">{v}</span></div>' for k, v in cards]
    out.append("</div>")
    out.append('<div class="cards"><div class="card"><b>grade spread</b>')
    out.append(stacked(summary["grades"], GRADE_COLOURS, "grade spread"))
    out.append('</div><div class="card"><b>outcomes</b>')
    out.append(stacked(summary["outcomes"], OUTCOME_COLOURS, "outcome mix"))
    out.append('</div><div class="card"><b>average score per week</b>')
    out.append(weekly_chart(summary["weeks"]))
    out.append("</div></div>")
    return out


def teams_table(teams: list[dict[str, Any]]) -> list[str]:
    ranked = sorted(teams, key=lambda t: (t["pass_rate"] is None, t["pass_rate"] or 0, t["team"]))
    rows = [
        f"<tr><td>{_t(t['team'])}</td><td class=num>{t['trainees']}</td>"
        f"<td class=num>{t['sessions']}</td><td class=num>{_pct(t['pass_rate'])}</td>"
        f"<td class=num>{_num(t['average_score'])}</td>"
        f"<td class=num>{_pct(t['completion'])}</td></tr>"
        for t in ranked[:TEAMS_LIMIT]
    ]
    return [
        "<h2>Teams</h2><p class=note>Lowest pass rate first. Completion: scenarios passed "
        "out of every trainee × scenario.</p>",
        "<table><tr><th>team</th><th>trainees</th><th>sessions</th><th>pass rate</th>"
        f"<th>avg score</th><th>completion</th></tr>{''.join(rows)}</table>",
        _limited(len(rows), len(teams), "teams"),
    ]


def attention_table(report: dict[str, Any], scenario_count: int) -> list[str]:
    by_name = {t["trainee"]: t for t in report["trainees"]}
    names = report["attention"][:LIMIT]
    rows = []
    for name in names:
        t = by_name[name]
        flag = ' class="warn"' if t["unverified"] else ""
        rows.append(
            f"<tr><td>{_t(name)}</td><td>{_t(t['team'] or '')}</td>"
            f"<td class=num>{t['sessions']}</td>"
            f"<td class=num>{len(t['scenarios_passed'])}/{scenario_count}</td>"
            f"<td class=num>{_num(t['average_score'])}</td>"
            f"<td class=num>{_num(t['best_score'])}</td>"
            f"<td class=num>{'–' if t['trend'] is None else format(t['trend'], '+.1f')}</td>"
            f"<td class=num>{t['abandoned']}</td><td class=num{flag}>{t['unverified']}</td>"
            f"<td class=num>{_num(t.get('recall'))}</td></tr>"
        )
    return [
        f"<h2>Trainees who need attention</h2><p class=note>Average below the pass mark "
        f"({report['summary']['pass_mark']}) or nothing finished; fewest scenarios passed "
        "first. A trend needs at least five finished sessions.</p>",
        "<table><tr><th>trainee</th><th>team</th><th>sessions</th><th>passed</th>"
        "<th>avg</th><th>best</th><th>trend / session</th><th>abandoned</th>"
        f"<th>unverified</th><th>recall</th></tr>{''.join(rows)}</table>",
        _limited(len(rows), len(report["attention"]), "trainees below the pass mark")
        or ("" if rows else "<p>Everyone is at or above the pass mark.</p>"),
    ]


def completion_grid(report: dict[str, Any], scenario_ids: list[str]) -> list[str]:
    """Trainee × scenario: best score, green when passed; the attention list first."""
    by_name = {t["trainee"]: t for t in report["trainees"]}
    order = report["attention"] + [n for n in by_name if n not in set(report["attention"])]
    shown = order[:LIMIT]
    head = "".join(f"<th>{_t(s)}</th>" for s in scenario_ids)
    rows = []
    for name in shown:
        grid = by_name[name]["grid"]
        cells = []
        for scenario_id in scenario_ids:
            cell = grid.get(scenario_id)
            if cell is None:
                cells.append('<td class=cell style="background:#f5f5f5">·</td>')
                continue
            colour = "#c8e6c9" if cell["passed"] else "#ffe0b2"
            cells.append(
                f'<td class=cell style="background:{colour}" title="{cell["attempts"]} '
                f'attempt(s)">{_num(cell["best"])}</td>'
            )
        rows.append(f"<tr><th>{_t(name)}</th>{''.join(cells)}</tr>")
    return [
        "<h2>Completion: trainee × scenario</h2><p class=note>Best score; green passed, "
        "amber tried, grey not started.</p>",
        f'<table class="grid"><tr><th>trainee</th>{head}</tr>{"".join(rows)}</table>',
        _limited(len(rows), len(order), "trainees"),
    ]


def principle_heatmap(report: dict[str, Any]) -> list[str]:
    """Team × principle (team average); the weakest trainees per principle below it."""
    principles = report["principles"]
    teams = sorted({team for p in principles for team in p["by_team"]})[:TEAMS_LIMIT]
    head = "".join(f"<th>{_t(p['principle'].replace('_', ' '))}</th>" for p in principles)
    rows = [
        "<tr><th>everyone</th>"
        + "".join(
            f'<td class=cell style="background:{_heat(p["team_average"])}">'
            f"{_num(p['team_average'])}</td>"
            for p in principles
        )
        + "</tr>"
    ]
    for team in teams:
        cells = "".join(
            f'<td class=cell style="background:{_heat(p["by_team"].get(team))}">'
            f"{_num(p['by_team'].get(team))}</td>"
            for p in principles
        )
        rows.append(f"<tr><th>{_t(team)}</th>{cells}</tr>")
    out = [
        "<h2>Principles: team × principle (average score)</h2>",
        f'<table class="heat"><tr><th>team</th>{head}</tr>{"".join(rows)}</table>',
        "<table><tr><th>principle</th><th>average</th><th>weakest (below average)</th></tr>",
    ]
    for p in principles:
        weakest = ", ".join(f"{_t(w['trainee'])} ({w['average']:g})" for w in p["weakest"])
        out.append(
            f"<tr><td>{_t(p['principle'])}</td><td class=num>{_num(p['team_average'])}</td>"
            f"<td>{weakest or '–'}</td></tr>"
        )
    out.append("</table>")
    return out


def path_heatmap(scenario: dict[str, Any]) -> str:
    """Nodes in the order conversations reach them; each choice with its wording."""
    rows = []
    for node in scenario["nodes"]:
        first = True
        for c in node["choices"]:
            label = (
                f'<td rowspan="{len(node["choices"])}"><b>{_t(node["node"])}</b><br>'
                f'<span class="muted">{_plural(node["trainees"], "trainee")}</span></td>'
                if first
                else ""
            )
            first = False
            share = float(c["share"])
            rows.append(
                f"<tr>{label}<td>{_t(c['choice'])}<div class=say>{_t(c.get('say', ''))}</div></td>"
                "<td>"
                f'<span class="bar" style="width:{share * 120:.0f}px"></span> {share:.0%}</td>'
                f"<td class=num>{c['times']}</td>"
                f"{_delta(c['avg_anger_change'], good_when_up=False)}"
                f"{_delta(c['avg_trust_change'], good_when_up=True)}</tr>"
            )
    return (
        "<table><tr><th>node</th><th>choice (what was said)</th><th>share of trainees</th>"
        "<th>times</th><th>avg Δ anger</th><th>avg Δ trust</th></tr>"
        f"{''.join(rows)}</table>"
    )


def render_html(report: dict[str, Any]) -> str:
    scenarios = report["scenarios"]
    scenario_ids = [s["scenario"] for s in scenarios]
    out = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<title>Training report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Difficult customers: training report</h1>",
        f'<p class="muted">{plural(report["sessions"], "session")} · generated '
        f"{_t(report['generated_at'])} · {_t(_filters(report['filters']))}</p>",
    ]
    if report["unverified"]:
        out.append(
            f'<p class="warn">{plural(len(report["unverified"]), "session")} failed verification '
            "(a seal or the hash chain is broken, a field is unusable, or the log predates "
            "sealing); they are counted below and listed at the end.</p>"
        )
    out += summary_section(report)
    out += teams_table(report["teams"])
    out += attention_table(report, len(scenario_ids))
    out += completion_grid(report, scenario_ids)
    out += principle_heatmap(report)
    out.append("<h2>Outcomes per scenario</h2>")
    out.append(outcomes_chart(scenarios))
    for s in scenarios:
        out.append(
            f"<h3>{_t(s['title'] or s['scenario'])} <span class=muted>({_t(s['scenario'])}: "
            f"{s['attempts']} attempts, average score {_num(s['average_score'])})</span></h3>"
        )
        out.append(path_heatmap(s))
    if report["unverified"]:
        shown = report["unverified"][:LIMIT]
        out.append(
            "<h2>Unverified sessions</h2><table><tr><th>session</th><th>trainee</th>"
            "<th>scenario</th><th>file</th></tr>"
        )
        for u in shown:
            out.append(
                f"<tr><td>{_t(u['session_id'])}</td><td>{_t(u['trainee'])}</td>"
                f"<td>{_t(u['scenario'])}</td><td>{_t(u['path'])}</td></tr>"
            )
        out.append("</table>")
        out.append(_limited(len(shown), len(report["unverified"]), "unverified sessions"))
    out.append("</body></html>\n")
    return "\n".join(part for part in out if part)


def _filters(filters: dict[str, Any]) -> str:
    kinds = filters.get("kinds")
    parts = [f"{k} {v}" for k, v in filters.items() if v and k != "kinds"]
    parts.append("all kinds of run" if kinds == "all" else f"kinds: {', '.join(kinds or [])}")
    return "; ".join(parts)
