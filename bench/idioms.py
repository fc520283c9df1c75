"""--idioms: each endpoint as it is served today (variant A, PlainRoute and hand-read inputs)
against FastAPI's declarative version of it (variant B, bench/declarative_routes.py), both
apps up at once on one scratch database, the runs interleaved A B B A ... so that drift of
the shared machine (other load, the table growing) falls on both alike."""

import os
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import mean

from bench.progress import log
from bench.report import Report, table
from bench.scratch_database import scratch_database
from bench.seeding import SeededMix, seed_mix
from bench.servers import Server, serve
from bench.workload import seeded_mix_args
from bench.wrk import WRK_THREADS, Wrk
from bench.wrk_result import WrkRun

IDIOM_OPS = ("create", "list", "get", "patch", "delete", "tags", "health")
ENDPOINTS = {
    "create": "POST /api/v1/todos",
    "list": "GET /api/v1/todos?limit=50",
    "get": "GET /api/v1/todos/{id}",
    "patch": "PATCH /api/v1/todos/{id}",
    "delete": "DELETE /api/v1/todos/{id}",
    "tags": "GET /api/v1/tags",
    "health": "GET /health",
}
LEVELS = (16, 64)
WARMUP_S = 1.0
# Deletes alone take seeded todos; enough for every measured and warm-up run of both apps.
DELETABLE_PER_USER = 60
THRESHOLD = 0.05  # under 5% fewer req/s: back to the framework


def ok_rps(run: WrkRun) -> float:
    """2xx answers per second: a 503 (the database's deadline passed on a loaded machine) is
    cheap to send and would flatter the variant that times out more."""
    return run.ok / run.seconds if run.seconds else 0.0


@dataclass
class Pair:
    op: str
    conns: int
    plain: list[WrkRun]
    declarative: list[WrkRun]

    @property
    def change(self) -> float:
        """The declarative route's req/s against today's, -0.10 = 10% fewer."""
        return mean(ok_rps(r) for r in self.declarative) / mean(ok_rps(r) for r in self.plain) - 1


def run_idioms(wrk: Wrk, report: Report, python: str, seconds: float, rounds: int) -> None:
    load_before = os.getloadavg()
    with scratch_database("idioms") as scratch:
        seeded = seed_mix(
            scratch,
            wrk.workdir,
            users=1000,
            per_user=10,
            deletable_per_user=DELETABLE_PER_USER,
        )
        # Each delete run's share: every (level, round) has a warm-up and a measured run per app.
        share = len(seeded.deletable) // (2 * 2 * len(LEVELS) * rounds)
        with (
            serve("service", python, scratch.owner_url, wrk.workdir) as plain,
            serve("declarative", python, scratch.owner_url, wrk.workdir) as declarative,
        ):
            for server in (plain, declarative):
                log(f"{server.name}: warm-up 3 s, the CRUD mix")
                wrk.run(
                    server,
                    conns=16,
                    seconds=3,
                    label="warmup",
                    lua_args=seeded_mix_args(seeded, deletable=share),
                )
            pairs = [
                _measure_pair(op, conns, (plain, declarative), wrk, seeded, seconds, rounds, share)
                for op in IDIOM_OPS
                for conns in LEVELS
            ]
    load_after = os.getloadavg()
    report.add(
        "Declarative FastAPI routes against today's (PlainRoute)",
        _pairs_table(pairs, seconds, rounds, load_before, load_after),
    )


def _measure_pair(
    op: str,
    conns: int,
    servers: tuple[Server, Server],
    wrk: Wrk,
    seeded: SeededMix,
    seconds: float,
    rounds: int,
    share: int,
) -> Pair:
    mix = f"{op}:1"
    runs: dict[str, list[WrkRun]] = {"service": [], "declarative": []}
    for n in range(rounds):
        order = servers if n % 2 == 0 else servers[::-1]  # A B, then B A
        for server in order:
            args = seeded_mix_args(seeded, mix=mix, deletable=share)
            wrk.run(server, conns=conns, seconds=WARMUP_S, label="warmup", lua_args=args)
            args = seeded_mix_args(seeded, mix=mix, deletable=share)
            run = wrk.run(server, conns=conns, seconds=seconds, label=f"{op}", lua_args=args)
            runs[server.name].append(run)
            log(
                f"{op} c={conns} round {n + 1} {server.name}: {ok_rps(run):.0f} 2xx/s, "
                f"CPU {run.cpu_ms_per_request:.3f} ms/req, host {100 * run.host_busy:.0f}%, "
                f"errors {run.error_text()}"
            )
    return Pair(op, conns, runs["service"], runs["declarative"])


def _spread(runs: Sequence[WrkRun]) -> str:
    return f"{min(ok_rps(r) for r in runs):.0f}..{max(ok_rps(r) for r in runs):.0f}"


def _errors(runs: Sequence[WrkRun]) -> int:
    return sum(r.non2xx + r.socket_errors + r.timeouts for r in runs)


def _pairs_table(
    pairs: list[Pair],
    seconds: float,
    rounds: int,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    rows: list[list[object]] = []
    for p in pairs:
        a, b = p.plain, p.declarative
        cpu_a = mean(r.cpu_ms_per_request for r in a)
        cpu_b = mean(r.cpu_ms_per_request for r in b)
        rows.append(
            [
                ENDPOINTS[p.op],
                p.conns,
                f"{mean(ok_rps(r) for r in a):.0f}",
                f"{mean(ok_rps(r) for r in b):.0f}",
                f"{100 * p.change:+.1f}%",
                f"{cpu_a:.3f}",
                f"{cpu_b:.3f}",
                f"{100 * (cpu_b / cpu_a - 1):+.0f}%",
                f"{_spread(a)} | {_spread(b)}",
                f"{100 * mean(r.host_busy for r in a + b):.0f}%",
                "declarative" if p.change > -THRESHOLD else "keep plain",
                f"{_errors(a)} | {_errors(b)}",
            ]
        )
    head = (
        f"req/s: 2xx answers per second. A = today's route (PlainRoute, hand-read inputs), "
        f"B = FastAPI's declarative route (bench/declarative_routes.py); {rounds} rounds of "
        f"{seconds:.0f} s per variant and level, A B then B A, 1 s warm-up before each; "
        f"wrk -t{WRK_THREADS}. "
        f"CPU ms/req: the app process's CPU per request. host: whole machine busy (2 cores = "
        f"100%). Load average {load_before[0]:.2f} before, {load_after[0]:.2f} after. "
        f"Verdict: declarative when B loses under {100 * THRESHOLD:.0f}% of req/s.\n"
    )
    headers = ["endpoint", "conns", "A req/s", "B req/s", "B vs A", "A CPU ms", "B CPU ms"]
    headers += ["CPU B/A", "req/s range A | B", "host", "verdict", "non-2xx+socket A | B"]
    return head + table(headers, rows, left=1)
