"""The steward's review workbench (``harmonize review``).

``workspace.load_workspace(...)`` reads the mapping sets, the decision ledger, the
ontology and the partner table; ``app.create_app(workspace)`` is the Starlette app over
it; ``server.serve(...)`` runs it. The queue logic (impact order, filters, progress) is
pure and lives in ``queue``. Nothing heavy is imported here.
"""

__all__: list[str] = []
