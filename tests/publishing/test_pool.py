"""The query pool keeps its workers: a query does not cost a process start."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.publishing.conftest import PUBLISH_DATA, harmonize

from harmonize.publishing.limits import Limits
from harmonize.publishing.pool import PoolConfig, QueryPool
from harmonize.publishing.worker import Job


def test_concurrent_queries_reuse_the_workers(tmp_path: Path) -> None:
    store = tmp_path / "store"
    published = harmonize("publish", str(PUBLISH_DATA / "liver_study.ttl"), "--store", str(store))
    assert published.returncode == 0, published.stderr

    async def run() -> tuple[list[int], int]:
        pool = QueryPool(str(store), Limits(), PoolConfig(ready=4, max_workers=8))
        spawned = 0
        spawn = pool._spawn

        def counting_spawn():  # type: ignore[no-untyped-def]
            nonlocal spawned
            spawned += 1
            return spawn()

        pool._spawn = counting_spawn  # type: ignore[method-assign]
        await pool.start()
        try:
            job = Job("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", authorized=False)
            statuses = []
            for _ in range(10):  # rounds of as many clients as ready workers, at once
                replies = await asyncio.gather(*(pool.run(job) for _ in range(4)))
                statuses += [reply.status for reply in replies]
            await asyncio.sleep(0.5)  # a refill started in the background would show now
        finally:
            await pool.close()
        return statuses, spawned

    statuses, spawned = asyncio.run(run())
    assert statuses == [200] * 40
    assert spawned <= 8, f"{spawned} worker processes started for 10 rounds of 4 queries"
