"""PlainRoute: an APIRoute whose endpoint takes the Request and returns the Response itself.

FastAPI still documents it (OpenAPI from the route's response_model, responses and
openapi_extra), but a request reaches the endpoint directly: no dependency solving, no response
model serialisation, and none of the per-route wrappers FastAPI adds for dependencies with
`yield` (two AsyncExitStacks), per-route exception handlers and body limits. Our routes read
their own input (inputs.py, which also bounds the body), and exceptions reach the app-level
handlers in errors.py all the same. Profiling put that machinery at about a fifth of the
service's CPU per request."""

from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.types import Receive, Scope, Send


class PlainRoute(APIRoute):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        endpoint = self.endpoint

        async def app(scope: Scope, receive: Receive, send: Send) -> None:
            response = await endpoint(Request(scope, receive, send))
            await response(scope, receive, send)

        self.app = app
