"""Dask adapters: partition a job, run the same library call per partition, merge.

``harmonize convert|validate|ground --dask ADDRESS`` (a running scheduler) or
``--dask local[:N]`` (N worker processes here). No harmonize logic lives here: each task
calls the function a single machine calls, on its share of the data.
"""

from __future__ import annotations

__all__: list[str] = []
