"""pyshacl over records, each distinct (class, slot, values) validated once.

The model's shapes are flat: one property shape per (class, slot), targeted at the class,
with constraints on that slot's values and their count only. A record's result for such a
shape depends on nothing but the set of its values on the slot, so records that share it
(every donor coded ``PATO:0000384`` for sex) share the result. :class:`SignatureShacl`
gives pyshacl one small node per distinct (class, slot, value set) - against a copy of the
shapes retargeted so each node meets only its own shape - and hands the results back to
every record with that signature. Shapes of any other form (nested, property paths,
pair constraints, SPARQL) fall back to whole records in batches (:func:`shapes_are_flat`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from harmonize.validation.report import SH, Issue, what_is_wrong

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "SignatureShacl",
    "Template",
    "shacl_issues",
    "shapes_are_flat",
    "take_class_links",
    "templates",
]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
#: Parameters whose result depends only on the focus node's values on the shape's path.
_PER_VALUE = frozenset(
    SH + name
    for name in [
        "minCount",
        "maxCount",
        "datatype",
        "pattern",
        "flags",
        "in",
        "nodeKind",
        "hasValue",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
        "languageIn",
        "uniqueLang",
    ]
)
_METADATA = frozenset(
    SH + name
    for name in [
        "path",
        "name",
        "description",
        "order",
        "group",
        "severity",
        "message",
        "deactivated",
    ]
) | {RDF_TYPE, "http://www.w3.org/2000/01/rdf-schema#comment", SH + "targetClass"}
_TARGETS = frozenset(SH + t for t in ("targetNode", "targetSubjectsOf", "targetObjectsOf"))
#: One result of a shape on a signature: (path, value, component, message, severity).
Template = tuple[Any, Any, str, str | None, str]


def take_class_links(shapes: rdflib.Graph) -> dict[tuple[str, str], str]:
    """Remove the ``sh:class`` constraints from ``shapes``; (target class, path) -> class.
    They are checked against all records instead (a batch never holds the linked one)."""
    from rdflib import Namespace

    sh = Namespace(SH)
    out: dict[tuple[str, str], str] = {}
    for shape, expected in list(shapes.subject_objects(sh["class"])):
        path = shapes.value(shape, sh.path)
        for target in shapes.objects(shape, sh.targetClass):
            out[(str(target), str(path))] = str(expected)
        shapes.remove((shape, sh["class"], expected))
    return out


def shapes_are_flat(shapes: rdflib.Graph) -> bool:
    """True when every targeted shape is a property shape on an IRI path with per-value
    and count constraints only (what :class:`SignatureShacl` may validate)."""
    from rdflib import URIRef

    for shape in set(shapes.subjects(URIRef(SH + "targetClass"), None)):
        path = shapes.value(shape, URIRef(SH + "path"))
        for p, _ in shapes.predicate_objects(shape):
            name = str(p)
            if name in _METADATA or (path is not None and name in _PER_VALUE):
                continue
            return False
        if path is not None and not isinstance(path, URIRef):
            return False
    return not any(True for t in _TARGETS for _ in shapes.subjects(URIRef(t), None))


class SignatureShacl:
    """Validates records through their (class, path, value set) signatures."""

    def __init__(self, shapes: rdflib.Graph, cache_limit: int = 200_000) -> None:
        from rdflib import URIRef

        self.shapes = _retargeted(shapes)
        self.paths: dict[str, list[tuple[str, str]]] = {}  # class IRI -> [(path, target)]
        target_class, sh_path = URIRef(SH + "targetClass"), URIRef(SH + "path")
        self._targets: dict[tuple[str, str], str] = {}
        for shape in set(shapes.subjects(target_class, None)):
            path = shapes.value(shape, sh_path)
            for cls in shapes.objects(shape, target_class):
                key = (str(cls), str(path))
                if path is not None and key not in self._targets:
                    self._targets[key] = _target_iri(key)
                    self.paths.setdefault(str(cls), []).append((str(path), self._targets[key]))
        self._path_of = {target: path for (_, path), target in self._targets.items()}
        self._cache: dict[tuple[str, frozenset[Any]], list[Template]] = {}
        self._limit = cache_limit

    def signatures(self, types: Iterable[str], values: dict[str, frozenset[Any]]) -> list[Any]:
        """The signatures of a record with rdf:types ``types`` and ``values`` (path ->
        set of rdflib terms)."""
        empty: frozenset[Any] = frozenset()
        return [
            (target, values.get(path, empty))
            for cls in types
            for path, target in self.paths.get(cls, ())
        ]

    def known(self, signature: Any) -> list[Template] | None:
        return self._cache.get(signature)

    def run(self, signatures: Iterable[Any]) -> None:
        """Validate new signatures with pyshacl and remember their results."""
        import pyshacl
        import rdflib
        from rdflib import RDF, URIRef

        graph = rdflib.Graph()
        nodes: dict[Any, Any] = {}
        for number, signature in enumerate(signatures):
            node = URIRef(f"urn:harmonize:signature:{number}")
            nodes[node] = signature
            target, values = signature
            graph.add((node, RDF.type, URIRef(target)))
            path = URIRef(self._path_of[target])
            for value in values:
                graph.add((node, path, value))
        if len(self._cache) + len(nodes) > self._limit:
            self._cache.clear()
        for signature in nodes.values():
            self._cache[signature] = []
        if not nodes:
            return
        conforms, results, _ = pyshacl.validate(
            graph, shacl_graph=self.shapes, inference="none", advanced=False, allow_warnings=True
        )
        if conforms:
            return
        for focus, template in templates(results):
            self._cache[nodes[focus]].append(template)


def _target_iri(key: tuple[str, str]) -> str:
    import hashlib

    return "urn:harmonize:target:" + hashlib.sha1("\x00".join(key).encode()).hexdigest()


def _retargeted(shapes: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``shapes`` whose property shapes target one class per (class, path)."""
    import rdflib
    from rdflib import URIRef

    out = rdflib.Graph()
    for triple in shapes:
        out.add(triple)
    target_class, sh_path = URIRef(SH + "targetClass"), URIRef(SH + "path")
    for shape, cls in list(out.subject_objects(target_class)):
        path = out.value(shape, sh_path)
        out.remove((shape, target_class, cls))
        if path is not None:
            out.add((shape, target_class, URIRef(_target_iri((str(cls), str(path))))))
    return out


def templates(results: rdflib.Graph) -> Iterable[tuple[Any, Template]]:
    from rdflib import RDF, Namespace

    sh = Namespace(SH)
    for result in results.subjects(RDF.type, sh.ValidationResult):
        message = results.value(result, sh.resultMessage)
        yield (
            results.value(result, sh.focusNode),
            (
                results.value(result, sh.resultPath),
                results.value(result, sh.value),
                str(results.value(result, sh.sourceConstraintComponent)),
                str(message) if message is not None else None,
                str(results.value(result, sh.resultSeverity) or SH + "Violation"),
            ),
        )


def shacl_issues(
    found: Iterable[tuple[str, Template]], slot_names: dict[str, str], classes: dict[str, str]
) -> list[tuple[Issue, Any]]:
    """Issues (with the value as an rdflib term) from ``(record, template)`` pairs."""
    out: list[tuple[Issue, Any]] = []
    for focus, (path, value, component, message, severity) in found:
        issue = Issue(
            record=focus,
            record_class=classes.get(focus),
            slot=slot_names.get(str(path), str(path) if path is not None else None),
            value=str(value) if value is not None else None,
            message=what_is_wrong(component, message),
            constraint=component,
            severity=severity.rsplit("#", 1)[-1],
        )
        out.append((issue, value))
    # a value of the wrong datatype also fails min/max: report only the datatype
    wrong_type = {
        (i.record, i.slot, i.value)
        for i, _ in out
        if i.constraint.endswith("#DatatypeConstraintComponent")
    }
    return [
        (i, v)
        for i, v in out
        if not (
            i.constraint.endswith(
                ("#MinInclusiveConstraintComponent", "#MaxInclusiveConstraintComponent")
            )
            and (i.record, i.slot, i.value) in wrong_type
        )
    ]
