"""The tiny condition language of ``if:`` and ``when:``, parsed by hand, never eval'd.

Scenario files are untrusted, so conditions get a grammar of their own instead of
Python's: comparisons of ``anger``, ``trust`` and ``turn`` with whole numbers,
flags, ``visited.NODE``, ``true``/``false``, ``and``/``or``/``not`` and parentheses.
Trainers are not programmers, so every error names the column and, where we can
guess the intent (``=``, ``&&``, ``angr``), says what to write instead.

A condition is compiled once into nested closures: the exhaustive state-space
analysis evaluates each one millions of times, and a closure call per node is
far cheaper than walking a tree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, Final, Literal, Protocol

from simulator.problems import suggest

VARIABLES: Final = ("anger", "trust", "turn")
KEYWORDS: Final = frozenset({"and", "or", "not", "true", "false"})
MAX_NESTING: Final = 50
"""Parentheses and 'not' nest closures; Python's stack must survive the deepest one."""

_EXAMPLES: Final = {"anger": "anger >= 60", "trust": "trust >= 30", "turn": "turn >= 3"}
_FLAG: Final = re.compile(r"[a-z_][a-z0-9_]*")
_NODE: Final = re.compile(r"[a-z0-9][a-z0-9_-]*")
_DIGITS: Final = frozenset("0123456789")
_SPACE: Final = frozenset(" \t\r\n")
_MAX_DIGITS: Final = 18
_FLIPPED: Final = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


class ConditionError(Exception):
    """A condition that cannot be parsed; ``column`` is 1-based inside the text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Reference:
    """A name a condition reads, so the loader can check it exists in the scenario."""

    kind: Literal["variable", "flag", "visited"]
    name: str
    column: int


class ConditionContext(Protocol):
    """What a condition may look at: the mood, the turn, flags and visited nodes."""

    @property
    def anger(self) -> int: ...
    @property
    def trust(self) -> int: ...
    @property
    def turn(self) -> int: ...
    @property
    def flags(self) -> AbstractSet[str]: ...
    @property
    def visited(self) -> AbstractSet[str]: ...


_Test = Callable[[ConditionContext], bool]


@dataclass(frozen=True)
class Condition:
    """A parsed condition; equal and hashable by its text, so it can key caches.

    Building one parses its text (``Condition("anger > 5")`` raises ConditionError
    like parse_condition); identical texts share one compiled form.
    """

    source: str
    references: tuple[Reference, ...] = field(init=False)
    _test: _Test = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        references, test = _compile(self.source)
        object.__setattr__(self, "references", references)
        object.__setattr__(self, "_test", test)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Closures cannot be pickled or deep-copied; the text rebuilds them.
        return (Condition, (self.source,))

    def evaluate(self, ctx: ConditionContext) -> bool:
        """Whether the condition holds in this state."""
        return self._test(ctx)

    @property
    def flags(self) -> frozenset[str]:
        """Flags read, so analysis knows which situation flags matter."""
        return frozenset(r.name for r in self.references if r.kind == "flag")

    @property
    def visited(self) -> frozenset[str]:
        """Nodes whose visit is tested, so analysis knows which visits matter."""
        return frozenset(r.name for r in self.references if r.kind == "visited")

    @property
    def reads_turn(self) -> bool:
        """Whether the turn number is read, so analysis knows whether it matters."""
        return any(r.kind == "variable" and r.name == "turn" for r in self.references)


def parse_condition(text: str) -> Condition:
    """Parse condition text; raises ConditionError pointing at the offending column."""
    return Condition(text)


# ------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class _Token:
    kind: str  # num, name, visited, op, (, ), and, or, not, bool, end
    text: str
    column: int


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        column = i + 1
        if c in _SPACE:
            i += 1
        elif c == "(" or c == ")":
            out.append(_Token(c, c, column))
            i += 1
        elif c in "<>=!":
            pair = text[i : i + 2]
            if pair in ("<=", ">=", "==", "!="):
                out.append(_Token("op", pair, column))
                i += 2
            elif c in "<>":
                if pair == "<>":
                    raise ConditionError("write '!=' for 'not equal', not '<>'", column)
                out.append(_Token("op", c, column))
                i += 1
            else:
                raise ConditionError(_misused_operator(pair), column)
        elif c == "&" or c == "|":
            word = "and" if c == "&" else "or"
            written = c * 2 if text[i : i + 2] == c * 2 else c
            raise ConditionError(f"write '{word}' instead of '{written}'", column)
        elif c in _DIGITS or (c in "+-" and text[i + 1 : i + 2] in _DIGITS):
            end = i + 1
            while end < n and text[end] in _DIGITS:
                end += 1
            rest = end
            while rest < n and (text[rest].isalnum() or text[rest] in "_."):
                rest += 1
            if text[end:rest] not in ("and", "or"):  # "5and" is "5 and": spaces are free
                end = rest
            number = text[i:end]
            digits = number.lstrip("+-")
            if not (digits.isascii() and digits.isdigit()):
                raise ConditionError(f"'{number}' is not a whole number", column)
            if len(digits) > _MAX_DIGITS:
                raise ConditionError(f"'{number}' is too large a number", column)
            out.append(_Token("num", number, column))
            i = end
        elif c in "+-":
            raise ConditionError(f"'{c}' must be followed directly by digits, e.g. '{c}5'", column)
        elif c.isascii() and (c.isalpha() or c == "_"):
            end = i + 1
            while end < n and text[end].isascii() and (text[end].isalnum() or text[end] == "_"):
                end += 1
            word = text[i:end]
            if word == "visited":
                end = _visited(text, end, out, column)
            elif word == "true" or word == "false":
                out.append(_Token("bool", word, column))
            elif word == "and" or word == "or" or word == "not":
                out.append(_Token(word, word, column))
            elif word.lower() in KEYWORDS or word.lower() == "visited":
                raise ConditionError(f"write '{word.lower()}' in lower case", column)
            else:
                out.append(_Token("name", word, column))
            i = end
        else:
            raise ConditionError(f"unexpected character {c!r}", column)
    end_column = out[-1].column + len(out[-1].text) if out else 1
    out.append(_Token("end", "", end_column))
    return out


def _misused_operator(pair: str) -> str:
    if pair == "=>":
        return "write '>=' instead of '=>'"
    if pair == "=<":
        return "write '<=' instead of '=<'"
    if pair[0] == "=":
        return "write '==' to compare, not '='"
    return "write 'not' instead of '!'"


def _visited(text: str, end: int, out: list[_Token], column: int) -> int:
    """Read '.NODE' after 'visited'; node ids may hold '-', which names may not."""
    if text[end : end + 1] != ".":
        raise ConditionError("write 'visited.NODE' to test whether a node was entered", column)
    start = end + 1
    stop = start
    while stop < len(text) and (text[stop].isalnum() or text[stop] in "_-"):
        stop += 1
    node = text[start:stop]
    if not _NODE.fullmatch(node):
        shown = f"'{node}'" if node else "nothing"
        message = (
            f"'visited.' must be followed by a node id (lower-case letters, digits, "
            f"'-' or '_'), not {shown}"
        )
        raise ConditionError(message, start + 1)
    out.append(_Token("visited", node, column))
    return stop


# ------------------------------------------------------------------- parser


def _describe(token: _Token) -> str:
    return "the end" if token.kind == "end" else f"'{token.text}'"


class _Parser:
    """Recursive descent over the tokens; recursion is capped by MAX_NESTING."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = 0
        self.references: list[Reference] = []

    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> _Test:
        if self.peek().kind == "end":
            raise ConditionError("empty condition; write one, e.g. 'anger >= 60'", 1)
        test = self.either()
        token = self.peek()
        if token.kind == ")":
            raise ConditionError("unmatched ')'", token.column)
        if token.kind != "end":
            raise ConditionError(f"expected 'and' or 'or' before {_describe(token)}", token.column)
        return test

    def either(self) -> _Test:
        parts = [self.both()]
        while self.peek().kind == "or":
            self.take()
            parts.append(self.both())
        return _any(parts)

    def both(self) -> _Test:
        parts = [self.unary()]
        while self.peek().kind == "and":
            self.take()
            parts.append(self.unary())
        return _all(parts)

    def unary(self) -> _Test:
        token = self.peek()
        if token.kind == "not":
            self.take()
            self.enter(token)
            inner = self.unary()
            self.depth -= 1
            return _not(inner)
        if token.kind == "(":
            self.take()
            self.enter(token)
            inner = self.either()
            self.depth -= 1
            close = self.peek()
            if close.kind == "end":
                raise ConditionError("this '(' is never closed; add ')'", token.column)
            if close.kind != ")":
                message = f"expected 'and', 'or' or ')' before {_describe(close)}"
                raise ConditionError(message, close.column)
            self.take()
            return inner
        return self.atom()

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            message = f"condition is nested too deeply (more than {MAX_NESTING} levels)"
            raise ConditionError(message, token.column)

    def atom(self) -> _Test:
        token = self.take()
        if token.kind in ("end", ")", "and", "or", "op"):
            self.pos -= 1
            raise ConditionError(self.missing(token), token.column)
        if self.peek().kind == "op":
            return self.comparison(token)
        if token.kind == "bool":
            return _constant(token.text == "true")
        if token.kind == "visited":
            self.references.append(Reference("visited", token.text, token.column))
            return _member("visited", token.text)
        if token.kind == "num":
            message = f"a number alone is not a condition; compare it, e.g. 'anger >= {token.text}'"
            raise ConditionError(message, token.column)
        name = token.text
        if name in VARIABLES:
            message = f"'{name}' is a number; compare it, e.g. '{_EXAMPLES[name]}'"
            raise ConditionError(message, token.column)
        if not _FLAG.fullmatch(name):
            message = f"flag names are lower-case letters, digits and '_': write '{name.lower()}'"
            raise ConditionError(message, token.column)
        self.references.append(Reference("flag", name, token.column))
        return _member("flags", name)

    def missing(self, token: _Token) -> str:
        """Explain what is missing where an operand was expected."""
        if token.kind == "op":
            return f"expected a number or variable before '{token.text}'"
        previous = self.tokens[self.pos - 1] if self.pos > 0 else None
        if token.kind == "end" and previous is not None:
            return f"expected a comparison or flag after '{previous.text}'"
        return f"expected a comparison or flag before {_describe(token)}"

    def comparison(self, left: _Token) -> _Test:
        op = self.take()
        right = self.take()
        for flag, literal in ((left, right), (right, left)):
            if flag.kind == "name" and flag.text not in VARIABLES and literal.kind == "bool":
                name = flag.text
                message = (
                    f"'{name}' is a flag: write '{name}' or 'not {name}' instead of comparing it"
                )
                raise ConditionError(message, flag.column)
        self.operand(left)
        if right.kind == "end" or right.kind not in ("num", "name", "visited", "bool"):
            message = f"expected a number or variable after '{op.text}'"
            raise ConditionError(message, right.column)
        self.operand(right)
        after = self.peek()
        if after.kind == "op":
            message = "comparisons cannot be chained; join two comparisons with 'and'"
            raise ConditionError(message, after.column)
        return _compare(left, op.text, right)

    def operand(self, token: _Token) -> None:
        """Check one side of a comparison: a number or one of the variables."""
        if token.kind == "num":
            return
        if token.kind == "name" and token.text in VARIABLES:
            self.references.append(Reference("variable", token.text, token.column))
            return
        if token.kind == "name":
            hint = suggest(token.text, VARIABLES)
            message = f"unknown variable '{token.text}'{hint}; conditions compare {_or_list()}"
            raise ConditionError(message, token.column)
        shown = f"visited.{token.text}" if token.kind == "visited" else token.text
        message = f"'{shown}' is true or false and cannot be compared; write it on its own"
        raise ConditionError(message, token.column)


def _or_list() -> str:
    return ", ".join(VARIABLES[:-1]) + f" or {VARIABLES[-1]}"


@lru_cache(maxsize=2048)
def _compile(text: str) -> tuple[tuple[Reference, ...], _Test]:
    if not isinstance(text, str):
        raise ConditionError("a condition must be text, e.g. 'anger >= 60'", 1)
    parser = _Parser(text)
    test = parser.parse()
    return tuple(parser.references), test


# ------------------------------------------------------------------- closures


def _constant(value: bool) -> _Test:
    return (lambda ctx: True) if value else (lambda ctx: False)


def _member(collection: Literal["flags", "visited"], name: str) -> _Test:
    if collection == "flags":
        return lambda ctx: name in ctx.flags
    return lambda ctx: name in ctx.visited


def _not(inner: _Test) -> _Test:
    return lambda ctx: not inner(ctx)


def _all(parts: Sequence[_Test]) -> _Test:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: a(ctx) and b(ctx)
    if len(parts) == 3:
        a, b, c = parts
        return lambda ctx: a(ctx) and b(ctx) and c(ctx)
    frozen = tuple(parts)
    return lambda ctx: all(part(ctx) for part in frozen)


def _any(parts: Sequence[_Test]) -> _Test:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        a, b = parts
        return lambda ctx: a(ctx) or b(ctx)
    if len(parts) == 3:
        a, b, c = parts
        return lambda ctx: a(ctx) or b(ctx) or c(ctx)
    frozen = tuple(parts)
    return lambda ctx: any(part(ctx) for part in frozen)


_Get = Callable[[ConditionContext], int]

_AGAINST_NUMBER: Final[dict[str, Callable[[_Get, int], _Test]]] = {
    "<": lambda get, n: lambda ctx: get(ctx) < n,
    "<=": lambda get, n: lambda ctx: get(ctx) <= n,
    ">": lambda get, n: lambda ctx: get(ctx) > n,
    ">=": lambda get, n: lambda ctx: get(ctx) >= n,
    "==": lambda get, n: lambda ctx: get(ctx) == n,
    "!=": lambda get, n: lambda ctx: get(ctx) != n,
}
_BETWEEN_NUMBERS: Final[dict[str, Callable[[int, int], bool]]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _compare(left: _Token, op: str, right: _Token) -> _Test:
    """Specialise each comparison so evaluating it costs one closure and one getter."""
    if left.kind == "num" and right.kind == "num":
        return _constant(_BETWEEN_NUMBERS[op](int(left.text), int(right.text)))
    if right.kind == "num":
        return _AGAINST_NUMBER[op](attrgetter(left.text), int(right.text))
    if left.kind == "num":
        return _AGAINST_NUMBER[_FLIPPED[op]](attrgetter(right.text), int(left.text))
    get_left: _Get = attrgetter(left.text)
    get_right: _Get = attrgetter(right.text)
    between = _BETWEEN_NUMBERS[op]
    return lambda ctx: between(get_left(ctx), get_right(ctx))
