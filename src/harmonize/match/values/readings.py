"""How a partner's value may be read: alternatives ("a/b", "a and b") and disease wording.

Pure functions over text, used by the value matcher's lexical tiers.
"""

from __future__ import annotations

import re

__all__ = [
    "ALTERNATIVES",
    "FRAGMENT_WEIGHT",
    "PART_WEIGHT",
    "alternative_readings",
    "says_disease",
]

# "a/b", "a / b", "a +/- b", and ICD-style titles "a and b", "a or b"
ALTERNATIVES = re.compile(r"\s*\+?/-?\s*|\s+(?:and|or)\s+", re.IGNORECASE)
PART_WEIGHT = 0.85
FRAGMENT_WEIGHT = 0.75  # a one-word alternative read alone beside a longer one

#: words that make a name a disease name; token keys leave them out ("X disease" = "X")
_DISEASE_WORDS = frozenset({"disease", "disorder"})


def alternative_readings(value: str) -> list[list[tuple[str, float]]]:
    """Readings of ``"a/b"`` with their weights, best first; later lists are fallbacks.

    In a list with a swapped reading, that reading is the second entry.

    >>> alternative_readings("fracture patella / knee")[0]
    [('fracture patella', 0.85), ('fracture knee', 0.85), ('knee', 0.75)]
    """
    parts = [p.strip() for p in ALTERNATIVES.split(value) if len(p.strip()) >= 3]
    if not 2 <= len(parts) <= 4:
        return []
    plain = [(p, PART_WEIGHT) for p in parts]
    if len(parts) == 2:
        left, right = parts[0].split(), parts[1].split()
        if len(right) == 1 and len(left) >= 2:  # "fracture patella / knee"
            swapped = " ".join([*left[:-1], right[0]])
            first = (parts[0], PART_WEIGHT), (swapped, PART_WEIGHT)
            return [[*first, (parts[1], FRAGMENT_WEIGHT)], plain]
        if len(left) == 1 and len(right) >= 2:  # "infective/viral hepatitis"
            swapped = " ".join([left[0], *right[1:]])
            first = (parts[1], PART_WEIGHT), (swapped, PART_WEIGHT)
            return [[*first, (parts[0], FRAGMENT_WEIGHT)], plain]
    return [plain]


def says_disease(norm: str) -> bool:
    """Does the normalised text name a disease ("... disease", "disorder of ...")?"""
    return not _DISEASE_WORDS.isdisjoint(norm.split())
