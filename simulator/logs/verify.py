"""Tamper evidence: check every session's hash chain, and compare logs with an export.

The chain alone catches a record that was edited, dropped, reordered or inserted
anywhere but at the very end. A session cut short, or rewritten from scratch with a
recomputed chain, only shows against something kept elsewhere: an export carries
each session's chain head and record count, and `check_against` compares them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.files import EXPORT_MAX, LOG_MAX, read_capped, why
from simulator.logs.reader import Issue, dirs_or_default, log_files, parse_logs, summarize
from simulator.logs.shares import in_shares
from simulator.logs.xapi import EXT_CHAIN_HEAD, EXT_RECORDS, EXT_SESSION
from simulator.text import one_line

MAX_RECORDS = 10_000_000
"""More records than any log under the LOG_MAX cap can hold."""
_MAX_DIGITS = 12
_HEAD = re.compile(r"[0-9a-f]{64}")


@dataclass
class Verification:
    """What `simulator verify` found: counts plus every problem, file and line."""

    sessions: int = 0
    verified: int = 0
    issues: list[Issue] = field(default_factory=list)

    legacy: int = 0
    """Sessions written before sealing: readable, but their last record is unprotected."""
    heads: dict[str, tuple[str | None, int, Path]] = field(default_factory=dict)
    """session id → (chain head, records, file): what `--against` compares."""

    def add(self, other: Verification) -> None:
        self.sessions += other.sessions
        self.verified += other.verified
        self.legacy += other.legacy
        self.issues += other.issues
        self.heads.update(other.heads)

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


def verify(
    dirs: Sequence[Path] | None,
    against: Path | str | None = None,
    *,
    workers: int | None = None,
) -> Verification:
    """Check every log; `against` is an export file or an LRS URL (http:// or https://).

    Every file is read in full and its seals and chain checked (no cache, ever: this is
    the evidence); on all cores when there are many (shares.py), with the issues in
    the files' order whatever the split.
    """
    result = Verification()
    files = log_files(dirs_or_default(dirs), result.issues)
    for part in in_shares(files, verify_files, workers):
        result.add(part)
    if against is not None:
        result.issues += check_against(result.heads, against)
    return result


def verify_files(paths: list[Path]) -> Verification:
    """One share of the files: each one's chain, seals and fields."""
    result = Verification()
    for parsed in parse_logs(paths, result.issues):
        result.sessions += 1
        result.verified += parsed.verified
        result.legacy += bool(parsed.records) and not parsed.sealed
        summary = summarize(parsed)
        result.heads[summary.session_id] = (parsed.head, len(parsed.records), parsed.path)
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
    source: Path | str = export  # an LRS URL stays a string: as a Path it reads "http:/…"
    if isinstance(export, str) and export.startswith(("http://", "https://")):
        try:
            anchors = list(lrs_anchors(export))
        except LRSError as exc:
            return [Issue(source, 0, one_line(exc, 200))]
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return [Issue(source, 0, f"cannot read the LRS: {one_line(exc, 200)}")]
        if not anchors:
            return [Issue(source, 0, "the LRS holds no session from these logs yet")]
    else:
        source = Path(export)
        try:
            anchors = list(read_anchors(source))
        except OSError as exc:
            return [Issue(source, 0, f"cannot read the export: {why(exc)}")]
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError, csv.Error) as exc:
            # csv.Error is not a ValueError: a cell past the module's 128 KiB field limit.
            return [Issue(source, 0, f"cannot read the export: {one_line(exc, 200)}")]
        if not anchors:
            return [Issue(source, 0, "the export holds no chain heads (exported before v1?)")]
    for anchor in anchors:
        found = heads.get(anchor.session_id)
        if found is None:
            issues.append(Issue(source, 0, f"session {anchor.session_id}: its log is missing"))
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
        lines = read_capped(path, LOG_MAX).split(b"\n")
    except OSError:
        return False
    if not 0 < anchor.records < len(lines):
        return False
    sealed = claimed_seal(lines[0]) is not None
    return line_hash(lines[anchor.records - 1], sealed) == anchor.chain_head


def _statement_anchors(found: Iterable[tuple[str, Any]]) -> Iterator[Anchor]:
    """The anchors in xAPI statements (from an export or an LRS), each checked.

    `found` pairs each statement with where it came from, for the error message.
    The completed and the passed statement of a session carry the same anchor.
    """
    seen: set[Anchor] = set()
    for where, statement in found:
        if not isinstance(statement, dict):
            raise ValueError(f"{where}: not an xAPI statement")
        context = statement.get("context")
        ext = context.get("extensions") if isinstance(context, dict) else None
        if isinstance(ext, dict) and EXT_CHAIN_HEAD in ext:
            assert isinstance(context, dict)
            session = ext.get(EXT_SESSION, context.get("registration"))
            anchor = _anchor(session, ext[EXT_CHAIN_HEAD], ext.get(EXT_RECORDS), where)
            if anchor not in seen:
                seen.add(anchor)
                yield anchor


def lrs_anchors(url: str) -> Iterator[Anchor]:
    """The anchors an LRS holds: the closing statements `simulator send` delivered."""
    from simulator.logs.lrs import configured

    # Every statement, not a `verb` query: Ralph's fs backend answers verb queries
    # with nothing, and only the closing statements carry a chain head anyway.
    statements = configured(url, "--against").statements()
    yield from _statement_anchors((f"statement {n}", s) for n, s in enumerate(statements, 1))


def _anchor(session: object, head: object, records: object, where: str) -> Anchor:
    """One anchor, refusing what no export of ours holds (a crafted count or head).

    A negative or zero count would index the log from its end; a head that is not
    a SHA-256 could never match and only hides the real problem.
    """
    count = records if isinstance(records, int) and not isinstance(records, bool) else None
    if isinstance(records, str) and records.isascii() and records.isdigit():
        count = int(records) if len(records) <= _MAX_DIGITS else None
    if count is None or not 1 <= count <= MAX_RECORDS:
        shown = one_line(repr(records), 40)
        raise ValueError(f"{where}: the record count {shown} is not a whole number from 1")
    if not isinstance(head, str) or _HEAD.fullmatch(head) is None:
        raise ValueError(f"{where}: the chain head is not a SHA-256 (64 hex digits)")
    if not isinstance(session, str) or not session:
        raise ValueError(f"{where}: the session id is missing")
    return Anchor(session, head, count)


def read_anchors(export: Path) -> Iterator[Anchor]:
    """Chain heads from a CSV, JSONL or xAPI export written by `simulator export`.

    The file is read through the regular-files-only cap; xAPI and JSONL are parsed
    one line at a time (the exporter writes one statement or row per line), so an
    export costs memory for its text and one record, not for a whole JSON tree.
    """
    text = read_capped(export, EXPORT_MAX).decode("utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        lines = enumerate(io.StringIO(text), start=1)
        items = ((n, line.strip().rstrip(",")) for n, line in lines)
        statements = (
            (f"line {n}", json.loads(item)) for n, item in items if item not in ("[", "]", "")
        )
        yield from _statement_anchors(statements)
        return
    if stripped.startswith("{"):
        for number, line in enumerate(io.StringIO(text), start=1):
            if line.strip():
                row = json.loads(line)
                if not isinstance(row, dict):
                    raise ValueError(f"line {number}: not a JSON object")
                if row.get("chain_head"):
                    where = f"line {number}"
                    yield _anchor(
                        row.get("session_id"), row["chain_head"], row.get("records"), where
                    )
        return
    for row in csv.DictReader(io.StringIO(text, newline="")):
        if row.get("chain_head") and row.get("session_id"):
            where = f"session {one_line(row['session_id'], 80)}"
            yield _anchor(row["session_id"], row["chain_head"], row.get("records"), where)
