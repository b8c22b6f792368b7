"""HTTP content negotiation for the endpoint (pure functions over header values)."""

from __future__ import annotations

__all__ = ["best_match", "graph_format", "select_format", "wants_html"]

_SELECT_TYPES = {  # order matters for wildcards: text/* gets CSV
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/xml": "xml",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/rdf+xml": "rdfxml",
}
_FORMAT_PARAM = {
    "json": ("json", "jsonld"),
    "xml": ("xml", "rdfxml"),
    "csv": ("csv", None),
    "tsv": ("tsv", None),
    "turtle": (None, "turtle"),
    "ttl": (None, "turtle"),
    "jsonld": (None, "jsonld"),
    "json-ld": (None, "jsonld"),
    "nt": (None, "ntriples"),
    "ntriples": (None, "ntriples"),
    "n-triples": (None, "ntriples"),
    "rdfxml": (None, "rdfxml"),
}


def _parse(accept: str | None) -> list[tuple[str, float, int]]:
    """``(media type, q, position)`` sorted best first."""
    items: list[tuple[str, float, int]] = []
    for position, part in enumerate((accept or "").split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        items.append((pieces[0].lower(), q, position))
    return sorted(items, key=lambda item: (-item[1], _specificity(item[0]), item[2]))


def _specificity(media: str) -> int:
    return 2 if media == "*/*" else 1 if media.endswith("/*") else 0


def best_match(accept: str | None, offered: dict[str, str], default: str) -> str | None:
    """The offered format the ``Accept`` header prefers; ``None`` if it accepts none."""
    parsed = _parse(accept)
    if not parsed:
        return default
    for media, q, _ in parsed:
        if q <= 0:
            continue
        if media in offered:
            return offered[media]
        if media == "*/*":
            return default
        if media.endswith("/*"):
            major = media[:-1]
            for candidate, fmt in offered.items():
                if candidate.startswith(major):
                    return fmt
    return None


def select_format(accept: str | None, format_param: str | None = None) -> str | None:
    """``json`` | ``xml`` | ``csv`` | ``tsv`` for SELECT/ASK results."""
    if format_param:
        return _FORMAT_PARAM.get(format_param.lower(), (None, None))[0]
    return best_match(accept, _SELECT_TYPES, "json")


def graph_format(accept: str | None, format_param: str | None = None) -> str | None:
    """``turtle`` | ``jsonld`` | ``ntriples`` | ``rdfxml`` for CONSTRUCT/DESCRIBE results."""
    if format_param:
        return _FORMAT_PARAM.get(format_param.lower(), (None, None))[1]
    return best_match(accept, _GRAPH_TYPES, "turtle")


def wants_html(accept: str | None) -> bool:
    """True when a browser asks: ``text/html`` ranks above every RDF type."""
    offered = {"text/html": "html", "application/xhtml+xml": "html"}
    offered.update(_GRAPH_TYPES)
    return best_match(accept, offered, "turtle") == "html"
