"""Which move on offer a typed reply means: a best match, a runner-up, or a refusal.

The method (docs/matching.md has the reasoning): every choice on offer brings its
phrasings (its `say`, its `also:` lines, and at a lower weight the catalogue's example
phrasings of its techniques). Replies and phrasings are reduced to content stems
(`text.py`); each stem is weighted by how well it tells the choices *at this node*
apart (an inverse document frequency over the choices, so a word every choice shares
counts little) and by whether it is a light, everywhere-word. A reply stem matches a
phrasing stem exactly or, for typos, by rapidfuzz's edit-distance ratio.

A choice's *fit* mixes how much of the reply it explains (precision, the larger part)
with how much of its closest phrasing the reply covers (recall, which breaks ties
toward the choice the reply resembles as a whole). Below `FIT_MIN` nothing fits well
and the matcher refuses rather than guess. *Confidence* is each choice's share of a
softmax over the fits, so it says how clearly the best beat the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from rapidfuzz import fuzz, process

from simulator.matching.text import content_stems, language

if TYPE_CHECKING:
    from simulator.engine.catalog import Catalog

FIT_MIN = 0.35
"""Below this fit the matcher refuses: the reply explains too little of any move."""
EVIDENCE_MIN = 2.0
"""Weight of matched words (about one and a half distinctive words) below which a fit is
scaled down: "ok" alone must not count as saying a move that starts with "Okay"."""
EXAMPLE_WEIGHT = 0.7
"""A technique's catalogue example counts this much of the choice's own wording."""
TYPO_MIN = 80.0
"""rapidfuzz ratio (0..100) from which two different stems count as one mistyped."""
PRECISION_SHARE = 0.5
"""The part of a fit that is precision (reply explained); the rest is recall."""
UNKNOWN_WEIGHT = 1.0
"""A reply word no phrasing at this node contains, relative to a shared word."""
SOFTMAX_T = 0.06
"""Temperature of the confidence softmax: smaller makes a small lead look surer."""
REPLY_MAX = 2000
"""Only this many characters of a reply are read (a pasted essay cannot stall a turn)."""


class Offered(Protocol):
    """What the matcher needs of a choice (the scenario model's `Choice` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def say(self) -> str: ...
    @property
    def techniques(self) -> Sequence[str]: ...
    @property
    def also(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class Candidate:
    """One choice's standing against a reply."""

    choice: str
    fit: float
    """0..1: how well the reply fits this choice on its own."""
    confidence: float
    """0..1: this choice's share among everything on offer (the shares sum to 1)."""


@dataclass(frozen=True)
class Match:
    """The matcher's answer for one reply: every choice ranked, and whether it refused."""

    typed: str
    ranked: tuple[Candidate, ...]
    refused: bool

    @property
    def best(self) -> Candidate | None:
        return self.ranked[0] if self.ranked else None

    @property
    def runner_up(self) -> Candidate | None:
        return self.ranked[1] if len(self.ranked) > 1 else None

    @property
    def choice(self) -> str | None:
        """The choice understood, or None when the matcher refused."""
        best = self.best
        return None if self.refused or best is None else best.choice

    def to_json(self) -> dict[str, Any]:
        best, second = self.best, self.runner_up
        return {
            "choice": self.choice,
            "confidence": round(best.confidence, 3) if best else 0.0,
            "fit": round(best.fit, 3) if best else 0.0,
            "closest": best.choice if best else None,
            "runner_up": second.choice if second else None,
            "runner_up_confidence": round(second.confidence, 3) if second else None,
            "refused": self.refused,
        }


def phrasings_for(
    choice: Offered, examples: Mapping[str, Sequence[str]]
) -> list[tuple[str, float]]:
    """A choice's phrasings with their weights: own wording 1, technique examples less."""
    own = [(choice.say, 1.0), *((line, 1.0) for line in choice.also)]
    seen = {text for text, _ in own}
    borrowed = []
    for technique in choice.techniques:
        for line in examples.get(technique, ()):
            if line not in seen:
                seen.add(line)
                borrowed.append((line, EXAMPLE_WEIGHT))
    return own + borrowed


@dataclass
class _Phrasing:
    stems: frozenset[str]
    weight: float
    own: bool
    total: float = 0.0
    """The summed weight of its stems at this node (set once the weights are known)."""


class Matcher:
    """Matches replies against one node's choices; build once per turn, match many."""

    def __init__(self, choices: Sequence[Offered], examples: Mapping[str, Sequence[str]]) -> None:
        lang = language()
        self.ids = [choice.id for choice in choices]
        self._phrasings: list[list[_Phrasing]] = []
        for choice in choices:
            self._phrasings.append(
                [
                    _Phrasing(frozenset(content_stems(text)), weight, weight == 1.0)
                    for text, weight in phrasings_for(choice, examples)
                ]
            )
        # Per choice: each stem's best phrasing weight (own wording beats an example).
        self._bags: list[dict[str, float]] = []
        for phrasings in self._phrasings:
            bag: dict[str, float] = {}
            for p in phrasings:
                for s in p.stems:
                    bag[s] = max(bag.get(s, 0.0), p.weight)
            self._bags.append(bag)
        count = max(1, len(choices))
        df: dict[str, int] = {}
        for bag in self._bags:
            for s in bag:
                df[s] = df.get(s, 0) + 1
        self._weight = {
            s: (lang.light_weight if s in lang.light else 1.0) * (1.0 + math.log(count / n))
            for s, n in df.items()
        }
        self._vocab = sorted(self._weight)
        for phrasings in self._phrasings:
            for p in phrasings:
                p.total = sum(self._weight[s] for s in p.stems)
        # A move worded only in light words ("So what would you like me to do?") can be
        # said in light words: it needs no more evidence than most of its own wording.
        self._needed = [
            min(
                EVIDENCE_MIN,
                0.75 * max((p.total for p in ph if p.own), default=0),
            )
            for ph in self._phrasings
        ]
        self._unknown = UNKNOWN_WEIGHT * (1.0 + math.log(count))

    def _align(self, stem: str) -> dict[str, float]:
        """The node's stems this reply stem stands for, with similarity 0..1."""
        if stem in self._weight:
            return {stem: 1.0}
        if len(stem) < 4:
            return {}
        cutoff = TYPO_MIN if len(stem) >= 5 else 86.0
        found = process.extract(stem, self._vocab, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        return {str(word): score / 100.0 for word, score, _ in found}

    def match(self, typed: str) -> Match:
        """Rank every choice for this reply; refuse when even the best fits too little."""
        lang = language()
        reply = list(dict.fromkeys(content_stems(typed[:REPLY_MAX])))
        if not reply:
            return Match(typed=typed, ranked=_rank(self.ids, [0.0] * len(self.ids)), refused=True)
        aligned = [(q, self._align(q)) for q in reply]
        mass = 0.0
        for q, links in aligned:
            if links:
                mass += max(self._weight[v] * sim for v, sim in links.items())
            else:
                mass += (lang.light_weight if q in lang.light else 1.0) * self._unknown
        fits = [self._fit(index, aligned, mass) for index in range(len(self.ids))]
        ranked = _rank(self.ids, fits)
        refused = not ranked or ranked[0].fit < FIT_MIN
        return Match(typed=typed, ranked=ranked, refused=refused)

    def _fit(self, index: int, aligned: list[tuple[str, dict[str, float]]], mass: float) -> float:
        if mass <= 0:
            return 0.0
        bag = self._bags[index]
        explained = 0.0
        touched: dict[str, float] = {}
        for _, links in aligned:
            best = 0.0
            for v, sim in links.items():
                if v in bag:
                    value = self._weight[v] * sim * bag[v]
                    if value > best:
                        best = value
                    touched[v] = max(touched.get(v, 0.0), sim)
            explained += best
        needed = self._needed[index]
        evidence = min(1.0, explained / needed) if needed > 0 else 0.0
        precision = min(1.0, explained / mass) * evidence
        recall = 0.0
        weight = self._weight
        for p in self._phrasings[index]:
            if p.total and p.weight * 1.0 > recall:
                covered = sum(weight[s] * touched.get(s, 0.0) for s in p.stems if s in touched)
                recall = max(recall, p.weight * covered / p.total)
        return float(precision**PRECISION_SHARE * recall ** (1 - PRECISION_SHARE))


def technique_examples(catalog: Catalog | None = None) -> Mapping[str, Sequence[str]]:
    """Each technique's example phrasings from the catalogue (the shipped one by default)."""
    from simulator.engine.catalog import load_catalog

    return {tid: t.examples for tid, t in (catalog or load_catalog()).techniques.items()}


def matcher_for(choices: Sequence[Offered], catalog: Catalog | None = None) -> Matcher:
    """A matcher over these choices with the catalogue's technique examples."""
    return Matcher(choices, technique_examples(catalog))


def _rank(ids: Sequence[str], fits: Iterable[float]) -> tuple[Candidate, ...]:
    """Candidates best first (ties keep the order on offer), with softmax confidences."""
    pairs = list(zip(ids, fits, strict=True))
    if not pairs:
        return ()
    top = max(fit for _, fit in pairs)
    exps = [math.exp((fit - top) / SOFTMAX_T) for _, fit in pairs]
    total = sum(exps)
    candidates = [
        Candidate(choice, round(fit, 4), e / total)
        for (choice, fit), e in zip(pairs, exps, strict=True)
    ]
    order = sorted(range(len(candidates)), key=lambda i: -candidates[i].fit)
    return tuple(candidates[i] for i in order)
