"""Fixtures for the HTTP suite.

Every test gets its own app and client. The suite runs against whatever `app` gives: today
the in-memory adapter (`tests.support.apps.memory_app`). To run it against another backend,
parametrise `app` indirectly (`pytest.mark.parametrize("app", [factory], indirect=True)`),
parametrise or override `app_factory`, or override `app` in a closer conftest.
`client` is always built from `app`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.apps import memory_app, postgres_app
from tests.support.bearer import BearerTestClient, bearer_app
from tests.support.jwks_server import JwksServer

AppFactory = Callable[[], FastAPI]
ClientFactory = Callable[..., TestClient]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `header_mode` (about X-User-ID itself) do not run in bearer mode."""
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        bearer = callspec is not None and callspec.params.get("app_factory") == "bearer"
        (dropped if bearer and item.get_closest_marker("header_mode") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(params=["memory", "postgres", "bearer"])
def app_factory(request: pytest.FixtureRequest) -> AppFactory:
    """How the app under test is built: every HTTP test runs on both adapters, and in
    bearer mode (on the in-memory adapter, each user a token; see tests/support/bearer.py)."""
    if request.param == "memory":
        return memory_app
    if request.param == "bearer":
        jwks: JwksServer = request.getfixturevalue("shared_jwks")
        return lambda: bearer_app(jwks.url, jwks.issuer)
    engine = request.getfixturevalue("postgres_engine")
    return lambda: postgres_app(engine)


@pytest.fixture
def app(request: pytest.FixtureRequest, app_factory: AppFactory) -> FastAPI:
    """The app under test. An indirect parametrisation's value (a factory) wins over
    `app_factory`."""
    factory: AppFactory = getattr(request, "param", app_factory)
    return factory()


@pytest.fixture
def client_factory(request: pytest.FixtureRequest) -> ClientFactory:
    """How to make a client for an app (TestClient's options as keywords): in bearer mode, one
    that sends each X-User-ID as a bearer token for that user."""

    def make(app: FastAPI, **options: Any) -> TestClient:
        if app.state.bearer_mode:
            jwks: JwksServer = request.getfixturevalue("shared_jwks")
            return BearerTestClient(app, jwks.issuer, **options)
        return TestClient(app, **options)

    return make


@pytest.fixture
def client(app: FastAPI, client_factory: ClientFactory) -> Iterator[TestClient]:
    """A client for `app`, entered so that the app's lifespan runs."""
    with client_factory(app) as test_client:
        yield test_client


@pytest.fixture
def user() -> str:
    """A fresh user id for each test: tests never see each other's todos."""
    return str(uuid4())


@pytest.fixture
def other_user() -> str:
    return str(uuid4())
