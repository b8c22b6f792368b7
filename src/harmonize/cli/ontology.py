"""``harmonize ontology add|list|info|search``: the ontologies harmonize knows.

Light at import (argparse only); the handlers import the ontology package.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]

_MANIFEST_HELP = (
    "manifest YAML to use (default: $HARMONIZE_ONTOLOGY_MANIFEST or the bundled "
    "ontologies/manifest.yaml)"
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "ontology",
        help="list, inspect, search and add ontologies (manifest + cached index)",
        description=(
            "Ontologies harmonize grounds values to. Each is named in a manifest "
            "(ontologies/manifest.yaml) with a pinned version and sha256, loaded from an "
            "offline package file when installed, indexed once and cached."
        ),
    )
    commands = parser.add_subparsers(dest="ontology_command", metavar="ACTION")
    parser.set_defaults(handler=lambda _args: _usage(parser))

    listing = commands.add_parser("list", help="show the ontologies of the manifest")
    listing.add_argument("--manifest", help=_MANIFEST_HELP)
    listing.set_defaults(handler=_list)

    info = commands.add_parser(
        "info",
        help="counts, roots, version and sha256 of an ontology (manifest name or file)",
        description="Print one 'name: value' line per fact of an ontology file or manifest name.",
    )
    info.add_argument("ontology", metavar="FILE_OR_NAME", help="e.g. HP, UBERON or path/to/x.obo")
    info.add_argument("--manifest", help=_MANIFEST_HELP)
    info.add_argument("--no-cache", action="store_true", help="rebuild the index, ignore the cache")
    info.set_defaults(handler=_info)

    search = commands.add_parser(
        "search",
        help="find terms by id, or label/synonym (normalised exact or prefix match)",
    )
    search.add_argument("query", help="text or CURIE to look up, e.g. 'seizure'")
    search.add_argument(
        "--ontology", "-o", required=True, metavar="FILE_OR_NAME", help="ontology to search"
    )
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (20)")
    search.add_argument("--obsolete", action="store_true", help="include obsolete terms")
    search.add_argument("--manifest", help=_MANIFEST_HELP)
    search.set_defaults(handler=_search)

    add = commands.add_parser(
        "add",
        help="record an ontology (file or URL) in the manifest, with its sha256",
        description=(
            "Check that SOURCE loads, then record NAME, prefix, version, source and the "
            "file's sha256 in the manifest (written atomically)."
        ),
    )
    add.add_argument("name", help="short name, e.g. UO")
    add.add_argument("source", help="ontology file, or a URL to download once into the cache")
    add.add_argument("--prefix", help="CURIE prefix (default: read from the file)")
    add.add_argument("--version", dest="onto_version", help="version (default: from the file)")
    add.add_argument("--replace", action="store_true", help="replace an entry of that name")
    add.add_argument("--manifest", help=_MANIFEST_HELP)
    add.set_defaults(handler=_add)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _list(args: argparse.Namespace) -> int:
    from pathlib import Path

    from harmonize.ontology.manifest import default_manifest_path, offline_file, read_manifest

    path = Path(args.manifest) if args.manifest else default_manifest_path()
    entries = read_manifest(path)
    if not entries:
        print(f"no ontologies in {path}")
        return 0
    rows = [("name", "prefix", "version", "offline", "source")]
    for entry in entries:
        local = offline_file(entry, path)
        where = (
            f"{entry.package}:{entry.path}" if entry.package else (entry.path or entry.purl or "-")
        )
        rows.append(
            (entry.name, entry.prefix, entry.version or "-", "yes" if local else "no", where)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4])) + "  " + row[4])
    print(f"manifest: {path}")
    return 0


def _info(args: argparse.Namespace) -> int:
    import warnings

    from harmonize.errors import OntologyRepairWarning
    from harmonize.ontology import load_index

    with warnings.catch_warnings():  # repairs are printed below, cold or cached alike
        warnings.simplefilter("ignore", OntologyRepairWarning)
        index = load_index(args.ontology, use_cache=not args.no_cache, manifest=args.manifest)
    for message in index.repairs:
        print(f"harmonize: warning: {message}", file=sys.stderr)
    meta = index.meta
    stats = index.stats()
    roots = index.roots()
    shown = ", ".join(f"{r} ({index.label(r)})" if index.label(r) else r for r in roots[:20])
    if len(roots) > 20:
        shown += f", ... ({len(roots) - 20} more)"
    lines = [
        ("name", meta.name),
        ("version", meta.version or "unknown"),
        ("format", meta.format or "unknown"),
        ("source", meta.source or "-"),
        ("sha256", meta.sha256 or "-"),
        ("prefixes", ", ".join(meta.prefixes) or "-"),
        ("terms", str(stats["terms"])),
        ("synonyms", str(stats["synonyms"])),
        ("obsolete", str(stats["obsolete"])),
        ("roots", shown or "-"),
        ("repairs", str(len(index.repairs))),
    ]
    for key, value in lines:
        print(f"{key}: {value}")
    return 0


def _search(args: argparse.Namespace) -> int:
    from harmonize.ontology import load_index
    from harmonize.ontology.search import search_index

    index = load_index(args.ontology, manifest=args.manifest)
    hits = search_index(index, args.query, limit=args.limit, include_obsolete=args.obsolete)
    if not hits:
        print(f"no term matches {args.query!r} in {index.meta.name}", file=sys.stderr)
        return 1
    for hit in hits:
        flag = " [obsolete]" if hit.obsolete else ""
        print(f"{hit.term_id}\t{hit.label or ''}\t{hit.matched} ({hit.scope}, {hit.kind}){flag}")
    return 0


def _add(args: argparse.Namespace) -> int:
    from harmonize.io import check_output_path
    from harmonize.ontology.manifest import default_manifest_path
    from harmonize.ontology.pinning import add_entry

    manifest = args.manifest or default_manifest_path()
    check_output_path(manifest)
    if not args.replace:
        from harmonize.errors import OntologyLoadError
        from harmonize.ontology.manifest import read_manifest

        names = {e.name.casefold() for e in read_manifest(manifest)}
        if args.name.casefold() in names:
            raise OntologyLoadError(
                f"{args.name} is already in the manifest (use --replace)", path=manifest
            )
    entry = add_entry(
        args.name,
        args.source,
        prefix=args.prefix,
        version=args.onto_version,
        manifest=args.manifest,
        replace_existing=args.replace,
    )
    print(
        f"added {entry.name} (prefix {entry.prefix}, version {entry.version or 'unknown'}, "
        f"sha256 {entry.sha256}) to {args.manifest or default_manifest_path()}"
    )
    return 0
