"""What the calls do once the database has stopped answering at all (a statement cut by the
watchdog, a connection that could not be opened): one call at a time goes through to find out
whether it is back, and the calls that arrive meanwhile wait for that one's outcome instead of
each opening a connection of its own.

Without this, every request of a paused server's outage opened a connection that the kernel
accepted and nobody answered: 40 threads x one attempt per connect timeout, hundreds of dead
connections queued before a postmaster that, once resumed, forked a backend for each of them
before it could serve anyone (measured: recovery then took more than 2 s). With it, an outage
costs one pending attempt, and the first answer after the database is back lets every waiting
call through."""

from __future__ import annotations

import threading

from application.ports import RepositoryUnavailable

# A database that is back answers the probe in milliseconds: the calls waiting for it go on.
# One that is not keeps the probe for up to the connect or client timeout: the waiting calls
# answer 503 after this instead, not seconds later.
WAIT_FOR_PROBE_SECONDS = 0.5


class OutageGate:
    def __init__(self, wait_seconds: float = WAIT_FOR_PROBE_SECONDS) -> None:
        self._wait_seconds = wait_seconds
        self._changed = threading.Condition()
        self._down = False
        self._probing = False

    def enter(self) -> bool:
        """Before a call. True: this call is the probe and must `leave(True)` afterwards.
        Raises RepositoryUnavailable if the probe it waited for found the database down."""
        if not self._down:  # the normal case: no lock taken
            return False
        with self._changed:
            if self._probing:
                self._changed.wait_for(lambda: not self._probing, self._wait_seconds)
                if self._down:
                    raise RepositoryUnavailable("the database is not answering")
                return False
            if not self._down:
                return False
            self._probing = True
            return True

    def answered(self) -> None:
        if self._down:
            with self._changed:
                self._down = False
                self._changed.notify_all()

    def unanswered(self) -> None:
        with self._changed:
            self._down = True

    def leave(self, probe: bool) -> None:
        if probe:
            with self._changed:
                self._probing = False
                self._changed.notify_all()
