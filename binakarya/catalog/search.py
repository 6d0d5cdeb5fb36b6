"""Indonesian-aware search terms: words are lower-cased and stemmed with Sastrawi.

``membatik`` and ``batiknya`` both become ``batik``, in documents and in queries alike.
"""

import re
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
