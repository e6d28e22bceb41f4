"""Checker speed: lint on a 1,000-file library, the whole check of the bundled library and
of generated 40-node scenarios, and the analysis's states per second.

Each figure is a median of several rounds, printed with its goal and its ratio to a
baseline measured in the same run:

- validation and lint of the bundled scenarios copied under new ids until there are
  1,000 files, against reading each file and `yaml.load` with the C loader (goal: a
  throughput ratio of at least 0.5);
- `check` of the bundled library, as `simulator check` runs it (worker processes)
  and in one process (goal: at most 3 s, every figure exact);
- `check` of generated 40-node scenarios, one file each, in-process (goal: median at
  most 100 ms, analysis complete); the generator is `generated_scenario` below;
- the exhaustive analysis of each bundled scenario at the default budget, as states
  per second (goal: at least 200,000 on the largest; docs/analysis-speed.md explains
  what it reaches and why).

The machine is shared: wall-clock medians move with its load, so the analysis is also
timed in CPU seconds of this process.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from simulator.analysis import DEFAULT_MAX_STATES
from simulator.analysis.checker import check_file, check_files
from simulator.analysis.explore import analyse
from simulator.analysis.lint import lint
from simulator.bundled import bundled_dir
from simulator.engine.catalog import load_catalog
from simulator.engine.structure import Structure
from simulator.scenario.library import scenario_files
from simulator.scenario.loader import load_scenario_file

LIBRARY_SIZE = 1_000
ROUNDS = 5
_LOADER = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    sources = [p.read_text(encoding="utf-8") for p in scenario_files([bundled_dir()])]
    assert sources, "no bundled scenarios to copy"
    folder = tmp_path_factory.mktemp("library")
    files = []
    for n in range(LIBRARY_SIZE):
        text = re.sub(r"(?m)^id: .*$", f"id: bench-{n:04d}", sources[n % len(sources)], count=1)
        path = folder / f"bench-{n:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def median_seconds(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_only(files: list[Path]) -> None:
    for path in files:
        yaml.load(path.read_bytes(), Loader=_LOADER)


def validate_and_lint(files: list[Path]) -> None:
    catalog = load_catalog()
    for path in files:
        loaded = load_scenario_file(path).loaded
        assert loaded is not None
        lint(loaded, Structure(loaded.scenario, loaded.walkout_ending), catalog)


def test_validation_and_lint_against_bare_parsing(library: list[Path]) -> None:
    parse_only(library)  # warm the page cache and imports for both
    validate_and_lint(library[:10])
    parse = median_seconds(lambda: parse_only(library))
    check = median_seconds(lambda: validate_and_lint(library))
    ratio = parse / check
    print(
        f"\n{LIBRARY_SIZE} scenarios, median of {ROUNDS} rounds:\n"
        f"  bare YAML parsing (C safe loader):  {parse:.3f}s  "
        f"({LIBRARY_SIZE / parse:,.0f} files/s)\n"
        f"  validation + lint:                  {check:.3f}s  "
        f"({LIBRARY_SIZE / check:,.0f} files/s)\n"
        f"  throughput ratio (goal >= 0.5):     {ratio:.2f}"
    )


def test_bundled_library_check() -> None:
    files = scenario_files([bundled_dir()])
    # Also warms imports and the compiled rules in this process, and fills the check
    # cache (in this test's own cache folder) for the unchanged re-check below.
    reports = check_files(files, cache=True)
    bounded = sum(1 for r in reports if r.analysis is None or not r.analysis.complete)
    rounds = 3
    shared = median_seconds(lambda: check_files(files), rounds)
    alone = median_seconds(lambda: check_files(files, jobs=1), rounds)
    kept = median_seconds(lambda: check_files(files, cache=True), rounds)
    states = sum(r.analysis.states for r in reports if r.analysis)
    print(
        f"\nbundled library: {len(files)} files, {states:,} states, median of {rounds}:\n"
        f"  check, worker processes:            {shared:.2f}s  (goal <= 3 s: "
        f"{shared / 3:.2f} of it)\n"
        f"  check, one process:                 {alone:.2f}s  (processes x{alone / shared:.2f})\n"
        f"  unchanged re-check (kept verdicts): {kept:.2f}s  (x{kept / shared:.4f} of a check)\n"
        f"  bounded figures (goal 0):           {bounded}"
    )


GENERATED = 30
GENERATED_NODES = 40
_HELPFUL = [
    "listen",
    "reflect",
    "open_question",
    "empathize",
    "apologize",
    "reassure",
    "positive_language",
    "take_ownership",
    "investigate",
    "offer_solution",
    "invite_solution",
    "chunk",
    "explain",
]
_HARMFUL = [
    "interrupt",
    "minimize",
    "blame_customer",
    "argue",
    "quote_policy",
    "deflect",
    "over_promise",
    "stall",
]


def generated_scenario(seed: int, nodes: int = GENERATED_NODES) -> str:
    """A branching scenario shaped like the bundled ones, scaled to `nodes` nodes.

    The opening, then layers of five nodes (nine turns deep for 40 nodes, like the
    bundled 9-15). Every node offers three moves: a helpful one, a mixed one and a
    harmful one that walks the customer out at high anger half the time; each goes to
    a random node of the next layer, the last layer to an ending.
    """
    rng = random.Random(seed)
    layer = [0] + [(i - 1) // 5 + 1 for i in range(1, nodes)]
    persona = rng.choice(["reasonable", "impatient", "demanding", "anxious"])
    lines = [
        "format: 1",
        f"id: generated-{seed:03d}",
        "title: Generated benchmark scenario",
        "summary: A generated conversation for the checker benchmark.",
        "learning_goals: [listening, empathy, problem_solving]",
        f"customer: {{name: Ms. Bench, role: Benchmark customer, persona: {persona}}}",
        "start: n00",
        "walkout: walks-out",
        "nodes:",
    ]
    for i in range(nodes):
        following = [j for j in range(nodes) if layer[j] == layer[i] + 1]
        lines += [f"  n{i:02d}:", f"    say: Customer line {i}.", "    choices:"]
        for k, pool in enumerate((_HELPFUL, _HELPFUL + _HARMFUL, _HARMFUL)):
            techniques = rng.sample(pool, rng.choice([1, 1, 2]))
            target = (
                f"n{rng.choice(following):02d}"
                if following
                else rng.choice(["resolved", "escalated"])
            )
            lines += [
                f"      - id: c{k}",
                f"        say: Response {k} at node {i}.",
                f"        techniques: [{', '.join(techniques)}]",
            ]
            if k == 2 and rng.random() < 0.5:
                walk = rng.choice([80, 85, 90])
                lines += [
                    "        goto:",
                    f"          - if: anger >= {walk}",
                    "            to: walks-out",
                    f"          - to: {target}",
                ]
            else:
                lines.append(f"        goto: {target}")
    lines += ["endings:"]
    for ending, outcome in (
        ("resolved", "resolved"),
        ("escalated", "escalated"),
        ("walks-out", "lost"),
    ):
        lines += [f"  {ending}:", f"    outcome: {outcome}"]
    return "\n".join(lines) + "\n"


def test_generated_40_node_scenarios(tmp_path: Path) -> None:
    files = []
    for seed in range(GENERATED):
        path = tmp_path / f"generated-{seed:03d}.yaml"
        path.write_text(generated_scenario(seed), encoding="utf-8")
        files.append(path)
    check_file(files[0])  # imports and catalogue
    times, states, bounded, errors = [], [], 0, 0
    for path in files:
        started = time.perf_counter()
        report = check_file(path)
        times.append(time.perf_counter() - started)
        errors += report.count("error")
        assert report.analysis is not None
        states.append(report.analysis.states)
        bounded += 0 if report.analysis.complete else 4  # best, worst, longest, paths
    median = statistics.median(times)
    check_files(files, jobs=1, cache=True)  # keeps every verdict
    again = []
    for path in files:
        started = time.perf_counter()
        (kept,) = check_files([path], jobs=1, cache=True)
        again.append(time.perf_counter() - started)
        assert kept.cached
    print(
        f"\n{GENERATED} generated {GENERATED_NODES}-node scenarios, check of one file:\n"
        f"  median {median * 1000:.0f} ms (goal <= 100 ms: {median / 0.1:.2f} of it), "
        f"max {max(times) * 1000:.0f} ms\n"
        f"  unchanged, from the cache: median {statistics.median(again) * 1000:.1f} ms "
        f"(x{statistics.median(again) / median:.3f} of a check)\n"
        f"  states median {statistics.median(states):,.0f}, max {max(states):,}\n"
        f"  bounded figures (goal 0): {bounded}; errors: {errors}"
    )


def test_analysis_states_per_second() -> None:
    print(f"\nexhaustive analysis, budget {DEFAULT_MAX_STATES:,} states, median of 3:")
    total_states, total_seconds = 0, 0.0
    largest: tuple[int, float, float, str] | None = None
    for path in scenario_files([bundled_dir()]):
        loaded = load_scenario_file(path).loaded
        if loaded is None:
            continue
        runs, cpus = [], []
        for _ in range(3):
            started = time.process_time()
            runs.append(analyse(loaded))
            cpus.append(time.process_time() - started)
        cpu = statistics.median(cpus)
        seconds = statistics.median(r.seconds for r in runs)
        result = runs[0]
        total_states += result.states
        total_seconds += seconds
        done = "complete" if result.complete else f"stopped at {result.complete_turns} turns"
        print(
            f"  {loaded.scenario.id:28} {result.states:>8,} states {result.moves:>8,} moves "
            f"{seconds:6.2f}s  {result.states / seconds:>8,.0f} states/s  "
            f"({cpu:.2f} CPU s: {result.states / cpu:,.0f}/s; {done})"
        )
        if largest is None or result.states > largest[0]:
            largest = (result.states, seconds, cpu, loaded.scenario.id)
    print(
        f"  {'all':28} {total_states:>8,} states  {total_seconds:6.2f}s  "
        f"{total_states / total_seconds:>8,.0f} states/s"
    )
    assert largest is not None
    states, seconds, cpu_seconds, name = largest
    print(
        f"  largest ({name}): {states / seconds:,.0f} states/s wall, "
        f"{states / cpu_seconds:,.0f} per CPU second "
        f"(goal >= 200,000: {states / cpu_seconds / 200_000:.2f} of it)"
    )
