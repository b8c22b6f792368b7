"""The preview card OpenRefine shows when a steward hovers a candidate.

A small self-contained HTML page (no script, inline style, sizes in ``rem``) that renders
inside OpenRefine's sandboxed iframe of the manifest's width and height: label, ID (a
link to the term's PURL), obsolete status and replacement, definition, parents (is_a and
part_of) and synonyms with their scope. Every value is HTML-escaped (Jinja autoescape).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from harmonize.ontology.index import OntologyIndex
    from harmonize.ontology.model import Term

__all__ = ["MAX_SYNONYMS", "not_found_html", "preview_html"]

HERE = Path(__file__).resolve().parent
#: synonyms listed on the card (the rest are counted)
MAX_SYNONYMS = 8


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(HERE / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def _source(index: OntologyIndex, term: Term) -> str | None:
    for meta in index.sources or (index.meta,):
        if term.prefix in meta.prefixes:
            return f"{meta.name} {meta.version}" if meta.version else meta.name
    return None


def preview_html(term: Term, index: OntologyIndex, *, types: list[str] | None = None) -> str:
    """The card for ``term`` of ``index`` (``types``: names of the types it belongs to)."""
    from harmonize.curie import expand

    def named(term_id: str) -> str:
        return index.label(term_id) or term_id

    parents = [(p, named(p), "is_a") for p in term.parents]
    parents += [(p, named(p), "part of") for p in term.part_of]
    synonyms = [(s.text, s.scope) for s in term.synonyms]
    context = {
        "label": term.label or term.id,
        "curie": term.id,
        "purl": expand(term.id, strict=False) or "#",
        "source": _source(index, term),
        "obsolete": term.obsolete,
        "replaced_by": [(r, named(r)) for r in term.replaced_by],
        "definition": term.definition,
        "parents": parents,
        "synonyms": synonyms[:MAX_SYNONYMS],
        "more_synonyms": max(0, len(synonyms) - MAX_SYNONYMS),
        "types": types or [],
    }
    return _environment().get_template("preview.html").render(context)


def not_found_html(term_id: str) -> str:
    """A short page for an identifier this service does not know."""
    import html

    shown = html.escape(term_id)
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>not found</title>'
        f"<body><p>No term {shown} in this service's ontologies.</p></body></html>"
    )
