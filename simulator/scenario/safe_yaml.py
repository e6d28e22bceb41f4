"""Read untrusted YAML without trusting it, and remember where everything came from.

Scenario files come from trainers and from the internet, so a plain ``yaml.load``
is the wrong tool twice over: it expands alias bombs, crashes (in C) on absurd
nesting, silently keeps the last of two duplicate keys, and turns ``No`` into
``False``. And it forgets positions, while every problem we report must point at
a line and column.

So the value is built in one streaming pass over parser events, with an explicit
stack instead of recursion. Nothing is composed before it has been checked: an
alias is rejected when it is seen, never expanded, and the pass stops at the
first collection nested deeper than allowed, so no composer ever sees a deep
document. One pass over events is also cheaper than checking events and then
composing a node graph, which keeps us close to bare ``yaml.load`` in speed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, cast

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from simulator.problems import Problem

MAX_BYTES: Final = 1_000_000
MAX_DEPTH: Final = 50
MAX_PROBLEMS: Final = 100
"""Past this many, more problems only bury the first ones (an alias bomb has hundreds)."""

_PURE_PARSER: Final = yaml.SafeLoader
_PARSER: Final = yaml.CSafeLoader if yaml.__with_libyaml__ else _PURE_PARSER
# libyaml's own nesting limit (1,000 levels), far past ours: see `_again_without_libyaml`.
_LIBYAML_NESTING: Final = "maximum nesting depth"

# Breaks that libyaml and PyYAML count when numbering lines.
_LINE_BREAK: Final = re.compile(r"\r\n|[\r\n\x85]")
_INT: Final = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT: Final = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
# First characters a non-string plain scalar can start with; anything else is text.
_MAYBE_TYPED: Final = frozenset("0123456789+-.~nNtTfF")
_YAML_TAG_PREFIX: Final = "tag:yaml.org,2002:"
ANCHORS_NOT_ALLOWED: Final = "YAML anchors and aliases are not allowed"


@dataclass(frozen=True)
class Mark:
    """A 1-based position in the file, as editors and our problem lines count it."""

    line: int
    column: int


Path = tuple[str | int, ...]
"""Mapping keys (always ``str``) and list indices (``int``) from the document root."""


@dataclass
class LoadedYaml:
    """A document's plain value plus where each part of it was written.

    ``value`` is None whenever ``problems`` is not empty: a half-built value
    invites checks that report consequences instead of causes. Marks are only
    meaningful when there are no problems.
    """

    value: Any
    value_marks: dict[Path, Mark] = field(default_factory=dict)
    key_marks: dict[Path, Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = field(default="", repr=False)
    """The decoded document (without BOM), for callers that need the raw characters."""

    @cached_property
    def lines(self) -> list[str]:
        """The text split the way the parser numbers lines (index 0 is line 1)."""
        return _LINE_BREAK.split(self.text)

    def mark(self, path: Path) -> Mark:
        """Where a value starts; for a missing path, the nearest existing ancestor."""
        marks = self.value_marks
        for end in range(len(path), -1, -1):
            found = marks.get(path[:end])
            if found is not None:
                return found
        return Mark(1, 1)

    def key_mark(self, path: Path) -> Mark:
        """Where the key holding a value starts, the natural place for 'this key...'."""
        found = self.key_marks.get(path)
        return found if found is not None else self.mark(path)


def load_yaml(
    data: bytes, filename: str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> LoadedYaml:
    """Turn bytes into a plain value, or into every problem we can find; never raises."""
    if len(data) > max_bytes:
        message = f"file is too large: {len(data):,} bytes (the limit is {max_bytes:,} bytes)"
        return LoadedYaml(None, problems=[Problem(filename, 1, 1, message)])
    text, problem = _decode(data, filename)
    if problem is not None:
        return LoadedYaml(None, problems=[problem])
    problems = _tab_problems(text, filename)
    builder = _Builder(text, filename, max_depth, problems)
    value = builder.run()
    if problems:
        return LoadedYaml(None, problems=problems, text=text)
    return LoadedYaml(value, builder.value_marks, builder.key_marks, problems, text)


def _mark_at(text: str, index: int) -> Mark:
    """The line and column of a character index, counting breaks like the parser."""
    prefix = text[:index]
    breaks = _LINE_BREAK.findall(prefix)
    if not breaks:
        return Mark(1, index + 1)
    last = max(prefix.rfind("\n"), prefix.rfind("\r"), prefix.rfind("\x85"))
    return Mark(len(breaks) + 1, index - last)


def _decode(data: bytes, filename: str) -> tuple[str, Problem | None]:
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8")
        where = _mark_at(good, len(good))
        bad = body[exc.start]
        message = f"file is not valid UTF-8: byte 0x{bad:02x}; save it as UTF-8"
        return "", Problem(filename, where.line, where.column, message)


def _tab_problems(text: str, filename: str) -> list[Problem]:
    """Tabs in indentation look right in one editor and wrong in the next.

    Whitespace-only lines count too: libyaml rejects some of them with a far less
    helpful message than ours.
    """
    if "\t" not in text:
        return []
    problems: list[Problem] = []
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if "\t" not in line:
            continue
        content = line.lstrip(" \t")
        leading = line[: len(line) - len(content)]
        tab = leading.find("\t")
        if tab >= 0:
            message = "tabs are not allowed for indentation; use spaces"
            problems.append(Problem(filename, number, tab + 1, message))
    return problems


def _scalar(text: str) -> Any:
    """Type a plain (unquoted) scalar by YAML 1.2's core rules, minus their surprises.

    Only true/false are booleans, so "No", "off" and "y" stay the words trainers
    wrote. Integers with leading zeros ("012") stay strings: YAML 1.1 reads them
    as octal and 1.2 as decimal, and whichever we picked would surprise someone.
    Sexagesimals, dates, hex, "1e3", ".inf" and ".nan" stay strings too.
    """
    if not text:
        return None
    if text[0] not in _MAYBE_TYPED:
        return text
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if text == "~" or lowered == "null":
        return None
    if _INT.fullmatch(text):
        try:
            return int(text)
        except ValueError:  # more digits than int() will convert
            return text
    if _FLOAT.fullmatch(text):
        number = float(text)
        return number if math.isfinite(number) else text
    return text


class _Stop(Exception):
    """Ends the event pass early (too deep, too many problems, a second document)."""


class _Frame:
    """A collection being built. In mappings, ``key`` is the key awaiting its value."""

    __slots__ = ("attached", "is_map", "key", "path", "value")

    def __init__(self, value: Any, path: Path, attached: bool) -> None:
        self.value = value
        self.path = path
        self.is_map = isinstance(value, dict)
        self.key: object = _EXPECT_KEY
        self.attached = attached


_EXPECT_KEY: Final = object()
_SKIP: Final = object()
"""Key sentinel: the entry is consumed but not kept (duplicate, merge or complex key)."""


class _Builder:
    """The single streaming pass: checks each event and builds the value with a stack."""

    def __init__(self, text: str, filename: str, max_depth: int, problems: list[Problem]) -> None:
        self.text = text
        self.filename = filename
        self.max_depth = max_depth
        self.problems = problems
        self.tab_lines = {p.line for p in problems}
        self.tab_problems = len(problems)
        self.value_marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}

    def report(self, mark: Any, message: str) -> None:
        self.report_at(Mark(mark.line + 1, mark.column + 1), message)

    def report_at(self, where: Mark, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(self.filename, where.line, where.column, "too many problems; stopping")
            )
            raise _Stop
        self.problems.append(Problem(self.filename, where.line, where.column, message))

    def run(self) -> Any:
        try:
            try:
                return self._events(_PARSER)
            except yaml.MarkedYAMLError as exc:
                if _PARSER is not _PURE_PARSER and _LIBYAML_NESTING in str(exc.problem):
                    return self._again_without_libyaml()
                self._syntax_problem(exc)
            except yaml.reader.ReaderError as exc:
                self._reader_problem(exc)
            except yaml.YAMLError as exc:
                self.report_at(Mark(1, 1), f"invalid YAML: {_one_line(str(exc))}")
        except _Stop:
            pass
        return None

    def _again_without_libyaml(self) -> Any:
        """Re-read with the pure parser, whose events reach our own depth check first.

        libyaml 0.2.6 (bundled in PyYAML 6.0.4 wheels) scans ahead for a key and trips
        its own 1,000-level limit before any event reaches us; the message and position
        would then depend on which wheel is installed. Only a file nested past 1,000
        levels, already past our limit, ever takes this path.
        """
        del self.problems[self.tab_problems :]
        self.value_marks.clear()
        self.key_marks.clear()
        try:
            return self._events(_PURE_PARSER)
        except yaml.MarkedYAMLError as exc:
            self._syntax_problem(exc)
        return None

    def _events(self, parser: Any) -> Any:
        root: list[Any] = []
        stack: list[_Frame] = []
        documents = 0
        value_marks = self.value_marks
        event: Any
        for event in yaml.parse(self.text, Loader=parser):
            kind = type(event)
            if (
                kind is ScalarEvent
                or kind is MappingStartEvent
                or kind is SequenceStartEvent
                or kind is AliasEvent
            ):
                start = event.start_mark
                mark = Mark(start.line + 1, start.column + 1)
                if kind is AliasEvent:
                    self.report_at(mark, ANCHORS_NOT_ALLOWED)
                    value: Any = None
                else:
                    if event.anchor is not None or event.tag is not None:
                        self._check_properties(event, mark)
                    if kind is ScalarEvent:
                        value = _scalar(event.value) if event.implicit[0] else event.value
                    else:
                        value = {} if kind is MappingStartEvent else []
                top = stack[-1] if stack else None
                if top is not None and top.is_map and top.key is _EXPECT_KEY:
                    # This node is a key.
                    if kind is ScalarEvent:
                        top.key = self._key(top, event, mark)
                        continue
                    top.key = _SKIP
                    if kind is AliasEvent:
                        continue
                    self.report_at(mark, "a key must be a plain name, not a list or a mapping")
                    path = top.path
                    attached = False
                else:
                    if top is None:
                        path = ()
                        attached = True
                        root.append(value)
                    elif top.is_map:
                        key = top.key
                        top.key = _EXPECT_KEY
                        attached = top.attached and key is not _SKIP
                        if attached:
                            path = (*top.path, cast(str, key))
                            top.value[key] = value
                        else:
                            path = top.path
                    else:
                        path = (*top.path, len(top.value))
                        top.value.append(value)
                        attached = top.attached
                    if attached:
                        value_marks[path] = mark
                if kind is MappingStartEvent or kind is SequenceStartEvent:
                    if len(stack) >= self.max_depth:
                        message = f"nesting is deeper than {self.max_depth} levels"
                        self.report_at(mark, message)
                        raise _Stop
                    stack.append(_Frame(value, path, attached))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.report(event.start_mark, "only one YAML document is allowed per file")
                    raise _Stop
        return root[0] if root else None

    def _key(self, top: _Frame, event: ScalarEvent, mark: Mark) -> object:
        key: str = event.value
        if key == "<<" and event.implicit[0]:
            self.report_at(mark, "merge keys ('<<') are not allowed; write the keys out in full")
            return _SKIP
        mapping: dict[str, Any] = top.value
        path = (*top.path, key)
        if key in mapping:
            first = self.key_marks.get(path) if top.attached else None
            where = f" (first defined at line {first.line})" if first is not None else ""
            self.report_at(mark, f"duplicate key '{key}'{where}")
            return _SKIP
        mapping[key] = None
        if top.attached:
            self.key_marks[path] = mark
        return key

    def _check_properties(self, event: Any, mark: Mark) -> None:
        if event.anchor is not None:
            self.report_at(mark, ANCHORS_NOT_ALLOWED)
        tag = event.tag
        if tag is not None:
            if tag.startswith(_YAML_TAG_PREFIX):
                tag = "!!" + tag[len(_YAML_TAG_PREFIX) :]
            self.report_at(mark, f"tags are not allowed (found '{tag}')")

    def _syntax_problem(self, exc: yaml.MarkedYAMLError) -> None:
        where = exc.problem_mark or exc.context_mark
        mark = Mark(where.line + 1, where.column + 1) if where is not None else Mark(1, 1)
        if mark.line in self.tab_lines:
            return  # the tab already explains it
        message = _one_line(exc.problem or "invalid YAML")
        lines = _LINE_BREAK.split(self.text)
        if mark.line <= len(lines) and lines[mark.line - 1][mark.column - 1 : mark.column] == "\t":
            message = "found a tab where YAML does not allow one; use spaces"
        context = exc.context_mark
        if exc.context and context is not None and context.line + 1 != mark.line:
            message += (
                f" ({_one_line(exc.context)} at line {context.line + 1},"
                f" column {context.column + 1})"
            )
        self.report_at(mark, f"YAML syntax error: {message}")

    def _reader_problem(self, exc: yaml.reader.ReaderError) -> None:
        character = exc.character
        code = character if isinstance(character, int) else ord(character)
        # libyaml reports a byte offset, PyYAML a character offset: find the character.
        index = self.text.find(chr(code))
        where = _mark_at(self.text, index) if index >= 0 else Mark(1, 1)
        self.report_at(where, f"character U+{code:04X} is not allowed in YAML")


def _one_line(text: str) -> str:
    return " ".join(text.split())
