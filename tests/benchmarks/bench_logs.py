"""Score-log speed: the report over a million turn events against DuckDB, and the cost
of a durable (fsynced) turn record against a plain buffered append.

The data set is real records: plays of the bundled scenarios and the loop fixture
through the engine, re-stamped with new session ids, trainees and times and re-chained,
until there are 1,000,000 turn events in one file per session, laid out exactly as
the writer lays them out. It is built once into `.benchmarks/` and reused. DuckDB
aggregates the same JSONL files in the same run (read plus the heat-map, trainee and
scenario aggregates); our report does that and also checks every hash chain.
Both run in a fresh process so neither pays for the other's imports or caches, and
each reports its own elapsed time and peak memory.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from simulator.engine.session import Session
from simulator.logs.records import FORMAT_VERSION, encode
from simulator.logs.writer import SessionLog, end_payload, start_payload, turn_payload
from simulator.scenario.library import load_library
from simulator.scenario.loader import LoadedScenario
from tests.conftest import REPO, load_fixture
from tests.sealing import session_log

TURN_EVENTS = int(os.environ.get("BENCH_TURN_EVENTS", "1000000"))
DATA = REPO / ".benchmarks" / f"logs-v{FORMAT_VERSION}-{TURN_EVENTS}-sealed"
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
TRAINEES = 400

OURS = """
import json, os, resource, sys, time
from pathlib import Path
from simulator.logs.report import build_report
start = time.perf_counter()
report = build_report([Path(sys.argv[1])], cache=os.environ.get("BENCH_CACHE") == "1")
elapsed = time.perf_counter() - start
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
           resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"s": elapsed, "rss_kb": peak, "sessions": report["sessions"],
                  "unverified": len(report["unverified"])}))
"""

DUCKDB = """
import json, resource, sys, time
import duckdb
start = time.perf_counter()
con = duckdb.connect()
con.execute("SET preserve_insertion_order = false")  # order is irrelevant to aggregates
con.execute(f'''
  CREATE TEMP TABLE r AS SELECT * FROM read_json('{sys.argv[1]}/**/*.jsonl',
    format='newline_delimited',
    columns={{type: 'VARCHAR', session: 'VARCHAR', seq: 'INTEGER', trainee: 'VARCHAR',
             scenario: 'VARCHAR', node: 'VARCHAR', choice: 'VARCHAR', inherited: 'BOOLEAN',
             anger_before: 'INTEGER', anger_after: 'INTEGER', trust_before: 'INTEGER',
             trust_after: 'INTEGER', status: 'VARCHAR', outcome: 'VARCHAR', score: 'INTEGER'}})
''')
con.execute('''CREATE TEMP TABLE s AS SELECT r.session, r.trainee, r.scenario, e.status,
  e.outcome, e.score FROM r LEFT JOIN r e ON e.session = r.session
  AND e.type = 'session_ended' WHERE r.type = 'session_started' ''')
heat = con.execute('''SELECT s.scenario, t.node, t.choice, count(*), count(DISTINCT s.trainee),
  avg(t.anger_after - t.anger_before), avg(t.trust_after - t.trust_before)
  FROM r t JOIN s USING (session) WHERE t.type = 'turn' AND NOT coalesce(t.inherited, false)
  GROUP BY ALL''').fetchall()
trainees = con.execute('''SELECT trainee, count(*), count(DISTINCT scenario), avg(score),
  max(score) FROM s GROUP BY trainee''').fetchall()
scenarios = con.execute('''SELECT scenario, coalesce(status, 'abandoned'), outcome, count(*),
  avg(score) FROM s GROUP BY ALL''').fetchall()
sessions = con.execute('SELECT count(*) FROM s').fetchone()[0]
elapsed = time.perf_counter() - start
print(json.dumps({"s": elapsed, "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "sessions": sessions}))
"""


# ---------------------------------------------------------------- the data set


def _templates() -> list[
    tuple[LoadedScenario, dict[str, Any], list[dict[str, Any]], dict[str, Any]]
]:
    """Real plays: (scenario, start payload, turn payloads, end payload)."""
    rng = random.Random(1)
    scenarios = [*load_library(REPO / "scenarios").scenarios, load_fixture("late-refund.yaml")]
    loop = load_fixture(str(Path("logs") / "loop.yaml"))
    plays = []
    for loaded in scenarios:
        for seed in range(80):
            plays.append(_play(loaded, seed, rng, limit=40))
    # Long loop plays bring the average to about ten turns a session, as the issue's
    # "1,000,000 turn events (about 100,000 sessions)" assumes.
    for seed in range(80 * len(scenarios)):
        plays.append(_play(loop, seed, rng, limit=rng.randint(8, 22)))
    return plays


def _play(
    loaded: LoadedScenario, seed: int, rng: random.Random, *, limit: int
) -> tuple[LoadedScenario, dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    session = Session(loaded, seed=seed)
    turns: list[dict[str, Any]] = []
    while not session.finished and len(turns) < limit:
        offered = [c.id for c in session.choices() if c.id != "wrap-up"] or [
            c.id for c in session.choices()
        ]
        turns.append(turn_payload(session.choose(rng.choice(offered))))
    if not session.finished and loaded.scenario.id == "loop":
        turns.append(turn_payload(session.choose("wrap-up")))
    start = start_payload(session, trainee="", mode="practice")
    return loaded, start, turns, end_payload(session.result())


def build_data(folder: Path) -> Path:
    """Write the data set once; a `done` marker makes reruns free."""
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    templates = _templates()
    rng = random.Random(2)
    moment = datetime(2025, 1, 1, tzinfo=UTC)
    events = 0
    while events < TURN_EVENTS:
        _, start, turns, end = rng.choice(templates)
        session = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        moment += timedelta(seconds=rng.randint(1, 30))
        trainee = f"trainee-{rng.randrange(TRAINEES):03d}"
        payloads = [
            ("session_started", {**start, "trainee": trainee}),
            *(("turn", t) for t in turns),
        ]
        if rng.random() > 0.05:  # one in twenty is abandoned without an end record
            payloads.append(("session_ended", {**end, "records": len(turns) + 2}))
        day = folder / moment.date().isoformat()
        day.mkdir(exist_ok=True)
        (day / f"{session}.jsonl").write_bytes(session_log(session, moment, payloads))
        events += len(turns)
    (folder / "done").write_text(f"{events}\n")
    return folder


def _measure(program: str, folder: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", program, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
    )
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


# ---------------------------------------------------------------- benchmarks


def test_durable_logging_per_turn(benchmark: Any, tmp_path: Path) -> None:
    """Runs first: building the report's data set leaves the disk busy flushing."""
    loop = load_fixture(str(Path("logs") / "loop.yaml"))
    session = Session(loop, seed=1)
    turns = [session.choose("listen" if n % 2 else "sorry") for n in range(200)]
    log = SessionLog.open(session, trainee="Bench", mode="practice", log_dir=tmp_path)
    it = iter(turns)
    benchmark.pedantic(lambda: log.turn(next(it)), rounds=len(turns), iterations=1)
    log.close()
    durable = benchmark.stats.stats.median
    plain = tmp_path / "plain.jsonl"
    timings = []
    with plain.open("ab") as handle:
        for turn in turns:
            begin = time.perf_counter()
            handle.write(encode({"v": 1, "type": "turn", **turn_payload(turn)}))
            handle.flush()
            timings.append(time.perf_counter() - begin)
    base = statistics.median(timings)
    benchmark.extra_info.update(buffered_append_s=base, ratio=durable / base)
    print(
        f"\ndurable turn record (write + fdatasync): {durable * 1000:.3f} ms median, "
        f"buffered append without fsync {base * 1000:.3f} ms, ratio {durable / base:.0f} "
        "(goal ≤ 5 ms)"
    )


def test_report_over_a_million_turn_events_vs_duckdb(benchmark: Any) -> None:
    started = time.perf_counter()
    folder = build_data(DATA)
    print(f"\ndata set: {folder} ({time.perf_counter() - started:.0f} s to build or find)")
    duck = [_measure(DUCKDB, folder) for _ in range(ROUNDS)]
    ours: list[dict[str, Any]] = []
    benchmark.pedantic(lambda: ours.append(_measure(OURS, folder)), rounds=ROUNDS, iterations=1)
    assert ours[0]["sessions"] == duck[0]["sessions"] and ours[0]["unverified"] == 0
    mine = statistics.median(o["s"] for o in ours)
    base = statistics.median(d["s"] for d in duck)
    benchmark.extra_info.update(
        ours_s=mine, duckdb_s=base, ratio=mine / base, sessions=ours[0]["sessions"]
    )
    print(
        f"report over {TURN_EVENTS:,} turn events ({ours[0]['sessions']:,} sessions): "
        f"ours {mine:.2f} s (peak {max(o['rss_kb'] for o in ours) / 1024:.0f} MB), "
        f"DuckDB {base:.2f} s (peak {max(d['rss_kb'] for d in duck) / 1024:.0f} MB), "
        f"ratio {mine / base:.2f} (goal ≤ 0.25)"
    )
    # The second report over the same folder: every day's totals come from the cache.
    cache = {"BENCH_CACHE": "1", "SIMULATOR_CACHE_DIR": str(DATA.parent / "report-cache")}
    shutil.rmtree(cache["SIMULATOR_CACHE_DIR"], ignore_errors=True)
    cold = _measure(OURS, folder, cache)
    warm = [_measure(OURS, folder, cache) for _ in range(ROUNDS)]
    second = statistics.median(w["s"] for w in warm)
    assert warm[0]["sessions"] == ours[0]["sessions"]
    benchmark.extra_info.update(first_with_cache_s=cold["s"], second_s=second)
    print(
        f"with the cache: first {cold['s']:.2f} s (writes it), second {second:.2f} s (goal ≤ 1 s)"
    )
