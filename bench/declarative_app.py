"""`python -m bench.declarative_app`: the service exactly as `python -m entrypoints.serve`
starts it, except that every route bench/declarative_routes.py has is served by that
declarative version instead (variant B of `--idioms`; the PlainRoute one is variant A)."""

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute

from bench import declarative_routes
from entrypoints import serve
from entrypoints.config import Settings
from entrypoints.container import Container
from entrypoints.http.app import create_app


def _same_operation(route: BaseRoute, declarative: APIRoute) -> bool:
    return (
        isinstance(route, APIRoute)
        and route.path == declarative.path
        and bool((route.methods or set()) & (declarative.methods or set()))
    )


def create_declarative_app(
    settings: Settings | None = None, container: Container | None = None
) -> FastAPI:
    app = create_app(settings, container)
    routes = app.router.routes
    for declarative in declarative_routes.router.routes:
        assert isinstance(declarative, APIRoute)
        index = next(i for i, route in enumerate(routes) if _same_operation(route, declarative))
        routes[index] = declarative
    return app


if __name__ == "__main__":
    serve.create_app = create_declarative_app  # type: ignore[attr-defined]
    serve.main()
