"""How many database connections each worker process may hold: the service's connection budget
(DATABASE_MAX_CONNECTIONS, all workers together) shared out evenly between WORKERS processes.

A worker holds two pools (entrypoints/database.py): the readiness probe's (PROBE_POOL_SIZE)
and the one requests use, whose size is also the number of threads that run the routes (a
thread that could not get a connection would wait for one held by another waiting thread).
Neither pool opens more than its size (max_overflow=0), so workers x (requests + probe) is
the most the service holds open; migrating at start uses one connection more, for a moment,
before any worker serves."""

from __future__ import annotations

from dataclasses import dataclass

# The readiness probe's own pool (database.py: it answers while every request connection is
# busy or stuck).
PROBE_POOL_SIZE = 2
# A worker's request pool is never larger than this, however large the budget: anyio's default
# thread count, what one process served with before WORKERS. 40 threads keep two cores busy
# (bench/README.md); a thread per connection of a 10,000-connection pooled endpoint would cost
# memory for nothing.
MAX_REQUEST_POOL = 40
# Today's single process: 40 request connections and the probe's 2.
DEFAULT_MAX_CONNECTIONS = MAX_REQUEST_POOL + PROBE_POOL_SIZE
# The probe's pool and at least one connection for requests.
MIN_PER_WORKER = PROBE_POOL_SIZE + 1


@dataclass(frozen=True)
class WorkerPools:
    requests: int  # the request pool, and the threads that run the routes
    probe: int  # /health/ready's own pool

    @property
    def total(self) -> int:
        return self.requests + self.probe


def worker_pools(max_connections: int, workers: int) -> WorkerPools:
    """Each worker's share of `max_connections`; ValueError (naming both settings) when one
    share is too small to serve."""
    share = max_connections // workers
    if share < MIN_PER_WORKER:
        raise ValueError(
            f"DATABASE_MAX_CONNECTIONS: {max_connections} is too small for WORKERS={workers}:"
            f" each worker needs at least {MIN_PER_WORKER} ({PROBE_POOL_SIZE} for"
            " /health/ready, 1 or more for requests), so at least"
            f" {MIN_PER_WORKER * workers} in all; raise it or lower WORKERS"
        )
    requests = min(share - PROBE_POOL_SIZE, MAX_REQUEST_POOL)
    return WorkerPools(requests=requests, probe=PROBE_POOL_SIZE)
