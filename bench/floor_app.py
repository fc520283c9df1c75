"""The floor: the least any app on this stack can do for the mix. The same raw ASGI plumbing
as the reference (raw_asgi.py), on the same uvicorn (uvloop, httptools, one worker, no access
log) and the same 40-thread pool and 40-connection psycopg2 pool, but over a schema of its own
with nothing the mix does not need (floor_todos.py: one table, no row-level security, no
triggers, no counters). The reference shows what the service's Python costs; the floor adds
what its schema and SQL cost (RLS, triggers, counts, the todo limit, timeouts).

Run (from the repository root), on a database with floor_todos.SCHEMA applied:
    BENCH_FLOOR_DATABASE_URL=postgresql://... \
    python -m uvicorn bench.floor_app:app --no-access-log --log-level warning
"""

from bench import floor_todos
from bench.raw_asgi import raw_app

app = raw_app(floor_todos)
