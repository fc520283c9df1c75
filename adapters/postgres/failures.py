"""Which driver errors mean "the database is unavailable now" (the API answers 503 and the
caller retries) rather than a bug (500), and which of them may be retried here at once."""

from __future__ import annotations

from enum import Enum

import psycopg2

# SQLSTATEs of a database that is there but cannot serve this statement now.
_UNAVAILABLE_CLASSES = (
    "08",  # connection exception
    "53",  # insufficient resources: too many connections, out of memory or disk
    "57",  # operator intervention: statement_timeout (57014), admin/crash shutdown (57P01/2),
    #        cannot connect now (57P03, a server starting or stopping)
    "58",  # system error: I/O error of the server
)
_UNAVAILABLE_CODES = {
    "25006",  # read_only_sql_transaction: default_transaction_read_only, or a standby
    "55P03",  # lock_not_available: lock_timeout, a lock held by someone else
    "40001",  # serialization_failure: rolled back, safe to run again
    "40P01",  # deadlock_detected: rolled back, safe to run again
    "25P03",  # idle_in_transaction_session_timeout
}
# The server said the statement was rolled back and may simply be run again.
_ROLLED_BACK = {"40001", "40P01"}


class Failure(Enum):
    TIMED_OUT = "no answer within the client-side deadline"
    DISCONNECTED = "the connection broke"
    ROLLED_BACK = "the server rolled the statement back; it may be run again"
    UNAVAILABLE = "the database cannot serve now"
    BUG = "not a database outage"


def classify(error: psycopg2.Error, *, connection_closed: bool) -> Failure:
    code = error.pgcode or ""
    if code in _ROLLED_BACK:
        return Failure.ROLLED_BACK
    if connection_closed or (not code and isinstance(error, psycopg2.OperationalError)):
        return Failure.DISCONNECTED
    if isinstance(error, psycopg2.InterfaceError):
        return Failure.DISCONNECTED
    if code in _UNAVAILABLE_CODES or code[:2] in _UNAVAILABLE_CLASSES:
        return Failure.UNAVAILABLE
    return Failure.BUG
