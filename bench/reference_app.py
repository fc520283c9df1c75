"""The same-SQL reference the service is measured against: the least an app can do for the
same mix with the same SQL.

A raw ASGI app (raw_asgi.py: no framework, no validation beyond what routing needs, no domain
objects), served by the same uvicorn (uvloop, httptools, one worker, no access log). Each
request makes one psycopg2 round trip (reference_todos.py), in anyio's thread pool (the
same 40-thread pool the service's routes use), with the service's own SQL on the service's
schema (row-level security, triggers, counts), so the two differ only in what happens in
Python around the statement.

Run (from the repository root, so `bench` and `adapters` import):
    BENCH_REFERENCE_DATABASE_URL=postgresql://... \
    python -m uvicorn bench.reference_app:app --no-access-log --log-level warning
"""

from bench import reference_todos
from bench.raw_asgi import raw_app

app = raw_app(reference_todos)
