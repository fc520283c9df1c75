"""--latency: p50 per endpoint with PostgreSQL one round trip away (bench/delay_proxy.py adds
5 ms each way), for the service and the reference, at 1 and 4 connections."""

import contextlib
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg2

from bench import BENCH_DIR
from bench.broken import Broken
from bench.progress import log
from bench.report import Report, fmt_ms, table
from bench.scratch_database import Scratch, scratch_database
from bench.seeding import SeededMix, seed_mix
from bench.servers import APPS, LOOPBACK, Server, free_port, serve
from bench.workload import MIX, OPS, seeded_mix_args
from bench.wrk import Wrk
from bench.wrk_result import WrkRun

DELAY_MS = 5.0  # each way: a 10 ms round trip, as to a nearby Neon region
CONNS = (1, 4)
CELL_S = 6.0
TARGET_OVER_RTT_MS = 3.0


def select_one_rtt(url: str, samples: int = 200) -> float:
    """p50 of `SELECT 1` on one connection, in ms: the database round trip as the apps see it."""
    connection = psycopg2.connect(url, connect_timeout=10)
    connection.autocommit = True
    times = []
    try:
        with connection.cursor() as cursor:
            for _ in range(samples):
                started = time.perf_counter()
                cursor.execute("SELECT 1")
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    return statistics.median(times)


@contextlib.contextmanager
def delay_proxy(scratch: Scratch, workdir: Path) -> Iterator[str]:
    """bench/delay_proxy.py in front of the scratch database; yields the apps' URL through it."""
    port = free_port()
    proxy_log = workdir / "delay-proxy.log"
    command = [sys.executable, str(BENCH_DIR / "delay_proxy.py"), "--listen-port", str(port)]
    command += ["--target-host", scratch.host, "--target-port", str(scratch.port)]
    command += ["--delay-ms", str(DELAY_MS), "--max-seconds", "3600"]
    with proxy_log.open("wb") as proxy_out:
        proxy = subprocess.Popen(command, stdout=proxy_out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while "listening" not in proxy_log.read_text(errors="replace"):
            if proxy.poll() is not None:
                raise Broken(f"the delay proxy exited: {proxy_log.read_text()}")
            if time.monotonic() > deadline:
                raise Broken("the delay proxy did not start")
            time.sleep(0.1)
        yield scratch.owner_url_via(LOOPBACK, port)
    finally:
        proxy.terminate()
        try:
            proxy.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proxy.kill()


def run_latency(wrk: Wrk, report: Report, python: str) -> None:
    with scratch_database("latency") as scratch:
        seeded = seed_mix(scratch, wrk.workdir, users=100, per_user=20, deletable_per_user=200)
        # The runs that delete, per app: the warm-up, and deletes alone (warm-up + measured)
        # at each connection count. Each takes its own share of the seeded deletable todos.
        share = len(seeded.deletable) // (2 * (1 + 2 * len(CONNS)))
        results: dict[tuple[str, str, int], WrkRun] = {}
        with delay_proxy(scratch, wrk.workdir) as via_proxy:
            direct_rtt = select_one_rtt(scratch.owner_url)
            proxy_rtt = select_one_rtt(via_proxy)
            log(
                f"SELECT 1 round trip: {direct_rtt:.2f} ms direct, {proxy_rtt:.2f} ms through "
                f"the proxy ({DELAY_MS:g} ms each way)"
            )
            for name in APPS:
                with serve(name, python, via_proxy, wrk.workdir) as server:
                    log(f"{name}: warm-up 3 s, mix at {max(CONNS)} connections")
                    warmup = seeded_mix_args(seeded, mix=MIX, deletable=share)
                    wrk.run(server, conns=max(CONNS), seconds=3, label="warmup", lua_args=warmup)
                    for conns in CONNS:
                        for op in OPS:
                            run = _measure_op(server, wrk, seeded, op, conns, share)
                            results[(name, op, conns)] = run
    report.add(
        "Latency (database one round trip away)", latency_table(results, direct_rtt, proxy_rtt)
    )


def _measure_op(
    server: Server, wrk: Wrk, seeded: SeededMix, op: str, conns: int, share: int
) -> WrkRun:
    """One endpoint alone: 1 s of warm-up, then CELL_S measured."""
    warmup = seeded_mix_args(seeded, mix=f"{op}:1", deletable=share)
    wrk.run(server, conns=conns, seconds=1, label="warmup", lua_args=warmup)
    measured = seeded_mix_args(seeded, mix=f"{op}:1", deletable=share)
    run = wrk.run(server, conns=conns, seconds=CELL_S, label=f"latency-{op}", lua_args=measured)
    log(
        f"{server.name}: {op} at {conns} connection(s): p50 {run.p50:.2f} ms, "
        f"p99 {run.p99:.2f} ms, {run.requests} requests, errors {run.error_text()}"
    )
    return run


def latency_table(
    results: dict[tuple[str, str, int], WrkRun], direct_rtt: float, proxy_rtt: float
) -> str:
    injected = 2 * DELAY_MS
    target = injected + TARGET_OVER_RTT_MS
    first = CONNS[0]
    rows = []
    for op in OPS:
        row: list[object] = [op]
        for name in APPS:
            for conns in CONNS:
                cell = results.get((name, op, conns))
                row.append(fmt_ms(cell.p50) if cell else "-")
        s1 = results.get(("service", op, first))
        r1 = results.get(("reference", op, first))
        row += [
            f"{injected:.1f}",
            f"{target:.1f}",
            fmt_ms(s1.p50 - injected) if s1 else "-",
            fmt_ms(s1.p50 - r1.p50) if s1 and r1 else "-",
            ("yes" if s1.p50 <= target else "NO") if s1 else "-",
        ]
        rows.append(row)
    headers = ["endpoint"]
    headers += [f"service p50 c={c}" for c in CONNS] + [f"ref p50 c={c}" for c in CONNS]
    headers += ["injected RTT", "target", "svc over RTT", "svc - ref", "within target"]
    head = (
        f"A TCP proxy adds {DELAY_MS:g} ms each way between the app and PostgreSQL "
        f"(injected round trip {injected:g} ms; measured SELECT 1: {proxy_rtt:.2f} ms through "
        f"the proxy, {direct_rtt:.2f} ms direct). {CELL_S:.0f} s per cell, "
        "one endpoint at a time; target: p50 within one round trip + 3 ms. "
        f"'svc over RTT' and 'svc - ref' are at c={first}. All times ms.\n"
    )
    errors = [
        f"  {k[0]} {k[1]} c={k[2]}: errors {r.error_text()} ({r.status_breakdown()})"
        for k, r in results.items()
        if r.errors
    ]
    return head + table(headers, rows) + ("\n\nerrors:\n" + "\n".join(errors) if errors else "")
