"""The report as terminal tables and as CSV sections for a spreadsheet.

Every name and id in a report came from a log file someone could have edited, so
terminal output passes through `literal()` and CSV cells through the injection guard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TextIO

from simulator.logs.csvsafe import SafeWriter, name_cell
from simulator.text import literal

BAR = 20


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:g}"
    return literal(str(value))


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


def write_table(report: dict[str, Any], out: TextIO) -> None:
    sessions, unverified = report["sessions"], report["unverified"]
    note = f" ({len(unverified)} unverified: listed at the end)" if unverified else ""
    print(f"{sessions} sessions{note}", file=out)
    print("\nTRAINEES", file=out)
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
                literal(t["trainee"]),
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
            for t in report["trainees"]
        ],
    )
    print("\nSCENARIOS", file=out)
    _table(
        out,
        ["scenario", "attempts", "avg score", "outcomes", "abandoned", "unverified"],
        [
            [
                literal(s["scenario"]),
                str(s["attempts"]),
                _fmt(s["average_score"]),
                ", ".join(f"{literal(k)} {v}" for k, v in s["outcomes"].items()) or "-",
                str(s["statuses"].get("abandoned", 0)),
                str(s["unverified"]),
            ]
            for s in report["scenarios"]
        ],
    )
    for s in report["scenarios"]:
        print(
            f"\nPATHS: {literal(s['scenario'])} (share of trainees at each node; "
            "average mood change)",
            file=out,
        )
        for node in s["nodes"]:
            print(
                f"  {literal(node['node'])}  ({node['trainees']} trainees, "
                f"{node['visits']} visits)",
                file=out,
            )
            for c in node["choices"]:
                bar = "#" * round(c["share"] * BAR)
                print(
                    f"    {literal(c['choice']):<24} {c['share']:>4.0%} {bar:<{BAR}} "
                    f"anger {_signed(c['avg_anger_change'])}  "
                    f"trust {_signed(c['avg_trust_change'])}",
                    file=out,
                )
    print("\nPRINCIPLES", file=out)
    _table(
        out,
        ["principle", "team avg", "sessions", "weakest"],
        [
            [
                literal(p["principle"]),
                _fmt(p["team_average"]),
                str(p["sessions"]),
                ", ".join(f"{literal(w['trainee'])} {w['average']:g}" for w in p["weakest"]),
            ]
            for p in report["principles"]
        ],
    )
    if unverified:
        print("\nUNVERIFIED SESSIONS (hash chain broken: counted above, but check them)", file=out)
        for u in unverified:
            print(
                f"  {literal(u['session_id'])}  {literal(u['trainee'])}  "
                f"{literal(u['scenario'])}  {literal(u['path'])}",
                file=out,
            )


def write_csv(report: dict[str, Any], out: TextIO) -> None:
    """Sections separated by a blank row, each with its own header row."""
    writer = SafeWriter(out)
    writer.row(
        [
            "trainee",
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
            "choice",
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
                        c["choice"],
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
