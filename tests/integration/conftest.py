"""A TCP proxy in front of the test database, to cut and restore it."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import URL

from adapters.postgres.engine import create_database_engine
from tests.support.apps import postgres_app
from tests.support.tcp_proxy import TcpProxy


def proxy_to(database: URL) -> TcpProxy:
    socket_dir = database.query.get("host")
    if isinstance(socket_dir, str) and socket_dir.startswith("/"):
        return TcpProxy(f"{socket_dir}/.s.PGSQL.{database.port or 5432}")
    return TcpProxy((database.host or "127.0.0.1", database.port or 5432))


def through(proxy: TcpProxy, database: URL) -> str:
    """The URL of `database` as reached through `proxy`."""
    url = database.set(host="127.0.0.1", port=proxy.port, query={})
    return url.render_as_string(hide_password=False)


@pytest.fixture
def proxy(postgres_url: URL) -> Iterator[TcpProxy]:
    proxy = proxy_to(postgres_url)
    proxy.start()
    yield proxy
    proxy.cut()


@pytest.fixture
def client(proxy: TcpProxy, postgres_url: URL) -> Iterator[TestClient]:
    """The service on PostgreSQL, reached through `proxy`."""
    engine = create_database_engine(through(proxy, postgres_url))
    with TestClient(postgres_app(engine)) as client:
        yield client
    engine.dispose()
