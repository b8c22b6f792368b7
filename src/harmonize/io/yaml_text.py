"""Parse YAML within limits: one-line errors naming the line, never a traceback.

``yaml.safe_load`` recurses once per nesting level (1,000 levels end in a
``RecursionError``) and expands ``*alias`` references without bound when the result is
walked ("billion laughs"). :func:`parse_yaml` composes the document with a loader that
counts nesting depth and nodes after alias expansion, and stops at
``ReadLimits.max_depth`` / ``max_yaml_nodes``, before anything deep is built.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from harmonize.errors import HarmonizeError
from harmonize.io.files import read_input_text
from harmonize.io.limits import DEFAULT_LIMITS, ReadLimits

__all__ = ["load_yaml_file", "parse_yaml"]


class _LimitHitError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@functools.cache
def _loader_class() -> Any:
    import yaml

    class LimitedLoader(yaml.SafeLoader):
        """``SafeLoader`` that counts depth and expanded nodes while composing."""

        limits: ReadLimits = DEFAULT_LIMITS

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.depth = 0
            self.nodes = 0
            self.sizes: dict[str, int] = {}

        def count(self, n: int, mark: Any) -> None:
            self.nodes += n
            if self.nodes > self.limits.max_yaml_nodes:
                raise _LimitHitError(
                    f"more than {self.limits.max_yaml_nodes:,} YAML nodes once aliases are "
                    "expanded (ReadLimits.max_yaml_nodes)",
                    mark.line + 1 if mark is not None else None,
                )

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            if isinstance(event, yaml.AliasEvent):
                self.count(self.sizes.get(str(event.anchor), 1), event.start_mark)
                return super().compose_node(parent, index)
            if self.depth >= self.limits.max_depth:
                raise _LimitHitError(
                    f"nested deeper than {self.limits.max_depth} levels (ReadLimits.max_depth)",
                    event.start_mark.line + 1 if event.start_mark is not None else None,
                )
            start = self.nodes
            self.count(1, event.start_mark)
            self.depth += 1
            try:
                node = super().compose_node(parent, index)
            finally:
                self.depth -= 1
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                self.sizes[str(anchor)] = self.nodes - start
            return node

    return LimitedLoader


def parse_yaml(
    text: str,
    *,
    path: str | Path | None,
    error: type[HarmonizeError],
    message: str,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Any:
    """``yaml.safe_load(text)`` within ``limits``; a syntax error raises
    ``error("{message}: {problem}")`` naming ``path`` and the 1-based line of the problem.

    >>> parse_yaml("a: 1", path=None, error=HarmonizeError, message="bad")
    {'a': 1}
    >>> parse_yaml("[[[1]]]", path=None, error=HarmonizeError, message="bad",
    ...            limits=ReadLimits(max_depth=2))
    Traceback (most recent call last):
    harmonize.errors.HarmonizeError: bad: nested deeper than 2 levels (ReadLimits.max_depth)
    """
    import yaml

    size = (
        len(text.encode("utf-8", errors="replace")) if len(text) * 4 > limits.max_yaml_bytes else 0
    )
    if size > limits.max_yaml_bytes:
        raise error(
            f"{message}: YAML of {size:,} bytes is over the limit of {limits.max_yaml_bytes:,} "
            "(ReadLimits.max_yaml_bytes)",
            path=path,
        )
    loader = None
    try:
        loader = _loader_class()(text)  # the reader checks the characters here already
        loader.limits = limits
        return loader.get_single_data()
    except _LimitHitError as exc:
        raise error(f"{message}: {exc.message}", path=path, line=exc.line) from None
    except yaml.reader.ReaderError as exc:  # a control character, bad encoding
        line = text.count("\n", 0, exc.position) + 1
        raise error(
            f"{message}: {exc.reason} #x{exc.character:04x}", path=path, line=line
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        raise error(
            f"{message}: {problem}", path=path, line=mark.line + 1 if mark is not None else None
        ) from None
    except (RecursionError, MemoryError):
        raise error(f"{message}: YAML too deeply nested or too large to read", path=path) from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml_file(
    path: str | Path,
    *,
    error: type[HarmonizeError],
    message: str,
    what: str = "YAML file",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Any:
    """Read ``path`` (UTF-8, within ``max_yaml_bytes``) and :func:`parse_yaml` it."""
    path = Path(path)
    text = read_input_text(path, max_bytes=limits.max_yaml_bytes, error=error, what=what)
    return parse_yaml(text, path=path, error=error, message=message, limits=limits)
