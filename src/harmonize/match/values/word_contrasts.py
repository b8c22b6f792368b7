"""Words that tell terms apart: ``benign`` / ``malignant``, ``acute`` / ``chronic``.

The ontology writes some words in each other's place in the names of one term ("kidney
X" / "renal X"): the readings use such pairs to name a tissue by its adjective.
A few sloppy synonyms also write opposites so (a "malignant ..." synonym of a benign
tumour), and a pair learned from them would turn ``benign tumor`` into "malignant tumor".
Two words are a contrast when more names of *distinct* terms differ only by them (the
file's "acute hepatitis" and "chronic hepatitis") than names of one term do: then they
are never read in each other's place. Learned from the loaded file, no word list.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.match.values.index import NameTable

__all__ = ["contrasted"]

#: name table -> (word, word) -> are they a contrast? (weak: a table nobody uses is freed)
_FOUND: weakref.WeakKeyDictionary[NameTable, dict[tuple[str, str], bool]] = (
    weakref.WeakKeyDictionary()
)


def contrasted(table: NameTable, one: str, other: str) -> bool:
    """Do more names of distinct terms than names of one term differ only by ``one`` and
    ``other`` (normalised words)? Only the names with the rarer word are read; asked
    once per pair and table."""
    pair = (min(one, other), max(one, other))
    found = _FOUND.setdefault(table, {})
    known = found.get(pair)
    if known is None:
        known = found[pair] = _count(table, *pair)
    return known


def _count(table: NameTable, one: str, other: str) -> bool:
    present = [p for p in (table.postings.get(one), table.postings.get(other)) if p is not None]
    if len(present) != 2:
        return False  # (a word left out of the keys, a stop word: no evidence either way)
    rows, word, swap = (
        (present[0], one, other) if len(present[0]) <= len(present[1]) else (present[1], other, one)
    )
    same = distinct = 0
    for row in rows.tolist():
        words = table.norm[row].split()
        if word not in words or not table.strong(row):
            continue
        at = words.index(word)
        frame = " ".join((*words[:at], swap, *words[at + 1 :]))
        for seen in table.normal.get(frame, ()):
            if table.strong(seen):
                if table.term[seen] == table.term[row]:
                    same += 1
                else:
                    distinct += 1
    return distinct > same
