"""Marker signs a value states, and the terms whose names state the opposite.

A sorted population is written with its surface markers and their signs: ``CD4+ CCR6+``,
``CD16- NK cells``, ``CD56bright NK cells``, ``SPP1_high macrophage``. The Cell Ontology names such
populations the same way (``CD8-positive, CXCR3-negative, ... T cell``, ``CD14-low,
CD16-positive monocyte``). A term whose name gives one of the value's markers the opposite
sign is not the value's population, however close its words: the matcher ranks it after
every other candidate and says why (reading ``contradicted``, never a match of the value).

Signs are read as four levels: positive (``+``, ``pos``), negative (``-``, ``neg``), high
(``hi``, ``bright``) and low (``lo``, ``dim``). Positive and negative contradict each
other, and so do high and negative, and high and low; low is still positive (``CD14-low``
monocytes carry CD14), so low contradicts neither positive nor negative. Pure.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

__all__ = ["WORD_SIGN", "Sign", "contradiction", "name_signs", "value_signs"]

Sign = Literal["positive", "negative", "high", "low"]

#: pairs of signs that cannot both hold for one marker of one population
_CONTRADICT: frozenset[frozenset[Sign]] = frozenset(
    {
        frozenset({"positive", "negative"}),
        frozenset({"high", "negative"}),
        frozenset({"high", "low"}),
    }
)
#: a sign or level as written after a marker (also read by :mod:`.markers`)
WORD_SIGN: dict[str, Sign] = {
    "+": "positive", "++": "positive", "pos": "positive", "positive": "positive",
    "-": "negative", "\u2212": "negative", "neg": "negative", "negative": "negative",
    "hi": "high", "high": "high", "bright": "high",
    "lo": "low", "low": "low", "dim": "low",
}  # fmt: skip
#: a marker symbol as labs write it (CD4, CXCR3, HLA-DR, SPP1, MUC5AC), then its sign:
#: glued or after a space, hyphen or underscore ("CD56bright", "CD16-", "SPP1_high")
_VALUE = re.compile(
    r"(?<![\w-])(?P<m>HLA-?DR|[A-Za-z][A-Za-z0-9]{1,9})"
    r"(?P<s>\+\+?|[-\u2212](?![\w-])|(?:[\s_-])?(?:positive|pos|negative|neg|high|hi|bright|"
    r"low|lo|dim)(?![A-Za-z]))"
)
#: a marker as the Cell Ontology names it: "CD4-positive", "HLA-DR-negative", "CD56-bright"
_NAME = re.compile(
    r"(?<![\w-])(?P<m>HLA-DR|[A-Za-z][A-Za-z0-9]{1,9})-"
    r"(?P<s>positive|negative|high|low|bright|dim)\b",
    re.IGNORECASE,
)
#: a word that may carry a sign (a cheap first test)
_MAY_SIGN = re.compile(r"[+\u2212-]|pos|neg|hi|lo|bright|dim", re.IGNORECASE)


def _symbol(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def value_signs(value: str) -> tuple[tuple[str, Sign], ...]:
    """The markers ``value`` states with a sign, as (symbol, sign), in order.

    >>> value_signs("CD4+ CCR6+")
    (('CD4', 'positive'), ('CCR6', 'positive'))
    >>> value_signs("CD16- NK cells"), value_signs("CD56bright NK cells"), value_signs("SPP1_high")
    ((('CD16', 'negative'),), (('CD56', 'high'),), (('SPP1', 'high'),))
    >>> value_signs("liver"), value_signs("T-cell")
    ((), ())
    """
    if not _MAY_SIGN.search(value):
        return ()
    found: dict[str, Sign] = {}
    for match in _VALUE.finditer(value):
        sign = WORD_SIGN[match.group("s").strip(" _-").casefold() or "-"]
        found.setdefault(_symbol(match.group("m")), sign)
    return tuple(found.items())


@functools.lru_cache(maxsize=65536)
def name_signs(name: str) -> dict[str, Sign]:
    """The markers an ontology name states with a sign, by symbol.

    >>> name_signs("CD8-positive, CXCR3-negative, CCR6-negative, alpha-beta T cell")
    {'CD8': 'positive', 'CXCR3': 'negative', 'CCR6': 'negative'}
    >>> name_signs("CD16-negative, CD56-bright natural killer cell, human")
    {'CD16': 'negative', 'CD56': 'high'}
    """
    out: dict[str, Sign] = {}
    for match in _NAME.finditer(name):
        out.setdefault(_symbol(match.group("m")), WORD_SIGN[match.group("s").casefold()])
    return out


def contradiction(signs: tuple[tuple[str, Sign], ...], *names: str) -> str | None:
    """What a term's ``names`` (its label, the name met) contradict of the value's
    ``signs`` (:func:`value_signs`), said for a steward; None when nothing.

    >>> contradiction(value_signs("CD4+ CCR6+"), "CD4-positive, CCR6-negative T cell")
    "the value says CCR6 positive, the term's name 'CD4-positive, CCR6-negative T cell' says negative"
    >>> contradiction(value_signs("CD14+ monocytes"), "CD14-low, CD16-positive monocyte") is None
    True
    """
    if not signs:
        return None
    for name in names:
        stated = name_signs(name) if "-" in name else {}
        for symbol, sign in signs:
            other = stated.get(symbol)
            if other is not None and frozenset({sign, other}) in _CONTRADICT:
                return f"the value says {symbol} {sign}, the term's name {name!r} says {other}"
    return None
