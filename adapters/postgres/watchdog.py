"""The client-side bound on a statement: a server that does not answer at all (paused by
SIGSTOP, a frozen or partitioned host) never fires its own statement_timeout, and its kernel
still acknowledges what we send, so neither TCP keepalives nor tcp_user_timeout notice it.

psycopg2 has no per-query timeout, and its connection is locked while a query runs (close()
from another thread would wait). So one watchdog thread shuts the socket down under the
statement instead: libpq, blocked in poll(), wakes at once with "server closed the connection"
and the connection is marked closed, to be discarded. Measured against a SIGSTOPped server:
the statement ends within the tick after its deadline.

The thread runs only while statements are watched, and ends after IDLE_SECONDS without any,
so nothing is left running when the service stops or the database sits idle."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from dataclasses import dataclass, field

TICK_SECONDS = 0.05
IDLE_SECONDS = 5.0


@dataclass(eq=False, slots=True)
class Watch:
    fileno: int
    deadline: float
    cut: bool = field(default=False)  # the watchdog shut the socket down: the call timed out


class StatementWatchdog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._watched: set[Watch] = set()
        self._thread: threading.Thread | None = None

    def watch(self, fileno: int, seconds: float) -> Watch:
        """Start watching a statement about to run on the socket `fileno`."""
        watch = Watch(fileno, time.monotonic() + seconds)
        with self._lock:
            self._watched.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="statement-watchdog", daemon=True
                )
                self._thread.start()
        return watch

    def release(self, watch: Watch) -> None:
        """The statement returned (or failed). After this its socket is never touched, so the
        connection may go back to the pool; if `watch.cut`, it must be discarded instead."""
        with self._lock:
            self._watched.discard(watch)

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    def _run(self) -> None:
        idle_since = time.monotonic()
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            with self._lock:
                if self._watched:
                    idle_since = now
                elif now - idle_since > IDLE_SECONDS:
                    self._thread = None
                    return
                for watch in self._watched:
                    if not watch.cut and watch.deadline <= now:
                        watch.cut = True
                        _shut_down(watch.fileno)


def _shut_down(fileno: int) -> None:
    """Shut the socket down for both directions, through a duplicate of its descriptor: the
    connection's own descriptor stays open (libpq closes it), so it cannot be reused under it.
    Called with the lock held, so the statement cannot have been released meanwhile."""
    with contextlib.suppress(OSError):
        duplicate = socket.socket(fileno=os.dup(fileno))
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        finally:
            duplicate.close()
