"""The command line: which modes to run, running them in order, the summary, the exit status."""

import argparse
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

import psycopg2

from bench.big_list import run_big_list
from bench.broken import Broken
from bench.environment import describe_environment
from bench.faults import run_faults
from bench.idioms import run_idioms
from bench.latency import run_latency
from bench.mix import run_mix
from bench.progress import log
from bench.report import Report
from bench.size import run_size
from bench.soak import run_soak
from bench.token_verification import run_verification_cost
from bench.wrk import Wrk, ensure_wrk

DEFAULT_SOAK_S = 600.0
DEFAULT_PER_OP_S = 6.0
DEFAULT_IDIOMS_S = 5.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the todo service against minimal reference apps.",
    )
    parser.add_argument("--mix", action="store_true", help="the CRUD mix (default mode)")
    parser.add_argument("--latency", action="store_true", help="latency behind a delay proxy")
    parser.add_argument("--size", action="store_true", help="1M todos for one user; EXPLAIN")
    parser.add_argument(
        "--soak",
        nargs="?",
        type=float,
        const=DEFAULT_SOAK_S,
        metavar="SECONDS",
        help=f"steady rate for SECONDS ({DEFAULT_SOAK_S:.0f} if not given), RSS growth",
    )
    parser.add_argument(
        "--big-list", action="store_true", help="RSS and /health during 100,000-todo lists"
    )
    parser.add_argument(
        "--faults", action="store_true", help="database faults under load, on a throwaway server"
    )
    parser.add_argument("--all", action="store_true", help="mix, latency, size, soak (600 s)")
    parser.add_argument(
        "--per-op",
        type=float,
        nargs="?",
        const=DEFAULT_PER_OP_S,
        metavar="SECONDS",
        help=f"mix: also each endpoint alone at 16 connections, SECONDS ({DEFAULT_PER_OP_S:.0f})",
    )
    parser.add_argument(
        "--idioms",
        type=float,
        nargs="?",
        const=DEFAULT_IDIOMS_S,
        metavar="SECONDS",
        help="each endpoint: today's PlainRoute against FastAPI's declarative route, "
        f"A/B interleaved at 16 and 64 connections, SECONDS per run ({DEFAULT_IDIOMS_S:.0f})",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="--idioms: A/B rounds per endpoint and level (2)"
    )
    parser.add_argument("--profile", action="store_true", help="mix: py-spy each app at c=64")
    parser.add_argument(
        "--bearer",
        action="store_true",
        help="mix: the service in bearer mode (an EdDSA token per user; the raw apps unchanged)",
    )
    parser.add_argument(
        "--verify", action="store_true", help="CPU per bearer-token verification (no load)"
    )
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="mix: every request sends Accept-Encoding: gzip (the raw apps never compress)",
    )
    parser.add_argument("--python", help="interpreter for the apps (default: this one)")
    parser.add_argument(
        "--keep", action="store_true", help="keep the work folder (logs, wrk output)"
    )
    args = parser.parse_args(argv)
    if args.all:
        args.mix = args.latency = args.size = True
        args.soak = args.soak or DEFAULT_SOAK_S
    if not (
        args.mix or args.latency or args.size or args.soak or args.big_list or args.verify
        or args.faults or args.idioms
    ):
        args.mix = True
    return args


def _interrupt(signum: int, frame: FrameType | None) -> None:
    # SIGTERM ends the run as Ctrl-C does: servers stopped, scratch databases dropped.
    raise KeyboardInterrupt


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    python = str(args.python or sys.executable)
    signal.signal(signal.SIGTERM, _interrupt)
    workdir = Path(tempfile.mkdtemp(prefix="todo-bench-"))
    report = Report()
    status = 0
    wrk: Wrk | None = None
    try:
        log(describe_environment(python))
        if args.verify:
            run_verification_cost(report)
        if args.mix or args.latency or args.size or args.soak or args.idioms:
            wrk = Wrk(ensure_wrk(), workdir)
            log(f"work folder (logs, wrk output, profiles): {workdir}")
        if args.mix and wrk:
            run_mix(
                wrk,
                report,
                python,
                per_op_seconds=args.per_op,
                profile=args.profile,
                bearer=args.bearer,
                gzip=args.gzip,
            )
        if args.idioms and wrk:
            run_idioms(wrk, report, python, args.idioms, args.rounds)
        if args.latency and wrk:
            run_latency(wrk, report, python)
        if args.size and wrk:
            run_size(wrk, report, python)
        if args.soak and wrk:
            run_soak(wrk, report, python, args.soak)
        if args.big_list:
            run_big_list(report, python, workdir)
        if args.faults:
            run_faults(report, python, workdir)
    except Broken as error:
        print(f"\nBROKEN: {error}", file=sys.stderr, flush=True)
        status = 1
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr, flush=True)
        status = 130
    except (psycopg2.Error, OSError) as error:
        print(f"\nBROKEN: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
        status = 1
    finally:
        if wrk is not None:
            wrk.stop()
        if report.sections:
            print("\n" + "#" * 30 + " SUMMARY " + "#" * 30, flush=True)
            print("".join(report.sections), flush=True)
        if status == 0 and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"work folder kept: {workdir}", flush=True)
    log(f"done, exit status {status}")
    return status
