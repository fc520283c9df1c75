"""X-Request-ID on every response, and one access-log line per request carrying it."""

from __future__ import annotations

import logging
import re

import httpx2
import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, create_todo, headers, post_raw, todo_url

GENERATED_ID = re.compile(r"[A-Za-z0-9._:/+=-]{8,128}")


def _responses(client: TestClient, user: str, **extra: str) -> dict[str, httpx2.Response]:
    todo = create_todo(client, user)
    return {
        "201": client.post(TODOS, json={"title": "x"}, headers=headers(user, **extra)),
        "200": client.get(todo_url(todo["id"]), headers=headers(user, **extra)),
        "204": client.delete(todo_url(todo["id"]), headers=headers(user, **extra)),
        "health": client.get("/health", headers=headers(None, **extra)),
        "400": client.get(TODOS, headers=headers(None, **extra)),
        "404": client.get("/nope", headers=headers(user, **extra)),
        "405": client.put(TODOS, headers=headers(user, **extra)),
        "413": post_raw(client, user, b"{" + b" " * 70_000 + b"}", **extra),
        "415": post_raw(client, user, "{}", "text/plain", **extra),
        "422": client.post(TODOS, json={}, headers=headers(user, **extra)),
    }


def test_every_response_carries_a_request_id(client: TestClient, user: str) -> None:
    responses = _responses(client, user)

    for name, response in responses.items():
        assert GENERATED_ID.fullmatch(response.headers.get("X-Request-ID", "")), name
    ids = [response.headers["X-Request-ID"] for response in responses.values()]
    assert len(set(ids)) == len(ids)


def test_a_safe_client_request_id_is_echoed(client: TestClient, user: str) -> None:
    responses = _responses(client, user, x_request_id="client-id_1.2:3/4+5=6")

    for name, response in responses.items():
        assert response.headers["X-Request-ID"] == "client-id_1.2:3/4+5=6", name


@pytest.mark.parametrize(
    "unsafe",
    ["has space", "semi;colon", 'quote"d', "a" * 129, "<script>", "caf\u00e9".encode()],
    ids=["space", "semicolon", "quote", "too-long", "markup", "non-ascii"],
)
def test_an_unsafe_client_request_id_is_replaced(
    client: TestClient, user: str, unsafe: str | bytes
) -> None:
    response = client.get(TODOS, headers=headers(user, x_request_id=unsafe))

    echoed = response.headers["X-Request-ID"]
    assert echoed != (unsafe.decode("latin-1") if isinstance(unsafe, bytes) else unsafe)
    assert GENERATED_ID.fullmatch(echoed)


def test_the_access_log_names_method_path_status_and_request_id(
    client: TestClient, user: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="todo.access")

    ok = client.get(TODOS, headers=headers(user, x_request_id="trace-ok"))
    missing = client.get(todo_url("0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"), headers=headers(user))

    lines = [record.getMessage() for record in caplog.records if record.name == "todo.access"]
    assert len(lines) == 2
    first, second = (line.split() for line in lines)
    assert ok.status_code == 200
    assert {"GET", TODOS, "200"} <= set(first)
    assert "trace-ok" in lines[0]
    assert {"GET", todo_url("0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"), "404"} <= set(second)
    assert missing.headers["X-Request-ID"] in lines[1]


def test_the_access_log_does_not_carry_an_unsafe_request_id(
    client: TestClient, user: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="todo.access")

    response = client.get(TODOS, headers=headers(user, x_request_id="forged status=200 x"))

    (line,) = [r.getMessage() for r in caplog.records if r.name == "todo.access"]
    assert "forged" not in line
    assert response.headers["X-Request-ID"] in line
