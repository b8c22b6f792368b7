"""Masking of example values shown to a steward: the shape stays, the content goes.

Nothing harmonize prints or writes about a scanned column carries an unmasked value of
a column that may identify a person.
"""

from __future__ import annotations

__all__ = ["mask"]


def mask(value: str, *, keep: int = 0, limit: int = 40) -> str:
    """Letters become ``x``/``X``, digits ``9``; separators stay so the format shows.

    ``keep`` leading characters stay as they are (only for non-identifying columns).

    >>> mask("Anna Jensen"), mask("211062-5629"), mask("anna@example.dk")
    ('Xxxx Xxxxxx', '999999-9999', 'xxxx@xxxxxxx.xx')
    >>> mask("C3L-00004", keep=3)
    'C3L-99999'
    """
    out: list[str] = []
    for index, ch in enumerate(value[:limit]):
        if index < keep:
            out.append(ch)
        elif ch.isnumeric():  # digits, and also ², ¼, Roman numerals...
            out.append("9")
        elif ch.isalpha():
            out.append("X" if ch.isupper() else "x")
        else:
            out.append(ch)
    if len(value) > limit:
        out.append("…")
    return "".join(out)
