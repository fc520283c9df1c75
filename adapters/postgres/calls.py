"""One statement on a pooled connection, bounded in time on both sides, with the outcome the
repository needs: rows, RepositoryUnavailable (the API's 503), or the driver's own error (a
bug: 500).

- Server side: every statement string starts with set_config('statement_timeout', ..., true)
  and set_config('lock_timeout', ..., true) (see statements.py): they last for that one
  implicit transaction, cost no round trip, and leave no session state behind PgBouncer.
- Client side: the watchdog (watchdog.py) cuts a statement the server has not answered
  within `client_seconds`, which is longer than the server's own timeouts so that a live
  server always answers first. The connection is then discarded, and the pool with it: the
  other idle connections to that server are as dead.
- A connection the server closed while it sat in the pool is replaced before use (engine.py
  checks it on checkout, without a round trip). One that fails anyway is retried once on a
  fresh connection if the statement only reads, or if it certainly never reached the server
  (the connection was known closed before sending), or if the server reports it rolled back.
  A write whose connection broke in flight is not retried: it may have committed.
- Once the database has not answered at all, calls go through one at a time until it does
  (outage.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg2
import psycopg2.extensions
from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc

from adapters.postgres.connect_errors import LoginRefused, unavailable
from adapters.postgres.failures import Failure, classify
from adapters.postgres.outage import OutageGate
from adapters.postgres.watchdog import StatementWatchdog
from application.ports import RepositoryUnavailable

Row = Sequence[Any]
Rows = list[Row]

# raw_connection() lets the driver's own connect errors through, unlike Engine.connect().
_CONNECT_FAILURES = (psycopg2.OperationalError, sa_exc.OperationalError, sa_exc.InterfaceError)
_POOL_EXHAUSTED = sa_exc.TimeoutError  # every connection busy: not a sign of an outage
# uuid values come back as text, parsed once where needed (mapping.py), rather than by the
# UUID typecaster SQLAlchemy's dialect puts on each connection: that one parses them all, the
# owner's id in every listed row included. Set per cursor, so other users of the engine still
# get UUIDs.
UUID_AS_TEXT = psycopg2.extensions.new_type((2950,), "UUID_AS_TEXT", psycopg2.extensions.UNICODE)


@dataclass(frozen=True, slots=True)
class Deadlines:
    statement_seconds: float = 2.0  # server side: statement_timeout
    lock_seconds: float = 1.0  # server side: lock_timeout
    client_seconds: float = 3.0  # client side: no answer at all by then, the call is cut

    def __post_init__(self) -> None:
        if not 0 < self.lock_seconds <= self.statement_seconds < self.client_seconds:
            raise ValueError("need 0 < lock timeout <= statement timeout < client timeout")

    def as_params(self) -> dict[str, str]:
        return {
            "statement_timeout": f"{round(self.statement_seconds * 1000)}ms",
            "lock_timeout": f"{round(self.lock_seconds * 1000)}ms",
        }


class _Failed(Exception):
    def __init__(self, failure: Failure, *, never_sent: bool = False) -> None:
        super().__init__(failure.value)
        self.failure = failure
        self.never_sent = never_sent


class DatabaseCalls:
    def __init__(self, engine: Engine, deadlines: Deadlines | None = None) -> None:
        self._engine = engine
        self._deadlines = deadlines or Deadlines()
        self._timeouts = self._deadlines.as_params()
        self.watchdog = StatementWatchdog()
        self._gate = OutageGate()

    def run(self, statement: str, params: Mapping[str, Any], *, reads_only: bool) -> Rows:
        """Run `statement` (which takes %(statement_timeout)s and %(lock_timeout)s) once, or
        twice when that is safe (see the module's docstring)."""
        bounded = {**params, **self._timeouts}
        try:
            return self._attempt(statement, bounded)
        except _Failed as failed:
            if not (
                failed.never_sent
                or failed.failure is Failure.ROLLED_BACK
                or (reads_only and failed.failure is Failure.DISCONNECTED)
            ):
                raise RepositoryUnavailable(failed.failure.value) from failed.__cause__
        try:
            return self._attempt(statement, bounded)
        except _Failed as failed:
            raise RepositoryUnavailable(failed.failure.value) from failed.__cause__

    def _attempt(self, statement: str, params: Mapping[str, Any]) -> Rows:
        probe = self._gate.enter()
        try:
            rows = self._attempt_on_a_connection(statement, params)
            self._gate.answered()
            return rows
        except _Failed as failed:
            if failed.failure is Failure.TIMED_OUT:
                self._gate.unanswered()
            elif failed.failure is not Failure.DISCONNECTED:
                self._gate.answered()  # with an error, but the server is there
            raise
        finally:
            self._gate.leave(probe)  # after the outcome is known: waiters act on it

    def _attempt_on_a_connection(self, statement: str, params: Mapping[str, Any]) -> Rows:
        try:
            connection = self._engine.raw_connection()
        except _POOL_EXHAUSTED as error:
            raise RepositoryUnavailable("no database connection came free in time") from error
        except _CONNECT_FAILURES as error:  # refused, or no answer within the connect timeout
            reason = unavailable(error)
            if not isinstance(reason, LoginRefused):  # a refusal is an answer: the server is up
                self._gate.unanswered()
            raise reason from error
        try:
            dbapi = connection.dbapi_connection
            assert dbapi is not None  # a checked-out connection has its driver connection
            if dbapi.closed:  # broke after the checkout check: nothing was sent on it
                connection.invalidate()
                raise _Failed(Failure.DISCONNECTED, never_sent=True)
            watch = self.watchdog.watch(dbapi.fileno(), self._deadlines.client_seconds)
            try:
                cursor = dbapi.cursor()
                psycopg2.extensions.register_type(UUID_AS_TEXT, cursor)
                cursor.execute(statement, params)
                rows: Rows = list(cursor.fetchall())
                cursor.close()
            except psycopg2.Error as error:
                self.watchdog.release(watch)
                failure = (
                    Failure.TIMED_OUT
                    if watch.cut
                    else classify(error, connection_closed=bool(dbapi.closed))
                )
                if failure is Failure.BUG:
                    raise
                if failure in (Failure.TIMED_OUT, Failure.DISCONNECTED):
                    connection.invalidate(error)
                    self._engine.dispose(close=False)  # its other connections are as dead
                raise _Failed(failure) from error
            self.watchdog.release(watch)
            if watch.cut:  # answered just as it was cut: the rows hold, the socket does not
                connection.invalidate()
            return rows
        finally:
            connection.close()  # back to the pool, or away if invalidated
