"""One wrk run's figures: the JSON line bench/crud_mix.lua's done() prints, plus the CPU use
measured around the run."""

import json
import re
from dataclasses import dataclass
from typing import Any

REPORT_PREFIX = "BENCH_JSON "


@dataclass(frozen=True)
class WrkRun:
    app: str
    conns: int
    seconds: float
    requests: int
    bytes_read: int  # response bytes as received (compressed, with --gzip), headers included
    p50: float  # latencies in ms
    p90: float
    p99: float
    non2xx: int
    socket_errors: int  # connect + read + write
    timeouts: int
    counts: dict[str, int]  # crud_mix.lua's counters: "get.sent", "get.2xx", "get.404", ...
    app_cpu_s: float  # CPU time of the app process during the run (all its threads)
    host_busy: float  # share of the whole machine busy during the run, 0..1

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_request(self) -> float:
        return self.bytes_read / self.requests if self.requests else 0.0

    @property
    def ok(self) -> int:
        return sum(v for k, v in self.counts.items() if k.endswith(".2xx"))

    @property
    def errors(self) -> int:
        return self.non2xx + self.socket_errors + self.timeouts

    @property
    def cpu_ms_per_request(self) -> float:
        return 1000 * self.app_cpu_s / self.requests if self.requests else 0.0

    def error_text(self) -> str:
        return f"{self.non2xx}/{self.socket_errors}/{self.timeouts}"

    def status_breakdown(self) -> str:
        """The non-2xx answers per operation, e.g. "patch.404=3"."""
        bad = {k: v for k, v in self.counts.items() if re.search(r"\.\d{3}$", k)}
        return ", ".join(f"{k}={v}" for k, v in sorted(bad.items())) or "none"


def report_line(stdout: str) -> str | None:
    return next((s for s in stdout.splitlines() if s.startswith(REPORT_PREFIX)), None)


def parse_run(line: str, *, app: str, conns: int, app_cpu_s: float, host_busy: float) -> WrkRun:
    report: dict[str, Any] = json.loads(line[len(REPORT_PREFIX) :])
    percentiles = {float(p): float(v) / 1000 for p, v in report["latency"]["percentiles"]}
    errors = report["errors"]
    counts = {k: int(v) for k, v in report["counts"].items()}
    return WrkRun(
        app=app,
        conns=conns,
        seconds=report["duration_us"] / 1e6,
        requests=int(report["requests"]),
        bytes_read=int(report.get("bytes", 0)),
        p50=percentiles[50.0],
        p90=percentiles[90.0],
        p99=percentiles[99.0],
        non2xx=counts.get("non2xx", 0),
        socket_errors=int(errors["connect"]) + int(errors["read"]) + int(errors["write"]),
        timeouts=int(errors["timeout"]),
        counts=counts,
        app_cpu_s=app_cpu_s,
        host_busy=host_busy,
    )
