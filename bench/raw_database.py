"""What the two raw apps (reference_app.py, floor_app.py) share below their routing: a psycopg2
pool as the service's (40 connections in autocommit mode), one round trip per query, and a
todo shaped for JSON as the service shapes it."""

import os
import threading
from datetime import UTC, datetime
from typing import Any

import psycopg2
import psycopg2.pool

POOL_SIZE = 40  # as the service: the size of anyio's default thread pool


class RawDatabase:
    """A pool opened on first use from the URL in the environment variable `url_variable`."""

    def __init__(self, url_variable: str, application_name: str) -> None:
        self.url_variable = url_variable
        self.application_name = application_name
        self._pool: psycopg2.pool.ThreadedConnectionPool | None = None
        self._lock = threading.Lock()

    def connect(self) -> psycopg2.pool.ThreadedConnectionPool:
        with self._lock:
            if self._pool is None:
                # minconn = maxconn: psycopg2 closes a returned connection beyond minconn.
                self._pool = psycopg2.pool.ThreadedConnectionPool(
                    POOL_SIZE,
                    POOL_SIZE,
                    os.environ[self.url_variable],
                    application_name=self.application_name,
                )
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.closeall()
                self._pool = None

    def query(self, statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """One round trip: run the statement, fetch its rows."""
        pool = self.connect()
        connection = pool.getconn()
        try:
            if not connection.autocommit:
                connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            pool.putconn(connection)


def stamp(moment: datetime) -> str:
    # As the service writes instants (entrypoints/http/schemas.py rfc3339), with its shortcut
    # for values already in UTC.
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(timespec="microseconds")[:-6] + "Z"


def todo_json(
    id_: Any,
    user_id: Any,
    title: str,
    description: str | None,
    is_completed: bool,
    created_at: datetime,
    updated_at: datetime,
    priority: int,
    tags: list[str],
    due_at: datetime | None,
    completed_at: datetime | None,
) -> dict[str, Any]:
    """A todo's JSON object, with the service's keys in the service's order, an instant that
    repeats formatted once (as the service's todo_json)."""
    created = stamp(created_at)
    updated = created if updated_at == created_at else stamp(updated_at)
    return {
        "id": str(id_),
        "title": title,
        "description": description,
        "is_completed": is_completed,
        "created_at": created,
        "updated_at": updated,
        "user_id": str(user_id),
        "priority": ("none", "low", "medium", "high")[priority],
        "tags": tags,
        "due_at": None if due_at is None else stamp(due_at),
        "completed_at": (
            None
            if completed_at is None
            else updated
            if completed_at == updated_at
            else stamp(completed_at)
        ),
    }
