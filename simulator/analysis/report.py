"""The checker's verdict in three shapes: for people, for programs, for GitHub.

Text keeps the `FILE:LINE:COL: severity: message` lines editors and CI logs link
to, followed by what the analysis found in words a trainer reads ("best 94 via
…"). JSON carries the same facts for tools. GitHub workflow commands turn each
problem into an annotation on the pull request's diff.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from simulator.analysis.checker import FileReport
from simulator.analysis.explore import Analysis, Extreme
from simulator.analysis.findings import describe_path
from simulator.problems import Problem
from simulator.text import one_line, plural, to_json


def strict(reports: Sequence[FileReport]) -> list[FileReport]:
    """`--strict`: every warning becomes an error, in the output as well as the exit code."""
    return [
        replace(r, problems=tuple(replace(p, severity="error") for p in r.problems))
        for r in reports
    ]


def totals(reports: Sequence[FileReport]) -> tuple[int, int]:
    return sum(r.count("error") for r in reports), sum(r.count("warning") for r in reports)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def summary_line(reports: Sequence[FileReport]) -> str:
    errors, warnings = totals(reports)
    return (
        f"checked {_plural(len(reports), 'file')}: {_plural(errors, 'error')}, "
        f"{_plural(warnings, 'warning')}"
    )


# --------------------------------------------------------------------- text


def _extreme(label: str, found: Extreme, bound: str) -> str:
    return (
        f"  {label} {bound}{found.score} ({found.outcome}, ending '{found.ending}') "
        f"via {describe_path(found.path)}"
    )


def analysis_lines(analysis: Analysis) -> list[str]:
    """What a trainer reads under each file: endings, best, worst, longest, paths."""
    a = analysis
    lines = []
    if a.complete:
        lines.append(
            f"  explored every conversation: {a.states:,} states in {a.seconds:.2f}s "
            f"({a.states_per_second:,.0f} states/s)"
        )
    else:
        why = a.bound_reason or "there are more states than the budget"
        lines.append(
            f"  explored every conversation of up to {plural(a.complete_turns, 'turn')} "
            f"({a.states:,} states in {a.seconds:.2f}s); longer ones exist, so the "
            f"figures below are bounds: {why}"
        )
    reached = "; ".join(f"{outcome}: {', '.join(ids)}" for outcome, ids in a.endings.items())
    lines.append(f"  endings reached: {reached or 'none'}")
    if a.best is not None:
        lines.append(_extreme("best", a.best, "" if a.complete else "at least "))
    if a.worst is not None:
        lines.append(_extreme("worst", a.worst, "" if a.complete else "at most "))
    if a.longest is not None:
        turns = len(a.longest.path)
        bound = "" if a.complete else "at least "
        lines.append(
            f"  longest conversation {bound}{_plural(turns, 'turn')} "
            f"via {describe_path(a.longest.path)}"
        )
    lines.append(f"  distinct paths: {paths_text(a)}")
    return lines


def paths_text(analysis: Analysis) -> str:
    if analysis.complete:
        return f"{analysis.paths:,}"
    more = "unbounded (the conversation can loop)" if analysis.loops else "more exist"
    return f"at least {analysis.paths:,}; {more}"


def text(reports: Sequence[FileReport]) -> str:
    lines: list[str] = []
    for report in reports:
        lines += [str(p) for p in report.problems]
    for report in reports:
        if report.loaded is None:
            continue
        tests = report.tests
        passed = sum(1 for t in tests if t.passed)
        kept = " (unchanged since its last check: from the cache)" if report.cached else ""
        lines.append(
            f"{one_line(report.file)}: {report.loaded.scenario.id}: "
            f"{passed}/{len(tests)} self-tests passed{kept}"
        )
        if report.analysis is not None:
            lines += analysis_lines(report.analysis)
    lines.append(summary_line(reports))
    return "\n".join(lines)


# --------------------------------------------------------------------- json


def _problem_json(p: Problem) -> dict[str, Any]:
    return {
        "file": p.file,
        "line": p.line,
        "column": p.column,
        "severity": p.severity,
        "message": p.message,
    }


def _extreme_json(found: Extreme | None) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "score": found.score,
        "ending": found.ending,
        "outcome": found.outcome,
        "anger": found.anger,
        "trust": found.trust,
        "turns": len(found.path),
        "path": [{"node": node, "choice": choice} for node, choice in found.path],
        "choices": [choice for _, choice in found.path],
    }


def analysis_json(a: Analysis) -> dict[str, Any]:
    return {
        "complete": a.complete,
        "complete_turns": a.complete_turns,
        "states": a.states,
        "moves": a.moves,
        "seconds": round(a.seconds, 4),
        "states_per_second": round(a.states_per_second),
        "endings": {outcome: list(ids) for outcome, ids in a.endings.items()},
        "best": _extreme_json(a.best),
        "worst": _extreme_json(a.worst),
        "longest": _extreme_json(a.longest),
        "paths": a.paths,
        "paths_exact": a.complete,
        "loops": a.loops,
        "bound_reason": a.bound_reason,
    }


def _file_json(report: FileReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "scenario": report.scenario_id,
        "errors": report.count("error"),
        "warnings": report.count("warning"),
        "cached": report.cached,
        "problems": [_problem_json(p) for p in report.problems],
        "analysis": analysis_json(report.analysis) if report.analysis else None,
        "self_tests": [
            {
                "name": t.test.name,
                "choices": list(t.test.choices),
                "passed": t.passed,
                "failures": list(t.failures),
                "ending": t.result.ending if t.result else None,
                "outcome": t.result.outcome if t.result else None,
                "score": t.result.score.score if t.result else None,
                "anger": t.result.end.anger if t.result else None,
                "trust": t.result.end.trust if t.result else None,
            }
            for t in report.tests
        ],
    }


def as_json(reports: Sequence[FileReport]) -> str:
    errors, warnings = totals(reports)
    document = {
        "ok": errors == 0,
        "errors": errors,
        "warnings": warnings,
        "files": [_file_json(r) for r in reports],
    }
    return to_json(document, indent=2)


# ------------------------------------------------------------------- github


def _escape(value: str, *, property_value: bool = False) -> str:
    """GitHub's workflow-command escaping (data, and the stricter one for properties).

    Controls and bidi are shown as escapes first: the command is printed to the CI
    log, where an ESC or U+202E would reach whoever reads it.
    """
    value = one_line(value).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(reports: Sequence[FileReport]) -> str:
    lines = []
    for report in reports:
        for p in report.problems:
            lines.append(
                f"::{p.severity} file={_escape(p.file, property_value=True)},line={p.line},"
                f"col={p.column},title=simulator check::{_escape(p.message)}"
            )
    lines.append(summary_line(reports))
    return "\n".join(lines)


FORMATS = {"text": text, "json": as_json, "github": github}
