"""The ``harmonize`` command line.

Every module in this package that defines ``register(subparsers)`` adds its own
subcommands; handlers import heavy libraries only when they run, so ``harmonize
--help`` starts fast. A handler returns an exit code; a :class:`HarmonizeError`
becomes a one-line message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import warnings
from collections.abc import Callable, Sequence

from harmonize import __version__
from harmonize.errors import HarmonizeError, HarmonizeWarning, clip

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]

_DESCRIPTION = """\
harmonize turns a partner's sample metadata table into ontology-coded, validated
linked data: match columns to a LinkML model, ground values to ontology terms
(as SSSOM mappings), review them, convert to RDF, validate with SHACL, publish.

Start with:  harmonize demo
"""


def _format_warning(
    message: Warning | str, category: type[Warning], *_: object, **__: object
) -> str:
    return f"harmonize: warning: {clip(str(message))}\n"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="harmonize",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"harmonize {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    package = sys.modules[__name__]
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``harmonize`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0 if args.command is None else 2
    # one-line warnings while the command runs; the caller's settings are restored after
    previous_format = warnings.formatwarning
    with warnings.catch_warnings():
        warnings.formatwarning = _format_warning  # type: ignore[assignment]
        warnings.simplefilter("default", HarmonizeWarning)
        try:
            return handler(args)
        except HarmonizeError as exc:
            print(f"harmonize: error: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("harmonize: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:
            return 0
        finally:
            warnings.formatwarning = previous_format


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
