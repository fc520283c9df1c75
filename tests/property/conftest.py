"""Fixtures for the property suite: an app on each adapter, shared by every example of a
test module (examples isolate themselves with fresh user ids). Importing `profiles`
registers and loads the Hypothesis profiles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.property import profiles  # noqa: F401  (registers and loads the profiles)
from tests.property.harness import AppUnderTest, running
from tests.support.apps import memory_app, postgres_app
from tests.support.bearer import BearerTestClient, bearer_app
from tests.support.jwks_server import JwksServer


@pytest.fixture(scope="module")
def memory() -> Iterator[AppUnderTest]:
    """The app on the in-memory adapter, through the real container."""
    with running("memory", memory_app()) as app:
        yield app


@pytest.fixture(scope="module")
def postgres(postgres_engine: Engine) -> Iterator[AppUnderTest]:
    """The app on PostgreSQL (the session's migrated scratch database)."""
    with running("postgres", postgres_app(postgres_engine)) as app:
        yield app


@pytest.fixture(scope="module")
def bearer(shared_jwks: JwksServer) -> Iterator[AppUnderTest]:
    """The app in bearer mode (in-memory adapter): each user calls with a token of their own."""
    app = bearer_app(shared_jwks.url, shared_jwks.issuer)
    with running(
        "bearer", app, lambda app: BearerTestClient(app, shared_jwks.issuer)
    ) as running_app:
        yield running_app
