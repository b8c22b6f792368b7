"""Generate (or check) the artefacts derived from a LinkML schema.

``python -m harmonize.schema.generate`` rewrites ``schemas/generated/`` from
``schemas/harmonize.yaml``; ``--check`` exits 1 and names the files that drifted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from harmonize.io.atomic import atomic_write_text
from harmonize.schema.view import SchemaInfo, load_schema

__all__ = ["check_generated", "generated_files", "main", "write_generated"]


def generated_files(schema: SchemaInfo) -> dict[str, str]:
    """File name -> text of every artefact generated from ``schema``."""
    from harmonize.schema.context import context_json
    from harmonize.schema.docs import docs_markdown
    from harmonize.schema.shapes import shapes_turtle

    return {
        f"{schema.name}.shacl.ttl": shapes_turtle(schema),
        f"{schema.name}.context.jsonld": context_json(schema),
        f"{schema.name}.md": docs_markdown(schema),
    }


def write_generated(schema_path: str | Path, out_dir: str | Path) -> list[Path]:
    schema = load_schema(schema_path)
    out = Path(out_dir)
    return [atomic_write_text(out / name, text) for name, text in generated_files(schema).items()]


def check_generated(schema_path: str | Path, out_dir: str | Path) -> list[str]:
    """Names of generated files that are missing or differ from what the schema gives."""
    schema = load_schema(schema_path)
    out = Path(out_dir)
    drifted = []
    for name, text in generated_files(schema).items():
        target = out / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            drifted.append(name)
    return drifted


def main(argv: Sequence[str] | None = None) -> int:
    from harmonize.resources import bundled_dir

    schemas = bundled_dir("schemas")
    parser = argparse.ArgumentParser(prog="python -m harmonize.schema.generate")
    parser.add_argument("--schema", type=Path, default=schemas / "harmonize.yaml")
    parser.add_argument("--out", type=Path, default=schemas / "generated")
    parser.add_argument("--check", action="store_true", help="exit 1 when files drifted")
    args = parser.parse_args(argv)
    if args.check:
        drifted = check_generated(args.schema, args.out)
        for name in drifted:
            print(f"drifted: {args.out / name}", file=sys.stderr)
        return 1 if drifted else 0
    for path in write_generated(args.schema, args.out):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
