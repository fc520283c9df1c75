"""HEAD on every GET route (GET's status and headers, no body), and a 405's complete Allow."""

from __future__ import annotations

import http.client

import httpx2
import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, create_todo, headers, missing_identity, todo_url

from tests.support.apps import memory_app
from tests.support.live_server import uvicorn_server

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"
# Headers that differ between any two responses, whatever the method.
PER_RESPONSE = {"x-request-id", "date"}


def _comparable(response: httpx2.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


def _get_and_head(
    client: TestClient, path: str, request_headers: dict[str, str]
) -> tuple[httpx2.Response, httpx2.Response]:
    return (
        client.get(path, headers=request_headers),
        client.head(path, headers=request_headers),
    )


def test_head_answers_like_get_without_a_body_on_every_get_route(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)
    for path in (TODOS, todo_url(todo["id"]), "/health", "/health/ready"):
        get, head = _get_and_head(client, path, headers(user))

        assert get.status_code == 200 and get.content, path
        assert head.status_code == 200, path
        assert head.content == b"", path
        assert _comparable(head) == _comparable(get), path
        assert head.headers["content-length"] == str(len(get.content)), path


def test_head_of_a_compressed_list_has_gets_encoding_and_length(
    client: TestClient, user: str
) -> None:
    for n in range(10):
        create_todo(client, user, title=f"todo {n}", description="words " * 20)
    asked = {**headers(user), "Accept-Encoding": "gzip"}

    get, head = _get_and_head(client, TODOS, asked)

    assert get.headers["content-encoding"] == "gzip"
    assert head.content == b""
    assert _comparable(head) == _comparable(get)


def test_head_answers_errors_like_get(client: TestClient, user: str) -> None:
    for path, request_headers, status in (
        (todo_url(MISSING_ID), headers(user), 404),
        (todo_url("not-a-uuid"), headers(user), 400),
        (TODOS, headers(None), missing_identity(client)[0]),
        (TODOS + "?limit=0", headers(user), 422),
    ):
        get, head = _get_and_head(client, path, request_headers)

        assert get.status_code == head.status_code == status, path
        assert head.content == b""
        assert _comparable(head) == _comparable(get), path


@pytest.mark.parametrize(
    ("path", "method", "allow"),
    [
        (TODOS, "PUT", "GET, HEAD, POST"),
        (TODOS, "DELETE", "GET, HEAD, POST"),
        (TODOS, "OPTIONS", "GET, HEAD, POST"),
        (todo_url(MISSING_ID), "POST", "GET, HEAD, PATCH, DELETE"),
        (todo_url(MISSING_ID), "PUT", "GET, HEAD, PATCH, DELETE"),
        ("/health", "POST", "GET, HEAD"),
        ("/health/ready", "DELETE", "GET, HEAD"),
    ],
)
def test_a_405_allows_every_method_of_its_path(
    client: TestClient, user: str, path: str, method: str, allow: str
) -> None:
    response = client.request(method, path, headers=headers(user))

    assert_error(response, 405, "METHOD_NOT_ALLOWED")
    assert response.headers["Allow"] == allow


def test_head_over_a_real_server_has_gets_headers_and_no_body() -> None:
    # uvicorn and the app each drop HEAD's body; the Content-Length must still be GET's.
    with uvicorn_server(memory_app()) as base:
        host, port = base.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/health")
        get = connection.getresponse()
        get_body = get.read()
        connection.request("HEAD", "/health")
        head = connection.getresponse()
        head_body = head.read()
        connection.close()

    assert head.status == get.status == 200
    assert head_body == b""
    assert head.getheader("content-length") == str(len(get_body)) == get.getheader("content-length")
