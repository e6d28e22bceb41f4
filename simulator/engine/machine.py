"""The conversation as a `transitions` state machine, built once per scenario.

Nodes and endings are states (endings final), every choice is a trigger, and a
conditional goto becomes several guarded transitions tried in order. The walkout
is a guarded transition placed before every choice's unconditional goto, so
anger 100 wins over wherever the choice was heading, unless one of the choice's own conditional
branches holds: that is the author routing the moment (an explicit
`if: anger >= 90` to a hang-up ending). The mood effect is applied in `prepare_event`,
before any guard runs, so gotos see the new mood (the format's order of a turn).

The machine drives one scratch model (a cursor): `advance` loads a state into it,
fires the trigger and reads the new state back, so every caller deals in
immutable `State` values and can explore alternatives freely.

The pieces of a turn live here once and both ways of playing use them: the mood step
(`react`), the routes a choice may take in the order they are tried (`routes`, from
which the machine's guarded transitions are built), and what entering a node does
(`enter`). `play` is the same turn as a pure function over those pieces, without the
machine's dispatch; `simulator.engine.moves` builds the quiet fast path on it, and a
test plays random walks both ways over every bundled scenario.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from transitions import EventData, Machine

from simulator.engine.catalog import Catalog, load_catalog
from simulator.engine.mood import Effect, Memory, Mood, MoodEngine, Step, Traits
from simulator.engine.state import State
from simulator.problems import suggest
from simulator.scenario.conditions import Condition, ConditionContext
from simulator.scenario.loader import BUILTIN_WALKOUT, LoadedScenario
from simulator.scenario.models import Choice, Ending, Scenario

WALKOUT_ANGER = 100
BUILTIN_WALKOUT_ENDING = Ending(
    outcome="lost",
    say="That's it. I'm done with this. (The customer leaves.)",
    debrief="The customer's anger reached the limit and they walked out. Look for the turn "
    "where anger climbed fastest: that is where listening or empathy was needed.",
)


class ChoiceError(Exception):
    """A choice that cannot be made here: unknown, hidden, or the conversation is over."""


@dataclass(frozen=True)
class Move:
    """What one choice did: the new state and every effect that explains it."""

    after: State
    effects: tuple[Effect, ...]
    compliance_violation: bool


@dataclass(frozen=True)
class Route:
    """One way a choice can go; a choice's routes are tried in order, the first that holds wins."""

    target: str
    condition: Condition | None = None
    walkout: bool = False
    """The walkout guard: anger at the limit (condition is then None)."""

    def holds(self, ctx: ConditionContext) -> bool:
        if self.walkout:
            return ctx.anger >= WALKOUT_ANGER
        return self.condition is None or self.condition.evaluate(ctx)


def first_route(routes: tuple[Route, ...], ctx: ConditionContext) -> str | None:
    """Where a turn goes: the first route whose guard holds, None when none does (stuck)."""
    for route in routes:
        if route.holds(ctx):
            return route.target
    return None


@dataclass(frozen=True)
class Arrival:
    """The mood-stepped state a choice's guards are read on: new mood, old visits, turn + 1."""

    anger: int
    trust: int
    turn: int
    flags: frozenset[str]
    visited: frozenset[str]


class _Cursor:
    """The machine's model: the mutable working copy of one state during a trigger."""

    state: str
    trigger: Callable[..., bool]  # bound by the machine

    def __init__(self) -> None:
        self.mood = Mood(0, 0)
        self.memory = Memory()
        self.flags: frozenset[str] = frozenset()
        self.visited: frozenset[str] = frozenset()
        self.turn = 0
        self.effects: tuple[Effect, ...] = ()
        self.violation = False

    # Read by conditions.
    @property
    def anger(self) -> int:
        return self.mood.anger

    @property
    def trust(self) -> int:
        return self.mood.trust


def _guard(route: Route) -> Callable[[EventData], bool]:
    def check(event: EventData) -> bool:
        return route.holds(_cursor(event))

    return check


def _cursor(event: EventData) -> _Cursor:
    return cast(_Cursor, event.model)


class Rules:
    """A compiled scenario: its machine, its engine, and pure moves over states."""

    def __init__(self, loaded: LoadedScenario, catalog: Catalog | None = None) -> None:
        self.loaded = loaded
        self.scenario: Scenario = loaded.scenario
        self.catalog = catalog or load_catalog()
        self.engine = MoodEngine(self.catalog)
        self.traits, self.start_mood = self._customer()
        self.endings: dict[str, Ending] = dict(self.scenario.endings)
        self.walkout = loaded.walkout_ending
        if self.walkout == BUILTIN_WALKOUT and BUILTIN_WALKOUT not in self.endings:
            self.endings[BUILTIN_WALKOUT] = BUILTIN_WALKOUT_ENDING
        self._choices = {
            node_id: {choice.id: choice for choice in node.choices}
            for node_id, node in self.scenario.nodes.items()
        }
        self.routes: dict[tuple[str, str], tuple[Route, ...]] = {
            (node_id, choice.id): self._routes(choice)
            for node_id, node in self.scenario.nodes.items()
            for choice in node.choices
        }
        """(node, choice id) -> the routes its goto compiles to, in the order tried."""
        self.quiet_memo: dict[tuple[object, ...], Step] = {}
        """Quiet mood steps already computed (`simulator.engine.moves`)."""
        self._cursor = _Cursor()
        self.machine = self._build()

    # ------------------------------------------------------------------ build

    def _customer(self) -> tuple[Traits, Mood]:
        customer = self.scenario.customer
        persona = self.catalog.personas.get(customer.persona or "reasonable")
        base = persona.traits if persona else Traits()
        own = customer.traits
        traits = Traits(
            patience=own.patience if own and own.patience is not None else base.patience,
            volatility=own.volatility if own and own.volatility is not None else base.volatility,
            abusive=own.abusive if own and own.abusive is not None else base.abusive,
        )
        anger = customer.anger if customer.anger is not None else (persona.anger if persona else 40)
        trust = customer.trust if customer.trust is not None else (persona.trust if persona else 40)
        return traits, Mood(anger, trust)

    def _routes(self, choice: Choice) -> tuple[Route, ...]:
        """A branch whose condition holds is the author routing the moment, so it is
        tried before the walkout; unconditional fallbacks come after it."""
        branches = (
            [(None, choice.goto)]
            if isinstance(choice.goto, str)
            else [(branch.if_, branch.to) for branch in choice.goto]
        )
        routed = [Route(target, c) for c, target in branches if c is not None]
        fallbacks = [Route(target) for c, target in branches if c is None]
        return (*routed, Route(self.walkout, walkout=True), *fallbacks)

    def _build(self) -> Machine:
        states: list[dict[str, Any]] = [{"name": node_id} for node_id in self.scenario.nodes]
        states += [{"name": ending_id, "final": True} for ending_id in self.endings]
        machine = Machine(
            model=self._cursor,
            states=states,
            initial=self.scenario.start,
            auto_transitions=False,
            send_event=True,
            prepare_event=self._apply_mood,
            after_state_change=self._entered,
        )
        for (node_id, choice_id), routes in self.routes.items():
            for route in routes:
                if route.condition is None and not route.walkout:
                    machine.add_transition(choice_id, node_id, route.target)
                else:
                    machine.add_transition(
                        choice_id, node_id, route.target, conditions=[_guard(route)]
                    )
        return machine

    # -------------------------------------------------------------- callbacks

    def _apply_mood(self, event: EventData) -> None:
        cursor = _cursor(event)
        choice: Choice = event.kwargs["choice"]
        step = self.react(cursor.mood, cursor.memory, cursor.flags, choice)
        cursor.mood, cursor.memory, cursor.flags = step.mood, step.memory, step.flags
        cursor.effects = step.effects
        cursor.violation = violates(step, choice)
        cursor.turn += 1

    def _entered(self, event: EventData) -> None:
        cursor = _cursor(event)
        cursor.visited, cursor.flags = self.enter(cursor.state, cursor.visited, cursor.flags)

    # ------------------------------------------------------ the pieces of a turn

    def react(
        self,
        mood: Mood,
        memory: Memory,
        flags: frozenset[str],
        choice: Choice,
        *,
        explain: bool = True,
    ) -> Step:
        """The mood step of one choice for this scenario's customer (quiet on request)."""
        effects = choice.effects
        return self.engine.step(
            mood,
            memory,
            choice.techniques,
            flags=flags,
            traits=self.traits,
            author_anger=effects.anger if effects else 0,
            author_trust=effects.trust if effects else 0,
            explain=explain,
        )

    def enter(
        self, name: str, visited: frozenset[str], flags: frozenset[str]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """Entering a node or ending: it counts as visited and its `set:` applies."""
        return visited | {name}, self._flags_on_entering(name, flags)

    def _flags_on_entering(self, name: str, flags: frozenset[str]) -> frozenset[str]:
        """A node's `set:` raises and lowers situation flags as the conversation enters it."""
        node = self.scenario.nodes.get(name)
        if node is None or not node.set:
            return flags
        raised = {flag for flag, on in node.set.items() if on}
        lowered = {flag for flag, on in node.set.items() if not on}
        return (flags | raised) - lowered

    # ------------------------------------------------------------------ moves

    def initial_state(self, mood: Mood | None = None) -> State:
        start = self.scenario.start
        numbers = self.catalog.numbers
        persona_flags = frozenset(
            {"abusive"} if self.traits.abusive else ()
        ) | (  # rule 18: a written channel (email, chat) starts the conversation in writing
            {numbers.written_flag} if self.scenario.channel in numbers.written_channels else set()
        )
        return State(
            node=start,
            mood=mood or self.start_mood,
            memory=Memory(),
            flags=self._flags_on_entering(start, persona_flags),
            visited=frozenset({start}),
        )

    def is_final(self, state: State) -> bool:
        return state.node in self.endings

    def choices_at(self, state: State) -> list[Choice]:
        """The choices on offer, in the author's order; `when` is read on the shown mood."""
        node = self.scenario.nodes.get(state.node)
        if node is None:
            return []
        return [c for c in node.choices if c.when is None or c.when.evaluate(state)]

    def choice(self, state: State, choice_id: str) -> Choice:
        """Look a choice up where the conversation stands, or say why it cannot be made."""
        if self.is_final(state):
            raise ChoiceError(f"the conversation has already ended at '{state.node}'")
        options = self._choices[state.node]
        choice = options.get(choice_id)
        if choice is None:
            hint = suggest(choice_id, list(options))
            raise ChoiceError(f"node '{state.node}' has no choice '{choice_id}'{hint}")
        if choice.when is not None and not choice.when.evaluate(state):
            raise ChoiceError(
                f"choice '{choice_id}' is not offered at node '{state.node}' right now "
                f"(when: {choice.when.source})"
            )
        return choice

    def land(self, state: State, choice: Choice, step: Step) -> State:
        """Where a turn ends once its mood step is known: the first route that holds on
        the stepped state, then entering the target. No route holding leaves the
        conversation where it was (stuck), as the machine does when no transition passes.
        """
        turn = state.turn + 1
        arrival = Arrival(step.mood.anger, step.mood.trust, turn, step.flags, state.visited)
        target = first_route(self.routes[(state.node, choice.id)], arrival)
        visited, flags = state.visited, step.flags
        if target is None:
            target = state.node
        else:
            visited, flags = self.enter(target, visited, flags)
        return State(
            node=target,
            mood=step.mood,
            memory=step.memory,
            flags=flags,
            visited=visited,
            turn=turn,
            compliance_violation=state.compliance_violation or violates(step, choice),
        )

    def play(self, state: State, choice: Choice, *, explain: bool = True) -> Move:
        """The same turn as `advance`, as a pure function: no machine, no cursor."""
        step = self.react(state.mood, state.memory, state.flags, choice, explain=explain)
        return Move(self.land(state, choice, step), step.effects, violates(step, choice))

    def advance(self, state: State, choice: Choice) -> Move:
        """Play one choice from a state through the machine; the state is not changed."""
        cursor = self._cursor
        cursor.mood, cursor.memory, cursor.flags = state.mood, state.memory, state.flags
        cursor.visited, cursor.turn = state.visited, state.turn
        cursor.effects, cursor.violation = (), False
        self.machine.set_state(state.node, model=cursor)
        cursor.trigger(choice.id, choice=choice)
        after = State(
            node=cursor.state,
            mood=cursor.mood,
            memory=cursor.memory,
            flags=cursor.flags,
            visited=cursor.visited,
            turn=cursor.turn,
            compliance_violation=state.compliance_violation or cursor.violation,
        )
        return Move(after, cursor.effects, cursor.violation)


def violates(step: Step, choice: Choice) -> bool:
    """A turn breaks compliance by a technique (rule 12) or by the author's marking."""
    return step.compliance_violation or choice.compliance == "violation"


_COMPILED: dict[tuple[str, str], Rules] = {}


def rules_for(loaded: LoadedScenario) -> Rules:
    """Compile a scenario once and reuse it for every session that plays it."""
    key = (loaded.file, loaded.sha256)
    rules = _COMPILED.get(key)
    if rules is None:
        rules = _COMPILED[key] = Rules(loaded)
    return rules
