"""The uvicorn configuration production serves with, shared with the tests that start a real
server, so what they prove is what `python -m entrypoints.serve` runs."""

from __future__ import annotations

import asyncio

import uvicorn
from fastapi import FastAPI

from entrypoints.http_protocol import BoundedHttpToolsProtocol

# FastAPI's recommended stack: uvloop (libuv event loop) and httptools (llhttp parser). Named
# rather than "auto", so a missing package stops the start instead of falling back to asyncio
# and h11 (which cost about a third of the service's req/s, issue 15).
EVENT_LOOP = "uvloop"
# httptools, with a bound on the request head that llhttp does not set (http_protocol.py);
# importing it imports httptools, so a missing package stops the start too.
HTTP_PARSER: type[asyncio.Protocol] | str = BoundedHttpToolsProtocol


def server_config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        loop=EVENT_LOOP,
        http=HTTP_PARSER,
        lifespan="on",  # the app has one: if it fails to start, the server must not serve
        access_log=False,  # RequestContextMiddleware logs one line per request, with its id
        log_config=None,
    )
