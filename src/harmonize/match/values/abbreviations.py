"""Abbreviations and acronyms learned from the ontologies themselves.

Nothing here is a per-benchmark dictionary: a name counts as an abbreviation when the
ontology says so (a synonym typed ``abbreviation``/``acronym``), or when it looks like
one (a short all-capitals token such as ``HCC`` or ``T2D``); labels of several words
also get their initialism (``type 2 diabetes`` -> ``T2D``) as a weak, ``RELATED`` name.
"""

from __future__ import annotations

import re

__all__ = ["initialism", "is_abbreviation", "looks_like_abbreviation"]

_ABBREV_TYPES = re.compile(r"abbrev|acronym|initialism", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z0-9]+")
_SKIP = frozenset({"of", "the", "and", "in", "on", "a", "an", "to", "for", "with", "by", "or"})


def looks_like_abbreviation(text: str) -> bool:
    """A short token made of capitals and digits (at least one capital, 2-8 characters).

    >>> looks_like_abbreviation("HCC"), looks_like_abbreviation("T2D"), looks_like_abbreviation("Liver")
    (True, True, False)
    """
    stripped = text.strip()
    if not 2 <= len(stripped) <= 8 or " " in stripped:
        return False
    letters = [c for c in stripped if c.isalpha()]
    if not letters:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper >= max(2, len(letters) - 1) and all(c.isalnum() or c in "-+/" for c in stripped)


def is_abbreviation(text: str, synonym_type: str | None) -> bool:
    """True when an ontology synonym is an abbreviation (typed so, or shaped so)."""
    if synonym_type and _ABBREV_TYPES.search(synonym_type):
        return True
    return looks_like_abbreviation(text)


def initialism(label: str) -> str | None:
    """The initials of a label of 2-6 words, digits kept whole; ``None`` if not useful.

    >>> initialism("type 2 diabetes mellitus")
    'T2DM'
    >>> initialism("hepatocellular carcinoma")
    'HC'
    >>> initialism("liver") is None
    True
    """
    words = [w for w in _WORD.findall(label) if w.casefold() not in _SKIP]
    if not 2 <= len(words) <= 6:
        return None
    letters = "".join(w if w.isdigit() else w[0] for w in words).upper()
    if len(letters) < 2 or letters.isdigit():
        return None
    return letters
