"""xAPI statements for a learning record store, following ADL's conventions.

Per session: `attempted` at the start, one `responded` per turn (the node is a
cmi.interaction of type choice, the response the choice id), and at the end
`completed` plus `passed` or `failed` with the score (scaled/raw/min/max), success,
completion and ISO 8601 duration; an abandoned session ends with ADL's `abandoned`.
`context.registration` is the session id, so an LRS groups one attempt's statements.
Statement ids are derived from the session and record number, so exporting the
same logs twice never duplicates statements in the LRS.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

from simulator import __version__
from simulator.logs.reader import SessionSummary

BASE = os.environ.get("SIMULATOR_XAPI_BASE", "https://difficult-customers.example/xapi").rstrip("/")
"""The IRI space the project's activities and extensions live under."""
EXT = f"{BASE}/extensions"
EXT_ANGER, EXT_TRUST = f"{EXT}/anger", f"{EXT}/trust"
EXT_PRINCIPLES = f"{EXT}/principles"
EXT_CHAIN_HEAD, EXT_RECORDS = f"{EXT}/chain-head", f"{EXT}/records"
EXT_SESSION = f"{EXT}/session"

ADL = "http://adlnet.gov/expapi/verbs"
VERBS = {
    "attempted": f"{ADL}/attempted",
    "responded": f"{ADL}/responded",
    "completed": f"{ADL}/completed",
    "passed": f"{ADL}/passed",
    "failed": f"{ADL}/failed",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
PASS_MARK = 65
"""A finished conversation passes at grade C or better without losing the customer."""
_NAMESPACE = uuid.UUID("8f1d1b1e-5c57-4b8a-9a53-1f0c2b7d9e42")


def registration(session_id: str) -> str:
    """The session id as the UUID xAPI requires (derived when it is not one already)."""
    try:
        return str(uuid.UUID(session_id))
    except ValueError:
        return str(uuid.uuid5(_NAMESPACE, session_id))


def passed(summary: SessionSummary) -> bool:
    return (
        summary.status == "completed"
        and summary.outcome in ("resolved", "escalated")
        and (summary.score or 0) >= PASS_MARK
    )


def statements(
    summary: SessionSummary,
    turns: list[dict[str, Any]],
    name: Callable[[str], str],
) -> Iterator[dict[str, Any]]:
    """Every statement of one session, in order; `name` maps trainee → exported name."""
    actor = {
        "objectType": "Agent",
        "name": name(summary.trainee),
        "account": {"homePage": f"{BASE}/trainees", "name": name(summary.trainee)},
    }
    scenario_iri = f"{BASE}/scenarios/{quote(summary.scenario, safe='')}"
    scenario = {
        "objectType": "Activity",
        "id": scenario_iri,
        "definition": {
            "name": {"en-US": summary.title or summary.scenario},
            "type": SIMULATION,
        },
    }
    context: dict[str, Any] = {
        "registration": registration(summary.session_id),
        "platform": f"difficult-customers {summary.app_version or __version__}",
        "language": "en-US",
        "extensions": {EXT_SESSION: summary.session_id},
    }

    def statement(n: int, verb: str, obj: dict[str, Any], at: datetime | str) -> dict[str, Any]:
        stamp = at if isinstance(at, str) else at.isoformat().replace("+00:00", "Z")
        return {
            "id": str(uuid.uuid5(_NAMESPACE, f"{summary.session_id}:{n}:{verb}")),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": obj,
            "timestamp": stamp,
            "context": context,
        }

    yield statement(0, "attempted", scenario, summary.started_at)
    for turn in turns:
        node = str(turn.get("node", ""))
        obj = {
            "objectType": "Activity",
            "id": f"{scenario_iri}/nodes/{quote(node, safe='')}",
            "definition": {
                "name": {"en-US": f"{summary.title or summary.scenario}: {node}"},
                "type": INTERACTION,
                "interactionType": "choice",
            },
        }
        seq = turn.get("seq")
        number = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
        made = statement(number, "responded", obj, str(turn.get("at")))
        made["result"] = {
            "response": str(turn.get("choice", "")),
            "extensions": {
                EXT_ANGER: {"before": turn.get("anger_before"), "after": turn.get("anger_after")},
                EXT_TRUST: {"before": turn.get("trust_before"), "after": turn.get("trust_after")},
                f"{EXT}/rating": turn.get("rating"),
                f"{EXT}/best-choice": turn.get("best_choice"),
                f"{EXT}/techniques": turn.get("techniques", []),
            },
        }
        made["context"] = {
            **context,
            "contextActivities": {"parent": [{"objectType": "Activity", "id": scenario_iri}]},
        }
        yield made
    yield from _ending(summary, scenario, context, statement)


def _ending(
    summary: SessionSummary,
    scenario: dict[str, Any],
    context: dict[str, Any],
    statement: Callable[[int, str, dict[str, Any], datetime | str], dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    end = summary.ended_at or summary.started_at
    closing = {
        **context,
        "extensions": {
            **context["extensions"],
            EXT_CHAIN_HEAD: summary.chain_head,
            EXT_RECORDS: summary.records,
        },
    }
    result: dict[str, Any] = {
        "completion": summary.status != "abandoned",
        "extensions": {
            EXT_ANGER: summary.anger,
            EXT_TRUST: summary.trust,
            EXT_PRINCIPLES: dict(summary.principles),
        },
    }
    if summary.duration_s is not None:
        result["duration"] = f"PT{summary.duration_s:.3f}S"
    if summary.status == "abandoned":
        made = statement(summary.records, "abandoned", scenario, end)
        made["result"], made["context"] = result, closing
        yield made
        return
    score = summary.score or 0
    result["success"] = passed(summary)
    result["score"] = {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100}
    for verb in ("completed", "passed" if result["success"] else "failed"):
        made = statement(summary.records, verb, scenario, end)
        made["result"], made["context"] = result, closing
        yield made
