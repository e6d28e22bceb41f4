"""Can the scenario be passed without judgement? Surface strategies and content lints.

A scenario teaches only if the best move cannot be spotted by its surface. This
module plays a set of **surface strategies** (always the longest reply, the shortest,
the one that says "sorry", the first on screen, …) through the real session and warns
when one of them would pass, and runs **content lints** at each node's first visit:

- `longest-best`: the best move is the longest reply in more than a third of the nodes;
- `lone-harmless`: a node offers at most one reply without a harmful technique, so the
  right answer is simply the only one that is not a caricature;
- `tie-first-visit`: two replies tie for best (same consequence value), so both rate
  1.0 and the debrief cannot say which one teaches more;
- `self-critical`: the best move's own feedback criticises it (a word from
  `criticism` in `data/judgement.yaml`): the feedback or the engine is wrong;
- `hot-resolved`: a resolved ending is reachable at anger >= the fury threshold, where
  it scores and debriefs as unhappy (rule 16): route such a customer elsewhere;
- `debrief-claim`: an ending's debrief tells the trainee they did something (a "you"
  sentence with a family's cue and no hint of what did not happen) while some
  conversation reaches that ending without any helpful technique of that family.

"First visit" is the first state in which a breadth-first walk (shortest
conversations first, choices in the author's order) enters a node. Every finding
names a conversation that shows it, and claims that need a search are made only
when the search found a witness, so a warning is never a guess.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from statistics import mean
from typing import Any

import yaml

from simulator.analysis.findings import describe_path
from simulator.analysis.lint import Positions
from simulator.engine.catalog import Catalog
from simulator.engine.machine import Rules, rules_for
from simulator.engine.moves import advance
from simulator.engine.outlook import outlook_for
from simulator.engine.scoring import best_option, options
from simulator.engine.session import Session
from simulator.engine.space import Packed
from simulator.engine.state import Option, State
from simulator.problems import Problem
from simulator.scenario.loader import LoadedScenario
from simulator.scenario.models import Choice

LINTS = (
    "surface",
    "longest-best",
    "lone-harmless",
    "tie-first-visit",
    "self-critical",
    "hot-resolved",
    "debrief-claim",
)
"""Every judgement check, by the id fixtures and `Options.judge` name it."""

Path = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Settings:
    """The numbers and words of `data/judgement.yaml`."""

    pass_mark: int
    seeds: int
    max_turns: int
    longest_share: float
    search_states: int
    criticism: tuple[str, ...]
    not_a_claim: tuple[str, ...]
    families: dict[str, tuple[str, ...]]


@functools.cache
def settings() -> Settings:
    text = resources.files("simulator.analysis").joinpath("data", "judgement.yaml")
    data: dict[str, Any] = yaml.safe_load(text.read_text("utf-8"))
    return Settings(
        pass_mark=int(data["pass_mark"]),
        seeds=int(data["seeds"]),
        max_turns=int(data["max_turns"]),
        longest_share=float(data["longest_share"]),
        search_states=int(data["search_states"]),
        criticism=tuple(map(str, data["criticism"])),
        not_a_claim=tuple(map(str, data["not_a_claim"])),
        families={k: tuple(map(str, v)) for k, v in data["families"].items()},
    )


def _pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """Whole words or word starts, case-insensitive ("escalat" matches "escalated")."""
    words = sorted(cues, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(re.escape(w) for w in words) + r")", re.I)


# ---------------------------------------------------------------- strategies


@dataclass(frozen=True)
class Strategy:
    """A way of choosing that reads only the surface of the replies on screen."""

    id: str
    label: str
    key: Callable[[Choice, int, int], float]
    """(choice, position on screen, how many) -> the higher, the more it is picked."""
    positional: bool = False


def _count(pattern: str) -> Callable[[Choice, int, int], float]:
    compiled = re.compile(pattern, re.I)
    return lambda c, i, n: float(len(compiled.findall(c.say)))


def strategies(customer_name: str) -> list[Strategy]:
    """The surface strategies, each a mistake of judgement a trainee could make."""
    surname = customer_name.split()[-1] if customer_name.split() else customer_name
    name = re.escape(surname.strip(".,"))
    return [
        Strategy("longest", "always picks the longest reply", lambda c, i, n: len(c.say)),
        Strategy("shortest", "always picks the shortest reply", lambda c, i, n: -len(c.say)),
        Strategy("most-words", "picks the reply with most words", _words(1)),
        Strategy("fewest-words", "picks the reply with fewest words", _words(-1)),
        Strategy("questions", "picks the reply with most question marks", _count(r"\?")),
        Strategy(
            "no-questions",
            "picks the reply with fewest question marks",
            lambda c, i, n: -float(c.say.count("?")),
        ),
        Strategy("punctuation", "picks the most punctuated reply", _count(r"[,;:—–()]")),
        Strategy("sorry", 'picks the reply that says "sorry"', _count(r"\b(sorry|apolog)")),
        Strategy("understand", 'picks the reply that says "understand"', _count(r"\bunderstand")),
        Strategy(
            "manager",
            "picks the reply that brings in a manager",
            _count(r"\b(manager|supervisor|director|specialist|team lead)"),
        ),
        Strategy(
            "promise", 'picks the reply that says "I\'ll"', _count(r"\bI(?:'|’)ll\b|\bI will\b")
        ),
        Strategy("you", 'picks the reply that says "you" most', _count(r"\byou")),
        Strategy("name", "picks the reply that uses the customer's name", _count(rf"\b{name}\b")),
        Strategy("first", "picks the first reply on screen", lambda c, i, n: -i, True),
        Strategy("last", "picks the last reply on screen", lambda c, i, n: i, True),
        Strategy(
            "middle",
            "picks the middle reply on screen",
            lambda c, i, n: -abs(i - (n - 1) / 2),
            True,
        ),
    ]


def _words(sign: int) -> Callable[[Choice, int, int], float]:
    return lambda c, i, n: float(sign * len(c.say.split()))


@dataclass(frozen=True)
class StrategyResult:
    strategy: Strategy
    scores: tuple[int, ...]
    """One per seed played (a strategy that never meets a tie needs one)."""

    @property
    def average(self) -> float:
        return mean(self.scores)


def play_strategy(loaded: LoadedScenario, strategy: Strategy) -> StrategyResult:
    """Play the strategy through real sessions: one seed, or all when the order matters."""
    s = settings()
    scores = []
    for seed in range(s.seeds):
        score, tied = _play(loaded, strategy, seed)
        scores.append(score)
        if seed == 0 and not tied and not strategy.positional:
            break
    return StrategyResult(strategy, tuple(scores))


def _play(loaded: LoadedScenario, strategy: Strategy, seed: int) -> tuple[int, bool]:
    session = Session(loaded, seed=seed, session_id=f"surface-{strategy.id}-{seed}")
    tied = False
    for _ in range(settings().max_turns):
        if session.finished:
            break
        offered = session.choices()
        if not offered:
            break
        keys = [strategy.key(c, i, len(offered)) for i, c in enumerate(offered)]
        top = max(keys)
        tied = tied or keys.count(top) > 1
        session.choose(offered[keys.index(top)].id)
    return session.result().score.score, tied


def _surface(loaded: LoadedScenario, at: Positions) -> Iterator[Problem]:
    if all(len(node.choices) < 2 for node in loaded.scenario.nodes.values()):
        return  # one reply everywhere: no way of choosing can give the best one away
    s = settings()
    for strategy in strategies(loaded.scenario.customer.name):
        result = play_strategy(loaded, strategy)
        average = round(result.average)
        if average >= s.pass_mark:
            seeds = f" on average over {len(result.scores)} seeds" if len(result.scores) > 1 else ""
            yield at.warning(
                ("id",),
                f"surface strategy '{strategy.id}' passes: a trainee who {strategy.label} "
                f"scores {average}{seeds} (pass mark {s.pass_mark}); the best moves give "
                "themselves away",
            )


# ------------------------------------------------------------------ searches


@dataclass(frozen=True)
class Reached:
    """A state some conversation reaches (packed: what its future reads), and the first
    (shortest) such conversation."""

    state: Packed
    path: Path


@dataclass
class Walk:
    """A breadth-first walk: first visits of nodes, endings reached, and witnesses."""

    first: dict[str, Reached]
    endings: dict[str, Reached]
    hot: dict[str, Reached]
    complete: bool


def walk(rules: Rules) -> Walk:
    """Shortest conversations first, choices in the author's order, within the budget.

    It walks the packed states with the outlook's memoised moves, the ones the analysis
    and the session's ratings use: by the merge rule a packed state's future is that of
    every conversation it stands for, and each move is computed once, not once per walk
    (the full-state walk was a quarter of a 40-node scenario's check).
    """
    outlook = outlook_for(rules)
    space = outlook.space
    fury = rules.catalog.numbers.fury_anger
    start = space.start()
    found = Walk({start[0]: Reached(start, ())}, {}, {}, True)
    seen = {start}
    queue: deque[Reached] = deque([Reached(start, ())])
    budget = settings().search_states
    while queue:
        here = queue.popleft()
        for choice, _, after, _, _ in space.moves(here.state):
            path = (*here.path, (here.state[0], choice.id))
            if space.is_final(after):
                reached = Reached(after, path)
                found.endings.setdefault(after[0], reached)
                outcome = rules.endings[after[0]].outcome
                hot = after[1] >= fury and not after[9]
                if outcome == "resolved" and hot:
                    found.hot.setdefault(after[0], reached)
                continue
            if after in seen:
                continue
            if len(seen) >= budget:
                found.complete = False
                return found
            seen.add(after)
            found.first.setdefault(after[0], Reached(after, path))
            queue.append(Reached(after, path))
    return found


def reach(rules: Rules, allowed: Callable[[Choice], bool], target: str) -> Reached | None:
    """A conversation into `target` using only allowed choices, or None within the budget.

    Depth first, the most valuable allowed move first (rule 15's values), so the
    witness is a conversation a trainee might really have, and long scenarios are
    crossed without visiting every state.
    """
    outlook = outlook_for(rules)
    budget = settings().search_states
    seen: set[tuple[object, ...]] = set()
    stack: list[tuple[State, Path]] = [(rules.initial_state(), ())]
    while stack and len(seen) < budget:
        state, trail = stack.pop()
        key = (*outlook.space.pack(state), state.turn)
        if key in seen:
            continue
        seen.add(key)
        value = {o.choice: o.value for o in options(rules, state)}
        moves = sorted(
            (c for c in rules.choices_at(state) if allowed(c)), key=lambda c: value[c.id]
        )
        for choice in moves:
            after = advance(rules, state, choice)
            path = (*trail, (state.node, choice.id))
            if not rules.is_final(after):
                stack.append((after, path))
            elif after.node == target:
                return Reached(outlook.space.pack(after), path)
    return None


# ------------------------------------------------------------------ lints


def _first_visits(
    loaded: LoadedScenario, rules: Rules, first: dict[str, Reached]
) -> list[tuple[str, Reached, list[Option], Option]]:
    visits = []
    for node_id in loaded.scenario.nodes:
        reached = first.get(node_id)
        if reached is None:
            continue
        offered = outlook_for(rules).options(reached.state)
        if offered:
            visits.append((node_id, reached, offered, best_option(offered)))
    return visits


def _longest_best(
    loaded: LoadedScenario,
    visits: list[tuple[str, Reached, list[Option], Option]],
    at: Positions,
) -> Iterator[Problem]:
    says = _says(loaded)
    counted = [v for v in visits if len(v[2]) > 1]
    longest = [
        node
        for node, _, offered, best in counted
        if len(says[node][best.choice]) >= max(len(says[node][o.choice]) for o in offered)
    ]
    if counted and len(longest) > settings().longest_share * len(counted):
        share = round(100 * len(longest) / len(counted))
        yield at.warning(
            ("nodes",),
            f"the best move is also the longest reply in {len(longest)} of {len(counted)} "
            f"nodes ({share} %, more than a third): length gives it away "
            f"({', '.join(longest)})",
            key=True,
        )


def _lone_harmless(
    visits: list[tuple[str, Reached, list[Option], Option]], at: Positions
) -> Iterator[Problem]:
    for node, reached, offered, _ in visits:
        harmless = [o.choice for o in offered if not o.harmful]
        if len(offered) > 1 and len(harmless) <= 1:
            only = f"only '{harmless[0]}'" if harmless else "none"
            yield at.warning(
                ("nodes", node),
                f"node '{node}' offers {only} of {len(offered)} replies without a harmful "
                f"technique at its first visit ({_via(reached)}): the right answer is the "
                "only one that is not a caricature",
                key=True,
            )


def _ties(
    visits: list[tuple[str, Reached, list[Option], Option]], at: Positions
) -> Iterator[Problem]:
    for node, reached, offered, best in visits:
        tied = [o.choice for o in offered if o.value == best.value and o.helpful]
        if best.helpful and len(tied) > 1:
            yield at.warning(
                ("nodes", node),
                f"replies {', '.join(repr(t) for t in tied)} tie for best at the first visit "
                f"of '{node}' ({_via(reached)}, value {best.value}): both rate 1.0, so the "
                "debrief cannot say which one teaches more",
                key=True,
            )


def _self_critical(
    loaded: LoadedScenario,
    visits: list[tuple[str, Reached, list[Option], Option]],
    at: Positions,
) -> Iterator[Problem]:
    cue = _pattern(settings().criticism)
    for node, reached, _, best in visits:
        choices = loaded.scenario.nodes[node].choices
        index = next(i for i, c in enumerate(choices) if c.id == best.choice)
        feedback = choices[index].feedback or ""
        match = cue.search(feedback)
        if match:
            yield at.warning(
                ("nodes", node, "choices", index, "feedback"),
                f"the best move '{best.choice}' at '{node}' ({_via(reached)}) has feedback "
                f"that criticises it ('{match.group(0)}'): fix the feedback, or the choice's "
                "techniques and effects so the engine agrees with it",
            )


def _hot_resolved(found: Walk, rules: Rules, at: Positions) -> Iterator[Problem]:
    fury = rules.catalog.numbers.fury_anger
    for ending, reached in found.hot.items():
        yield at.warning(
            ("endings", ending),
            f"resolved ending '{ending}' is reachable at anger {reached.state[1]} "
            f"({_via(reached)}): at anger {fury} or more it scores and debriefs as unhappy "
            "(rule 16); route a customer that angry to another ending",
            key=True,
        )


def claims(debrief: str) -> dict[str, str]:
    """Families a debrief says the trainee used, with the cue that says so."""
    s = settings()
    negation = _pattern(s.not_a_claim)
    cues = {family: _pattern(words) for family, words in s.families.items()}
    found: dict[str, str] = {}
    for sentence in re.split(r"(?<=[.!?;])\s+", debrief):
        if not re.search(r"\byou\b", sentence, re.I) or negation.search(sentence):
            continue
        for family, cue in cues.items():
            match = cue.search(sentence)
            if match and family not in found:
                found[family] = match.group(0)
    return found


def _debrief_claims(
    loaded: LoadedScenario, rules: Rules, catalog: Catalog, at: Positions
) -> Iterator[Problem]:
    techniques = catalog.techniques
    for ending_id, ending in loaded.scenario.endings.items():
        if not ending.debrief:
            continue
        for family, cue in claims(ending.debrief).items():

            def without(choice: Choice, family: str = family) -> bool:
                return not any(
                    techniques[t].family == family and techniques[t].helpful
                    for t in choice.techniques
                    if t in techniques
                )

            reached = reach(rules, without, ending_id)
            if reached is None:
                continue
            yield at.warning(
                ("endings", ending_id, "debrief"),
                f"the debrief of '{ending_id}' tells the trainee they used {family} "
                f"('{cue}'), but a conversation reaches it without any helpful {family} "
                f"move ({_via(reached)})",
            )


def _says(loaded: LoadedScenario) -> dict[str, dict[str, str]]:
    return {
        node_id: {c.id: c.say for c in node.choices}
        for node_id, node in loaded.scenario.nodes.items()
    }


def _via(reached: Reached) -> str:
    return f"via {describe_path(reached.path)}" if reached.path else "right at the start"


def judge(
    loaded: LoadedScenario, catalog: Catalog, only: frozenset[str] | None = None
) -> list[Problem]:
    """Every judgement warning of one scenario (`only`: a subset of `LINTS`)."""
    wanted = set(LINTS if only is None else only)
    if not wanted:
        return []
    at = Positions(loaded)
    rules = rules_for(loaded)
    problems: list[Problem] = []
    if "surface" in wanted:
        problems += _surface(loaded, at)
    found = walk(rules)
    visits = _first_visits(loaded, rules, found.first)
    if "longest-best" in wanted:
        problems += _longest_best(loaded, visits, at)
    if "lone-harmless" in wanted:
        problems += _lone_harmless(visits, at)
    if "tie-first-visit" in wanted:
        problems += _ties(visits, at)
    if "self-critical" in wanted:
        problems += _self_critical(loaded, visits, at)
    if "hot-resolved" in wanted:
        problems += _hot_resolved(found, rules, at)
    if "debrief-claim" in wanted:
        problems += _debrief_claims(loaded, rules, catalog, at)
    return sorted(problems)
