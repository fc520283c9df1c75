"""Accepting every queued connection each time the listening socket is readable.

uvloop runs on libuv, which since version 1.45 accepts one connection per turn of the event
loop (libuv pull request #3696: most second accept() calls fail anyway). A turn of a loaded
service runs many callbacks, so a burst of new connections waits one turn per connection ahead
of it. Measured with `make bench` (wrk opens its 256 connections at once at the start of each
run, against a service still busy with the previous run): the listen queue held 208 connections
and drained at about 140 a second, so the last ones waited 1.5 to 2.3 s for their first answer.
That was the p99 at 256 connections in about half the runs, while no request took the app more
than 0.4 s.

AcceptQueueDrain reads a duplicate descriptor of the same listening socket and accepts
everything queued in one go (as asyncio's own loop does, up to the backlog), handing each
connection to the loop as an accepted socket with the server's protocol. libuv's own listener
stays: it finds the queue empty, or takes one connection, and both paths make the same protocol.
With the drain, 256 connections had p99 0.33 to 0.36 s in every run."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Callable

logger = logging.getLogger("todo")

# Out of descriptors or memory: accept() would fail again at once, so the drain pauses instead
# of spinning, as asyncio's loop does (libuv's listener copes its own way). Any other error
# belongs to the one connection being accepted (reset, unreachable): it is skipped.
RESOURCE_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
PAUSE_AFTER_ERROR_SECONDS = 1.0


def accept_queued(listener: socket.socket, most: int) -> list[socket.socket]:
    """Up to `most` connections waiting on the non-blocking `listener`, accepted now (at most
    `most` attempts). Raises OSError only when out of a resource before accepting any."""
    accepted: list[socket.socket] = []
    for _ in range(most):
        try:
            connection, _ = listener.accept()
        except (BlockingIOError, InterruptedError):
            break
        except OSError as error:
            if error.errno not in RESOURCE_ERRORS:
                continue  # that connection's own failure: nothing to serve
            if accepted:
                break  # hand over what was accepted; the error comes back on the next call
            raise
        accepted.append(connection)
    return accepted


class AcceptQueueDrain:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        listening: socket.socket,
        protocol_factory: Callable[[], asyncio.Protocol],
        backlog: int,
    ) -> None:
        self._loop = loop
        self._listener = listening.dup()  # closing it leaves the server's own descriptor open
        self._listener.setblocking(False)
        self._protocol_factory = protocol_factory
        self._backlog = backlog
        # Connections accepted whose transport is being made: uvicorn learns of a connection in
        # its protocol's connection_made, a loop turn later than of one libuv accepted.
        self.pending: set[asyncio.Task[None]] = set()
        self.accepted = 0  # connections this drain took rather than libuv's listener
        self._loop.add_reader(self._listener.fileno(), self._accept)

    @property
    def stopped(self) -> bool:
        return self._listener.fileno() == -1

    def stop(self) -> None:
        """No more accepting (the server is shutting down); idempotent."""
        if not self.stopped:
            self._loop.remove_reader(self._listener.fileno())
            self._listener.close()

    def _accept(self) -> None:
        try:
            connections = accept_queued(self._listener, self._backlog)
        except OSError as error:
            logger.warning("accepting connections paused for 1 s: %s", error)
            self._loop.remove_reader(self._listener.fileno())
            self._loop.call_later(PAUSE_AFTER_ERROR_SECONDS, self._resume)
            return
        for connection in connections:
            self.accepted += 1
            task = self._loop.create_task(self._serve(connection))
            self.pending.add(task)  # held until done: the loop keeps only weak references
            task.add_done_callback(self.pending.discard)

    def _resume(self) -> None:
        if not self.stopped:
            self._loop.add_reader(self._listener.fileno(), self._accept)

    async def _serve(self, connection: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._protocol_factory, connection)
        except Exception as error:  # the client went away before its transport was made, say
            if not isinstance(error, OSError):
                logger.exception("an accepted connection could not be served")
            with contextlib.suppress(OSError):
                connection.close()
