"""Faults on the real server: down at start, down in the middle of a load, back again. No 500,
no wait past the connect timeout, and every write the service acknowledged is kept."""

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy.engine import URL, make_url

from adapters.postgres.engine import CONNECT_TIMEOUT_SECONDS, create_database_engine
from entrypoints.config import Settings
from entrypoints.database import DatabaseUrls
from entrypoints.http.app import build_container, create_app
from tests.integration.conftest import proxy_to, through
from tests.support.apps import postgres_app
from tests.support.postgres import app_url, scratch_database
from tests.support.tcp_proxy import TcpProxy

TODOS = "/api/v1/todos"
QUICK = CONNECT_TIMEOUT_SECONDS + 1


def assert_unavailable(response: Response, seconds: float) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"
    assert "Retry-After" in response.headers
    assert seconds < QUICK


@pytest.fixture
def empty_database(postgres_server_url: str) -> Iterator[URL]:
    with scratch_database(postgres_server_url) as url:
        yield url


def test_a_service_started_while_its_database_is_down_migrates_and_serves_once_it_is_up(
    empty_database: URL,
) -> None:
    proxy = proxy_to(empty_database)  # not started: connections are refused
    container = build_container(Settings(), storage="postgres")
    urls = DatabaseUrls(
        serving=through(proxy, app_url(empty_database)),
        migration=through(proxy, empty_database),
        where="through a proxy",
    )
    container.database.override(providers.Object(urls))
    user = {"X-User-ID": str(uuid4())}
    with TestClient(create_app(Settings(), container)) as client:
        for _ in range(3):
            started = time.monotonic()
            response = client.post(TODOS, json={"title": "too early"}, headers=user)
            assert_unavailable(response, time.monotonic() - started)
        assert client.get("/health/ready").status_code == 503

        proxy.start()
        try:
            assert client.get("/health/ready").status_code == 200
            created = client.post(TODOS, json={"title": "on time"}, headers=user)
            assert created.status_code == 201
            assert client.get(TODOS, headers=user).json()["count"] == 1
        finally:
            proxy.cut()


def test_an_outage_during_concurrent_writes_loses_no_acknowledged_write(
    proxy: TcpProxy, postgres_url: URL
) -> None:
    engine = create_database_engine(through(proxy, postgres_url))
    user = {"X-User-ID": str(uuid4())}
    outcomes: list[tuple[int, float, str | None]] = []

    def write(n: int) -> None:
        started = time.monotonic()
        response = client.post(TODOS, json={"title": f"write {n}"}, headers=user)
        todo_id = response.json().get("id") if response.status_code == 201 else None
        outcomes.append((response.status_code, time.monotonic() - started, todo_id))

    with TestClient(postgres_app(engine)) as client, ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(0, 40)))  # database up
        proxy.cut()
        list(pool.map(write, range(40, 80)))  # down
        proxy.start()
        list(pool.map(write, range(80, 120)))  # back
        during = outcomes[40:80]
        assert {status for status, _, _ in during} == {503}
        assert max(seconds for _, seconds, _ in during) < QUICK
        assert {status for status, _, _ in outcomes} <= {201, 503}
        assert {status for status, _, _ in outcomes[80:]} == {201}  # recovered by itself

        acknowledged = {todo_id for status, _, todo_id in outcomes if status == 201}
        stored = {item["id"] for item in client.get(TODOS, headers=user).json()["items"]}
        assert acknowledged <= stored
        assert len(acknowledged) == 80
    engine.dispose()
    proxy.cut()


def test_a_database_that_refuses_connections_is_503_not_500(postgres_url: URL) -> None:
    closed = make_url(str(postgres_url)).set(host="127.0.0.1", port=1, query={})
    engine = create_database_engine(closed.render_as_string(hide_password=False))
    with TestClient(postgres_app(engine)) as client:
        started = time.monotonic()
        response = client.get(TODOS, headers={"X-User-ID": str(uuid4())})
        assert_unavailable(response, time.monotonic() - started)
    engine.dispose()
