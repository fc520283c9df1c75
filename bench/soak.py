"""--soak: the service under the CRUD mix paced to a steady rate (bench/soak_paced.lua) for a
while, its RSS sampled along the way: does memory grow?"""

import threading
import time
from concurrent.futures import Future

from bench.process_stats import rss_kib
from bench.progress import log
from bench.report import Report, table
from bench.scratch_database import scratch_database
from bench.seeding import seed_mix
from bench.servers import serve
from bench.workload import MIX_TEXT, seeded_mix_args
from bench.wrk import SOAK_SCRIPT, WRK_THREADS, Wrk
from bench.wrk_result import WrkRun

RATE = 200.0  # requests/s
CONNS = 16
WARMUP_S = 10


def run_soak(wrk: Wrk, report: Report, python: str, seconds: float) -> None:
    with scratch_database("soak") as scratch:
        seeded = seed_mix(scratch, wrk.workdir, users=1000, per_user=10, deletable_per_user=20)
        with serve("service", python, scratch.owner_url, wrk.workdir) as server:
            half = len(seeded.deletable) // 2  # one half for the warm-up, one for the soak

            def paced_args() -> dict[str, str]:
                # soak_paced.lua paces each wrk thread: the rate is shared between them.
                lua_args = seeded_mix_args(seeded, deletable=half)
                return lua_args | {"rate": f"{RATE / min(WRK_THREADS, CONNS):.3f}"}

            rss_boot = server.rss_at_start_kib
            log(f"soak: warm-up {WARMUP_S} s at {RATE:g} req/s")
            wrk.run(
                server,
                conns=CONNS,
                seconds=WARMUP_S,
                label="warmup",
                lua_args=paced_args(),
                script=SOAK_SCRIPT,
            )
            rss_start = rss_kib(server.pid)
            log(
                f"soak: {seconds:.0f} s at {RATE:g} req/s, {CONNS} connections; "
                f"RSS {rss_start / 1024:.1f} MiB"
            )
            lua_args = paced_args()
            # wrk runs in a thread while this one samples the app's RSS.
            soaked: Future[WrkRun] = Future()

            def soak() -> None:
                try:
                    soaked.set_result(
                        wrk.run(
                            server,
                            conns=CONNS,
                            seconds=seconds,
                            label="soak",
                            lua_args=lua_args,
                            script=SOAK_SCRIPT,
                        )
                    )
                except Exception as error:
                    soaked.set_exception(error)

            samples: list[tuple[float, int]] = [(0.0, rss_start)]
            interval = max(5.0, min(60.0, seconds / 10))
            began = time.monotonic()
            threading.Thread(target=soak, daemon=True).start()
            while True:  # ends with the run, which wrk.run bounds in time
                try:
                    run = soaked.result(timeout=interval)
                    break
                except TimeoutError:
                    server.check_alive()
                    elapsed = time.monotonic() - began
                    samples.append((elapsed, rss_kib(server.pid)))
                    log(
                        f"soak: {elapsed:5.0f} s of {seconds:.0f}: "
                        f"RSS {samples[-1][1] / 1024:.1f} MiB"
                    )
            rss_end = rss_kib(server.pid)
            samples.append((time.monotonic() - began, rss_end))
    report.add("Soak", soak_table(run, seconds, samples, rss_boot))


def soak_table(run: WrkRun, seconds: float, samples: list[tuple[float, int]], rss_boot: int) -> str:
    """`samples`: (seconds into the soak, RSS KiB), from the start to the end."""
    rss_start, rss_end = samples[0][1], samples[-1][1]
    growth = 100 * (rss_end - rss_start) / rss_start
    peak = max(v for _, v in samples)
    trend = ", ".join(f"{t:.0f}s {v / 1024:.1f}" for t, v in samples)
    rows = [
        ["achieved rate", f"{run.rps:.1f} req/s ({run.requests:,} requests)"],
        ["p50 / p90 / p99", f"{run.p50:.2f} / {run.p90:.2f} / {run.p99:.2f} ms"],
        ["errors (non-2xx/socket/timeout)", run.error_text()],
        [
            "app CPU",
            f"{100 * run.app_cpu_s / run.seconds:.1f}% of a core, "
            f"{run.cpu_ms_per_request:.2f} ms/request",
        ],
        ["RSS after start (no request yet)", f"{rss_boot / 1024:.1f} MiB"],
        ["RSS at start (after warm-up)", f"{rss_start / 1024:.1f} MiB"],
        ["RSS at end", f"{rss_end / 1024:.1f} MiB"],
        ["RSS peak sampled", f"{peak / 1024:.1f} MiB"],
        ["growth start -> end", f"{growth:+.1f}%"],
    ]
    return (
        f"{MIX_TEXT}\npaced at {RATE:g} req/s with {CONNS} connections for {seconds:.0f} s "
        f"(after a {WARMUP_S} s warm-up)\n"
        + table(["figure", "value"], rows, left=2)
        + f"\nRSS samples (MiB): {trend}"
    )
