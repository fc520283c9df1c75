"""Running wrk against an app: installing it when missing, one run with a Lua script, and the
app's CPU use around it."""

import os
import shutil
import subprocess
from pathlib import Path

from bench import BENCH_DIR
from bench.broken import Broken
from bench.process_stats import cpu_seconds, host_jiffies
from bench.progress import log
from bench.servers import LOOPBACK, Server
from bench.wrk_result import WrkRun, parse_run, report_line

CRUD_MIX_SCRIPT = BENCH_DIR / "crud_mix.lua"
SOAK_SCRIPT = BENCH_DIR / "soak_paced.lua"
# One wrk thread: the machine has 2 cores, shared by wrk, the app and PostgreSQL.
WRK_THREADS = 1


def ensure_wrk() -> str:
    """wrk's path; installed with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise Broken("wrk is not installed: run `sudo apt-get install wrk` (Debian/Ubuntu)")
    log("wrk is missing: apt-get install -y wrk")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, capture_output=True, timeout=600).returncode != 0:
        # Probably stale package lists (a fresh container has none).
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        subprocess.run(install, env=env, capture_output=True, timeout=600)
    found = shutil.which("wrk")
    if not found:
        raise Broken("could not install wrk with apt-get; install it and run again")
    return found


class Wrk:
    """Runs wrk; keeps each run's output in the work folder."""

    def __init__(self, binary: str, workdir: Path) -> None:
        self.binary = binary
        self.workdir = workdir
        self.runs = 0
        self.running: subprocess.Popen[str] | None = None

    def stop(self) -> None:
        """Kill the wrk still running, if any (an interrupted soak runs wrk in a thread)."""
        if self.running is not None and self.running.poll() is None:
            self.running.kill()

    def run(
        self,
        app: Server,
        *,
        conns: int,
        seconds: float,
        label: str,
        lua_args: dict[str, str],
        script: Path = CRUD_MIX_SCRIPT,
    ) -> WrkRun:
        self.runs += 1
        threads = min(WRK_THREADS, conns)
        command = [
            self.binary,
            f"-t{threads}",
            f"-c{conns}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "5s",
            "-s",
            str(script),
            f"http://{LOOPBACK}:{app.port}",
            "--",
            *(f"{k}={v}" for k, v in {**lua_args, **app.lua_args, "threads": str(threads)}.items()),
        ]
        cpu_before = cpu_seconds(app.pid)
        busy_before, total_before = host_jiffies()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=self.workdir
        )
        self.running = process
        try:
            stdout, stderr = process.communicate(timeout=seconds + 120)
        except subprocess.TimeoutExpired as error:
            raise Broken(f"wrk did not finish: {' '.join(command)}") from error
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            self.running = None
        app.check_alive()
        app_cpu_s = cpu_seconds(app.pid) - cpu_before
        busy_after, total_after = host_jiffies()
        out_file = self.workdir / f"wrk-{self.runs:03d}-{app.name}-{label}-c{conns}.txt"
        out_file.write_text(" ".join(command) + "\n\n" + stdout + "\n" + stderr)
        line = report_line(stdout)
        if process.returncode != 0 or line is None:
            raise Broken(f"wrk failed (exit {process.returncode}); see {out_file}: {stderr[-500:]}")
        result = parse_run(
            line,
            app=app.name,
            conns=conns,
            app_cpu_s=app_cpu_s,
            host_busy=(busy_after - busy_before) / max(1.0, total_after - total_before),
        )
        if result.requests and result.ok == 0:
            raise Broken(
                f"{app.name} answered no request with a 2xx ({label}, {conns} connections): "
                f"{result.status_breakdown()}; see {out_file} and {app.log_path}"
            )
        return result
