"""The JSON Schema of scenario format v1, generated from the models.

Technique, persona and principle ids live in the engine's data file, not in the
models, so they are added here as enums: editors then complete them and flag
typos, while the loader's own checks add "did you mean" hints.
"""

from __future__ import annotations

from typing import Any

from simulator.engine.catalog import load_catalog
from simulator.scenario.models import Scenario

SCHEMA_ID = "https://difficult-customers.example/schema/scenario-v1.json"


def scenario_schema() -> dict[str, Any]:
    catalog = load_catalog()
    schema = Scenario.model_json_schema(by_alias=True, mode="validation")
    defs = schema["$defs"]
    defs["Choice"]["properties"]["techniques"]["items"] = {
        "type": "string",
        "enum": sorted(catalog.techniques),
    }
    defs["Customer"]["properties"]["persona"] = {
        "anyOf": [{"type": "string", "enum": sorted(catalog.personas)}, {"type": "null"}],
        "default": None,
        "description": "A built-in persona id.",
    }
    schema["properties"]["learning_goals"]["items"] = {
        "type": "string",
        "enum": list(catalog.families),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "Difficult-customer scenario, format 1",
        **schema,
    }
