"""Privacy guard: find identifying columns, apply a policy, refuse what is uncovered.

Heavy work is done in the submodules; import from them directly, e.g.
``from harmonize.privacy.guard import check_columns``.
"""

__all__: list[str] = []
