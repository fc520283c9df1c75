"""--per-op: each endpoint alone at 16 connections, and the CPU time per request it costs each
app of the mix (the service, the reference, the floor)."""

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


# Short column names; the service's req/s is divided by each of the others'.
SHORT = {"service": "svc", "reference": "ref", "floor": "floor"}


def per_op_table(runs: dict[str, dict[str, WrkRun]], seconds: float) -> str:
    """`runs`: app name -> operation -> its run (the service first)."""
    apps = list(runs)
    short = [SHORT.get(app, app) for app in apps]
    rows: list[list[object]] = []
    for op in OPS:
        ops = [runs[app][op] for app in apps if op in runs[app]]
        if len(ops) < len(apps):
            continue
        service = ops[0]
        rows.append(
            [
                op,
                *(f"{run.rps:.0f}" for run in ops),
                *(f"{service.rps / run.rps:.2f}x" for run in ops[1:]),
                *(fmt_ms(run.p50) for run in ops),
                *(f"{1000 * run.cpu_ms_per_request:.0f}" for run in ops),
                " | ".join(run.error_text() for run in ops),
            ]
        )
    head = (
        f"Each endpoint alone, {seconds:.0f} s at {CONNS} connections after 1 s of warm-up. "
        "CPU us/req: CPU time of the app process per request (all its threads).\n"
    )
    headers = ["endpoint", *(f"{name} req/s" for name in short)]
    headers += [f"{short[0]}/{name}" for name in short[1:]]
    headers += [f"{name} p50" for name in short]
    headers += [f"{name} CPU us/req" for name in short]
    headers += ["errors " + " | ".join(short)]
    return head + table(headers, rows)
