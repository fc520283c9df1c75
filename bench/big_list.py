"""--big-list: the list without `limit` of a user with 100,000 todos at their largest (about
240 MB of JSON), read once alone and then six times in parallel, each reader discarding what it
reads. Meanwhile the service's RSS is sampled and /health timed on a connection of its own. The
contract: memory does not grow with the list's size, other requests are not held up."""

import http.client
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench.broken import Broken
from bench.process_stats import rss_kib
from bench.progress import log
from bench.report import Report, table
from bench.scratch_database import Scratch, scratch_database
from bench.seeding import bulk_load, todo_insert
from bench.servers import LOOPBACK, Server, serve

TODOS = 100_000
PARALLEL = (1, 6)
HEALTH_EVERY_S = 0.02


def seed_big_list(scratch: Scratch) -> str:
    """One user with TODOS todos, title and description at their maximum lengths."""
    user = str(uuid.uuid4())
    log(f"seeding {TODOS:,} todos of the largest size for one user")
    connection = scratch.admin()
    try:
        with connection.cursor() as cursor, bulk_load(cursor):
            cursor.execute("INSERT INTO users (id) VALUES (%s)", (user,))
            cursor.execute(
                todo_insert(
                    """SELECT %(user)s::uuid, gen_random_uuid(),
                       left(g || repeat(' title', 50), 254) || '.',
                       left(repeat('a long description ', 110), 2000), g %% 2 = 0,
                       timestamptz '2026-01-01' + g * interval '1 millisecond',
                       timestamptz '2026-01-01' + g * interval '1 millisecond', 1
                    FROM generate_series(1, %(n)s) AS g"""
                ),
                {"user": user, "n": TODOS},
            )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE todos")
    finally:
        connection.close()
    return user


@dataclass
class Round:
    readers: int
    seconds: float = 0.0
    bytes_per_list: list[int] = field(default_factory=list)
    rss_start_kib: int = 0
    rss_peak_kib: int = 0
    rss_after_kib: int = 0
    health_ms: list[float] = field(default_factory=list)


def _read_list(port: int, user: str, sizes: list[int]) -> None:
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=300)
    connection.request("GET", "/api/v1/todos", headers={"X-User-ID": user})
    response = connection.getresponse()
    size, tail = 0, b""
    while chunk := response.read(1 << 20):
        size += len(chunk)
        tail = (tail + chunk)[-100:]
    connection.close()
    if response.status != 200 or not tail.endswith(b'"count":%d,"next_cursor":null}' % TODOS):
        raise Broken(f"list answered {response.status}, ending {tail[-60:]!r}")
    sizes.append(size)


def _round(server: Server, user: str, readers: int) -> Round:
    result = Round(readers, rss_start_kib=rss_kib(server.pid))
    result.rss_peak_kib = result.rss_start_kib
    threads = [
        threading.Thread(target=_read_list, args=(server.port, user, result.bytes_per_list))
        for _ in range(readers)
    ]
    health = http.client.HTTPConnection(LOOPBACK, server.port, timeout=60)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        asked = time.perf_counter()
        health.request("GET", "/health")
        health.getresponse().read()
        result.health_ms.append((time.perf_counter() - asked) * 1000)
        result.rss_peak_kib = max(result.rss_peak_kib, rss_kib(server.pid))
        time.sleep(HEALTH_EVERY_S)
    result.seconds = time.monotonic() - started
    health.close()
    time.sleep(1.0)
    result.rss_after_kib = rss_kib(server.pid)
    server.check_alive()
    if len(result.bytes_per_list) != readers:
        raise Broken(f"only {len(result.bytes_per_list)} of {readers} lists completed")
    return result


def _p(values: list[float], percentile: int) -> float:
    return statistics.quantiles(values, n=100)[percentile - 1] if len(values) > 1 else values[0]


def run_big_list(report: Report, python: str, workdir: Path) -> None:
    with scratch_database("biglist") as scratch:
        user = seed_big_list(scratch)
        rounds = []
        with serve("service", python, scratch.owner_url, workdir) as server:
            _read_list(server.port, user, [])  # warm-up: caches, thread pool, pool connections
            for readers in PARALLEL:
                log(f"big list: {readers} reader(s) of the {TODOS:,}-todo list")
                rounds.append(_round(server, user, readers))
                r = rounds[-1]
                log(
                    f"big list: {readers} reader(s) took {r.seconds:.1f} s; RSS growth "
                    f"{(r.rss_peak_kib - r.rss_start_kib) / 1024:.1f} MiB; /health p99 "
                    f"{_p(r.health_ms, 99):.1f} ms"
                )
    rows = [
        [
            f"{r.readers} in parallel",
            f"{r.bytes_per_list[0] / 1e6:.0f} MB",
            f"{r.seconds:.1f}",
            f"{r.rss_start_kib / 1024:.0f}",
            f"{(r.rss_peak_kib - r.rss_start_kib) / 1024:+.1f}",
            f"{(r.rss_after_kib - r.rss_start_kib) / 1024:+.1f}",
            f"{statistics.median(r.health_ms):.1f}",
            f"{_p(r.health_ms, 99):.1f}",
            f"{max(r.health_ms):.1f}",
            len(r.health_ms),
        ]
        for r in rounds
    ]
    headers = ["lists", "body", "s", "RSS MiB", "peak +MiB", "after +MiB"]
    headers += ["/health p50 ms", "p99 ms", "max ms", "n"]
    head = (
        f"GET /api/v1/todos (no limit) of one user with {TODOS:,} todos at their largest, "
        "read in full and discarded by each reader; RSS sampled and /health timed every "
        f"{HEALTH_EVERY_S * 1000:.0f} ms meanwhile (after: 1 s after the last list).\n"
    )
    report.add("Big list", head + table(headers, rows))
