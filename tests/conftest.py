"""Shared test helpers and the PostgreSQL fixtures every suite can use."""

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import URL

from adapters.postgres.engine import create_database_engine
from adapters.postgres.migrate import upgrade_to_head
from tests.support.jwks_server import JwksServer
from tests.support.pgbouncer import pgbouncer
from tests.support.postgres import app_url, postgres_server, scratch_database
from tests.support.tokens import TokenIssuer


class StepClock:
    """A clock that moves one millisecond each time it is read: distinct, ordered timestamps."""

    def __init__(self, start: datetime = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return StepClock()


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A server on which the tests may create databases (see tests/support/postgres.py)."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_owner_url(postgres_server_url: str) -> Iterator[URL]:
    """A scratch database for this run only, migrated by its owner role."""
    with scratch_database(postgres_server_url) as url:
        upgrade_to_head(url.render_as_string(hide_password=False), grant_to=app_url(url).username)
        yield url


@pytest.fixture(scope="session")
def postgres_url(postgres_owner_url: URL) -> URL:
    """The scratch database as the service reaches it: its serving role, which owns nothing.
    Tests isolate themselves by using fresh user ids, which is also what the service promises
    its users."""
    return app_url(postgres_owner_url)


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: URL) -> Iterator[Engine]:
    engine = create_database_engine(postgres_url.render_as_string(hide_password=False))
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def pgbouncer_engine(postgres_url: URL) -> Iterator[Engine]:
    executable = shutil.which("pgbouncer") or shutil.which("/usr/sbin/pgbouncer")
    if executable is None:
        message = "pgbouncer is not installed (Debian: apt-get install pgbouncer)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must run the PgBouncer tests")
        pytest.skip(message)
    with pgbouncer(postgres_url, executable) as url:
        engine = create_database_engine(url.render_as_string(hide_password=False))
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def shared_jwks() -> Iterator[JwksServer]:
    """A token issuer and its JWKS over HTTP, for suites that run in bearer mode as well."""
    server = JwksServer(TokenIssuer())
    yield server
    server.down()
