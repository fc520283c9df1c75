"""The SQLAlchemy engine for a PostgreSQL URL as Neon's console gives it.

Choices, and why:
- AUTOCOMMIT: each statement is its own transaction, so no BEGIN/COMMIT round trips; a 2xx
  is sent only after the statement (and so the commit) returned.
- No pre-ping (it would cost a round trip per request). Instead a connection is checked on
  checkout without one: an idle connection has nothing to read, so one whose socket is
  readable (the server's "terminating connection" message, or its close) was closed by the
  server while it sat in the pool, after a restart say, and is replaced before any statement
  is sent on it. Connections older than POOL_RECYCLE are replaced on checkout, which is
  shorter than Neon's scale-to-zero idle time.
- No session state: no SET, no server-side prepared statements (psycopg2 has none), so
  PgBouncer in transaction mode (Neon's -pooler host) is safe. Timeouts travel with each
  statement (statements.py).
"""

import select
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError

# A paused server is noticed within this (libpq counts whole seconds, 2 at the least); a
# request that waited for a thread behind stuck calls still answers 503 within 7 s.
CONNECT_TIMEOUT_SECONDS = 3
PROBE_CONNECT_TIMEOUT_SECONDS = 2  # /health/ready answers within 3 s
POOL_RECYCLE_SECONDS = 240  # Neon suspends an idle compute after 5 minutes by default
# The pool must be no larger than the thread pool that runs the routes, so no thread waits for
# a connection that another waiting thread holds (POOL_TIMEOUT bounds the wait anyway). The
# service passes its worker's share of the connection budget and runs that many threads
# (entrypoints/connection_budget.py); 40, anyio's default thread count, is for other callers.
POOL_SIZE = 40
POOL_TIMEOUT_SECONDS = 2


def normalize_url(url: str) -> URL:
    """postgres:// and postgresql:// (with any query such as sslmode or channel_binding,
    which libpq receives unchanged) become a psycopg2 URL."""
    parsed = make_url(
        url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    )
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("NEON_DATABASE_URL must be a postgres:// or postgresql:// URL")
    return parsed.set(drivername="postgresql+psycopg2")


def create_database_engine(
    url: str,
    *,
    pool_size: int = POOL_SIZE,
    connect_timeout: int = CONNECT_TIMEOUT_SECONDS,
) -> Engine:
    engine = create_engine(
        normalize_url(url),
        isolation_level="AUTOCOMMIT",
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=False,
        pool_reset_on_return=None,  # autocommit leaves no transaction to roll back
        connect_args={
            "connect_timeout": connect_timeout,
            "application_name": "todo-service",
            # A peer that vanishes without closing the socket is noticed within seconds.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": max(connect_timeout, 5) * 1000,
        },
    )
    event.listen(engine, "checkout", _replace_if_closed_by_server)
    return engine


def _replace_if_closed_by_server(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Raising DisconnectionError makes the pool discard this connection and open a new one."""
    if dbapi_connection.closed:
        raise DisconnectionError("connection closed")
    readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    if readable:
        raise DisconnectionError("the server closed the connection while it was idle")
