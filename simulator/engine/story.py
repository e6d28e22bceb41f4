"""A conversation told for people: each turn's lesson, the moments that mattered, the why.

The coach, the debrief, plain mode and the history all explain turns; this module is
the one place that turns engine records into that explanation, so the four faces say
the same thing. It reads either a live session (`SessionResult`, `Turn`) or a score
log's records (a past session in the history), and needs the scenario only for
wording the log did not keep (what the customer said, the better line's words).

Nothing here computes a mood: the numbers are the engine's, and an explanation is
always built from the same effects whose sums are the change shown, so the net
change and the reasons can never contradict each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.engine.bands import anger_band, trust_band
from simulator.engine.catalog import Catalog
from simulator.engine.glossary import Glossary
from simulator.engine.mood import Effect, Mood

if TYPE_CHECKING:
    from simulator.engine.session import Session, SessionResult
    from simulator.engine.state import Option, Turn
    from simulator.scenario.loader import LoadedScenario

MOMENTS = 3
"""At most this many moments lead the debrief: more would bury the lesson again."""


@dataclass(frozen=True)
class Reason:
    """One effect of a turn in words: what did it, by how much, which rule, which article."""

    what: str
    anger: int
    trust: int
    rule: str
    """The rule's name ("listen first"), or "" for a technique's plain base effect."""
    why: str
    sources: tuple[str, ...]
    """Article titles."""


@dataclass(frozen=True)
class TurnStory:
    """One turn as the trainee should read it."""

    number: int
    node: str
    choice: str
    customer_line: str | None
    """What the customer said just before this reply (None when the scenario is gone)."""
    said: str
    feedback: str | None
    best: bool
    """The reply was the best on offer (a tie counts as best)."""
    better_say: str | None
    """The best reply's words, when it was another one."""
    before: Mood
    after: Mood
    better_after: Mood | None
    rating: float
    effects: tuple[Effect, ...]
    because: str | None = None
    """When the author wrote no coach sentence: the main reason, in the net's direction."""

    @property
    def loss(self) -> tuple[float, int]:
        """How much this turn fell short of the best move: rating first, then the meters."""
        if self.best or self.better_after is None:
            return (0.0, 0)
        gap = (self.after.anger - self.better_after.anger) + (
            self.better_after.trust - self.after.trust
        )
        return (round(1.0 - self.rating, 6), gap)


@dataclass(frozen=True)
class SessionStory:
    """A finished (or abandoned) conversation, ready for a debrief."""

    session_id: str
    title: str
    customer: str
    mode: str
    status: str
    outcome: str | None
    ending: str | None
    ending_say: str | None
    debrief: str | None
    score: int | None
    grade: str | None
    principles: Mapping[str, int]
    start: Mood
    end: Mood
    turns: tuple[TurnStory, ...]
    reflection: str | None = None

    @property
    def walked_out(self) -> bool:
        return self.status == "walked_out"


# ------------------------------------------------------------------ building


def _choice_say(loaded: LoadedScenario | None, node: str, choice: str) -> str | None:
    if loaded is None:
        return None
    scenario_node = loaded.scenario.nodes.get(node)
    if scenario_node is None:
        return None
    return next((c.say for c in scenario_node.choices if c.id == choice), None)


def _node_say(loaded: LoadedScenario | None, node: str) -> str | None:
    if loaded is None:
        return None
    scenario_node = loaded.scenario.nodes.get(node)
    return scenario_node.say if scenario_node is not None else None


def turn_story(turn: Turn, loaded: LoadedScenario) -> TurnStory:
    """A live turn told for the coach and the debrief."""
    best = turn.best.choice == turn.choice
    return TurnStory(
        number=turn.number,
        node=turn.node,
        choice=turn.choice,
        customer_line=_node_say(loaded, turn.node),
        said=turn.say,
        feedback=turn.feedback,
        best=best,
        better_say=None if best else _choice_say(loaded, turn.node, turn.best.choice),
        before=turn.before.mood,
        after=turn.after.mood,
        better_after=None if best else turn.best.after,
        rating=turn.rating,
        effects=turn.effects,
        because=None if turn.feedback else main_reason(turn.effects),
    )


def session_story(
    result: SessionResult, loaded: LoadedScenario, *, mode: str, reflection: str | None = None
) -> SessionStory:
    """A live session's result told for the debrief."""
    return SessionStory(
        session_id=result.session_id,
        title=result.title,
        customer=loaded.scenario.customer.name,
        mode=mode,
        status=result.status,
        outcome=result.outcome,
        ending=result.ending,
        ending_say=result.ending_say,
        debrief=result.debrief,
        score=result.score.score,
        grade=result.score.grade,
        principles=dict(result.score.principles),
        start=result.start,
        end=result.end,
        turns=tuple(turn_story(turn, loaded) for turn in result.turns),
        reflection=reflection,
    )


def _int(value: object, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _effects(record: Mapping[str, Any]) -> tuple[Effect, ...]:
    found = []
    raw = record.get("effects")
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict):
            found.append(
                Effect(
                    rule=_int(item.get("rule")),
                    technique=_text(item.get("technique")),
                    anger=_int(item.get("anger")),
                    trust=_int(item.get("trust")),
                    reason=_text(item.get("reason")) or "",
                )
            )
    return tuple(found)


def logged_turn(record: Mapping[str, Any], loaded: LoadedScenario | None) -> TurnStory:
    """A turn record of a score log told like a live turn; the log is the record."""
    node, choice = str(record.get("node", "")), str(record.get("choice", ""))
    best_choice = record.get("best_choice")
    best = best_choice in (None, choice)
    better_after = None
    if not best and "best_anger" in record:
        better_after = Mood(_int(record.get("best_anger")), _int(record.get("best_trust")))
    return TurnStory(
        number=_int(record.get("turn")),
        node=node,
        choice=choice,
        customer_line=_node_say(loaded, node),
        said=_text(record.get("say")) or _choice_say(loaded, node, choice) or choice,
        feedback=_text(record.get("feedback")),
        best=best,
        better_say=None if best else _choice_say(loaded, node, str(best_choice)),
        before=Mood(_int(record.get("anger_before")), _int(record.get("trust_before"))),
        after=Mood(_int(record.get("anger_after")), _int(record.get("trust_after"))),
        better_after=better_after,
        rating=float(record.get("rating") or 0.0)
        if isinstance(record.get("rating"), int | float)
        else 0.0,
        effects=_effects(record),
        because=None if _text(record.get("feedback")) else main_reason(_effects(record)),
    )


def logged_story(
    records: Sequence[Mapping[str, Any]], loaded: LoadedScenario | None
) -> SessionStory:
    """A past session from its log records (what the history opens)."""
    start = next((r for r in records if r.get("type") == "session_started"), {})
    end = next((r for r in records if r.get("type") == "session_ended"), {})
    reflection = _text(end.get("reflection"))
    for record in records:
        if record.get("type") == "reflection" and _text(record.get("text")):
            reflection = _text(record.get("text"))
    turns = tuple(logged_turn(r, loaded) for r in records if r.get("type") == "turn")
    ending_id = _text(end.get("ending"))
    ending = loaded.scenario.endings.get(ending_id or "") if loaded else None
    if loaded is not None and ending is None and ending_id == loaded.walkout_ending:
        from simulator.engine.machine import BUILTIN_WALKOUT_ENDING

        ending = BUILTIN_WALKOUT_ENDING
    first = Mood(_int(start.get("start_anger")), _int(start.get("start_trust")))
    last = turns[-1].after if turns else first
    principles = end.get("principles")
    status = _text(end.get("status")) or "abandoned"
    return SessionStory(
        session_id=_text(start.get("session")) or "",
        title=_text(start.get("title")) or _text(start.get("scenario")) or "",
        customer=loaded.scenario.customer.name if loaded else "The customer",
        mode=_text(start.get("mode")) or "practice",
        status=status,
        outcome=_text(end.get("outcome")),
        ending=ending_id,
        ending_say=ending.say if ending else None,
        debrief=ending.debrief if ending else None,
        score=_int(end.get("score"), -1) if status != "abandoned" and "score" in end else None,
        grade=_text(end.get("grade")),
        principles={
            str(k): v
            for k, v in (principles.items() if isinstance(principles, dict) else ())
            if isinstance(v, int)
        },
        start=first,
        end=Mood(_int(end.get("anger"), last.anger), _int(end.get("trust"), last.trust)),
        turns=turns,
        reflection=reflection,
    )


# ------------------------------------------------------------------ telling


def moments(turns: Iterable[TurnStory], limit: int = MOMENTS) -> list[TurnStory]:
    """The turns that cost the most against the best move on offer, biggest first."""
    missed = [turn for turn in turns if turn.loss > (0.0, 0)]
    missed.sort(key=lambda turn: (turn.loss, -turn.number), reverse=True)
    return missed[:limit]


def mood_words(mood: Mood) -> str:
    """`anger 57 (frustrated), trust 23 (distrustful)`."""
    return (
        f"anger {mood.anger} ({anger_band(mood.anger)}), "
        f"trust {mood.trust} ({trust_band(mood.trust)})"
    )


def change_words(before: Mood, after: Mood) -> str:
    """The net change of a turn: `Anger 65 → 57 (−8) · Trust 20 → 23 (+3)`."""
    return (
        f"Anger {before.anger} → {after.anger} ({after.anger - before.anger:+d}) · "
        f"Trust {before.trust} → {after.trust} ({after.trust - before.trust:+d})"
    )


def better_would(turn: TurnStory) -> str | None:
    """What the better line would have done, in one sentence (None when this was best)."""
    if turn.best or turn.better_after is None:
        return None
    return (
        f"It would have left {mood_words(turn.better_after)}; yours left {mood_words(turn.after)}."
    )


def family_names(catalog: Catalog) -> dict[str, str]:
    """Principle family id → its title ("problem_solving" → "Problem solving")."""
    return {fid: family.title for fid, family in catalog.families.items()}


def reasons(effects: Iterable[Effect], catalog: Catalog, glossary: Glossary) -> list[Reason]:
    """Every effect of a turn in words, in the engine's order (their sums are the change)."""
    return [reason(effect, catalog, glossary) for effect in effects]


def reason(effect: Effect, catalog: Catalog, glossary: Glossary) -> Reason:
    """One effect in words: the rule and article found from the engine's own citation."""
    technique = catalog.techniques.get(effect.technique or "")
    what = (
        glossary.technique(effect.technique)
        if effect.technique
        else ("the scenario's own adjustment" if effect.rule == 0 else "the meter's limits")
    )
    if effect.rule == 0:
        if technique is None:
            return Reason(what, effect.anger, effect.trust, "", "set by the scenario's author", ())
        return Reason(
            what,
            effect.anger,
            effect.trust,
            "",
            technique.why or technique.description,
            tuple(glossary.sources_of(technique.sources)),
        )
    rule = catalog.rules.get(effect.rule)
    if rule is None:
        return Reason(what, effect.anger, effect.trust, f"rule {effect.rule}", effect.reason, ())
    why = next(
        (
            text
            for variant, text in rule.why.items()
            if variant and rule.cite(variant) in effect.reason
        ),
        rule.why[""],
    )
    return Reason(
        what, effect.anger, effect.trust, rule.name, why, tuple(glossary.sources_of(rule.sources))
    )


def net(effects: Iterable[Effect]) -> tuple[int, int]:
    """The sum of the effects: what the meters did (the engine guarantees they match)."""
    anger = trust = 0
    for effect in effects:
        anger += effect.anger
        trust += effect.trust
    return anger, trust


def hint_lines(techniques: Iterable[str], catalog: Catalog) -> list[str]:
    """What the customer needs now, as principle families: never which choice to press."""
    seen: list[str] = []
    for technique in techniques:
        known = catalog.techniques.get(technique)
        if known is not None and known.family not in seen:
            seen.append(known.family)
    families = catalog.families
    return [f"{families[f].title}: {families[f].description}" for f in seen]


def best_option(session: Session) -> Option | None:
    """The engine's best move from where the session stands (for a hint); None once over."""
    from simulator.engine.scoring import best_option as best_of
    from simulator.engine.scoring import options

    if session.finished:
        return None
    offered = options(session.rules, session.state)
    return best_of(offered) if offered else None


def main_reason(effects: Sequence[Effect]) -> str | None:
    """The biggest effect pushing the way the net change went, as one sentence.

    Used as the coach's sentence when the author wrote none; picking only effects in the
    direction of the net keeps it from ever contradicting the change shown beside it.
    """
    from simulator.engine.catalog import load_catalog
    from simulator.engine.glossary import load_glossary

    anger, trust = net(effects)
    if anger:
        same = [e for e in effects if e.technique and e.anger * anger > 0]
    else:
        same = [e for e in effects if e.technique and e.trust * trust > 0]
    if not same:
        return None
    top = max(same, key=lambda e: abs(e.anger) + abs(e.trust))
    told = reason(top, load_catalog(), load_glossary())
    return f"{told.what[:1].upper()}{told.what[1:]}: {told.why}."
