"""--profile: where an app's CPU goes under load, sampled with py-spy, summed up per layer of
the stack (HTTP server, framework, SQLAlchemy, the service's own modules, ...)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.progress import log
from bench.servers import Server
from bench.wrk import Wrk

# Where a GIL sample goes: the first frame, from the leaf up, that is not the standard
# library decides (so uuid.py called by mapping.py counts as mapping). Checked in order.
LAYERS: list[tuple[str, str]] = [
    ("json encoding (json.dumps)", r"^json/"),
    ("uvicorn + h11 (HTTP parsing and writing)", r"^(uvicorn|h11)/"),
    ("thread-pool hop (anyio, run_in_threadpool)", r"^(anyio/|starlette/concurrency)"),
    ("SQLAlchemy (checkout, execute, result rows)", r"^sqlalchemy/"),
    ("psycopg2 typecasters (UUID, ...)", r"^psycopg2/"),
    ("rows -> domain Todo (adapters/postgres/mapping.py)", r"^adapters/postgres/mapping"),
    ("repository (adapters/postgres/repository.py)", r"^adapters/"),
    ("domain + use cases", r"^(domain|application)/"),
    ("Todo -> JSON dict (todo_json, rfc3339)", r"^entrypoints/http/schemas"),
    ("request-id middleware (request_context.py)", r"^entrypoints/http/request_context"),
    (
        "input parsing (inputs.py, identifiers.py, cursor.py)",
        r"^entrypoints/http/(inputs|ident|cursor)",
    ),
    ("route functions (todos.py)", r"^entrypoints/"),
    ("FastAPI dependency solving", r"^fastapi/dependencies"),
    ("FastAPI + Starlette (routing, middleware, responses)", r"^(fastapi|starlette)/"),
    ("dependency_injector (container lookups)", r"^dependency_injector"),
    ("pydantic", r"^pydantic"),
    ("raw app code (bench/raw_*, reference_*, floor_*)", r"^(bench/)?(raw|reference|floor)_"),
]
_STDLIB = re.compile(
    r"^(<|asyncio/|concurrent/|logging/|email/|http/|urllib/|collections/|importlib/|re/|"
    r"[a-z_]+\.py$)"
)
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>.*?):\d+\)$")


def _py_spy() -> str | None:
    for candidate in (Path(sys.executable).parent / "py-spy", shutil.which("py-spy")):
        if candidate and Path(candidate).exists():
            return str(candidate)
    return None


def profile_under_load(
    server: Server, wrk: Wrk, seconds: float, conns: int, lua_args: dict[str, str]
) -> None:
    """Sample the app with py-spy during a wrk run; print where its CPU goes. The run is not
    one of the measured ones: sampling slows the app."""
    binary = _py_spy()
    if binary is None:
        log("py-spy not installed (.venv/bin/pip install py-spy): no profile")
        return
    raw = wrk.workdir / f"profile-{server.name}-c{conns}.txt"
    svg = wrk.workdir / f"profile-{server.name}-c{conns}.svg"
    # --gil: sample only the thread holding the GIL, i.e. where the process spends CPU in
    # Python (threads waiting on PostgreSQL with the GIL released are not counted).
    options = f"--duration {round(seconds)} --rate 250 --gil --nonblocking".split()
    recorders = [
        subprocess.Popen(
            [binary, "record", "--pid", str(server.pid), *options, "--format", fmt, "-o", path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fmt, path in (("raw", str(raw)), ("flamegraph", str(svg)))
    ]
    run = wrk.run(server, conns=conns, seconds=seconds, label="profile", lua_args=lua_args)
    for recorder in recorders:
        try:
            recorder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            recorder.kill()
    if raw.exists():
        log(f"profile of {server.name}: {svg}")
        print(summarize_profile(raw, run.cpu_ms_per_request), flush=True)


def _layer(frames: list[tuple[str, str]]) -> str:
    for _function, file in reversed(frames):
        named = next((name for name, pattern in LAYERS if re.search(pattern, file)), None)
        if named:
            return named
        if not _STDLIB.match(file):
            return "other"
    return "asyncio event loop (standard library only)"


def summarize_profile(raw: Path, cpu_ms_per_request: float, top: int = 20) -> str:
    """py-spy --gil raw output (collapsed stacks) to: the share of the GIL-holding samples per
    layer (and, given the process's CPU ms per request, microseconds per request), and the
    leaf functions that take most."""
    layers: dict[str, int] = {}
    leaves: dict[str, int] = {}
    total = 0
    for line in raw.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = []
        for frame in stack.split(";"):
            match = _FRAME.match(frame)
            frames.append((match["function"], match["file"]) if match else (frame, "?"))
        function, file = frames[-1]
        leaves[f"{function} ({file})"] = leaves.get(f"{function} ({file})", 0) + count
        layer = _layer(frames)
        layers[layer] = layers.get(layer, 0) + count
    scale = f", us/request at {cpu_ms_per_request:.3f} CPU ms/request" if cpu_ms_per_request else ""
    lines = [f"{total} samples of the thread holding the GIL (share{scale}):"]
    for name, count in sorted(layers.items(), key=lambda kv: -kv[1]):
        share = count / max(1, total)
        per_request = f"  {1000 * share * cpu_ms_per_request:6.0f} us" if cpu_ms_per_request else ""
        lines.append(f"  {100 * share:5.1f}%{per_request}  {name}")
    lines.append(f"top {top} leaf functions:")
    for frame, count in sorted(leaves.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {100 * count / max(1, total):5.1f}%  {frame[:140]}")
    return "\n".join(lines)
