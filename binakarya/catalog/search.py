"""Indonesian-aware search terms: words are lower-cased and stemmed with Sastrawi.

``membatik`` and ``batiknya`` both become ``batik``, in documents and in queries alike.
"""

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

_WORD = re.compile(r"[0-9a-zA-Z\u00c0-\u024f]+")
MAX_QUERY_TERMS = 8


class _Stemmer(Protocol):
    """What this module uses of PySastrawi's stemmer (the package ships no types)."""

    def stem(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=50_000)
def stem_word(word: str) -> str:
    word = word.lower()
    if word.isdigit() or len(word) <= 2:
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def search_document(*parts: str) -> str:
    """A space-padded, de-duplicated list of stems, so that ``" stem "`` matches whole words."""
    stems: dict[str, None] = {}
    for part in parts:
        for word in words(part):
            stems[stem_word(word)] = None
    return f" {' '.join(stems)} " if stems else ""


def query_terms(query: str) -> list[str]:
    """The distinct stems of a user's query, at most MAX_QUERY_TERMS of them."""
    terms: dict[str, None] = {}
    for word in words(query)[: MAX_QUERY_TERMS * 2]:
        terms[stem_word(word)] = None
    return list(terms)[:MAX_QUERY_TERMS]


# Typos ("batk" for "batik"): a word of the query that matches nothing is replaced by the closest word
# of the catalog's vocabulary. Words shorter than this are left alone (too little to go on).
MIN_SUGGESTED_WORD = 3
# difflib's ratio for the SQLite fallback: "batk"/"batik" 0.89, "rajtan"/"rajutan" 0.92, "topi"/"tas" 0.29.
CLOSE_MATCH_CUTOFF = 0.75


def vocabulary_words(texts: Iterable[str]) -> set[str]:
    """The distinct lower-case words of ``texts`` that a suggestion may use (no numbers, no short words)."""
    return {word for text in texts for word in words(text) if len(word) >= MIN_SUGGESTED_WORD and not word.isdigit()}


def correctable(word: str) -> bool:
    return len(word) >= MIN_SUGGESTED_WORD and not word.isdigit()


def closest_word(word: str, vocabulary: Iterable[str]) -> str:
    """The vocabulary word most like ``word`` (difflib's ratio), or "" when none is close enough."""
    matches = difflib.get_close_matches(word.lower(), list(vocabulary), n=1, cutoff=CLOSE_MATCH_CUTOFF)
    return matches[0] if matches else ""
