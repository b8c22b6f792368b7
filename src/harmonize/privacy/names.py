"""Person-name lists, read offline from the name lists a package ships.

The first- and last-name lists of Faker's person providers (88 locales, MIT licensed)
are loaded lazily on first use and cached in memory; nothing is downloaded. Matching is
case-insensitive and accent-insensitive (``Søren`` matches ``soren``).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["NameLists", "fold", "load_name_lists"]

_FIRST_ATTRS = ("first_names", "first_names_female", "first_names_male", "first_names_nonbinary")
_LAST_ATTRS = ("last_names", "last_names_female", "last_names_male")


def fold(text: str) -> str:
    """Case- and accent-folded form used for name look-ups.

    >>> fold("Søren"), fold("ÅSA"), fold("Müller")
    ('soren', 'asa', 'muller')
    """
    text = text.casefold().replace("ø", "o").replace("æ", "ae").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class NameLists:
    """Folded first and last names, and the locales they came from."""

    first: frozenset[str]
    last: frozenset[str]
    locales: tuple[str, ...]

    def is_first(self, token: str) -> bool:
        return fold(token) in self.first

    def is_last(self, token: str) -> bool:
        return fold(token) in self.last

    def is_name(self, token: str) -> bool:
        key = fold(token)
        return key in self.first or key in self.last


def _collect(values: object) -> Iterable[str]:
    if isinstance(values, dict):
        return (str(v) for v in values)
    if isinstance(values, (tuple, list, set, frozenset)):
        return (str(v) for v in values)
    return ()


@functools.lru_cache(maxsize=8)
def load_name_lists(exclude_locales: tuple[str, ...] = ()) -> NameLists:
    """All person-name lists Faker ships, minus ``exclude_locales`` (e.g. ``("da_DK",)``).

    Returns empty lists when Faker is not installed (name detection then relies on
    the column header alone).
    """
    try:
        providers = importlib.import_module("faker.providers.person")
    except ImportError:  # pragma: no cover - faker is a dependency
        return NameLists(frozenset(), frozenset(), ())
    first: set[str] = set()
    last: set[str] = set()
    locales: list[str] = []
    for info in pkgutil.iter_modules(providers.__path__):
        if not info.ispkg or info.name in exclude_locales:
            continue
        try:
            module = importlib.import_module(f"{providers.__name__}.{info.name}")
        except ImportError:  # pragma: no cover - a broken locale module
            continue
        provider = getattr(module, "Provider", None)
        if provider is None:
            continue
        locales.append(info.name)
        for attr in _FIRST_ATTRS:
            first.update(fold(v) for v in _collect(getattr(provider, attr, ())) if v.isalpha())
        for attr in _LAST_ATTRS:
            for value in _collect(getattr(provider, attr, ())):
                for part in value.replace("-", " ").split():
                    if part.isalpha() and len(part) > 1:
                        last.add(fold(part))
    return NameLists(frozenset(first), frozenset(last), tuple(sorted(locales)))
