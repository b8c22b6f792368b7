"""Publishing: harmonized RDF and mapping sets as linked data others can query.

- :func:`publish_files` — load files into the embedded pyoxigraph store (one named graph
  per dataset and per mapping set, ontology labels/hierarchy, atomic replacement).
- :func:`push_files` — send the same graphs to another triple store (SPARQL 1.1 Graph
  Store protocol).
- :func:`harmonize.publishing.server.create_app` — the read-only SPARQL endpoint (Starlette).

Heavy libraries (pyoxigraph, starlette, uvicorn) are imported inside the functions.
"""

from harmonize.publishing.api import PublishReport, publish_files, push_files

__all__ = ["PublishReport", "publish_files", "push_files"]
