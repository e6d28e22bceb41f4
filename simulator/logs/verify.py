"""Tamper evidence: check every session's hash chain, and compare logs with an export.

The chain alone catches a record that was edited, dropped, reordered or inserted
anywhere but at the very end. A session cut short, or rewritten from scratch with a
recomputed chain, only shows against something kept elsewhere: an export carries
each session's chain head and record count, and `check_against` compares them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.logs.reader import Issue, iter_logs, summarize
from simulator.logs.xapi import EXT_CHAIN_HEAD, EXT_RECORDS, EXT_SESSION


@dataclass
class Verification:
    """What `simulator verify` found: counts plus every problem, file and line."""

    sessions: int = 0
    verified: int = 0
    issues: list[Issue] = field(default_factory=list)

    legacy: int = 0
    """Sessions written before sealing: readable, but their last record is unprotected."""

    @property
    def ok(self) -> bool:
        """Every session verified and nothing wrong against the anchor."""
        return self.verified == self.sessions and all(
            issue.severity != "error" for issue in self.issues
        )


@dataclass(frozen=True)
class Anchor:
    """One session as an export saw it: the chain head and record count it kept."""

    session_id: str
    chain_head: str
    records: int


def verify(dirs: Sequence[Path] | None, against: Path | str | None = None) -> Verification:
    """Check every log; `against` is an export file or an LRS URL (http:// or https://)."""
    result = Verification()
    heads: dict[str, tuple[str | None, int, Path]] = {}
    for parsed in iter_logs(dirs, result.issues):
        result.sessions += 1
        result.verified += parsed.verified
        result.legacy += bool(parsed.records) and not parsed.sealed
        summary = summarize(parsed)
        heads[summary.session_id] = (parsed.head, len(parsed.records), parsed.path)
    if against is not None:
        result.issues += check_against(heads, against)
    return result


def check_against(
    heads: dict[str, tuple[str | None, int, Path]], export: Path | str
) -> list[Issue]:
    """Sessions whose log no longer ends where the export saw it end.

    A log may legitimately have grown since (a reflection added later), so a log
    with more records only counts as changed when its chain no longer passes
    through the exported head; that needs the log's own hashes, so growth is
    reported as a warning to look at rather than silently accepted.
    """
    from simulator.logs.lrs import LRSError

    issues: list[Issue] = []
    if isinstance(export, str) and export.startswith(("http://", "https://")):
        try:
            anchors = list(lrs_anchors(export))
        except LRSError as exc:
            return [Issue(Path(export), 0, str(exc))]
        export = Path(export)
        if not anchors:
            return [Issue(export, 0, "the LRS holds no session from these logs yet")]
    else:
        export = Path(export)
        try:
            anchors = list(read_anchors(export))
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
            return [Issue(export, 0, f"cannot read the export: {exc}")]
        if not anchors:
            return [Issue(export, 0, "the export holds no chain heads (exported before v1?)")]
    for anchor in anchors:
        found = heads.get(anchor.session_id)
        if found is None:
            issues.append(Issue(export, 0, f"session {anchor.session_id}: its log is missing"))
            continue
        head, records, path = found
        if records < anchor.records:
            issues.append(
                Issue(path, 0, f"truncated: {records} records, the export saw {anchor.records}")
            )
        elif records == anchor.records and head != anchor.chain_head:
            issues.append(Issue(path, 0, "rewritten: the chain head differs from the export's"))
        elif records > anchor.records and not _passes_through(path, anchor):
            issues.append(Issue(path, 0, "rewritten: the export's chain head is no longer in it"))
    return issues


def _passes_through(path: Path, anchor: Anchor) -> bool:
    """Whether the log's first `anchor.records` lines still hash to the exported head."""
    from simulator.logs.records import claimed_seal, line_hash

    try:
        lines = path.read_bytes().split(b"\n")
    except OSError:
        return False
    if not 0 < anchor.records < len(lines):
        return False
    sealed = claimed_seal(lines[0]) is not None
    return line_hash(lines[anchor.records - 1], sealed) == anchor.chain_head


def _statement_anchors(found: Iterable[Any]) -> Iterator[Anchor]:
    seen: set[str] = set()
    for statement in found:
        ext = statement.get("context", {}).get("extensions", {})
        if EXT_CHAIN_HEAD in ext:
            registration = statement["context"]["registration"]
            session = str(ext.get(EXT_SESSION, registration))
            anchor = Anchor(session, str(ext[EXT_CHAIN_HEAD]), int(ext[EXT_RECORDS]))
            if f"{anchor}" not in seen:  # completed and passed carry the same anchor
                seen.add(f"{anchor}")
                yield anchor


def lrs_anchors(url: str) -> Iterator[Anchor]:
    """The anchors an LRS holds: the closing statements `simulator send` delivered."""
    from simulator.logs.lrs import configured

    # Every statement, not a `verb` query: Ralph's fs backend answers verb queries
    # with nothing, and only the closing statements carry a chain head anyway.
    yield from _statement_anchors(configured(url).statements())


def read_anchors(export: Path) -> Iterator[Anchor]:
    """Chain heads from a CSV, JSONL or xAPI export written by `simulator export`."""
    text = export.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        yield from _statement_anchors(json.loads(text))
        return
    if stripped.startswith("{"):
        for line in text.splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("chain_head"):
                    yield Anchor(str(row["session_id"]), row["chain_head"], int(row["records"]))
        return
    for row in csv.DictReader(text.splitlines()):
        if row.get("chain_head") and row.get("session_id"):
            yield Anchor(row["session_id"], row["chain_head"], int(row["records"]))
