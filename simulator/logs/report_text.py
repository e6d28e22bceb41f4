"""The report as terminal tables and as CSV sections for a spreadsheet.

Every name and id in a report came from a log file someone could have edited, so
terminal output passes through `single_line()` and CSV cells through the injection guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from simulator.logs.csvsafe import SafeWriter, name_cell
from simulator.text import literal, plural, single_line

BAR = 20
LIMIT = 50
"""Trainee rows in the terminal table; `--format csv` has every one."""


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return single_line(str(value))


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}"


def _table(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def write_table(report: dict[str, Any], out: TextIO) -> None:
    sessions, unverified = report["sessions"], report["unverified"]
    summary = report["summary"]
    note = f" ({len(unverified)} unverified: listed at the end)" if unverified else ""
    print(
        f"{plural(sessions, 'session')}, {plural(summary['trainees'], 'trainee')}{note}; "
        "pass rate "
        f"{_pct(summary['pass_rate'])}, average score {_fmt(summary['average_score'])}",
        file=out,
    )
    grades = ", ".join(f"{single_line(k)} {v}" for k, v in summary["grades"].items()) or "-"
    outcomes = ", ".join(f"{single_line(k)} {v}" for k, v in summary["outcomes"].items()) or "-"
    print(f"grades: {grades}\noutcomes: {outcomes}", file=out)
    weeks = [w for w in summary["weeks"] if w["enough"]]
    if weeks:
        print("\nWEEKS (five or more finished sessions)", file=out)
        _table(
            out,
            ["week", "sessions", "avg score", "pass rate"],
            [
                [w["week"], str(w["sessions"]), _fmt(w["average_score"]), _pct(w["pass_rate"])]
                for w in weeks
            ],
        )
    print("\nTEAMS", file=out)
    _table(
        out,
        ["team", "trainees", "sessions", "pass rate", "avg score", "completion"],
        [
            [
                single_line(t["team"]),
                str(t["trainees"]),
                str(t["sessions"]),
                _pct(t["pass_rate"]),
                _fmt(t["average_score"]),
                _pct(t["completion"]),
            ]
            for t in report["teams"]
        ],
    )
    shown = report["trainees"][:LIMIT]
    more = len(report["trainees"]) - len(shown)
    cut = f" (first {LIMIT} of {len(report['trainees'])}; --format csv has all)" if more else ""
    print(f"\nTRAINEES{cut}", file=out)
    _table(
        out,
        [
            "trainee",
            "sessions",
            "done",
            "scenarios",
            "avg",
            "best",
            "trend/session",
            "walked out",
            "abandoned",
            "unverified",
            "recall",
        ],
        [
            [
                single_line(t["trainee"]),
                str(t["sessions"]),
                str(t["completed"]),
                str(len(t["scenarios_done"])),
                _fmt(t["average_score"]),
                _fmt(t["best_score"]),
                _signed(t["trend"]),
                str(t["walked_out"]),
                str(t["abandoned"]),
                str(t["unverified"]),
                _fmt(t.get("recall")) + ("%" if t.get("recall") is not None else ""),
            ]
            for t in shown
        ],
    )
    print("\nSCENARIOS", file=out)
    _table(
        out,
        ["scenario", "attempts", "avg score", "outcomes", "abandoned", "unverified"],
        [
            [
                single_line(s["scenario"]),
                str(s["attempts"]),
                _fmt(s["average_score"]),
                ", ".join(f"{single_line(k)} {v}" for k, v in s["outcomes"].items()) or "-",
                str(s["statuses"].get("abandoned", 0)),
                str(s["unverified"]),
            ]
            for s in report["scenarios"]
        ],
    )
    for s in report["scenarios"]:
        print(
            f"\nPATHS: {single_line(s['scenario'])} (share of trainees at each node; "
            "average mood change)",
            file=out,
        )
        for node in s["nodes"]:
            print(
                f"  {single_line(node['node'])}  ({plural(node['trainees'], 'trainee')}, "
                f"{plural(node['visits'], 'visit')})",
                file=out,
            )
            for c in node["choices"]:
                bar = "#" * round(c["share"] * BAR)
                print(
                    f"    {single_line(c['choice']):<24} {c['share']:>4.0%} {bar:<{BAR}} "
                    f"anger {_signed(c['avg_anger_change'])}  "
                    f"trust {_signed(c['avg_trust_change'])}",
                    file=out,
                )
                if c.get("say"):
                    print(f"      “{literal(c['say'])}”", file=out)
    print("\nPRINCIPLES", file=out)
    _table(
        out,
        ["principle", "team avg", "sessions", "weakest"],
        [
            [
                single_line(p["principle"]),
                _fmt(p["team_average"]),
                str(p["sessions"]),
                ", ".join(f"{single_line(w['trainee'])} {w['average']:g}" for w in p["weakest"]),
            ]
            for p in report["principles"]
        ],
    )
    if unverified:
        print("\nUNVERIFIED SESSIONS (hash chain broken: counted above, but check them)", file=out)
        for u in unverified:
            print(
                f"  {single_line(u['session_id'])}  {single_line(u['trainee'])}  "
                f"{single_line(u['scenario'])}  {single_line(u['path'])}",
                file=out,
            )


def write_csv(report: dict[str, Any], out: TextIO) -> None:
    """Sections separated by a blank row, each with its own header row."""
    writer = SafeWriter(out)
    summary = report["summary"]
    writer.row(["sessions", "trainees", "scored", "average_score", "pass_rate", "pass_mark"])
    writer.row(
        [
            summary["sessions"],
            summary["trainees"],
            summary["scored"],
            summary["average_score"],
            summary["pass_rate"],
            summary["pass_mark"],
        ]
    )
    writer.row([])
    writer.row(["grade", "sessions"])
    for grade, count in summary["grades"].items():
        writer.row([grade, count])
    writer.row([])
    writer.row(["outcome", "sessions"])
    for outcome, count in summary["outcomes"].items():
        writer.row([outcome, count])
    writer.row([])
    writer.row(["week", "sessions", "trainees", "scored", "average_score", "pass_rate"])
    for w in summary["weeks"]:
        writer.row(
            [
                w["week"],
                w["sessions"],
                w["trainees"],
                w["scored"],
                w["average_score"],
                w["pass_rate"],
            ]
        )
    writer.row([])
    writer.row(
        ["team", "trainees", "sessions", "scored", "average_score", "pass_rate", "completion"]
    )
    for t in report["teams"]:
        writer.row(
            [
                t["team"],
                t["trainees"],
                t["sessions"],
                t["scored"],
                t["average_score"],
                t["pass_rate"],
                t["completion"],
            ]
        )
    writer.row([])
    writer.row(
        [
            "trainee",
            "team",
            "sessions",
            "completed",
            "walked_out",
            "abandoned",
            "scenarios_done",
            "average_score",
            "best_score",
            "trend",
            "unverified",
            "recall",
        ]
    )
    for t in report["trainees"]:
        writer.row(
            [
                t["trainee"],
                t["team"],
                t["sessions"],
                t["completed"],
                t["walked_out"],
                t["abandoned"],
                len(t["scenarios_done"]),
                t["average_score"],
                t["best_score"],
                t["trend"],
                t["unverified"],
                t.get("recall"),
            ]
        )
    writer.row([])
    writer.row(["trainee", "team", "scenario", "attempts", "best_score", "passed"])
    for t in report["trainees"]:
        for scenario_id, cell in t["grid"].items():
            writer.row(
                [
                    t["trainee"],
                    t["team"],
                    scenario_id,
                    cell["attempts"],
                    cell["best"],
                    cell["passed"],
                ]
            )
    writer.row([])
    writer.row(
        ["scenario", "title", "attempts", "average_score", "outcomes", "abandoned", "unverified"]
    )
    for s in report["scenarios"]:
        outcomes = "; ".join(f"{k}={v}" for k, v in s["outcomes"].items())
        writer.row(
            [
                s["scenario"],
                name_cell(s["title"]),
                s["attempts"],
                s["average_score"],
                outcomes,
                s["statuses"].get("abandoned", 0),
                s["unverified"],
            ]
        )
    writer.row([])
    writer.row(
        [
            "scenario",
            "node",
            "average_turn",
            "choice",
            "say",
            "times",
            "trainees",
            "share",
            "avg_anger_change",
            "avg_trust_change",
        ]
    )
    for s in report["scenarios"]:
        for node in s["nodes"]:
            for c in node["choices"]:
                writer.row(
                    [
                        s["scenario"],
                        node["node"],
                        node["average_turn"],
                        c["choice"],
                        c.get("say", ""),
                        c["times"],
                        c["trainees"],
                        c["share"],
                        c["avg_anger_change"],
                        c["avg_trust_change"],
                    ]
                )
    writer.row([])
    writer.row(["principle", "team_average", "sessions", "weakest"])
    for p in report["principles"]:
        weakest = "; ".join(f"{w['trainee']}={w['average']}" for w in p["weakest"])
        writer.row([p["principle"], p["team_average"], p["sessions"], weakest])
    if report["unverified"]:
        writer.row([])
        writer.row(["unverified_session", "trainee", "scenario", "path"])
        for u in report["unverified"]:
            writer.row([u["session_id"], u["trainee"], u["scenario"], u["path"]])
