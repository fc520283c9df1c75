"""The uvicorn configuration production serves with, shared with the tests that start a real
server, so what they prove is what `python -m entrypoints.serve` runs."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

import uvicorn
from fastapi import FastAPI

from entrypoints.accept_queue import AcceptQueueDrain
from entrypoints.http_protocol import BoundedHttpToolsProtocol

# FastAPI's recommended stack: uvloop (libuv event loop) and httptools (llhttp parser). Named
# rather than "auto", so a missing package stops the start instead of falling back to asyncio
# and h11 (which cost about a third of the service's req/s, issue 15).
EVENT_LOOP = "uvloop"
# httptools, with a bound on the request head that llhttp does not set (http_protocol.py);
# importing it imports httptools, so a missing package stops the start too.
HTTP_PARSER: type[asyncio.Protocol] | str = BoundedHttpToolsProtocol

_SERVING: dict[str, Any] = {
    "loop": EVENT_LOOP,
    "http": HTTP_PARSER,
    "lifespan": "on",  # the app has one: if it fails to start, the server must not serve
    "access_log": False,  # RequestContextMiddleware logs one line per request, with its id
    "log_config": None,
}

# A spawned worker answers the supervisor's health check once it has imported the app's
# modules: 2 s of CPU, and up to 8 s measured on this 2-core machine under load. uvicorn's
# default of 5 s would kill and respawn it, again and again.
WORKER_HEALTHCHECK_SECONDS = 30


class Server(uvicorn.Server):
    """uvicorn's server, with every queued connection accepted at each turn of the loop rather
    than libuv's one (accept_queue.py). One process only: with WORKERS > 1 uvicorn's supervisor
    runs its own Server in each worker, and there the kernel handing connections out one at a
    time is what spreads them over workers that share the listening socket."""

    drains: list[AcceptQueueDrain]

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        config = self.config
        self.drains = []
        if config.ssl is not None:
            return  # the drain hands over plain connections (the service serves no TLS itself)

        def protocol() -> asyncio.Protocol:  # as uvicorn's own factory in startup() makes them
            made: asyncio.Protocol = config.http_protocol_class(  # type: ignore[call-arg]
                config=config, server_state=self.server_state, app_state=self.lifespan.state
            )
            return made

        loop = asyncio.get_running_loop()
        for server in self.servers:
            for listening in server.sockets:
                self.drains.append(AcceptQueueDrain(loop, listening, protocol, config.backlog))

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # First, as uvicorn stops its own listeners first; then every connection the drains
        # accepted is made known to uvicorn, so that its shutdown closes them too.
        drains = getattr(self, "drains", [])
        for drain in drains:
            drain.stop()
        pending = [task for drain in drains for task in drain.pending]
        await asyncio.gather(*pending, return_exceptions=True)
        await super().shutdown(sockets)


def server_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, **_SERVING)


def worker_config(
    factory: Callable[[], FastAPI], host: str, port: int, workers: int
) -> uvicorn.Config:
    """The same server in `workers` processes (uvicorn's Multiprocess), each calling
    `factory` for its app: it must be picklable, for the spawned workers."""
    return uvicorn.Config(
        factory,
        host=host,
        port=port,
        factory=True,
        workers=workers,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        **_SERVING,
    )
