"""Service manifests: API 0.2 (what OpenRefine 3.x reads) at the root, 1.0 draft at ``/v1``.

Entity identifiers are CURIEs (``UBERON:0002107``); ``identifierSpace`` and
``schemaSpace`` are the OBO PURL space they expand into. The ``view`` template points at
the service's ``/view`` route, which redirects to the term's PURL (its page), so a CURIE
needs no client-side expansion. URLs are absolute, built from the address the request
came in on (with the token path, when the service requires one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from harmonize import __version__

if TYPE_CHECKING:
    from harmonize.reconcile.service import ReconcileService

__all__ = [
    "DOCUMENTATION",
    "IDENTIFIER_SPACE",
    "PREVIEW_HEIGHT",
    "PREVIEW_WIDTH",
    "SCHEMA_SPACE",
    "manifest_v02",
    "manifest_v10",
]

IDENTIFIER_SPACE = "http://purl.obolibrary.org/obo/"
SCHEMA_SPACE = "http://purl.obolibrary.org/obo/"
DOCUMENTATION = "https://github.com/harmonize/harmonize#use-harmonize-from-openrefine"
PREVIEW_WIDTH = 430
PREVIEW_HEIGHT = 320
_LIMIT_HELP = "at most this many values per term (0: all of them)"


def _default_types(service: ReconcileService) -> list[dict[str, str]]:
    return [t.as_json() for t in service.types]


def manifest_v02(service: ReconcileService, base: str) -> dict[str, Any]:
    """The 0.2 manifest, ``base`` being the service root URL without a trailing slash."""

    def endpoint(path: str) -> dict[str, str]:
        return {"service_url": base, "service_path": path}

    return {
        "versions": ["0.2"],
        "name": service.name,
        "identifierSpace": IDENTIFIER_SPACE,
        "schemaSpace": SCHEMA_SPACE,
        "documentation": DOCUMENTATION,
        "serviceVersion": __version__,
        "view": {"url": f"{base}/view?id={{{{id}}}}"},
        "preview": {
            "url": f"{base}/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
        "defaultTypes": _default_types(service),
        "suggest": {
            "entity": endpoint("/suggest/entity"),
            "type": endpoint("/suggest/type"),
            "property": endpoint("/suggest/property"),
        },
        "extend": {
            "propose_properties": endpoint("/extend/propose"),
            "property_settings": [
                {
                    "type": "number",
                    "name": "limit",
                    "label": "Limit",
                    "default": 0,
                    "help_text": _LIMIT_HELP,
                }
            ],
        },
        "batchSize": service.limits.max_queries,
        "standardizedScore": True,
    }


def manifest_v10(service: ReconcileService, base: str) -> dict[str, Any]:
    """The 1.0-draft manifest for the endpoint at ``base`` (``.../v1``)."""
    return {
        "versions": ["1.0-draft"],
        "name": service.name,
        "documentation": DOCUMENTATION,
        "serviceVersion": __version__,
        "view": {"url": f"{base}/view?id={{id}}"},
        "preview": {"width": PREVIEW_WIDTH, "height": PREVIEW_HEIGHT},
        "defaultTypes": _default_types(service),
        "suggest": {"entity": True, "property": True, "type": True},
        "extend": {
            "proposeProperties": True,
            "propertySettings": [
                {
                    "type": "number",
                    "id": "limit",
                    "name": "Limit",
                    "default": 0,
                    "helpText": _LIMIT_HELP,
                }
            ],
        },
        "batchSize": service.limits.max_queries,
        "standardizedScore": True,
    }
