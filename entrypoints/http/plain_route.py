"""PlainRoute: an APIRoute whose endpoint takes the Request and returns the Response itself.

FastAPI still documents it (OpenAPI from the route's response_model, responses and
openapi_extra), but a request reaches the endpoint directly: no dependency solving, no response
model serialisation, and none of the per-route wrappers FastAPI adds for dependencies with
`yield` (two AsyncExitStacks), per-route exception handlers and body limits. Our routes read
their own input (inputs.py, which also bounds the body), and exceptions reach the app-level
handlers in errors.py all the same. Measured against FastAPI's own declarative version of each
route (typed parameters, Depends, body and response models: bench/declarative_routes.py, `make
bench BENCH_ARGS=--idioms`, 2026-11-25), that machinery cost 0.2 to 0.6 ms more CPU per request
(0.04 to 0.1 ms on /health) and 15 to 58% of the answers per second; only the list came close
(+13% to -35% over three runs), so every route keeps PlainRoute, its figures beside it. The
rule was to go back to the idiom wherever it lost under 5% at both 16 and 64 connections.

A GET route also answers HEAD (RFC 9110: a GET resource supports HEAD) by running as for GET;
head.py then drops the body. HEAD is not listed in the route's methods, so OpenAPI does not
document a second operation per GET."""

from typing import Any

from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import Receive, Scope, Send


class PlainRoute(APIRoute):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        endpoint = self.endpoint

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            response = await endpoint(Request(scope, receive, send))
            await response(scope, receive, send)

        self.app = app

    def _takes(self, method: str) -> bool:
        methods = self.methods or set()
        return method in methods or (method == "HEAD" and "GET" in methods)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child_scope = super().matches(scope)
        if match is Match.PARTIAL and self._takes(scope["method"]):
            return Match.FULL, child_scope
        return match, child_scope

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._takes(scope["method"]):
            raise HTTPException(405)  # errors.py answers it, with the path's full Allow
        await self.app(scope, receive, send)
