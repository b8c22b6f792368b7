"""Publishing job: converted RDF and mapping sets into the embedded SPARQL store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harmonize.publish.api import PublishReport

__all__ = ["publish"]


def publish(
    paths: Sequence[str | Path],
    *,
    store: str | Path,
    restricted: bool = False,
    graph: str | None = None,
    ontologies: Sequence[str | Path] = (),
    policy: str | Path | None = None,
) -> PublishReport:
    """Load ``paths`` (RDF files, SSSOM mapping sets) into the store folder ``store``,
    one named graph each, replacing an earlier version atomically; ``harmonize serve``
    then answers SPARQL over it. Restricted datasets stay invisible without a token.

    >>> import harmonize, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> sssom = harmonize.write_sssom(harmonize.match_columns(harmonize.demo_table()),
    ...                               folder / "columns.sssom.tsv")
    >>> [g.triples > 0 for g in harmonize.publish([sssom], store=folder / "store").graphs]
    [True]
    """
    from harmonize.publish.api import publish_files

    return publish_files(
        paths,
        store,
        graph=graph,
        restricted=restricted,
        ontology_files=[Path(p) for p in ontologies],
        policy=policy,
    )
