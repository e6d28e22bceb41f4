"""Load a scenario file into a validated model, or explain every problem in it.

Three passes, each collecting problems instead of stopping: the safe YAML layer
(bytes, size, tabs, aliases, depth, duplicates), the models (types, required and
unknown keys), then cross-references the models cannot see (goto targets,
technique and persona ids, condition names). Every problem carries the file's
line and column so a trainer can jump straight to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from simulator.engine.catalog import Catalog, load_catalog
from simulator.files import FileTooLarge, read_capped, why
from simulator.problems import Problem, SuggestionIndex, Suggestions
from simulator.scenario.conditions import Condition
from simulator.scenario.models import Choice, Scenario
from simulator.scenario.safe_yaml import MAX_BYTES, LoadedYaml, Mark, Path, load_yaml
from simulator.text import unsurrogate

BUILTIN_WALKOUT = "walkout"


@dataclass(frozen=True)
class LoadedScenario:
    """A valid scenario plus what is needed to point back into its file."""

    scenario: Scenario
    file: str
    sha256: str
    source: LoadedYaml = field(repr=False, compare=False)

    @property
    def walkout_ending(self) -> str:
        """The ending a walkout leads to: the scenario's own, or the built-in one."""
        return self.scenario.walkout or BUILTIN_WALKOUT

    def mark(self, path: Path) -> Mark:
        return self.source.mark(path)


@dataclass(frozen=True)
class LoadResult:
    """Either a scenario or the reasons there is none (warnings may come with both)."""

    loaded: LoadedScenario | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return self.loaded is not None


def file_name(path: str | FsPath) -> str:
    """The name a file's problems and scenario carry: its path, any undecodable byte of
    it shown as U+FFFD, so every report and cache names the file the same way."""
    return unsurrogate(str(path))


def load_scenario_file(path: str | FsPath, *, display: str | None = None) -> LoadResult:
    """Read and validate one file; unreadable files are problems too, not exceptions."""
    name = unsurrogate(display) if display else file_name(path)
    try:
        data = read_capped(path, MAX_BYTES)
    except FileTooLarge as exc:
        return LoadResult(None, [Problem(name, 1, 1, exc.reason)])
    except OSError as exc:
        return LoadResult(None, [Problem(name, 1, 1, f"cannot read file: {why(exc)}")])
    return load_scenario_bytes(data, name)


def load_scenario_bytes(
    data: bytes, filename: str, *, catalog: Catalog | None = None
) -> LoadResult:
    """Validate scenario text already in memory (editors, tests, the checker)."""
    source = load_yaml(data, filename)
    if source.problems:
        return LoadResult(None, sorted(source.problems))
    if not isinstance(source.value, dict):
        return LoadResult(
            None, [Problem(filename, 1, 1, "a scenario file must be a mapping of keys")]
        )
    try:
        scenario = Scenario.model_validate(source.value)
    except ValidationError as exc:
        return LoadResult(None, sorted(_model_problems(exc, source, filename, Suggestions())))
    checker = _CrossReferences(scenario, source, filename, catalog or load_catalog())
    problems = list(checker.problems())
    if any(p.severity == "error" for p in problems):
        return LoadResult(None, sorted(problems))
    digest = hashlib.sha256(data).hexdigest()
    return LoadResult(LoadedScenario(scenario, filename, digest, source), sorted(problems))


# ---------------------------------------------------------------- model errors


def _real_path(value: Any, loc: tuple[str | int, ...]) -> tuple[Path, str | int | None]:
    """Map a pydantic location onto the data, dropping union tags it inserts.

    Returns the deepest existing path and the first location element that does
    not exist in the data (a missing or unknown key), if any.
    """
    path: list[str | int] = []
    current = value
    missing: str | int | None = None
    for element in loc:
        in_dict = isinstance(current, dict) and element in current
        in_list = isinstance(current, list) and isinstance(element, int) and element < len(current)
        if in_dict or in_list:
            current = current[element]
            path.append(element)
        elif isinstance(current, dict) and missing is None and isinstance(element, str):
            missing = element
    return tuple(path), missing


def _model_for(path: Path) -> type[BaseModel] | None:
    """The model class that validates the mapping at a path (for key suggestions)."""
    from simulator.scenario import models as m

    shapes: list[tuple[tuple[str | type, ...], type[BaseModel]]] = [
        ((), m.Scenario),
        (("customer",), m.Customer),
        (("customer", "traits"), m.Traits),
        (("nodes", str), m.Node),
        (("nodes", str, "choices", int), m.Choice),
        (("nodes", str, "choices", int, "goto", int), m.Branch),
        (("nodes", str, "choices", int, "effects"), m.Effects),
        (("endings", str), m.Ending),
        (("tests", int), m.SelfTest),
        (("tests", int, "state"), m.StartState),
        (("tests", int, "expect"), m.Expectation),
    ]
    for shape, model in shapes:
        if len(shape) == len(path) and all(
            s == p if isinstance(s, str) else isinstance(p, s)
            for s, p in zip(shape, path, strict=True)
        ):
            return model
    return None


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


_FIELD_INDEXES: dict[type[BaseModel], SuggestionIndex] = {}


def _field_index(model: type[BaseModel]) -> SuggestionIndex:
    """A model's key names as a suggestion index, built once per model."""
    found = _FIELD_INDEXES.get(model)
    if found is None:
        found = _FIELD_INDEXES[model] = SuggestionIndex(_field_names(model))
    return found


def _describe(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _model_problems(
    exc: ValidationError, source: LoadedYaml, filename: str, hints: Suggestions
) -> Iterator[Problem]:
    seen: set[tuple[int, int, str]] = set()
    for error in exc.errors():
        path, missing = _real_path(source.value, tuple(error["loc"]))
        kind = error["type"]
        if kind == "extra_forbidden" and missing is None and path:
            key = str(path[-1])
            model = _model_for(path[:-1])
            hint = hints(key, _field_index(model)) if model else ""
            mark = source.key_mark(path)
            message = f"unknown key '{key}' in {_describe(path[:-1])}{hint}"
        elif kind == "missing" and missing is not None:
            mark = source.key_mark(path) if path else source.mark(())
            message = f"missing required key '{missing}' in {_describe(path)}"
        else:
            mark = source.mark(path)
            label = f"'{path[-1]}'" if path and isinstance(path[-1], str) else _describe(path)
            message = f"{label}: {_message(error)}"
            if kind == "condition_syntax":
                column = int(error.get("ctx", {}).get("column", 1))
                mark = Mark(mark.line, mark.column + column - 1 + _quote_offset(source, mark))
        identity = (mark.line, mark.column, message)
        if identity not in seen:
            seen.add(identity)
            yield Problem(filename, mark.line, mark.column, message)


def _message(error: Any) -> str:
    """Pydantic's message, made to read like ours (lower case, no trailing period)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return "must be lower-case letters, digits, '-' or '_', starting with a letter or digit"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}"
    text = str(error["msg"]).rstrip(".")
    return text[:1].lower() + text[1:]


def _quote_offset(source: LoadedYaml, mark: Mark) -> int:
    """Columns inside a quoted scalar start one character after its mark."""
    lines = source.lines
    if mark.line > len(lines):
        return 0
    return 1 if lines[mark.line - 1][mark.column - 1 : mark.column] in {'"', "'"} else 0


# ------------------------------------------------------------ cross references


class _CrossReferences:
    """Checks that need the whole scenario: ids that must exist somewhere else."""

    def __init__(self, s: Scenario, source: LoadedYaml, filename: str, catalog: Catalog) -> None:
        self.s, self.source, self.filename, self.catalog = s, source, filename, catalog
        self.nodes, self.endings = set(s.nodes), set(s.endings)
        self.targets = self.nodes | self.endings
        self.hint = Suggestions()
        self._indexes: dict[str, SuggestionIndex] = {}

    def suggest(self, word: str, kind: str) -> str:
        """A budgeted hint from the named candidates, each index built on first use."""
        index = self._indexes.get(kind)
        if index is None:
            catalog = self.catalog
            candidates = {
                "nodes": self.nodes,
                "endings": self.endings,
                "targets": self.targets,
                "personas": catalog.personas,
                "principles": catalog.families,
                "techniques": catalog.techniques,
            }[kind]
            index = self._indexes[kind] = SuggestionIndex(list(candidates))
        return self.hint(word, index)

    def at(self, path: Path, message: str, *, key: bool = False, column_offset: int = 0) -> Problem:
        mark = self.source.key_mark(path) if key else self.source.mark(path)
        return Problem(self.filename, mark.line, mark.column + column_offset, message)

    def problems(self) -> Iterator[Problem]:
        s, nodes, endings = self.s, self.nodes, self.endings
        for shared in sorted(nodes & endings):
            yield self.at(("endings", shared), f"'{shared}' is both a node and an ending", key=True)
        if s.start not in nodes:
            where = " (it is an ending)" if s.start in endings else self.suggest(s.start, "nodes")
            yield self.at(("start",), f"start node '{s.start}' does not exist{where}")
        if s.walkout is not None and s.walkout not in endings:
            hint = self.suggest(s.walkout, "endings")
            yield self.at(("walkout",), f"walkout ending '{s.walkout}' does not exist{hint}")
        persona = s.customer.persona
        if persona is not None and persona not in self.catalog.personas:
            hint = self.suggest(persona, "personas")
            yield self.at(("customer", "persona"), f"unknown persona '{persona}'{hint}")
        for i, goal in enumerate(s.learning_goals):
            if goal not in self.catalog.families:
                hint = self.suggest(goal, "principles")
                yield self.at(("learning_goals", i), f"unknown principle '{goal}'{hint}")
        for node_id, node in s.nodes.items():
            seen: set[str] = set()
            for index, choice in enumerate(node.choices):
                path: Path = ("nodes", node_id, "choices", index)
                if choice.id in seen:
                    message = f"choice id '{choice.id}' is used twice in node '{node_id}'"
                    yield self.at((*path, "id"), message)
                seen.add(choice.id)
                yield from self._choice(choice, path)
        for index, test in enumerate(s.tests):
            ending = test.expect.ending
            if ending is not None and ending not in endings and ending != BUILTIN_WALKOUT:
                hint = self.suggest(ending, "endings")
                yield self.at(
                    ("tests", index, "expect", "ending"), f"ending '{ending}' does not exist{hint}"
                )

    def _target(self, target: str, path: Path) -> Iterator[Problem]:
        if target not in self.targets:
            hint = self.suggest(target, "targets")
            yield self.at(path, f"goto target '{target}' does not exist{hint}")

    def _choice(self, choice: Choice, path: Path) -> Iterator[Problem]:
        for t_index, technique in enumerate(choice.techniques):
            if technique not in self.catalog.techniques:
                hint = self.suggest(technique, "techniques")
                yield self.at(
                    (*path, "techniques", t_index), f"unknown technique '{technique}'{hint}"
                )
        if isinstance(choice.goto, str):
            yield from self._target(choice.goto, (*path, "goto"))
        else:
            for b_index, branch in enumerate(choice.goto):
                yield from self._target(branch.to, (*path, "goto", b_index, "to"))
                if branch.if_ is not None:
                    yield from self._condition(branch.if_, (*path, "goto", b_index, "if"))
        if choice.when is not None:
            yield from self._condition(choice.when, (*path, "when"))

    def _condition(self, condition: Condition, path: Path) -> Iterator[Problem]:
        offset = _quote_offset(self.source, self.source.mark(path))
        for ref in condition.references:
            if ref.kind == "visited" and ref.name not in self.nodes:
                hint = self.suggest(ref.name, "nodes")
                message = f"visited.{ref.name}: no node '{ref.name}'{hint}"
                yield self.at(path, message, column_offset=offset + ref.column - 1)
