"""Parse JSON within limits: nesting depth, string length and size, with a JSON path.

``json.loads`` raises ``RecursionError`` on deep nesting and ``ValueError`` on an
integer of 4,300+ digits; both become one line naming the file. After parsing, the
document is walked once (no recursion) to check ``ReadLimits.max_depth`` and
``max_cell_chars``; a failure names the place as a JSON path (``$.graphs[0].nodes[3]``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError, InputFileError, excerpt
from harmonize.io.files import read_input_bytes
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["check_tree", "json_path", "load_json_file", "parse_json"]

Trail = tuple[Any, ...] | None  # (parent trail, key) pairs, built only along the walk


def json_path(trail: Trail) -> str:
    """``$.a[0].b`` for a trail of keys.

    >>> json_path(((((None, "a"), 0)), "b"))
    '$.a[0].b'
    """
    keys: list[Any] = []
    while trail is not None:
        trail, key = trail
        keys.append(key)
    parts = ["$"]
    for key in reversed(keys):
        if isinstance(key, int):
            parts.append(f"[{key}]")
        elif key.isidentifier():
            parts.append(f".{key}")
        else:
            parts.append(f"[{excerpt(key, 40)}]")
    return "".join(parts)


def check_tree(
    data: Any,
    *,
    path: Path | None,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> None:
    """Raise ``error`` when ``data`` nests deeper than ``max_depth`` or holds a string
    (key or value) longer than ``max_cell_chars``."""
    max_chars = limits.max_cell_chars
    stack: list[tuple[Any, int, Trail]] = [(data, 0, None)]

    def too_long(text: str, trail: Trail) -> HarmonizeError:
        return error(
            f"a string of {len(text):,} characters is over the limit of {max_chars:,} "
            "(ReadLimits.max_cell_chars)",
            path=path,
            place=json_path(trail),
            value=text,
        )

    if isinstance(data, str) and len(data) > max_chars:
        raise too_long(data, None)
    if not isinstance(data, dict | list):
        return
    while stack:
        node, depth, trail = stack.pop()
        if depth >= limits.max_depth:
            raise error(
                f"nested deeper than {limits.max_depth} levels (ReadLimits.max_depth)",
                path=path,
                place=json_path(trail),
            )
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(key, str) and len(key) > max_chars:
                raise too_long(key, trail)
            if isinstance(value, str):
                if len(value) > max_chars:
                    raise too_long(value, (trail, key))
            elif isinstance(value, dict | list):
                stack.append((value, depth + 1, (trail, key)))


def parse_json(
    content: bytes | str,
    *,
    path: Path | None,
    error: type[HarmonizeError] = InputFileError,
    limits: ReadLimits = DEFAULT_LIMITS,
    check: bool = True,
) -> Any:
    """``json.loads(content)`` within ``limits``; every failure is one ``error`` line.

    >>> parse_json('{"a": [1, "x"]}', path=None)
    {'a': [1, 'x']}
    >>> parse_json('[[[]]]', path=None, limits=ReadLimits(max_depth=2))
    Traceback (most recent call last):
    harmonize.errors.InputFileError: at $[0][0]: nested deeper than 2 levels (ReadLimits.max_depth)
    """
    if len(content) > limits.max_json_bytes:
        raise error(
            f"JSON of {len(content):,} bytes is over the limit of {limits.max_json_bytes:,} "
            "(ReadLimits.max_json_bytes)",
            path=path,
        )
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise error(
            f"not valid JSON: {exc.msg} (column {exc.colno})", path=path, line=exc.lineno
        ) from None
    except UnicodeDecodeError as exc:
        raise error(f"not UTF-8 JSON ({exc.reason})", path=path) from None
    except RecursionError:
        raise error(
            f"nested deeper than {limits.max_depth} levels (ReadLimits.max_depth)", path=path
        ) from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        digits = sys.get_int_max_str_digits()
        if "digits" in str(exc):
            raise error(f"a number has more than {digits:,} digits", path=path) from None
        raise error(f"not valid JSON: {excerpt(str(exc), 120)}", path=path) from None
    except MemoryError:
        raise error("JSON too large to read into memory", path=path) from None
    if check:
        check_tree(data, path=path, error=error, limits=limits)
    return data


def load_json_file(
    path: str | Path,
    *,
    error: type[HarmonizeError] = InputFileError,
    what: str = "JSON file",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Any:
    """Read ``path`` (within ``max_json_bytes``) and :func:`parse_json` it."""
    path = Path(path)
    content = read_input_bytes(path, max_bytes=limits.max_json_bytes, error=error, what=what)
    return parse_json(content, path=path, error=error, limits=limits)
