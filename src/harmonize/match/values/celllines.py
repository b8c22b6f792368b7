"""Cell lines (Cellosaurus) named in a value: ``HeLa``, ``K562``, ``HEK293T``.

CELLxGENE's ontology package ships Cellosaurus (``CVCL-ontology-*.json.zst``; the
manifest's ``CVCL``). When CVCL is among the loaded ontologies a cell line grounds to its
``CVCL:`` id like any term; for a slot bound elsewhere (CL, UBERON) the matcher says the
value is a cell line instead of returning an unrelated term. The offline file records a
label per cell line and nothing of its cell type or site (``ancestors`` is empty), so no
cell type or site can be offered from it. Names are compared with case, spaces and
punctuation removed (``K562`` = ``K-562``).
"""

from __future__ import annotations

import contextlib
import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.ontology.index import OntologyIndex

__all__ = [
    "CELL_LINE_ONTOLOGY",
    "cell_line_key",
    "cell_line_names",
    "find_cell_line",
    "line_name",
    "looks_like_cell_line",
    "warm_cell_lines",
]

CELL_LINE_ONTOLOGY = "CVCL"
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_ALNUM_CASED = re.compile(r"[^0-9A-Za-z]+")
#: what may follow a cell line's name: "cells", "cell line", a bracket ("CHO-K1 (ovary)")
_AFTER_NAME = re.compile(
    r"(?:[\s_-]+(?:cells?|cell[\s_-]?lines?|lines?))?\s*(?:\([^()]*\))?\s*$", re.IGNORECASE
)


def cell_line_key(text: str) -> str:
    """Case, spaces and punctuation removed: ``"K-562"`` -> ``"k562"``."""
    return _NON_ALNUM.sub("", text.casefold())


def cell_line_names(index: OntologyIndex) -> dict[str, tuple[str, str]]:
    """key -> (id, label) for every live labelled term of ``index`` (first id wins)."""
    names: dict[str, tuple[str, str]] = {}
    for term in index.terms.values():
        if term.obsolete or not term.label:
            continue
        for text in (term.label, *(s.text for s in term.synonyms if s.scope == "EXACT")):
            key = cell_line_key(text)
            if len(key) >= 2:
                names.setdefault(key, (term.id, term.label))
    return names


@functools.cache
def _bundled() -> dict[str, tuple[str, str]]:
    """The bundled Cellosaurus names, from a compact cache beside the index cache (keyed
    like it by the file's bytes: reading it is ~10x faster than reading the index)."""
    import json
    import warnings

    from harmonize.io.atomic import atomic_write_text
    from harmonize.ontology.cache import cache_path, file_sha256, load_index
    from harmonize.ontology.manifest import locate

    path, _entry = locate(CELL_LINE_ONTOLOGY)
    cached = cache_path(file_sha256(path)).with_suffix(".celllines.json")
    try:
        return {k: (v[0], v[1]) for k, v in json.loads(cached.read_bytes()).items()}
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # absent or damaged: rebuilt
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        names = cell_line_names(load_index(path))
    with contextlib.suppress(OSError):
        atomic_write_text(cached, json.dumps(names, separators=(",", ":")))
    return names


def looks_like_cell_line(value: str) -> bool:
    """One short word with a digit or an inner capital (``HeLa``, ``K562``, ``MCF-7``)."""
    text = value.strip()
    if not (2 <= len(text) <= 20) or " " in text:
        return False
    return any(c.isdigit() for c in text) or any(c.isupper() for c in text[1:])


def warm_cell_lines(values: Iterable[str]) -> None:
    """Load the Cellosaurus names now when a value may need them (before forking workers,
    so that they share one copy instead of each loading it)."""
    if any(looks_like_cell_line(v) for v in values):
        with contextlib.suppress(Exception):
            _bundled()


def line_name(value: str) -> str:
    """The words of ``value`` that may name a cell line: the value without "cells", "cell
    line" or a bracket after them (``BeWo cells``, ``CHO-K1 (hamster ovary)``).

    >>> line_name("BeWo cells"), line_name("CHO-K1 (ovary)"), line_name("MDCK cell line")
    ('BeWo', 'CHO-K1', 'MDCK')
    """
    text = value.strip()
    return _AFTER_NAME.sub("", text).strip() or text


def find_cell_line(value: str) -> tuple[str, str] | None:
    """(CVCL id, label) when ``value`` is a Cellosaurus cell line's name, perhaps with
    "cells" or a bracket after it (:func:`line_name`), else None.

    Needs a name that looks like one, not a word of the language: a digit or an inner
    capital (``HeLa``, ``K562``, ``MCF-7``). Loads the bundled Cellosaurus index once.
    """
    text = line_name(value)
    if not looks_like_cell_line(text):
        return None
    try:
        names = _bundled()
    except Exception:
        return None
    found = names.get(cell_line_key(text))
    if found is not None and _short_letters(text) and text != found[1]:
        # "DRG" (dorsal root ganglion) is not the line "DrG", nor "NAc" "NAC", nor "OSA"
        # (sleep apnoea) "OS-A": a short form is the line's only when written as its name
        return None
    return found


def _short_letters(text: str) -> bool:
    """Three letters or fewer and no digit: written like an abbreviation, whose case is
    all that tells it from a cell line's name."""
    key = _NOT_ALNUM_CASED.sub("", text)
    return len(key) <= 3 and key.isalpha()
