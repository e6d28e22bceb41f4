"""The mood engine: how one response moves the customer's anger and trust, and why.

It is a pure function of its inputs (rule 14): no randomness, no clock, no I/O, so a
session can be replayed, a debrief rewound and a scenario's whole state space
explored. Every change is returned as a list of `Effect`s whose one-line reasons name
the rule and the source article, because the debrief's job is to say *why* the
customer reacted as they did; the effects always add up to the whole change.

A choice may carry several techniques. They are applied in order as one spoken
response: each sees the mood and memory left by the ones before it, so
`reflect, offer_solution` counts as having heard the customer before the solution
(rule 1), and `offer_solution, follow_up` as a follow-up after a solution (rule 13).
A turn counts once for the venting streak (rule 9) however many `listen`s it holds.

The numbers come from `data/catalog.yaml` via `Catalog`; this module holds only the
shape of the rules. It must not import Textual: the checker and the reports use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.engine.catalog import Catalog, Technique, Traits, load_catalog

__all__ = [
    "Effect",
    "Memory",
    "Mood",
    "MoodEngine",
    "Reads",
    "Step",
    "Traits",
    "follow_up_credited",
]

METER_MIN = 0
METER_MAX = 100

_APOLOGY = "apologize"
_GENERIC_EMPATHY = "generic_empathy"
_ABUSIVE = "abusive"
FOLLOW_UP_RULE = 13
_IMPROPER = "improper_demand"
_RANKS_KEPT = 10_000
"""Distinct technique lists whose stacking order is kept (a library has a few hundred)."""


@dataclass(frozen=True)
class Mood:
    """The customer's two meters, each an integer 0..100."""

    anger: int
    """Emotional temperature; 100 means the customer walks out (the session's job)."""
    trust: int
    """Confidence that this representative will get it solved."""


@dataclass(frozen=True)
class Memory:
    """What the customer remembers of the conversation.

    Hashable so an exhaustive analysis can memoise states.
    """

    counts: tuple[tuple[str, int], ...] = ()
    """Technique id -> uses so far, sorted by id (rule 3)."""
    heard: bool = False
    """listen/reflect/open_question/empathize used so far (rule 1)."""
    solution_offered: bool = False
    """A real solution was offered so far (rule 13)."""
    helped: bool = False
    """A substantive attempt to help so far (listening, empathy, apology, ownership or
    work on the problem: `rules.escalation.helped_by`), so escalating is no longer an
    opening move (rule 7). Using their name or a pleasantry does not count."""
    listen_streak: int = 0
    """Consecutive turns containing `listen` (rule 9)."""

    def count(self, technique: str) -> int:
        """How often `technique` has been used so far in this conversation."""
        for tid, n in self.counts:
            if tid == technique:
                return n
        return 0


@dataclass(frozen=True)
class Effect:
    """One contribution to a turn's change of mood, with the reason the debrief shows."""

    rule: int
    """1..14, or 0 for a technique's plain base effect or the author's adjustment."""
    technique: str | None
    anger: int
    """Signed change this effect contributed."""
    trust: int
    reason: str
    """One line naming the rule and its source article(s)."""


@dataclass(frozen=True)
class Step:
    """The result of one turn: the new mood and memory, and everything that explains it."""

    mood: Mood
    """After the turn, clamped to 0..100."""
    memory: Memory
    flags: frozenset[str]
    """Situation flags after the turn: a fitting boundary removes "abusive"."""
    effects: tuple[Effect, ...]
    """Every applied effect, in order; their sums equal the change of mood."""
    compliance_violation: bool
    """`concede_improper` was used (rule 12): the outcome fails whatever the mood."""
    followed_up: bool = False
    """A follow-up after a solution was credited (rule 13): the score's last points."""
    own: int = 0
    """The move's own value (rule 15): trust gained minus anger caused, before the meters
    are held within 0..100, so harm at a pinned meter still counts. The one definition,
    computed by every step, quiet or explained."""


def follow_up_credited(rule: int, anger: int, trust: int) -> bool:
    """Whether one effect is a credited follow-up: the one definition of rule 13's credit.

    The engine applies it while stepping (so a quiet step knows it without effects) and
    scoring applies it to a session's recorded effects; both read it from here.
    """
    return rule == FOLLOW_UP_RULE and bool(anger or trust)


@dataclass(frozen=True)
class Reads:
    """Which parts of the memory and flags the engine can read, per technique.

    The exhaustive analysis merges states that differ only in what no future choice
    can read; this is the engine saying what it reads, next to the rules that read it,
    so the merge never guesses.
    """

    counts: frozenset[str]
    """Techniques whose use count matters when they are used again (rule 3: the
    helpful ones; harm never wears off, so a harmful technique's count is never read)."""
    heard: frozenset[str]
    """Techniques that read whether the customer was heard (rule 1)."""
    solution: frozenset[str]
    """Techniques that read whether a solution was offered (rule 13)."""
    helped: frozenset[str]
    """Techniques that read whether a real attempt to help was made (rule 7)."""
    streak: frozenset[str]
    """Techniques that read the venting streak (rule 9)."""
    streak_cap: int
    """Streaks of this length or more act alike: rule 9's table has no further entry."""
    flags: frozenset[str]
    """Flags any technique reads (rules 6, 7, 17 and 18; a boundary lowers "abusive", a
    stated boundary is read by a later escalation, a written channel by rule 18)."""


def _round(x: float) -> int:
    """Round half away from zero, so +2.5 and -2.5 are treated alike (Python rounds to even)."""
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def _benefit_scaled(anger: float, trust: float, factor: float) -> tuple[float, float]:
    """Scale only the helpful side of an effect (calming, trust gained): harm never wears off."""
    return (anger * factor if anger < 0 else anger, trust * factor if trust > 0 else trust)


def _lerp(low: float, high: float, t: float) -> float:
    return low + (high - low) * t


def _signed(anger: int, trust: int) -> str:
    return f"anger {anger:+d}, trust {trust:+d}"


def _change(anger: int, trust: int) -> str:
    parts = [
        f"{'raised' if d > 0 else 'lowered'} {name} by {abs(d)}"
        for name, d in (("anger", anger), ("trust", trust))
        if d
    ]
    return " and ".join(parts) if parts else "changed nothing"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class _Plan:
    """A technique's precomputed data: everything `step` needs without dictionary digging."""

    id: str
    rule: int
    anger: float
    trust: float
    helpful: bool
    decay: float
    listen_first: bool
    heard: bool
    solution: bool
    helps: bool
    """Counts as a real attempt to help for rule 7."""
    mirrored: bool
    """Rule 4 amplifies it, so the harm cap (rule 10) counts that factor too."""
    cite: str
    """The base effect's citation, used for rule 0 and for rules without variants."""


class MoodEngine:
    """Applies the rules of PRINCIPLES.md to one turn at a time.

    Construction precomputes everything per technique, so `step` only does arithmetic
    and, when asked to explain, string formatting. The session asks for the reasons; the
    exhaustive analysis does not (`explain=False`) and runs the very same code, so the
    two can never disagree about a number.
    """

    def __init__(self, catalog: Catalog | None = None) -> None:
        self.catalog = catalog or load_catalog()
        n = self.catalog.numbers
        self._n = n
        self._cites = {
            (rule.number, variant): rule.cite(variant)
            for rule in self.catalog.rules.values()
            for variant in rule.why
        }
        self._plans = {tid: self._plan(t) for tid, t in self.catalog.techniques.items()}
        self._ranks: dict[tuple[str, ...], tuple[int, ...]] = {}
        plans = self._plans.values()
        self.reads = Reads(
            counts=frozenset(p.id for p in plans if p.helpful),
            heard=frozenset(p.id for p in plans if p.listen_first),
            solution=frozenset(p.id for p in plans if p.rule == FOLLOW_UP_RULE),
            helped=frozenset(p.id for p in plans if p.rule == 7),
            streak=frozenset(p.id for p in plans if p.rule == 9),
            streak_cap=len(n.venting_streak) - 1,
            flags=n.boundary_fits_flags
            | n.escalation_needed_flags
            | {_ABUSIVE, _IMPROPER, n.boundary_flag, n.written_flag},
        )

    def _plan(self, t: Technique) -> _Plan:
        n = self._n
        if t.rule == 0:
            family = self.catalog.families[t.family]
            cite = f"(base effect, {family.title.lower()}: {t.why} — {', '.join(t.sources)})"
        else:
            cite = self._cites[(t.rule, "")]
        return _Plan(
            id=t.id,
            rule=t.rule,
            anger=float(t.anger),
            trust=float(t.trust),
            helpful=t.helpful,
            decay=n.repeat_decay if t.decay is None else t.decay,
            listen_first=t.id in n.listen_first_moves,
            heard=t.id in n.heard_by,
            solution=t.id in n.solutions,
            helps=t.id in n.helped_by,
            mirrored=t.id in n.inflammatory_moves,
            cite=cite,
        )

    def _stack_ranks(self, techniques: Sequence[str]) -> tuple[int, ...]:
        """Rule 3's stacking order, once per list of techniques (a choice's never changes,
        and every step of every move asks for it)."""
        key = tuple(techniques)
        found = self._ranks.get(key)
        if found is None:
            if len(self._ranks) >= _RANKS_KEPT:
                self._ranks.clear()
            found = self._ranks[key] = self._rank_stack(key)
        return found

    def _rank_stack(self, techniques: Sequence[str]) -> tuple[int, ...]:
        """Rule 3's stacking order: helpful techniques ranked by base benefit, biggest first.

        Ranking by the catalogue's base effect (trust gained minus anger caused), not by
        position, means adding a helpful move to a response, such as reflecting the need
        before the fix, never makes the response weaker than the fix alone.
        """
        plans = self._plans
        for tid in techniques:
            if tid not in plans:
                raise ValueError(f"unknown technique {tid!r}")
        helpful = [i for i, tid in enumerate(techniques) if plans[tid].helpful]
        order = sorted(
            helpful,
            key=lambda i: plans[techniques[i]].trust - plans[techniques[i]].anger,
            reverse=True,
        )
        ranks = [0] * len(techniques)
        for rank, index in enumerate(order, start=1):
            ranks[index] = rank
        return tuple(ranks)

    def _cite(self, rule: int, variant: str = "") -> str:
        return self._cites.get((rule, variant)) or self._cites[(rule, "")]

    def step(
        self,
        mood: Mood,
        memory: Memory,
        techniques: Sequence[str],
        *,
        flags: frozenset[str],
        traits: Traits,
        author_anger: int = 0,
        author_trust: int = 0,
        explain: bool = True,
    ) -> Step:
        """Apply one choice's techniques, then the author's adjustment, then clamp.

        With `explain=False` the step is quiet: the same arithmetic, no `Effect`s and no
        reason strings (about half the cost of a step), for callers that read only the
        numbers.
        """
        n = self._n
        plans = self._plans
        anger, trust = mood.anger, mood.trust
        counts = dict(memory.counts)
        heard, solution, helped = memory.heard, memory.solution_offered, memory.helped
        streak = memory.listen_streak
        listened = False
        violation = False
        followed = False
        effects: list[Effect] | None = [] if explain else None
        volatility = _lerp(n.steady, n.volatile, traits.volatility)
        harm = _lerp(n.impatient, n.patient, traits.patience)
        persona_harm = volatility * harm
        stacked = n.stacked_shares
        near = n.near_limit
        ranks = self._stack_ranks(techniques)
        a0 = t0 = a1 = t1 = 0  # rounded stages, only explained steps compare them

        for position, tid in enumerate(techniques):
            plan = plans[tid]
            level = min(max(anger, METER_MIN), METER_MAX)
            rule, a, t = plan.rule, plan.anger, plan.trust
            why: tuple[int, str] | None = None  # a rule's variant to cite, if not the base
            mirror = 1.0

            if plan.listen_first and not heard and level >= n.listen_first_early_from:
                if level >= n.listen_first_min_anger:
                    rule, why = 1, (1, "")
                    a, t = float(n.listen_first_anger), t * n.listen_first_trust_share
                else:
                    rule, why = 1, (1, "early")
                    share = n.listen_first_early_share
                    a, t = max(a, a * share), min(t, t * share)  # only the benefit shrinks
            elif rule == 2:
                f = _lerp(n.empathy_at_calm, n.empathy_at_furious, level / 100)
                a, t = a * f, t * f
                if level < n.empathy_calm_below:
                    why = (2, "calm")
            elif rule == 4:
                mirror = _lerp(n.mirror_at_calm, n.mirror_at_furious, level / 100)
                a, t = a * mirror, t * mirror
            elif rule == 6:
                if traits.abusive or flags & n.boundary_fits_flags:
                    flags = flags - {_ABUSIVE}
                else:
                    a, t = float(n.boundary_misplaced_anger), float(n.boundary_misplaced_trust)
                    why = (6, "misplaced")
            elif rule == 7:
                if _IMPROPER in flags and n.boundary_flag not in flags:
                    # Rule 17: an improper demand handed up before saying no yourself.
                    rule, why = 17, (17, "straight")
                    a, t = float(n.straight_anger), float(n.straight_trust)
                elif flags & n.escalation_needed_flags:
                    if _IMPROPER in flags:
                        rule, why = 17, (17, "")
                elif not helped:
                    a, t = float(n.passing_buck_anger), float(n.passing_buck_trust)
                    why = (7, "passing_buck")
                else:
                    a = float(n.escalation_after_help_anger)
                    t = float(n.escalation_after_help_trust)
                    why = (7, "after_help")
            elif rule == 9:
                run = streak + 1
                share = n.venting_streak[min(run, len(n.venting_streak)) - 1]
                f = _lerp(n.venting_at_calm, n.venting_at_furious, level / 100) * share
                a, t = a * f, t * f
                if share < 0:
                    why = (9, "tired")
                listened = True
            elif rule == 12:
                violation = True
            elif rule == 18:
                if n.written_flag in flags:
                    f = _lerp(n.channel_at_calm, n.channel_at_furious, level / 100)
                    a, t = a * f, t * f
                    flags = flags - {n.written_flag}
                else:
                    a, t = float(n.channel_misplaced_anger), float(n.channel_misplaced_trust)
                    why = (18, "misplaced")
            elif rule == 13 and not solution:
                a = t = 0.0
                why = (13, "hollow")

            # Quiet steps round only what changes the numbers: the applied effect below,
            # and the base effect where rule 13 reads it for the follow-up credit.
            if effects is not None or rule == FOLLOW_UP_RULE:
                a0, t0 = _round(a), _round(t)
                followed = followed or follow_up_credited(rule, a0, t0)
            if effects is not None:
                cite = plan.cite if why is None else self._cite(*why)
                effects.append(Effect(rule, tid, a0, t0, f"{tid} {_change(a0, t0)} {cite}"))

            # Rule 3: repeats wear out (only the benefit; harm never wears off).
            uses = counts.get(tid, 0) + 1
            counts[tid] = uses
            if uses > 1 and plan.helpful:
                keep = plan.decay ** (uses - 1)
                variant = ""
                if tid == _APOLOGY and uses >= n.insincere_apology_from:
                    t, variant = float(n.insincere_apology_trust), "apology"
                elif tid == _GENERIC_EMPATHY and uses >= n.generic_empathy_from:
                    a, variant = float(n.generic_empathy_anger), "generic"
                a, t = _benefit_scaled(a, t, keep)
            if effects is not None:
                a1, t1 = _round(a), _round(t)
            if effects is not None and (a1, t1) != (a0, t0):
                effects.append(
                    Effect(
                        3,
                        tid,
                        a1 - a0,
                        t1 - t0,
                        f"{tid} used for the {_ordinal(uses)} time: {_signed(a1 - a0, t1 - t0)} "
                        f"{self._cite(3, variant)}",
                    )
                )

            # Rule 3 again: several helpful techniques in one response add less each;
            # the biggest move of the response counts in full, smaller ones add less,
            # so saying the need back before a fix never costs the fix its weight.
            if plan.helpful and (a < 0 or t > 0):
                rank = ranks[position]
                share = stacked[min(rank, len(stacked)) - 1]
                if share < 1.0:
                    a, t = _benefit_scaled(a, t, share)
                    a1b, t1b = (_round(a), _round(t)) if effects is not None else (a1, t1)
                    if effects is not None and (a1b, t1b) != (a1, t1):
                        effects.append(
                            Effect(
                                3,
                                tid,
                                a1b - a1,
                                t1b - t1,
                                f"{tid} as the {_ordinal(rank)} helpful move in one "
                                f"response: {_signed(a1b - a1, t1b - t1)} "
                                f"{self._cite(3, 'stacked')}",
                            )
                        )
                        a1, t1 = a1b, t1b

            # Rule 10: the persona scales it; the harmful side, counting rule 4's
            # mirroring, is never amplified beyond the cap.
            capped = False
            hurt = persona_harm
            if mirror * hurt > n.harm_cap:
                hurt, capped = n.harm_cap / mirror, True
            a *= hurt if a > 0 else volatility
            t *= hurt if t < 0 else volatility
            a2, t2 = _round(a), _round(t)
            if effects is not None and (a2, t2) != (a1, t1):
                stronger = abs(a2) + abs(t2) > abs(a1) + abs(t1)
                limited = capped and (a > 0 or t < 0)
                effects.append(
                    Effect(
                        10,
                        tid,
                        a2 - a1,
                        t2 - t1,
                        f"this customer (patience {traits.patience:g}, volatility "
                        f"{traits.volatility:g}) felt {tid} "
                        f"{'more' if stronger else 'less'} strongly"
                        f"{f', capped at {n.harm_cap:g}x its usual size' if limited else ''}: "
                        f"{_signed(a2 - a1, t2 - t1)} "
                        f"{self._cite(10, 'capped' if limited else '')}",
                    )
                )

            # Rule 11: near the end of a meter an improvement has little room to move.
            room_a = level if a < 0 else near
            room_t = METER_MAX - min(max(trust, METER_MIN), METER_MAX) if t > 0 else near
            if room_a < near or room_t < near:
                if room_a < near:
                    a *= room_a / near
                if room_t < near:
                    t *= room_t / near
                a3, t3 = _round(a), _round(t)
                if effects is not None and (a3, t3) != (a2, t2):
                    effects.append(
                        Effect(
                            11,
                            tid,
                            a3 - a2,
                            t3 - t2,
                            f"{tid} did less this close to the end of the meter: "
                            f"{_signed(a3 - a2, t3 - t2)} {self._cite(11, 'near_limit')}",
                        )
                    )
                a2, t2 = a3, t3

            anger += a2
            trust += t2
            if _IMPROPER in flags and tid in n.boundary_stated_by:
                flags = flags | {n.boundary_flag}  # rule 17: the boundary is now stated
            heard = heard or plan.heard
            solution = solution or plan.solution
            helped = helped or plan.helps

        if author_anger or author_trust:
            if effects is not None:
                effects.append(
                    Effect(
                        0,
                        None,
                        author_anger,
                        author_trust,
                        f"scenario adjustment: {_signed(author_anger, author_trust)}",
                    )
                )
            anger += author_anger
            trust += author_trust

        clamped_anger = min(max(anger, METER_MIN), METER_MAX)
        clamped_trust = min(max(trust, METER_MIN), METER_MAX)
        if effects is not None and (clamped_anger, clamped_trust) != (anger, trust):
            stopped = [
                f"{name} stopped at {kept} instead of {raw}"
                for name, kept, raw in (
                    ("anger", clamped_anger, anger),
                    ("trust", clamped_trust, trust),
                )
                if kept != raw
            ]
            variant = "" if anger > METER_MAX else "meter"
            effects.append(
                Effect(
                    11,
                    None,
                    clamped_anger - anger,
                    clamped_trust - trust,
                    f"{' and '.join(stopped)} {self._cite(11, variant)}",
                )
            )

        if techniques:
            memory = Memory(
                counts=tuple(sorted(counts.items())),
                heard=heard,
                solution_offered=solution,
                helped=helped,
                listen_streak=streak + 1 if listened else 0,
            )
        return Step(
            mood=Mood(clamped_anger, clamped_trust),
            memory=memory,
            flags=flags,
            effects=tuple(effects) if effects is not None else (),
            compliance_violation=violation,
            followed_up=followed,
            own=(trust - mood.trust) - (anger - mood.anger),
        )
