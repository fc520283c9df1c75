"""A database that refuses the service's role is told apart from one that is down: both
answer 503 (the client can do nothing about either), but the log says which, so an operator
fixes the password instead of waiting for an outage to end."""

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import URL, make_url

from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app
from tests.support.throwaway_postgres import throwaway_postgres


def client_for(url: str) -> Iterator[TestClient]:
    settings = Settings(neon_database_url=url)
    with TestClient(create_app(settings, build_container(settings))) as client:
        yield client


@pytest.fixture
def refused(postgres_server_url: str) -> Iterator[TestClient]:
    url = make_url(postgres_server_url).set(username="no_such_role", database="postgres")
    yield from client_for(url.render_as_string(hide_password=False))


@pytest.fixture
def down() -> Iterator[TestClient]:
    yield from client_for("postgresql://todo@127.0.0.1:1/todo")


def test_a_refused_role_is_logged_as_an_authentication_failure(
    refused: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="todo.errors"):
        response = refused.get("/health/ready")
    assert response.status_code == 503
    assert "Retry-After" in response.headers
    assert "authentication failed" in caplog.text
    assert "no_such_role" in caplog.text
    assert "no_such_role" not in response.text


def test_a_database_that_is_down_is_not_called_an_authentication_failure(
    down: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="todo.errors"):
        assert down.get("/health/ready").status_code == 503
    assert "did not answer" in caplog.text
    assert "authentication" not in caplog.text


def test_a_serving_role_that_may_not_migrate_is_told_to_set_the_migration_url(
    postgres_url: URL, caplog: pytest.LogCaptureFixture
) -> None:
    for client in client_for(postgres_url.render_as_string(hide_password=False)):
        with caplog.at_level(logging.WARNING, logger="todo.errors"):
            assert client.get("/health/ready").status_code == 503
    assert "may not migrate the schema" in caplog.text
    assert "MIGRATION_DATABASE_URL" in caplog.text


def test_a_wrong_password_is_logged_as_an_authentication_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A server of the test's own, which asks this role for its password (the shared one
    # trusts everyone).
    with throwaway_postgres() as server:
        server.admin("CREATE ROLE todo_pw LOGIN PASSWORD 'right'")
        hba = server.data / "pg_hba.conf"
        hba.write_text("host all todo_pw 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        server.admin("SELECT pg_reload_conf()")
        wrong = f"postgresql://todo_pw:wrong@127.0.0.1:{server.port}/todo"
        for client in client_for(wrong):
            with caplog.at_level(logging.WARNING, logger="todo.errors"):
                response = client.get("/health/ready")
    assert response.status_code == 503
    assert "authentication failed" in caplog.text
    assert 'password authentication failed for user "todo_pw"' in caplog.text
    assert "wrong" not in caplog.text  # the password is never logged
