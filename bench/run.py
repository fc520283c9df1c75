"""Performance benchmark of the todo service on PostgreSQL, against two minimal raw apps: the
same-SQL reference and the floor (bench/README.md).

    .venv/bin/python bench/run.py                 # CRUD mix at 16, 64, 256 connections (make bench)
    .venv/bin/python bench/run.py --latency       # p50 per endpoint behind a 5 ms/way proxy
    .venv/bin/python bench/run.py --size          # 1,000,000 todos for one user vs 50; EXPLAIN
    .venv/bin/python bench/run.py --soak [SECS]   # steady rate for SECS (600), RSS growth
    .venv/bin/python bench/run.py --big-list      # RSS and /health p99 during 100,000-todo lists
    .venv/bin/python bench/run.py --all           # all four, in that order

Options worth knowing: `--per-op [SECS]` adds each endpoint alone (CPU per request of each
app), `--profile` samples each app with py-spy at 64 connections (needs `pip install
py-spy`), `--python PATH` runs the apps on another interpreter (e.g. a venv with uvloop +
httptools), `--keep` keeps the work folder (app logs, every wrk output, profiles). Modes
combine (`--mix --size`).

Each mode works in a scratch database of its own (scratch_database.py), on the local server
(postgresql://postgres@127.0.0.1:5432/postgres) or the server of BENCH_DATABASE_URL (an admin
URL). Load comes from wrk with bench/crud_mix.lua, against 127.0.0.1 only.

Exit status: 0 when every measurement ran (missed targets are reported, not failures);
1 when something broke (a server did not start or died, wrk failed, the database failed, or
a run got no successful answer at all); 130 when interrupted.
"""

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, Python puts bench/ itself first on the path. The package, and the
    # service's packages it migrates and explains with, import from the repository root.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from bench.cli import main

    sys.exit(main(sys.argv[1:]))
