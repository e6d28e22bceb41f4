"""Typed text reduced to the words that tell one reply from another.

A trainee types fast and in their own way: "can't", "cannot" and "can not", "apologise"
and "apologize", "listening" and "listened" should all count as the same word. This
module lower-cases, expands contractions, folds spellings and everyday synonyms from
`data/language.yaml`, drops function words and strips common endings with a small
suffix stemmer. Typos are not fixed here; the matcher compares stems fuzzily.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})


@dataclass(frozen=True)
class Language:
    """The word lists of `data/language.yaml`, read once."""

    contractions: MappingProxyType[str, str]
    suffixes: tuple[tuple[str, str], ...]
    spellings: MappingProxyType[str, str]
    synonyms: MappingProxyType[str, str]
    stopwords: frozenset[str]
    light: frozenset[str]
    light_weight: float


def _strings(data: dict[str, Any], key: str) -> dict[str, str]:
    table = data.get(key) or {}
    return {str(k).lower(): str(v).lower() for k, v in table.items()}


@functools.cache
def language() -> Language:
    """The shipped word lists (a broken file is a programming error and raises)."""
    text = resources.files("simulator.matching").joinpath("data", "language.yaml")
    data = yaml.safe_load(text.read_text("utf-8"))
    suffixes = _strings(data, "suffixes")
    return Language(
        contractions=MappingProxyType(_strings(data, "contractions")),
        suffixes=tuple(sorted(suffixes.items(), key=lambda kv: -len(kv[0]))),
        spellings=MappingProxyType(_strings(data, "spellings")),
        synonyms=MappingProxyType(_strings(data, "synonyms")),
        stopwords=frozenset(str(w).lower() for w in data["stopwords"]),
        light=frozenset(stem(str(w).lower()) for w in data["light"]),
        light_weight=float(data["light_weight"]),
    )


@functools.lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light suffix stripper: enough to fold plurals, tenses and -ly adverbs.

    Deliberately weaker than Porter: over-stemming merges words that mean different
    things ("polic-y" and "polit-e"), and the fuzzy comparison of stems already forgives
    what a light stemmer leaves behind.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    for ending, keep in (
        ("ization", "ize"),
        ("isation", "ize"),
        ("ational", "ate"),
        ("fulness", "ful"),
        ("iness", "y"),
        ("ously", "ous"),
        ("ities", "ity"),
        ("ingly", ""),
        ("edly", ""),
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("ly", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(ending) and len(word) - len(ending) + len(keep) >= 3:
            if ending == "s" and word.endswith(("ss", "us", "is")):
                return word
            if ending == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                continue
            word = word[: len(word) - len(ending)] + keep
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # stopp-ed -> stop, plann-ing -> plan
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # make/making, promise/promis-ed agree
    return word


def words(text: str) -> list[str]:
    """Lower-cased words with contractions expanded and spellings folded, in order."""
    lang = language()
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    out: list[str] = []
    for raw in _WORD.findall(folded):
        expanded = lang.contractions.get(raw)
        if expanded is None:
            expanded = raw
            for ending, replacement in lang.suffixes if "'" in raw else ():
                if raw.endswith(ending) and len(raw) > len(ending):
                    expanded = raw[: -len(ending)] + replacement
                    break
        for word in expanded.replace("'", " ").split():
            for spelled in lang.spellings.get(word, word).split():
                out.extend(lang.synonyms.get(spelled, spelled).split())
    return out


@functools.lru_cache(maxsize=4096)
def content_stems(text: str) -> tuple[str, ...]:
    """The stems of a text's content words, in order, repeats kept.

    Cached: a node's phrasings (and the catalogue's examples above all) are reduced
    again every turn and by every checker run; replies are short and rarely repeat.
    """
    stop = language().stopwords
    return tuple(stem(word) for word in words(text) if word not in stop)
