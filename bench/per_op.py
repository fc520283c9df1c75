"""--per-op: each endpoint alone at 16 connections, and the CPU time per request it costs the
service and the reference."""

from bench.progress import log
from bench.report import fmt_ms, table
from bench.seeding import SeededMix
from bench.servers import Server
from bench.workload import OPS, seeded_mix_args
from bench.wrk import Wrk
from bench.wrk_result import WrkRun

CONNS = 16
# Seeded todos for a measured run of deletes alone: it creates none to delete.
DELETE_ALONE_SHARE = 20_000


def measure_each_op(
    server: Server, wrk: Wrk, seeded: SeededMix, seconds: float, warmup_deletable: int
) -> dict[str, WrkRun]:
    runs: dict[str, WrkRun] = {}
    for op in OPS:
        mix = f"{op}:1"
        warmup = seeded_mix_args(seeded, mix=mix, deletable=warmup_deletable)
        wrk.run(server, conns=CONNS, seconds=1, label="warmup", lua_args=warmup)
        measured = seeded_mix_args(seeded, mix=mix, deletable=DELETE_ALONE_SHARE)
        run = wrk.run(server, conns=CONNS, seconds=seconds, label=f"op-{op}", lua_args=measured)
        runs[op] = run
        log(
            f"{server.name}: {op} alone at {CONNS} connections: {run.rps:.0f} req/s, "
            f"CPU {run.cpu_ms_per_request:.3f} ms/request"
        )
    return runs


def per_op_table(service: dict[str, WrkRun], reference: dict[str, WrkRun], seconds: float) -> str:
    rows: list[list[object]] = []
    for op in OPS:
        s, r = service.get(op), reference.get(op)
        if not (s and r):
            continue
        rows.append(
            [
                op,
                f"{s.rps:.0f}",
                f"{r.rps:.0f}",
                f"{s.rps / r.rps:.2f}x",
                fmt_ms(s.p50),
                fmt_ms(r.p50),
                f"{1000 * s.cpu_ms_per_request:.0f}",
                f"{1000 * r.cpu_ms_per_request:.0f}",
                f"{1000 * (s.cpu_ms_per_request - r.cpu_ms_per_request):+.0f}",
                f"{s.error_text()} | {r.error_text()}",
            ]
        )
    head = (
        f"Each endpoint alone, {seconds:.0f} s at {CONNS} connections after 1 s of warm-up. "
        "CPU us/req: CPU time of the app process per request (all its threads).\n"
    )
    headers = ["endpoint", "svc req/s", "ref req/s", "ratio", "svc p50", "ref p50"]
    headers += ["svc CPU us/req", "ref CPU us/req", "svc extra", "errors svc | ref"]
    return head + table(headers, rows)
