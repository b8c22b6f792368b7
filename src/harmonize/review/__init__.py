"""The steward's review workbench (``harmonize review``).

``workspace.load_workspace(...)`` reads the mapping sets, the decision ledger, the
ontology and the partner table; ``app.create_app(workspace)`` is the Starlette app over it
(pages in ``pages``, writes in ``actions``, form checks in ``forms``, access rules in
``guard``); ``server.serve(...)`` runs it. The queue (``queue``, ``build``, ``progress``),
the table index, term display and search are pure and import nothing heavy.
"""

__all__: list[str] = []
