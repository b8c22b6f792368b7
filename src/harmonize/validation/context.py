"""What validation needs from the schema and the ontologies, prepared once per process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

    from harmonize.schema.view import SchemaInfo
    from harmonize.validation.ontology_checks import OntologyChecker
    from harmonize.validation.shacl import SignatureShacl

__all__ = ["RDF_TYPE", "Context", "link_predicates", "prepare"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class Context:
    """Shapes (``sh:class`` taken out), name maps, the ontology checker."""

    schema: SchemaInfo
    shapes: rdflib.Graph
    signatures: SignatureShacl | None  # None: the shapes are not flat, records go whole
    class_links: dict[tuple[str, str], str]  # (class IRI, slot IRI) -> expected class IRI
    class_iris: dict[str, str]  # class IRI -> name (concrete classes)
    slot_names: dict[str, str]  # slot IRI -> name
    slot_iris: dict[str, str]  # slot name -> IRI
    checker: OntologyChecker
    ontologies: dict[str, str]  # prefix -> version

    @property
    def paths(self) -> dict[str, str]:
        return self.slot_names

    @property
    def by_name(self) -> dict[str, str]:
        return {name: iri for iri, name in self.class_iris.items()}


def prepare(
    schema: SchemaInfo,
    ontologies: Sequence[str | Path] = (),
    *,
    check_ontologies: bool = True,
) -> Context:
    """The validation context of ``schema`` (and the ontologies its terms are checked in)."""
    import rdflib

    from harmonize.schema.shapes import schema_iri, shapes_turtle
    from harmonize.validation.ontologies import load_for_schema
    from harmonize.validation.ontology_checks import OntologyChecker
    from harmonize.validation.shacl import SignatureShacl, shapes_are_flat, take_class_links

    shapes = rdflib.Graph().parse(data=shapes_turtle(schema), format="turtle")
    class_links = take_class_links(shapes)
    indexes = load_for_schema(schema, ontologies) if check_ontologies else {}
    slot_names = {schema_iri(schema, s.uri): s.name for _, s in schema.all_slots()}
    return Context(
        schema=schema,
        shapes=shapes,
        signatures=SignatureShacl(shapes) if shapes_are_flat(shapes) else None,
        class_links=class_links,
        class_iris={
            schema_iri(schema, c.uri): c.name for c in schema.classes.values() if not c.abstract
        },
        slot_names=slot_names,
        slot_iris={s.name: schema_iri(schema, s.uri) for _, s in schema.all_slots()},
        checker=OntologyChecker(schema, indexes),
        ontologies={p: (ix.meta.version or "?") for p, ix in indexes.items()},
    )


def link_predicates(schema: SchemaInfo) -> frozenset[str]:
    """IRIs of the slots that point to another record (checked with ``sh:class``)."""
    from harmonize.schema.shapes import schema_iri

    return frozenset(
        schema_iri(schema, s.uri) for _, s in schema.all_slots() if s.binding.kind == "class"
    )
