"""Words for people: technique names and source-article titles, from `data/glossary.yaml`.

The engine, logs and reports speak in ids (`take_ownership`, source `003`): they are a
contract. Trainees should never have to read them, so every face that explains a
turn (coach, debrief, plain mode, history) asks this module for the words instead.
An id without an entry falls back to the id written as words, so a technique added
to the catalogue before its name is still readable.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

import yaml

__all__ = ["Glossary", "load_glossary"]


def _words(identifier: str) -> str:
    return identifier.replace("_", " ").replace("-", " ")


@dataclass(frozen=True)
class Glossary:
    """Technique names and source titles, read-only."""

    techniques: Mapping[str, str]
    sources: Mapping[str, str]

    def technique(self, technique_id: str) -> str:
        return self.techniques.get(technique_id) or _words(technique_id)

    def source(self, code: str) -> str:
        """The article's title; an unknown code stays visible as `source 007`."""
        return self.sources.get(code) or f"source {code}"

    def sources_of(self, codes: Iterable[str]) -> list[str]:
        return [self.source(code) for code in codes]


def parse_glossary(text: str) -> Glossary:
    """Build the glossary from YAML text; the file ships with the package, so bad
    shapes are a programming error and raise `ValueError`."""
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError("glossary: expected a mapping")
    sections: dict[str, dict[str, str]] = {}
    for key in ("techniques", "sources"):
        raw = data.get(key)
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
        ):
            raise ValueError(f"glossary.{key}: expected a mapping of text to text")
        sections[key] = dict(raw)
    return Glossary(MappingProxyType(sections["techniques"]), MappingProxyType(sections["sources"]))


@functools.cache
def load_glossary() -> Glossary:
    """The shipped glossary, parsed once per process."""
    text = resources.files("simulator.engine").joinpath("data", "glossary.yaml").read_text("utf-8")
    return parse_glossary(text)
