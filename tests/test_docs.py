"""The authoring guide matches the code: its example loads, and nothing is undocumented."""

from __future__ import annotations

import re

from pydantic import BaseModel

from simulator.analysis.selftests import run_self_tests
from simulator.engine.catalog import load_catalog
from simulator.scenario import models
from simulator.scenario.loader import load_scenario_bytes
from tests.conftest import REPO

AUTHORING = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")


def test_the_full_example_loads_and_passes_its_self_tests() -> None:
    example = re.search(r"```yaml\nformat: 1\n.*?```", AUTHORING, re.S)
    assert example, "the guide lost its full example"
    text = example.group(0).removeprefix("```yaml\n").removesuffix("```")
    result = load_scenario_bytes(text.encode(), "authoring.md")
    assert result.loaded is not None, result.problems
    assert all(outcome.passed for outcome in run_self_tests(result.loaded))


def test_every_key_of_the_format_is_documented() -> None:
    classes: list[type[BaseModel]] = [
        models.Scenario,
        models.Customer,
        models.Traits,
        models.Node,
        models.Choice,
        models.Branch,
        models.Effects,
        models.Ending,
        models.SelfTest,
        models.Expectation,
        models.StartState,
    ]
    for cls in classes:
        for name, info in cls.model_fields.items():
            key = info.alias or name
            assert f"`{key}`" in AUTHORING or f"{key}:" in AUTHORING, f"{cls.__name__}.{key}"


def test_every_technique_persona_and_principle_is_named() -> None:
    catalog = load_catalog()
    for ident in [*catalog.techniques, *catalog.personas, *catalog.families]:
        assert f"`{ident}`" in AUTHORING, ident
