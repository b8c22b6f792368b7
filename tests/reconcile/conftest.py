"""Fixtures for the reconciliation service: a service over the small UBERON excerpt, an
HTTP client, and validators built from the specification's own JSON Schemas."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import DATA, ROOT, require

SPEC = ROOT.parent / "shared" / "reconciliation-api"
REVIEW = DATA / "review"
TINY_SCHEMA = DATA / "schema" / "tiny.yaml"
BRANCH = "UBERON:0001062"
HOST = "127.0.0.1:8766"


@pytest.fixture(scope="session")
def spec_dir() -> Path:
    """``../shared/reconciliation-api`` (skips on a clone without it, fails in CI)."""
    require((SPEC / "0.2" / "schemas").is_dir(), f"reconciliation API specs not found at {SPEC}")
    return SPEC


def _validators(folder: Path) -> dict[str, Any]:
    """One Draft-7 validator per schema file, every ``$ref`` resolved offline."""
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT7

    schemas = {p.name: json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))}
    registry: Registry[Any] = Registry()
    for name, schema in schemas.items():
        if name == "openapi.json":
            continue
        resource = Resource.from_contents(schema, default_specification=DRAFT7)
        base = schema["$id"].rsplit("/", 1)[0]
        # some $ids name another file (0.2's query batch is "reconciliation-query.json",
        # a proposal schema sits under draft/): register each file under its own name too
        registry = registry.with_resources(
            [(schema["$id"], resource), (f"{base}/{name}", resource)]
        )
    return {
        name.removesuffix(".json"): Draft7Validator(schema, registry=registry)
        for name, schema in schemas.items()
        if name != "openapi.json"
    }


@pytest.fixture(scope="session")
def v02(spec_dir: Path) -> dict[str, Any]:
    return _validators(spec_dir / "0.2" / "schemas")


@pytest.fixture(scope="session")
def v10(spec_dir: Path) -> dict[str, Any]:
    return _validators(spec_dir / "1.0-draft" / "schemas")


def errors_of(validator: Any, document: Any) -> list[str]:
    """Every schema error, as ``path: message`` (empty when the document is valid)."""
    return [
        f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
        for e in validator.iter_errors(document)
    ]


@pytest.fixture
def make_service(tmp_path: Path) -> Callable[..., Any]:
    """A service over ontology files (default: the UBERON excerpt with its branch and the
    tiny schema), its ledger in ``tmp_path``."""
    from harmonize.ontology.cache import load_index
    from harmonize.reconcile.service import ReconcileService
    from harmonize.schema.view import load_schema

    def make(
        *files: Path,
        roots: tuple[str, ...] = (BRANCH,),
        schema: Path | None = TINY_SCHEMA,
        ledger: Path | None = None,
    ) -> Any:
        indexes = [load_index(f) for f in (files or (REVIEW / "anatomy.obo",))]
        return ReconcileService(
            indexes, roots=roots, schema=load_schema(schema) if schema else None,
            ledger=ledger or tmp_path / "mappings" / "decisions.sqlite",
        )  # fmt: skip

    return make


@pytest.fixture
def service(make_service: Callable[..., Any]) -> Any:
    return make_service()


def client_for(service: Any, host: str = HOST, **kwargs: Any) -> Any:
    from starlette.testclient import TestClient

    from harmonize.reconcile.app import create_app

    return TestClient(create_app(service, **kwargs), base_url=f"http://{host}")


@pytest.fixture
def client(service: Any) -> Any:
    return client_for(service, reviewer_name="Ada Steward")


def queries(*items: dict[str, Any]) -> dict[str, str]:
    """The form OpenRefine posts: ``queries={"q0": {...}, "q1": {...}}``."""
    return {"queries": json.dumps({f"q{i}": q for i, q in enumerate(items)})}
