"""Fixtures for the HTTP suite.

Every test gets its own app and client. The suite runs against whatever `app` gives: today
the in-memory adapter (`tests.support.apps.memory_app`). To run it against another backend,
parametrise `app` indirectly (`pytest.mark.parametrize("app", [factory], indirect=True)`),
parametrise or override `app_factory`, or override `app` in a closer conftest.
`client` is always built from `app`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from uuid import uuid4

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.apps import memory_app, postgres_app

AppFactory = Callable[[], FastAPI]


@pytest.fixture(params=["memory", "postgres"])
def app_factory(request: pytest.FixtureRequest) -> AppFactory:
    """How the app under test is built: every HTTP test runs on both adapters."""
    if request.param == "memory":
        return memory_app
    engine = request.getfixturevalue("postgres_engine")
    return lambda: postgres_app(engine)


@pytest.fixture
def app(request: pytest.FixtureRequest, app_factory: AppFactory) -> FastAPI:
    """The app under test. An indirect parametrisation's value (a factory) wins over
    `app_factory`."""
    factory: AppFactory = getattr(request, "param", app_factory)
    return factory()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client for `app`, entered so that the app's lifespan runs."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def user() -> str:
    """A fresh user id for each test: tests never see each other's todos."""
    return str(uuid4())


@pytest.fixture
def other_user() -> str:
    return str(uuid4())
