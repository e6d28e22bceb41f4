"""xAPI statements for a learning record store, following ADL's conventions.

Per session: `attempted` at the start, one `responded` per turn (the node is a
cmi.interaction of type choice, the response the choice id), and at the end
`completed` plus `passed` or `failed` with the score (scaled/raw/min/max), success,
completion and ISO 8601 duration; an abandoned session ends with ADL's `abandoned`.
`context.registration` is the session id, so an LRS groups one attempt's statements.
A statement's id is a UUID derived from its whole content: the same logs exported or
sent twice give the same ids (an LRS stores them once), while different content —
an anonymised export of the same session, say — gets different ids, so an LRS never
refuses it as a conflicting duplicate.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from simulator import __version__
from simulator.logs.reader import SessionSummary
from simulator.logs.records import parse_time

BASE = os.environ.get("SIMULATOR_XAPI_BASE", "https://difficult-customers.example/xapi").rstrip("/")
"""The IRI space the project's activities and extensions live under."""
EXT = f"{BASE}/extensions"
EXT_ANGER, EXT_TRUST = f"{EXT}/anger", f"{EXT}/trust"
EXT_PRINCIPLES = f"{EXT}/principles"
EXT_CHAIN_HEAD, EXT_RECORDS = f"{EXT}/chain-head", f"{EXT}/records"
EXT_SESSION = f"{EXT}/session"
EXT_RECORD = f"{EXT}/record"
"""The log record a statement comes from (0: session_started)."""

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


@dataclass(frozen=True)
class Identity:
    """How trainees are known to the company's LMS/LRS, set once in settings.

    By default an actor is an `account` under the simulator's own IRI space; with
    `home_page` it is an account on the LMS (its login name from the teams file's `id`
    column, else the trainee's name); with `mbox_domain` it is `mailto:ID@DOMAIN`.
    """

    home_page: str | None = None
    mbox_domain: str | None = None
    ids: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    """trainee → LMS login, from the teams file's optional `id` column."""

    def actor(self, trainee: str, shown: str) -> dict[str, Any]:
        """The actor for a trainee; `shown` is the exported name (maybe a pseudonym)."""
        login = self.ids.get(trainee) if shown == trainee else None
        if self.mbox_domain:
            local = login or re.sub(r"[^a-z0-9._-]+", ".", shown.lower()).strip(".") or "x"
            return {
                "objectType": "Agent",
                "name": shown,
                "mbox": f"mailto:{local}@{self.mbox_domain}",
            }
        home = self.home_page or f"{BASE}/trainees"
        return {
            "objectType": "Agent",
            "name": shown,
            "account": {"homePage": home, "name": login or shown},
        }


def _stamp(moment: datetime) -> str:
    """ISO 8601 in UTC; a time at the calendar's edge (crafted) keeps its own offset."""
    with contextlib.suppress(OverflowError, ValueError):
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement_id(statement: dict[str, Any]) -> str:
    """A UUID over the statement's content (every field but the id itself)."""
    content = json.dumps(
        {k: v for k, v in statement.items() if k != "id"}, sort_keys=True, ensure_ascii=False
    )
    return str(uuid.uuid5(_NAMESPACE, hashlib.sha256(content.encode()).hexdigest()))


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
    identity: Identity | None = None,
) -> Iterator[dict[str, Any]]:
    """Every statement of one session, in order; `name` maps trainee → exported name."""
    for made in _statements(summary, turns, name, identity or Identity()):
        yield {"id": statement_id(made), **made}


def _statements(
    summary: SessionSummary,
    turns: list[dict[str, Any]],
    name: Callable[[str], str],
    identity: Identity,
) -> Iterator[dict[str, Any]]:
    actor = identity.actor(summary.trainee, name(summary.trainee))
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
        moment = parse_time(at) if isinstance(at, str) else at
        return {
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": obj,
            "timestamp": _stamp(moment or summary.started_at),
            "context": {**context, "extensions": {**context["extensions"], EXT_RECORD: n}},
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
        made["context"]["contextActivities"] = {
            "parent": [{"objectType": "Activity", "id": scenario_iri}]
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
    # The anchor is session_ended's seal and position, not the file's last record:
    # a reflection written later then changes no statement (and no statement id),
    # and `verify --against` still finds the anchor inside the grown chain.
    closing = {
        **context,
        "extensions": {
            **context["extensions"],
            EXT_RECORD: summary.end_records or summary.records,
            EXT_CHAIN_HEAD: summary.end_hash or summary.chain_head,
            EXT_RECORDS: summary.end_records or summary.records,
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
