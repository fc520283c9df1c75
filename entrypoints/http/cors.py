"""CORS for browser clients on other origins: Starlette's CORSMiddleware, configured as the
contract says, on only when CORS_ALLOW_ORIGINS is set.

One change to Starlette's behaviour: a preflight it refuses (an origin, method or header not
allowed) goes on to the app like any other OPTIONS request, so it is answered `405` in the
error envelope, with no CORS headers (the browser then refuses the call), rather than
Starlette's plain-text `400 Disallowed CORS ...`."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

ALLOW_METHODS = ("GET", "HEAD", "POST", "PATCH", "DELETE")
ALLOW_HEADERS = (
    "Authorization",
    "Content-Type",
    "X-User-ID",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
)
EXPOSE_HEADERS = ("ETag", "Location", "Retry-After", "X-Request-ID")
MAX_AGE_SECONDS = 600  # how long a browser may reuse a preflight's answer


class Cors(CORSMiddleware):
    def __init__(self, app: ASGIApp, origins: Sequence[str]) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=ALLOW_METHODS,
            allow_headers=ALLOW_HEADERS,
            expose_headers=EXPOSE_HEADERS,
            max_age=MAX_AGE_SECONDS,
            allow_credentials=False,  # no cookies: callers send X-User-ID or a bearer token
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "OPTIONS":
            headers = Headers(scope=scope)
            if "origin" in headers and "access-control-request-method" in headers:
                preflight = self.preflight_response(request_headers=headers)
                if preflight.status_code < 300:
                    await preflight(scope, receive, send)
                else:
                    await self.app(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
