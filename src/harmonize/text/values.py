"""How a partner's value is compared and read before a decision is re-used.

``value_key`` folds case and spacing only: two cells are "the same value" when they differ
in nothing else; ``is_missing`` says a cell holds no value at all (``N/A``, ``not
recorded``). ``hedge`` finds wording that changes what a value asserts - uncertainty
("?", "suspected", "possible", "r/o") or negation and history ("no", "not", "history
of") - the trigger classes of clinical negation detectors such as NegEx. A value that
carries one must be read by a person: a decision on the plain value does not apply to it,
and no score accepts it on its own.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = [
    "HEDGE_CUES",
    "HEDGE_WORDS",
    "MISSING",
    "NOT_KNOWN",
    "HedgeKind",
    "cue_pattern",
    "hedge",
    "is_missing",
    "missing_said",
    "said_tissue",
    "tissue_said",
    "value_key",
    "without_hedges",
]

HedgeKind = Literal["negated", "uncertain", "history"]


#: Cells that mean "no value" (compared after :func:`value_key`).
MISSING = frozenset(
    {
        "",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "null",
        "nil",
        "-",
        "--",
        "?",
        "#n/a",
        "missing",
        "not available",
        "not applicable",
        "not recorded",
        "not collected",
        ".",
    }
)

#: no cell longer than this (white space around included) is one of :data:`MISSING`
_MISSING_SPAN = 64

#: Answers that say the value is not known. They stay data, not "missing": a schema may
#: code them (the GDC dictionary has ``Unknown`` and ``Not Reported``), so grounding and
#: convert keep them; scans that look for identifiers skip them with :data:`MISSING`.
NOT_KNOWN = frozenset({"unknown", "not known", "not reported", "none"})


def value_key(text: str) -> str:
    """``text`` with case folded and runs of white space made one space.

    >>> value_key("  Liver   Biopsy "), value_key("HCC?") == value_key("hcc")
    ('liver biopsy', False)
    """
    return " ".join(text.split()).casefold()


def is_missing(text: str) -> bool:
    """True for a cell that holds no value (``""``, ``N/A``, ``not recorded`` ...).

    >>> is_missing(" N/A "), is_missing("liver")
    (True, False)
    """
    return len(text) <= _MISSING_SPAN and value_key(text) in MISSING


def missing_said(text: str) -> str:
    """What grounding says of a cell that holds no value (convert leaves it out).

    >>> missing_said("N/A")
    "no value: 'N/A' marks a missing value (convert leaves it out); nothing to ground"
    """
    return f"no value: {text.strip()!r} marks a missing value (convert leaves it out); nothing to ground"


#: What a partner's value may say before or around its finding, by kind: it is absent,
#: uncertain, or past. The trigger families of NegEx (Chapman et al. 2001, J Biomed
#: Inform 34:301), reduced to what short values hold; matched as whole words.
HEDGE_CUES: dict[HedgeKind, tuple[str, ...]] = {
    "negated": (
        "no", "not", "without", "w/o", "negative for", "neg for", "absent", "absence of",
        "free of", "ruled out", "rules out", "denies", "denied", "non-evidence of",
        "nonevidence of",
    ),
    "uncertain": (
        "suspected", "suspect", "suspicion of", "suspicious for", "possible", "possibly",
        "probable", "probably", "likely", "presumed", "presumptive", "query", "queried",
        "questionable", "uncertain", "doubtful", "equivocal", "rule out", "r/o",
        "cannot exclude", "cannot be excluded", "versus", "vs",
    ),
    "history": (
        "history of", "h/o", "hx of", "past", "previous", "prior", "family history of",
        "status post", "s/p",
    ),
}  # fmt: skip
#: Every cue of :data:`HEDGE_CUES`, longest first.
HEDGE_WORDS: tuple[str, ...] = tuple(
    sorted({w for cues in HEDGE_CUES.values() for w in cues}, key=len, reverse=True)
)


def cue_pattern(cues: tuple[str, ...]) -> str:
    """A regular expression (no groups) for ``cues``, spaces matching any white space."""
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(cues, key=len, reverse=True)
    )


_WORDS = re.compile(rf"(?<![\w/])(?:{cue_pattern(HEDGE_WORDS)})(?![\w/])", re.IGNORECASE)
_QUESTION = re.compile(r"\?")


def hedge(text: str) -> str | None:
    """The first hedging word or mark in ``text`` (``"?"``, ``"suspected"``...), or None.

    >>> hedge("HCC (suspected)"), hedge("HCC?"), hedge("r/o HCC"), hedge("HCC")
    ('suspected', '?', 'r/o', None)
    >>> hedge("no evidence of disease"), hedge("nodular"), hedge("No")
    ('no', None, None)
    """
    found = _WORDS.search(text)
    mark = _QUESTION.search(text)
    if found is not None and value_key(found.group(0)) == value_key(text):
        found = None  # the whole value is the word: an answer ("No"), not a hedge on one
    if found is None and mark is None:
        return None
    if found is None or (mark is not None and mark.start() < found.start()):
        return "?"
    assert found is not None
    return " ".join(found.group(0).lower().split())


def without_hedges(text: str) -> str:
    """``text`` with its hedging words and question marks taken out (to say which
    decided value a hedged one resembles; never to decide it).

    >>> without_hedges("r/o HCC"), without_hedges("HCC (suspected)")
    ('HCC', 'HCC ( )')
    """
    return " ".join(_QUESTION.sub(" ", _WORDS.sub(" ", text)).split())


_TISSUE_SAID = re.compile(r"in the sample's tissue \(([^)]*)\)")


def tissue_said(tissue: str) -> str:
    """How a candidate's evidence says it was read with the sample's tissue (the matcher
    writes it; the ledger's replay reads it back with :func:`said_tissue`)."""
    return f"read in the sample's tissue ({tissue})"


def said_tissue(evidence: str | None) -> str | None:
    """The tissue a candidate's evidence says it was read with, or None.

    >>> said_tissue("normalized match on 'fibroblast of lung' after case, " + tissue_said("lung"))
    'lung'
    >>> said_tissue("exact match on label 'fibroblast'") is None
    True
    """
    found = _TISSUE_SAID.search(evidence or "")
    return found.group(1) if found else None
