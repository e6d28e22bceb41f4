"""The catalogue of families, techniques, rules and personas, loaded from `data/catalog.yaml`.

The numbers live in a data file so trainers can read and tune them without reading
Python; this module turns that file into frozen, typed values once, and checks it
against the contract in PRINCIPLES.md. The file ships with the package, so a broken
one is a programming error: loading raises `CatalogError` listing every problem
instead of collecting them for a user.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

__all__ = [
    "PRINCIPLE_FAMILIES",
    "PRINCIPLE_TECHNIQUES",
    "REQUIRED_PERSONAS",
    "Catalog",
    "CatalogError",
    "Family",
    "Numbers",
    "Persona",
    "Rule",
    "Technique",
    "Traits",
    "load_catalog",
    "parse_catalog",
]

PRINCIPLE_FAMILIES = frozenset(
    [
        "listening",
        "empathy",
        "apology",
        "composure",
        "positive_language",
        "ownership",
        "problem_solving",
        "boundaries",
        "escalation",
        "follow_up",
    ]
)
"""The ten family ids of PRINCIPLES.md: reports group by these, so none may go missing."""

PRINCIPLE_TECHNIQUES = frozenset(
    [
        "listen",
        "reflect",
        "open_question",
        "empathize",
        "generic_empathy",
        "use_name",
        "apologize",
        "reassure",
        "positive_language",
        "take_ownership",
        "investigate",
        "offer_solution",
        "invite_solution",
        "chunk",
        "explain",
        "set_boundary",
        "establish_equality",
        "escalate",
        "follow_up",
        "interrupt",
        "minimize",
        "blame_customer",
        "argue",
        "quote_policy",
        "deflect",
        "over_promise",
        "stall",
        "accept_blame",
        "concede_improper",
        "stay_neutral",
        "brief_handover",
        "fix_root_cause",
        "switch_channel",
        "prejudge",
    ]
)
"""Every technique id of PRINCIPLES.md: scenario files use them, so all must exist."""

REQUIRED_PERSONAS = frozenset(
    ["reasonable", "impatient", "demanding", "abusive", "anxious", "status_conscious"]
)
"""The built-in personas SCENARIO-FORMAT.md promises to scenario authors."""

_RULE_SECTIONS = {
    "listen_first": 1,
    "empathy_by_anger": 2,
    "repeats": 3,
    "inflammatory": 4,
    "brush_offs": 5,
    "boundaries": 6,
    "escalation": 7,
    "control": 8,
    "venting": 9,
    "personas": 10,
    "walkout": 11,
    "compliance": 12,
    "follow_up": 13,
    "determinism": 14,
    "consequence": 15,
    "endings_follow_mood": 16,
    "boundary_before_escalation": 17,
    "channel": 18,
}


class CatalogError(ValueError):
    """The shipped catalogue contradicts the contract; every problem is in the message."""


@dataclass(frozen=True)
class Traits:
    """How a customer reacts, independent of the moment (rule 10)."""

    patience: float = 0.5
    """0..1; low patience amplifies the harmful side of every move."""
    volatility: float = 0.5
    """0..1; scales every effect, so high volatility means bigger swings both ways."""
    abusive: bool = False
    """Makes boundary setting appropriate for the whole conversation (rule 6)."""


@dataclass(frozen=True)
class Family:
    """One of the ten principles that reports and the debrief group techniques by."""

    id: str
    title: str
    description: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Technique:
    """What a response does, with its base effect before the rules adjust it."""

    id: str
    family: str
    helpful: bool
    anger: int
    trust: int
    rule: int
    """The rule that decides this technique's effect, or 0 when only the base applies."""
    description: str
    sources: tuple[str, ...]
    why: str = ""
    """The debrief's reason for the base effect (techniques with rule 0)."""
    decay: float | None = None
    """Share of the benefit a repeat keeps (rule 3); None means the general decay."""
    examples: tuple[str, ...] = ()
    """How people commonly say this move (`data/phrasings.yaml`): recall mode's matcher
    uses them to recognise typed replies the choice's own wording does not cover."""


@dataclass(frozen=True)
class Persona:
    """A built-in customer: traits and a default starting mood."""

    id: str
    description: str
    traits: Traits
    anger: int
    trust: int


@dataclass(frozen=True)
class Rule:
    """A rule's name, sources and one-line reasons, as the debrief quotes them."""

    number: int
    name: str
    sources: tuple[str, ...]
    why: Mapping[str, str]
    """Reason by variant: "" is the main one, e.g. "misplaced" for `why_misplaced`."""

    def cite(self, variant: str = "") -> str:
        """The parenthesised part of an effect's reason, e.g. "(rule 4, …: … — 002)"."""
        why = self.why.get(variant) or self.why[""]
        return f"(rule {self.number}, {self.name}: {why} — {', '.join(self.sources)})"


@dataclass(frozen=True)
class Numbers:
    """Every tunable number of the rules, named after the rule it belongs to."""

    heard_by: frozenset[str]
    listen_first_moves: frozenset[str]
    listen_first_min_anger: int
    listen_first_anger: int
    listen_first_trust_share: float
    listen_first_early_from: int
    listen_first_early_share: float
    empathy_moves: frozenset[str]
    empathy_at_calm: float
    empathy_at_furious: float
    empathy_calm_below: int
    repeat_decay: float
    insincere_apology_from: int
    insincere_apology_trust: int
    generic_empathy_from: int
    generic_empathy_anger: int
    stacked_shares: tuple[float, ...]
    inflammatory_moves: frozenset[str]
    mirror_at_calm: float
    mirror_at_furious: float
    brush_offs: frozenset[str]
    boundary_fits_flags: frozenset[str]
    boundary_misplaced_anger: int
    boundary_misplaced_trust: int
    escalation_needed_flags: frozenset[str]
    passing_buck_anger: int
    passing_buck_trust: int
    escalation_after_help_anger: int
    escalation_after_help_trust: int
    helped_by: frozenset[str]
    control_moves: frozenset[str]
    venting_at_calm: float
    venting_at_furious: float
    venting_streak: tuple[float, ...]
    impatient: float
    patient: float
    steady: float
    volatile: float
    harm_cap: float
    near_limit: int
    solutions: frozenset[str]
    fury_anger: int
    """Rule 16: a resolved ending at this anger or more is an unhappy one."""
    boundary_stated_by: frozenset[str]
    boundary_flag: str
    straight_anger: int
    straight_trust: int
    written_channels: frozenset[str]
    written_flag: str
    channel_at_calm: float
    channel_at_furious: float
    channel_misplaced_anger: int
    channel_misplaced_trust: int


@dataclass(frozen=True)
class Scoring:
    """How a conversation becomes a score; read by `scoring.py`, explained in the docs."""

    quality_weight: float
    mood_weight: float
    outcome_weight: float
    outcome_points: Mapping[str, int]
    follow_up_credit: int
    compliance_cap: int
    rating_gap: float
    shortfall_cost: float
    unhappy_points: int
    """Rule 16: outcome points of a resolved ending reached in fury."""
    unhappy_debrief: str
    """Rule 16: the debrief's plain sentence; {name} and {anger} are filled in."""
    ending_values: Mapping[str, int]
    """Rule 15: what reaching an ending with each outcome adds to a move's value."""
    unhappy_value: int
    doomed_rating_cap: float
    harmful_only_rating_cap: float
    outlook_states: int
    horizons: tuple[int, ...]
    grades: tuple[tuple[int, str], ...]
    """(lowest score, letter), highest first."""


@dataclass(frozen=True)
class Catalog:
    """The whole catalogue, read-only: shared by the engine, loader, scoring and UI."""

    families: Mapping[str, Family]
    techniques: Mapping[str, Technique]
    personas: Mapping[str, Persona]
    rules: Mapping[int, Rule]
    numbers: Numbers
    scoring: Scoring


class _Reader:
    """Reads typed values out of the parsed YAML, collecting every problem found."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def section(self, data: Any, key: str, where: str) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict):
            self.problems.append(f"{where}.{key}: expected a mapping")
            return {}
        return value

    def get(self, data: dict[str, Any], key: str, kind: type, where: str) -> Any:
        value = data.get(key)
        ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not ok:
            self.problems.append(f"{where}.{key}: expected {kind.__name__}, got {value!r}")
            return kind()
        return value

    def ids(self, data: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"{where}.{key}: expected a list of strings")
            return ()
        return tuple(value)

    def floats(self, data: dict[str, Any], key: str, where: str) -> tuple[float, ...]:
        value = data.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        ):
            self.problems.append(f"{where}.{key}: expected a non-empty list of numbers")
            return (1.0,)
        return tuple(float(v) for v in value)

    def unit(self, value: float, where: str) -> float:
        if not 0.0 <= value <= 1.0:
            self.problems.append(f"{where}: {value} is outside 0..1")
        return value

    def meter(self, value: int, where: str) -> int:
        if not 0 <= value <= 100:
            self.problems.append(f"{where}: {value} is outside 0..100")
        return value


def _families(r: _Reader, data: Any) -> dict[str, Family]:
    out: dict[str, Family] = {}
    for fid, raw in r.section(data, "families", "catalog").items():
        w = f"families.{fid}"
        raw = raw if isinstance(raw, dict) else {}
        out[fid] = Family(
            fid,
            r.get(raw, "title", str, w),
            r.get(raw, "description", str, w),
            r.ids(raw, "sources", w),
        )
    return out


def _techniques(r: _Reader, data: Any, families: Mapping[str, Family]) -> dict[str, Technique]:
    out: dict[str, Technique] = {}
    for tid, raw in r.section(data, "techniques", "catalog").items():
        w = f"techniques.{tid}"
        raw = raw if isinstance(raw, dict) else {}
        family = r.get(raw, "family", str, w)
        if family not in families:
            r.problems.append(f"{w}.family: unknown family {family!r}")
        rule = r.get(raw, "rule", int, w)
        if rule != 0 and rule not in _RULE_SECTIONS.values():
            r.problems.append(f"{w}.rule: {rule} is not 0 or a rule number of the catalogue")
        why = raw.get("why", "")
        if rule == 0 and not why:
            r.problems.append(f"{w}.why: a technique with rule 0 needs its own reason")
        decay = r.unit(r.get(raw, "decay", float, w), f"{w}.decay") if "decay" in raw else None
        out[tid] = Technique(
            id=tid,
            family=family,
            helpful=r.get(raw, "helpful", bool, w),
            anger=r.get(raw, "anger", int, w),
            trust=r.get(raw, "trust", int, w),
            rule=rule,
            description=r.get(raw, "description", str, w),
            sources=r.ids(raw, "sources", w),
            why=str(why),
            decay=decay,
        )
    return out


def _personas(r: _Reader, data: Any) -> dict[str, Persona]:
    out: dict[str, Persona] = {}
    for pid, raw in r.section(data, "personas", "catalog").items():
        w = f"personas.{pid}"
        raw = raw if isinstance(raw, dict) else {}
        t = r.section(raw, "traits", w)
        traits = Traits(
            patience=r.unit(r.get(t, "patience", float, f"{w}.traits"), f"{w}.traits.patience"),
            volatility=r.unit(
                r.get(t, "volatility", float, f"{w}.traits"), f"{w}.traits.volatility"
            ),
            abusive=r.get(t, "abusive", bool, f"{w}.traits"),
        )
        out[pid] = Persona(
            pid,
            r.get(raw, "description", str, w),
            traits,
            r.meter(r.get(raw, "anger", int, w), f"{w}.anger"),
            r.meter(r.get(raw, "trust", int, w), f"{w}.trust"),
        )
    return out


def _rules(r: _Reader, data: Any) -> tuple[dict[int, Rule], Numbers]:
    sections = r.section(data, "rules", "catalog")
    rules: dict[int, Rule] = {}
    for name, number in _RULE_SECTIONS.items():
        raw = r.section(sections, name, "rules")
        w = f"rules.{name}"
        if raw and raw.get("rule") != number:
            r.problems.append(f"{w}.rule: expected {number}")
        why = {
            k.removeprefix("why").lstrip("_"): str(v) for k, v in raw.items() if k.startswith("why")
        }
        if "" not in why:
            r.problems.append(f"{w}.why: missing")
            why[""] = name
        rules[number] = Rule(
            number, r.get(raw, "name", str, w), r.ids(raw, "sources", w), MappingProxyType(why)
        )

    def sec(name: str) -> tuple[dict[str, Any], str]:
        value = sections.get(name)
        return (value if isinstance(value, dict) else {}), f"rules.{name}"

    lf, w1 = sec("listen_first")
    em, w2 = sec("empathy_by_anger")
    rp, w3 = sec("repeats")
    fl, w4 = sec("inflammatory")
    bo, w5 = sec("brush_offs")
    bd, w6 = sec("boundaries")
    es, w7 = sec("escalation")
    co, w8 = sec("control")
    ve, w9 = sec("venting")
    pe, w10 = sec("personas")
    wo, w11 = sec("walkout")
    fu, w13 = sec("follow_up")
    ef, w16 = sec("endings_follow_mood")
    bb, w17 = sec("boundary_before_escalation")
    ch, w18 = sec("channel")
    numbers = Numbers(
        heard_by=frozenset(r.ids(lf, "heard_by", w1)),
        listen_first_moves=frozenset(r.ids(lf, "applies_to", w1)),
        listen_first_min_anger=r.get(lf, "min_anger", int, w1),
        listen_first_anger=r.get(lf, "anger", int, w1),
        listen_first_trust_share=r.unit(r.get(lf, "trust_share", float, w1), w1),
        listen_first_early_from=r.get(lf, "early_from", int, w1),
        listen_first_early_share=r.unit(r.get(lf, "early_share", float, w1), w1),
        empathy_moves=frozenset(r.ids(em, "applies_to", w2)),
        empathy_at_calm=r.get(em, "at_calm", float, w2),
        empathy_at_furious=r.get(em, "at_furious", float, w2),
        empathy_calm_below=r.get(em, "calm_below", int, w2),
        repeat_decay=r.unit(r.get(rp, "decay", float, w3), f"{w3}.decay"),
        insincere_apology_from=r.get(rp, "insincere_apology_from", int, w3),
        insincere_apology_trust=r.get(rp, "insincere_apology_trust", int, w3),
        generic_empathy_from=r.get(rp, "generic_empathy_from", int, w3),
        generic_empathy_anger=r.get(rp, "generic_empathy_anger", int, w3),
        stacked_shares=r.floats(rp, "stacked", w3),
        inflammatory_moves=frozenset(r.ids(fl, "applies_to", w4)),
        mirror_at_calm=r.get(fl, "at_calm", float, w4),
        mirror_at_furious=r.get(fl, "at_furious", float, w4),
        brush_offs=frozenset(r.ids(bo, "applies_to", w5)),
        boundary_fits_flags=frozenset(r.ids(bd, "fits_flags", w6)),
        boundary_misplaced_anger=r.get(bd, "misplaced_anger", int, w6),
        boundary_misplaced_trust=r.get(bd, "misplaced_trust", int, w6),
        escalation_needed_flags=frozenset(r.ids(es, "needed_flags", w7)),
        passing_buck_anger=r.get(es, "passing_buck_anger", int, w7),
        passing_buck_trust=r.get(es, "passing_buck_trust", int, w7),
        escalation_after_help_anger=r.get(es, "after_help_anger", int, w7),
        escalation_after_help_trust=r.get(es, "after_help_trust", int, w7),
        helped_by=frozenset(r.ids(es, "helped_by", w7)),
        control_moves=frozenset(r.ids(co, "applies_to", w8)),
        venting_at_calm=r.get(ve, "at_calm", float, w9),
        venting_at_furious=r.get(ve, "at_furious", float, w9),
        venting_streak=r.floats(ve, "streak", w9),
        impatient=r.get(pe, "impatient", float, w10),
        patient=r.get(pe, "patient", float, w10),
        steady=r.get(pe, "steady", float, w10),
        volatile=r.get(pe, "volatile", float, w10),
        harm_cap=r.get(pe, "harm_cap", float, w10),
        near_limit=r.get(wo, "near_limit", int, w11),
        solutions=frozenset(r.ids(fu, "solutions", w13)),
        fury_anger=r.meter(r.get(ef, "fury_anger", int, w16), f"{w16}.fury_anger"),
        boundary_stated_by=frozenset(r.ids(bb, "stated_by", w17)),
        boundary_flag=r.get(bb, "flag", str, w17),
        straight_anger=r.get(bb, "straight_anger", int, w17),
        straight_trust=r.get(bb, "straight_trust", int, w17),
        written_channels=frozenset(r.ids(ch, "written", w18)),
        written_flag=r.get(ch, "flag", str, w18),
        channel_at_calm=r.get(ch, "at_calm", float, w18),
        channel_at_furious=r.get(ch, "at_furious", float, w18),
        channel_misplaced_anger=r.get(ch, "misplaced_anger", int, w18),
        channel_misplaced_trust=r.get(ch, "misplaced_trust", int, w18),
    )
    return rules, numbers


def _check_contract(r: _Reader, catalog: Catalog) -> None:
    """The cross-checks that keep the data file faithful to PRINCIPLES.md."""
    for missing in sorted(PRINCIPLE_FAMILIES - set(catalog.families)):
        r.problems.append(f"families: missing principle family {missing!r}")
    for missing in sorted(PRINCIPLE_TECHNIQUES - set(catalog.techniques)):
        r.problems.append(f"techniques: missing technique {missing!r} of PRINCIPLES.md")
    for missing in sorted(REQUIRED_PERSONAS - set(catalog.personas)):
        r.problems.append(f"personas: missing built-in persona {missing!r}")
    n = catalog.numbers
    listed = {
        "listen_first.heard_by": n.heard_by,
        "listen_first.applies_to": n.listen_first_moves,
        "empathy_by_anger.applies_to": n.empathy_moves,
        "inflammatory.applies_to": n.inflammatory_moves,
        "brush_offs.applies_to": n.brush_offs,
        "control.applies_to": n.control_moves,
        "escalation.helped_by": n.helped_by,
        "follow_up.solutions": n.solutions,
        "boundary_before_escalation.stated_by": n.boundary_stated_by,
    }
    for where, ids in listed.items():
        for tid in sorted(ids - set(catalog.techniques)):
            r.problems.append(f"rules.{where}: unknown technique {tid!r}")
    by_rule = {
        2: ("empathy_by_anger", n.empathy_moves),
        4: ("inflammatory", n.inflammatory_moves),
        5: ("brush_offs", n.brush_offs),
        8: ("control", n.control_moves),
    }
    for number, (where, ids) in by_rule.items():
        governed = {tid for tid, t in catalog.techniques.items() if t.rule == number}
        if governed != ids:
            r.problems.append(
                f"rules.{where}.applies_to: lists {sorted(ids)} but the techniques with "
                f"rule {number} are {sorted(governed)}"
            )
    for tid, technique in catalog.techniques.items():
        if technique.rule and technique.rule not in catalog.rules:
            r.problems.append(f"techniques.{tid}.rule: no rule {technique.rule}")
    for tid in n.inflammatory_moves | n.brush_offs:
        bad = catalog.techniques.get(tid)
        if bad is not None and (bad.anger <= 0 or bad.trust > 0):
            r.problems.append(f"techniques.{tid}: must raise anger and not raise trust")
    if n.insincere_apology_trust >= 0 or n.generic_empathy_anger <= 0:
        r.problems.append("rules.repeats: the repeat penalties must lower trust / raise anger")
    if n.listen_first_anger < 0:
        r.problems.append("rules.listen_first.anger: must not lower anger")
    if not 0 <= n.listen_first_early_from <= n.listen_first_min_anger:
        r.problems.append("rules.listen_first.early_from: must be 0..min_anger")
    shares = n.stacked_shares
    if shares[0] != 1.0 or any(b > a or b < 0 for a, b in itertools.pairwise(shares)):
        r.problems.append("rules.repeats.stacked: must start at 1 and never rise or go negative")
    for tid in sorted(n.helped_by):
        helper = catalog.techniques.get(tid)
        if helper is not None and not helper.helpful:
            r.problems.append(f"rules.escalation.helped_by: {tid!r} is not a helpful technique")
    if n.harm_cap < max(1.0, n.mirror_at_furious):
        r.problems.append("rules.personas.harm_cap: must allow at least rule 4's own factor")
    if not 0 <= n.near_limit <= 50:
        r.problems.append("rules.walkout.near_limit: must be 0..50")
    if min(n.empathy_at_calm, n.mirror_at_calm, n.venting_at_calm, n.steady, n.patient) <= 0:
        r.problems.append("rules: every multiplier must be positive")
    if not (
        n.empathy_at_calm < n.empathy_at_furious
        and n.mirror_at_calm < n.mirror_at_furious
        and n.venting_at_calm < n.venting_at_furious
        and n.patient < n.impatient
        and n.steady < n.volatile
    ):
        r.problems.append("rules: a multiplier runs the wrong way round (see PRINCIPLES.md)")


OUTCOMES = ("resolved", "escalated", "lost", "failed_compliance")


def _scoring(r: _Reader, data: Any) -> Scoring:
    raw = r.section(data, "scoring", "catalog")
    w = "scoring"
    weights = r.section(raw, "weights", w)
    quality, mood, outcome = (
        r.get(weights, key, float, f"{w}.weights") for key in ("choice_quality", "mood", "outcome")
    )
    if abs(quality + mood + outcome - 1.0) > 1e-9:
        r.problems.append(f"{w}.weights: must add up to 1, not {quality + mood + outcome}")
    points_raw = r.section(raw, "outcome_points", w)
    points = {o: r.meter(r.get(points_raw, o, int, f"{w}.outcome_points"), o) for o in OUTCOMES}
    grades_raw = r.section(raw, "grades", w)
    grades = sorted(
        ((r.meter(r.get(grades_raw, g, int, f"{w}.grades"), g), g) for g in grades_raw),
        reverse=True,
    )
    values_raw = r.section(raw, "ending_values", w)
    values = {o: r.get(values_raw, o, int, f"{w}.ending_values") for o in OUTCOMES}
    horizons = tuple(int(h) for h in r.floats(raw, "horizons", w))
    if list(horizons) != sorted(set(horizons), reverse=True) or horizons[-1] < 1:
        r.problems.append(f"{w}.horizons: must be whole numbers >= 1, longest first")
    caps = [r.get(raw, key, float, w) for key in ("doomed_rating_cap", "harmful_only_rating_cap")]
    if not all(0 <= cap < 0.5 for cap in caps):
        r.problems.append(f"{w}: rating caps must be below 0.5 (rule 15)")
    if not values["failed_compliance"] < values["lost"] < values["escalated"] <= values["resolved"]:
        r.problems.append(f"{w}.ending_values: must rank failed < lost < escalated <= resolved")
    gap = r.get(raw, "rating_gap", float, w)
    if gap <= 0:
        r.problems.append(f"{w}.rating_gap: must be positive")
    unhappy_points = r.meter(r.get(raw, "unhappy_points", int, w), f"{w}.unhappy_points")
    unhappy_value = r.get(raw, "unhappy_value", int, w)
    if unhappy_points >= points["resolved"] or not values["lost"] < unhappy_value < 0:
        r.problems.append(f"{w}: an unhappy ending (rule 16) must count less than a resolved one")
    return Scoring(
        quality_weight=quality,
        mood_weight=mood,
        outcome_weight=outcome,
        outcome_points=MappingProxyType(points),
        follow_up_credit=r.get(raw, "follow_up_credit", int, w),
        compliance_cap=r.meter(r.get(raw, "compliance_cap", int, w), f"{w}.compliance_cap"),
        rating_gap=gap,
        shortfall_cost=r.get(raw, "shortfall_cost", float, w),
        unhappy_points=unhappy_points,
        unhappy_debrief=r.get(raw, "unhappy_debrief", str, w),
        ending_values=MappingProxyType(values),
        unhappy_value=unhappy_value,
        doomed_rating_cap=caps[0],
        harmful_only_rating_cap=caps[1],
        outlook_states=r.get(raw, "outlook_states", int, w),
        horizons=horizons,
        grades=tuple(grades),
    )


def _examples(r: _Reader, text: str | None, techniques: dict[str, Technique]) -> None:
    """Attach `phrasings.yaml`'s example lines to their techniques (ids must exist)."""
    if text is None:
        return
    data = yaml.safe_load(text)
    table = data.get("examples") if isinstance(data, dict) else None
    if not isinstance(table, dict):
        r.problems.append("phrasings: 'examples' must map technique ids to lists of text")
        return
    for tid, lines in table.items():
        if tid not in techniques:
            r.problems.append(f"phrasings.examples.{tid}: unknown technique")
        elif not isinstance(lines, list) or not all(isinstance(x, str) and x for x in lines):
            r.problems.append(f"phrasings.examples.{tid}: must be a list of text")
        else:
            techniques[tid] = dataclasses.replace(techniques[tid], examples=tuple(lines))


def parse_catalog(text: str, phrasings: str | None = None) -> Catalog:
    """Build a catalogue from YAML text, raising `CatalogError` with every problem found.

    `phrasings` is the text of `data/phrasings.yaml` (example lines per technique);
    without it the techniques carry no examples.
    """
    data = yaml.safe_load(text)
    r = _Reader()
    families = _families(r, data)
    techniques = _techniques(r, data, families)
    _examples(r, phrasings, techniques)
    personas = _personas(r, data)
    rules, numbers = _rules(r, data)
    catalog = Catalog(
        families=MappingProxyType(families),
        techniques=MappingProxyType(techniques),
        personas=MappingProxyType(personas),
        rules=MappingProxyType(rules),
        numbers=numbers,
        scoring=_scoring(r, data),
    )
    _check_contract(r, catalog)
    if r.problems:
        raise CatalogError("invalid mood catalogue:\n  " + "\n  ".join(r.problems))
    return catalog


@functools.cache
def load_catalog() -> Catalog:
    """The shipped catalogue, parsed once per process."""
    data = resources.files("simulator.engine").joinpath("data")
    text = data.joinpath("catalog.yaml").read_text("utf-8")
    return parse_catalog(text, data.joinpath("phrasings.yaml").read_text("utf-8"))
