"""The machine-readable extras harmonize keeps in a mapping's SSSOM ``other`` slot.

``other`` holds ``key=value`` pairs joined by ``|`` (the convention of sssom-pydantic,
:func:`harmonize.mappings.model.other_fields`): the decision uid, action, time, what the
reviewer was shown, a deferral marker... Every reader and writer of those extras goes
through these two functions, which also give the values back their types (numbers,
true/false, lists joined by ``,``). Files written before this convention (a JSON object)
read the same way.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.mappings.model import Mapping

__all__ = ["dump_extras", "extras_of"]

#: keys whose value is a list (its items joined by ``,``)
_LISTS = frozenset({"shown_candidates"})
#: keys whose value is a number
_NUMBERS = frozenset({"shown_confidence", "confidence", "terms", "rows", "count", "frequency"})


def _typed(key: str, text: str) -> object:
    if key in _LISTS:
        return [item for item in text.split(",") if item]
    if text in {"true", "false"}:
        return text == "true"
    if key in _NUMBERS:
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text


def extras_of(mapping: Mapping) -> dict[str, object]:
    """``mapping.other`` as key -> typed value ({} when it holds no ``key=value``).

    >>> from harmonize.mappings.model import Mapping
    >>> extras_of(Mapping("a:1", "skos:exactMatch", "b:2", "semapv:LexicalMatching",
    ...                   other="rows=3|replayed=true|shown_candidates=X:1,X:2"))
    {'rows': 3, 'replayed': True, 'shown_candidates': ['X:1', 'X:2']}
    """
    from harmonize.mappings.model import other_fields

    text = (mapping.other or "").strip()
    if text.startswith("{"):  # written by an earlier harmonize
        try:
            data = json.loads(text)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}
    return {key: _typed(key, value) for key, value in other_fields(mapping).items()}


def dump_extras(data: dict[str, object]) -> str:
    """The ``other`` text of ``data`` (``None`` values left out).

    >>> dump_extras({"decision": "d1", "replayed": False, "shown_candidates": ["X:1", "X:2"]})
    'decision=d1|replayed=false|shown_candidates=X:1,X:2'
    """
    from harmonize.mappings.model import Mapping, with_other

    values = {
        key: ",".join(map(str, value)) if isinstance(value, list | tuple) else value
        for key, value in data.items()
    }
    blank = Mapping("x:x", "skos:exactMatch", "x:x", "semapv:ManualMappingCuration")
    return with_other(blank, **values).other or ""
