"""The machine-readable extras harmonize keeps in a mapping's SSSOM ``other`` slot.

harmonize writes ``other`` as one JSON object (decision uid, action, time, what the
reviewer was shown, a deferral marker...). Every reader and writer of those extras goes
through these two functions, so the convention lives in one place.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping

__all__ = ["dump_extras", "extras_of"]


def extras_of(mapping: Mapping) -> dict[str, object]:
    """``mapping.other`` as a JSON object ({} when it is empty or not a JSON object).

    >>> from harmonize.mappings.model import Mapping
    >>> extras_of(Mapping("a:1", "skos:exactMatch", "b:2", "semapv:LexicalMatching",
    ...                   other='{"rows": 3}'))
    {'rows': 3}
    """
    text = (mapping.other or "").strip()
    if not text.startswith("{"):
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def dump_extras(data: dict[str, object]) -> str:
    """The ``other`` text of ``data`` (compact JSON, UTF-8 kept)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
