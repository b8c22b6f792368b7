"""harmonize as a W3C Reconciliation API service, for OpenRefine (``harmonize reconcile``).

``service.ReconcileService`` holds the ontology index, the types (ontology branches and
LinkML slots), the value matchers and the decision ledger; ``app.create_app(service)`` is
the Starlette app over it (API 0.2 at the root, the 1.0 draft under ``/v1``);
``server.serve(...)`` runs it. The protocol logic is pure and lives in small modules:
``query`` (parsing batches), ``candidates`` (results, scores, features), ``manifest``,
``suggest``, ``preview``, ``extend`` and ``writeback`` (decisions into the ledger).
Nothing heavy is imported here.
"""

__all__: list[str] = []
