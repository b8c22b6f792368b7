"""Pin a new ontology: prove its file loads, then record it in the manifest.

Apart from :mod:`harmonize.ontology.manifest` (which only reads and writes the manifest
and locates files) because pinning needs the index: manifest <- cache <- pinning, no
cycle.
"""

from __future__ import annotations

from pathlib import Path

from harmonize.errors import OntologyLoadError
from harmonize.io.checksum import file_sha256
from harmonize.ontology.cache import load_index
from harmonize.ontology.manifest import (
    ManifestEntry,
    default_manifest_path,
    download,
    download_target,
    read_manifest,
    write_manifest,
)

__all__ = ["add_entry"]


def add_entry(
    name: str,
    source: str,
    *,
    prefix: str | None = None,
    version: str | None = None,
    manifest: str | Path | None = None,
    replace_existing: bool = False,
) -> ManifestEntry:
    """Record an ontology in the manifest (atomically) and return its entry.

    ``source`` is a local file (its sha256 is computed; version and prefix are read
    from the file when not given) or a URL (downloaded into the cache first).
    """
    manifest_path = Path(manifest) if manifest is not None else default_manifest_path()
    entries = read_manifest(manifest_path)
    existing = next((e for e in entries if e.name.casefold() == name.casefold()), None)
    if existing is not None and not replace_existing:
        raise OntologyLoadError(
            f"{existing.name} is already in the manifest (replace it explicitly)",
            path=manifest_path,
        )
    purl: str | None = None
    if "://" in source:
        purl = source
        stub = ManifestEntry(name=name, prefix=prefix or name, version=version)
        target = download_target(stub, source)
        local = target if target.is_file() else download(source, target)
    else:
        local = Path(source).expanduser().resolve()
    index = load_index(local)  # proves it loads; raises a one-line error otherwise
    try:
        stored = str(local.relative_to(manifest_path.parent.resolve()))
    except ValueError:
        stored = str(local)
    entry = ManifestEntry(
        name=name,
        prefix=prefix or (index.meta.prefixes[0] if index.meta.prefixes else name),
        version=version or index.meta.version,
        purl=purl,
        path=None if purl else stored,
        sha256=file_sha256(local),  # of the local file, or of what the URL gave
    )
    updated = [entry if e is existing else e for e in entries]
    write_manifest(updated if existing is not None else [*entries, entry], manifest_path)
    return entry
