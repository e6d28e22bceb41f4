"""`simulator graph`: every node, ending and edge is in the drawing, in valid shape."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from simulator.analysis.graph import dot, edges, endings, mermaid, mermaid_ids
from simulator.bundled import bundled_dir
from simulator.cli import main
from simulator.scenario.library import scenario_files
from simulator.scenario.loader import LoadedScenario, load_scenario_file

FIXTURES = Path(__file__).parent / "fixtures"
FILES = [FIXTURES / "late-refund.yaml", *scenario_files([bundled_dir()])]
SAFE_ID = re.compile(r"[a-z_][a-z0-9_]*")


def load(path: Path) -> LoadedScenario:
    loaded = load_scenario_file(path).loaded
    assert loaded is not None
    return loaded


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_mermaid_has_every_node_ending_and_edge(path: Path) -> None:
    loaded = load(path)
    text = mermaid(loaded)
    lines = [line.strip() for line in text.splitlines()]
    title = loaded.scenario.title.replace('"', "'")
    assert lines[:3] == ["---", f'title: "{title}"', "---"]
    assert lines[3] == "stateDiagram-v2"
    ids = mermaid_ids(loaded)
    assert all(SAFE_ID.fullmatch(safe) and safe != "end" for safe in ids.values())
    assert len(set(ids.values())) == len(ids)

    declared = dict(re.findall(r'^\s*state "([^"]+)" as (\S+)$', text, re.MULTILINE))
    for name in [*loaded.scenario.nodes, *endings(loaded)]:
        assert declared.get(name) == ids[name], f"state {name} missing"

    arrows: dict[tuple[str, str], str] = {}
    for source, target, label in re.findall(r"^\s*(\S+) --> (\S+): (.+)$", text, re.MULTILINE):
        arrows[(source, target)] = label
    for edge in edges(loaded):
        label = arrows.get((ids[edge.source], ids[edge.target]))
        assert label is not None, f"edge {edge} missing"
        expected = edge.choice + (f" [{edge.condition}]" if edge.condition else "")
        assert expected in label.split(" | "), (expected, label)

    assert f"[*] --> {ids[loaded.scenario.start]}" in lines
    for ending_id, ending in endings(loaded).items():
        assert f"{ids[ending_id]} --> [*]" in lines
        assert f"class {ids[ending_id]} outcome_{ending.outcome}" in lines
    for node_id, node in loaded.scenario.nodes.items():
        assert f"class {ids[node_id]} phase_{node.phase or 'none'}" in lines
    used = set(re.findall(r"^\s*class \S+ (\S+)$", text, re.MULTILINE))
    defined = set(re.findall(r"^\s*classDef (\S+) ", text, re.MULTILINE))
    assert used <= defined


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_dot_has_every_node_ending_and_edge(path: Path) -> None:
    loaded = load(path)
    text = dot(loaded)
    assert text.startswith(f'digraph "{loaded.scenario.id}" {{') and text.rstrip().endswith("}")
    assert text.count("{") == text.count("}")
    for name in [*loaded.scenario.nodes, *endings(loaded)]:
        assert re.search(rf'^\s*"{re.escape(name)}" \[', text, re.MULTILINE), name
    for edge in edges(loaded):
        label = edge.choice + (f"\\n[{edge.condition}]" if edge.condition else "")
        assert f'"{edge.source}" -> "{edge.target}" [label="{label}"' in text, edge
    phases = {node.phase or "none" for node in loaded.scenario.nodes.values()}
    for phase in phases:
        assert f'subgraph "cluster_{phase}"' in text


def test_conditional_edges_carry_their_conditions() -> None:
    loaded = load(FIXTURES / "late-refund.yaml")
    text = mermaid(loaded)
    assert "website [if anger >= 90]" in text
    assert "fair [when trust >= 30]" in text


def test_awkward_ids_become_safe_mermaid_ids(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_text(
        "format: 1\nid: awkward\ntitle: 'Say \"end\"'\nsummary: s\n"
        "customer: {name: n, role: r}\nstart: 1st\n"
        "nodes:\n  1st: {say: hi, choices: [{id: go, say: s, techniques: [listen], goto: end}]}\n"
        "  a-b: {say: hi, choices: [{id: go, say: s, techniques: [listen], goto: a_b}]}\n"
        "endings:\n  end: {outcome: resolved}\n  a_b: {outcome: lost}\n"
    )
    loaded = load(path)
    ids = mermaid_ids(loaded)
    assert ids["end"] != "end" and ids["1st"][0].isalpha()
    assert ids["a-b"] != ids["a_b"]
    assert "title: \"Say 'end'\"" in mermaid(loaded)


def test_graph_command_prints_both_formats(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "late-refund.yaml")
    assert main(["graph", path]) == 0
    assert "stateDiagram-v2" in capsys.readouterr().out
    assert main(["graph", path, "--format", "dot"]) == 0
    assert capsys.readouterr().out.startswith('digraph "late-refund"')
    assert main(["graph", "no-such-scenario"]) == 1
    with pytest.raises(SystemExit) as exit_info:
        main(["graph", path, "--format", "png"])
    assert exit_info.value.code == 2


def test_a_multi_line_condition_and_a_backslash_title_keep_mermaid_valid(tmp_path: Path) -> None:
    path = tmp_path / "awkward.yaml"
    path.write_text(
        "format: 1\nid: awkward\ntitle: 'C:\\Users\\x \"quoted\"'\nsummary: s\n"
        "customer: {name: n, role: r}\nstart: a\n"
        "nodes:\n  a:\n    say: hi\n    choices:\n"
        "      - id: go\n        say: s\n        techniques: [listen]\n"
        "        when: |-\n          trust >= 0\n          and anger >= 0\n"
        "        goto:\n          - if: |-\n              anger >= 80\n              or trust < 1\n"
        "            to: lost\n          - to: done\n"
        "endings:\n  done: {outcome: resolved}\n  lost: {outcome: lost}\n"
    )
    text = mermaid(load(path))
    front = text.split("---\n")[1]
    assert yaml.safe_load(front) == {"title": "C:\\Users\\x 'quoted'"}
    assert "  a --> lost: go [when trust >= 0 and anger >= 0 and if anger >= 80 or trust < 1]" in (
        text.splitlines()
    )
    arrows = [line for line in text.splitlines() if "-->" in line and "[*]" not in line]
    assert all(line.endswith("]") for line in arrows), arrows
