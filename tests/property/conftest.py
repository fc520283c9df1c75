"""Fixtures for the property suite: clients for apps on either adapter, shared by every
example of a test module (examples isolate themselves with fresh user ids). Importing
`profiles` registers and loads the Hypothesis profiles."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.property import profiles  # noqa: F401  (registers and loads the profiles)
from tests.property.harness import SteppingClock, running, with_service
from tests.support.apps import memory_app, postgres_app


@pytest.fixture(scope="module")
def memory_client() -> Iterator[TestClient]:
    """The in-memory app, its TodoService on a clock that repeats instants (ties happen)."""
    with running(with_service(memory_app(), SteppingClock())) as client:
        yield client


@pytest.fixture(scope="module")
def postgres_client(postgres_engine: Engine) -> Iterator[TestClient]:
    """The same on PostgreSQL (the session's migrated scratch database)."""
    with running(with_service(postgres_app(postgres_engine), SteppingClock())) as client:
        yield client
