"""Locate the folders harmonize ships: ``schemas/``, ``ontologies/``, ``mappings/``.

In a source checkout (editable install) they sit at the repository root; in a wheel
they are packaged under ``harmonize/_bundled/``.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["bundled_dir", "cellxgene_data_dir", "project_root"]

_PACKAGE = Path(__file__).resolve().parent


def project_root() -> Path | None:
    """The source checkout root, when running from one."""
    root = _PACKAGE.parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "schemas").is_dir() else None


def bundled_dir(name: str) -> Path:
    """``schemas`` | ``ontologies`` | ``mappings`` | ``demo`` folder shipped with harmonize."""
    root = project_root()
    if root is not None and (root / name).is_dir():
        return root / name
    return _PACKAGE / "_bundled" / name


def cellxgene_data_dir() -> Path:
    """Folder of ontology files shipped by the ``cellxgene-ontology-guide`` package."""
    import importlib.util

    spec = importlib.util.find_spec("cellxgene_ontology_guide")
    if spec is None or spec.origin is None:  # pragma: no cover - it is a dependency
        from harmonize.errors import OntologyLoadError

        raise OntologyLoadError("the package cellxgene-ontology-guide is not installed")
    return Path(spec.origin).parent / "data"
