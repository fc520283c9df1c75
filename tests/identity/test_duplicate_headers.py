"""A header that says who is calling, sent twice, is refused, never "the first wins": behind a
gateway that appends its own header, the client's copy must not count. Played over a real
uvicorn server with raw header lines (a TestClient may merge repeated headers)."""

from __future__ import annotations

import json
from uuid import uuid4

from tests.support.apps import memory_app
from tests.support.bearer import bearer_app
from tests.support.jwks_server import JwksServer
from tests.support.live_server import exchange, live_server
from tests.support.tokens import TokenIssuer


def _body(raw: str) -> dict[str, object]:
    body: dict[str, object] = json.loads(raw.split("\r\n\r\n", 1)[1])
    return body


def _header(raw: str, name: str) -> str:
    head = raw.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
    values = [
        line.split(":", 1)[1].strip()
        for line in head
        if line.split(":", 1)[0].lower() == name.lower()
    ]
    assert len(values) == 1, head
    return values[0]


def _list_todos(address: tuple[str, int], *lines: str) -> tuple[int, str]:
    head = "\n".join(["GET /api/v1/todos HTTP/1.1", "Host: x", *lines, "Connection: close"])
    return exchange(address, head)


def test_two_x_user_id_lines_are_a_validation_error_naming_the_header() -> None:
    alice, mallory = uuid4(), uuid4()
    with live_server(memory_app()) as address:
        one = exchange(
            address, f"GET /api/v1/todos HTTP/1.1\nHost: x\nX-User-ID: {alice}\nConnection: close"
        )
        for first, second in ((alice, mallory), (mallory, alice), (alice, alice)):
            status, raw = _list_todos(address, f"X-User-ID: {first}", f"X-User-ID: {second}")
            body = _body(raw)
            assert status == 400, raw
            assert body["error_code"] == "VALIDATION_ERROR"
            assert body["field_errors"] == [{"field": "X-User-ID", "message": "must be given once"}]

    assert one[0] == 200  # one line of the same header is fine


def test_two_authorization_lines_are_an_invalid_token(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    token = issuer.mint("alice")
    with live_server(bearer_app(jwks.url, issuer)) as address:
        single = _list_todos(address, f"Authorization: Bearer {token}")
        status, raw = _list_todos(
            address, f"Authorization: Bearer {token}", f"Authorization: Bearer {token}"
        )

    assert single[0] == 200
    assert status == 401, raw
    assert _body(raw)["error_code"] == "INVALID_TOKEN"
    assert 'www-authenticate: Bearer realm="todo", error="invalid_token"' in raw.lower().replace(
        "bearer realm", "Bearer realm"
    )
