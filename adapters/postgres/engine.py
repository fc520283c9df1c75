"""The SQLAlchemy engine for a PostgreSQL URL as Neon's console gives it.

Choices, and why:
- AUTOCOMMIT: each statement is its own transaction, so no BEGIN/COMMIT round trips; a 2xx
  is sent only after the statement (and so the commit) returned.
- No pre-ping (it would cost a round trip per request). Connections older than POOL_RECYCLE
  are replaced on checkout, which is shorter than Neon's scale-to-zero idle time, so a pool
  that sat idle reconnects instead of failing; a connection that dies anyway invalidates the
  pool (SQLAlchemy recycles every older connection) and the request answers 503.
- No session state: no SET, no server-side prepared statements (psycopg2 has none), so
  PgBouncer in transaction mode (Neon's -pooler host) is safe.
"""

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import URL, make_url

CONNECT_TIMEOUT_SECONDS = 5
POOL_RECYCLE_SECONDS = 240  # Neon suspends an idle compute after 5 minutes by default
# Sized to the thread pool that runs the routes (anyio's default: 40 threads), so no thread
# waits for a connection that another waiting thread holds. POOL_TIMEOUT bounds the wait anyway.
POOL_SIZE = 40
POOL_TIMEOUT_SECONDS = 5


def normalize_url(url: str) -> URL:
    """postgres:// and postgresql:// (with any query such as sslmode or channel_binding,
    which libpq receives unchanged) become a psycopg2 URL."""
    parsed = make_url(
        url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url
    )
    if parsed.get_backend_name() != "postgresql":
        raise ValueError("NEON_DATABASE_URL must be a postgres:// or postgresql:// URL")
    return parsed.set(drivername="postgresql+psycopg2")


def create_database_engine(url: str) -> Engine:
    return create_engine(
        normalize_url(url),
        isolation_level="AUTOCOMMIT",
        pool_size=POOL_SIZE,
        max_overflow=0,
        pool_timeout=POOL_TIMEOUT_SECONDS,
        pool_recycle=POOL_RECYCLE_SECONDS,
        pool_pre_ping=False,
        pool_reset_on_return=None,  # autocommit leaves no transaction to roll back
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_SECONDS,
            "application_name": "todo-service",
            # A peer that vanishes without closing the socket is noticed within seconds.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 5,
            "keepalives_count": 3,
            "tcp_user_timeout": CONNECT_TIMEOUT_SECONDS * 1000,
        },
    )
