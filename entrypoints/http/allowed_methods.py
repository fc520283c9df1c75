"""The `Allow` header of a 405: every method the request's path takes, over all its routes.

Starlette's own 405 names the methods of the first route that matched the path only (`Allow:
POST` on the collection, whose GET is another route). Computed on 405s alone, so the cost of
walking the routes does not matter."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import Scope

# The order RFC 9110 lists methods in; the contract writes Allow this way.
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allow_header(routes: Iterable[BaseRoute], scope: Scope) -> str:
    methods: set[str] = set()
    for route in routes:
        route_methods = getattr(route, "methods", None)
        if route_methods and route.matches(scope)[0] is not Match.NONE:
            methods |= route_methods
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods, key=lambda m: (_ORDER.index(m) if m in _ORDER else 99, m)))
