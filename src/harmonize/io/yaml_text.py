"""Parse YAML text, turning a syntax error into our one-line error with its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError

__all__ = ["parse_yaml"]


def parse_yaml(
    text: str, *, path: str | Path | None, error: type[HarmonizeError], message: str
) -> Any:
    """``yaml.safe_load(text)``; a syntax error raises ``error("{message}: {problem}")``
    naming ``path`` and the 1-based line of the problem.

    >>> parse_yaml("a: 1", path=None, error=HarmonizeError, message="bad")
    {'a': 1}
    """
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        raise error(
            f"{message}: {problem}", path=path, line=mark.line + 1 if mark is not None else None
        ) from exc
