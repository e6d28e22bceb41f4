"""The report as one self-contained HTML file: inline CSS and SVG, no script, no fetch.

A manager opens it offline from an e-mail or a shared drive. Every value taken from a
log is escaped, and a Content-Security-Policy forbids scripts outright, so a trainee
named `<script>…` is shown as text even if an escape were ever missed.
"""

from __future__ import annotations

from html import escape
from typing import Any

from simulator.text import literal

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
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


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


def trend_chart(scores: list[dict[str, Any]], width: int = 220, height: int = 70) -> str:
    """A sparkline of scores (0..100) over sessions in order."""
    if not scores:
        return '<span class="muted">no finished sessions</span>'
    n = len(scores)
    xs = [8 + (width - 16) * (i / (n - 1) if n > 1 else 0.5) for i in range(n)]
    ys = [height - 8 - (height - 16) * int(s["score"]) / 100 for s in scores]
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#3949ab">'
        f"<title>{_t(s['scenario'])}: {int(s['score'])}</title></circle>"
        for x, y, s in zip(xs, ys, scores, strict=True)
    )
    last = (
        f'<text x="{min(xs[-1] + 4, width - 18):.1f}" y="{max(ys[-1] - 4, 10):.1f}" '
        f'font-size="10" fill="#3949ab">{int(scores[-1]["score"])}</text>'
    )
    guide = height - 8 - (height - 16) * 0.65
    return (
        f'<svg role="img" aria-label="score trend" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fafafa"/>'
        f'<line x1="0" x2="{width}" y1="{guide:.1f}" y2="{guide:.1f}" stroke="#ddd" '
        f'stroke-dasharray="3 3"/>'
        f'<polyline points="{points}" fill="none" stroke="#3949ab" stroke-width="2"/>'
        f"{dots}{last}</svg>"
    )


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


def principle_heatmap(trainees: list[dict[str, Any]], families: list[str]) -> str:
    head = "".join(f"<th>{_t(f.replace('_', ' '))}</th>" for f in families)
    rows = []
    for t in trainees:
        cells = "".join(
            f'<td class=cell style="background:{_heat(t["principles"].get(f))}">'
            f"{_num(t['principles'].get(f))}</td>"
            for f in families
        )
        rows.append(f"<tr><th>{_t(t['trainee'])}</th>{cells}</tr>")
    return f'<table class="heat"><tr><th>trainee</th>{head}</tr>{"".join(rows)}</table>'


def path_heatmap(scenario: dict[str, Any]) -> str:
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
                f"<tr>{label}<td>{_t(c['choice'])}</td>"
                "<td>"
                f'<span class="bar" style="width:{share * 120:.0f}px"></span> {share:.0%}</td>'
                f"<td class=num>{c['times']}</td>"
                f"{_delta(c['avg_anger_change'], good_when_up=False)}"
                f"{_delta(c['avg_trust_change'], good_when_up=True)}</tr>"
            )
    return (
        "<table><tr><th>node</th><th>choice</th><th>share of trainees</th><th>times</th>"
        f"<th>avg Δ anger</th><th>avg Δ trust</th></tr>{''.join(rows)}</table>"
    )


def render_html(report: dict[str, Any]) -> str:
    trainees, scenarios = report["trainees"], report["scenarios"]
    families = [p["principle"] for p in report["principles"]]
    out = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<title>Training report</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Difficult customers: training report</h1>",
        f'<p class="muted">{report["sessions"]} sessions · generated '
        f"{_t(report['generated_at'])}</p>",
    ]
    if report["unverified"]:
        out.append(
            f'<p class="warn">{len(report["unverified"])} session(s) failed verification '
            "(their hash chain is broken); they are counted below and listed at the end.</p>"
        )
    out.append(
        "<h2>Trainees</h2><table><tr><th>trainee</th><th>sessions</th><th>done</th>"
        "<th>scenarios</th><th>avg</th><th>best</th><th>trend / session</th>"
        "<th>walked out</th><th>abandoned</th><th>unverified</th><th>recall</th></tr>"
    )
    for t in trainees:
        flag = ' class="warn"' if t["unverified"] else ""
        out.append(
            f"<tr><td>{_t(t['trainee'])}</td><td class=num>{t['sessions']}</td>"
            f"<td class=num>{t['completed']}</td><td class=num>{len(t['scenarios_done'])}</td>"
            f"<td class=num>{_num(t['average_score'])}</td>"
            f"<td class=num>{_num(t['best_score'])}</td>"
            f"<td class=num>{'–' if t['trend'] is None else format(t['trend'], '+.1f')}</td>"
            f"<td class=num>{t['walked_out']}</td><td class=num>{t['abandoned']}</td>"
            f"<td class=num{flag}>{t['unverified']}</td>"
            f"<td class=num>{_num(t.get('recall'))}</td></tr>"
        )
    out.append("</table><h2>Score trend per trainee</h2><div class=cards>")
    for t in trainees:
        out.append(f"<div class=card><b>{_t(t['trainee'])}</b>{trend_chart(t['scores'])}</div>")
    out.append("</div><h2>Principles: trainee × principle (average score)</h2>")
    out.append(principle_heatmap(trainees, families))
    out.append("<table><tr><th>principle</th><th>team average</th><th>weakest</th></tr>")
    for p in report["principles"]:
        weakest = ", ".join(f"{_t(w['trainee'])} ({w['average']:g})" for w in p["weakest"])
        out.append(
            f"<tr><td>{_t(p['principle'])}</td><td class=num>{_num(p['team_average'])}</td>"
            f"<td>{weakest}</td></tr>"
        )
    out.append("</table><h2>Outcomes per scenario</h2>")
    out.append(outcomes_chart(scenarios))
    for s in scenarios:
        out.append(
            f"<h3>{_t(s['title'] or s['scenario'])} <span class=muted>({_t(s['scenario'])}: "
            f"{s['attempts']} attempts, average score {_num(s['average_score'])})</span></h3>"
        )
        out.append(path_heatmap(s))
    if report["unverified"]:
        out.append(
            "<h2>Unverified sessions</h2><table><tr><th>session</th><th>trainee</th>"
            "<th>scenario</th><th>file</th></tr>"
        )
        for u in report["unverified"]:
            out.append(
                f"<tr><td>{_t(u['session_id'])}</td><td>{_t(u['trainee'])}</td>"
                f"<td>{_t(u['scenario'])}</td><td>{_t(u['path'])}</td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>\n")
    return "\n".join(out)
