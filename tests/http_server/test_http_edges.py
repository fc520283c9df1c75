"""The edges of HTTP/1.1 where the parser, not the app, decides, played over raw sockets
against the app on the server production runs (entrypoints/server_config.py: uvicorn, uvloop,
httptools with a 32 KiB bound on the request head). What RFC 9112 and the contract require is
asserted; the contract's envelope wherever the app answers.

The same tests were run once with uvicorn's h11 parser instead (HTTP_PARSER = "h11"):
- Content-Length with Transfer-Encoding: chunked: h11 let chunked win but kept the connection
  open, so a request hidden after the last chunk was run as the next one (a todo created:
  request smuggling behind a proxy that goes by Content-Length). httptools refuses it: 400.
- Two Transfer-Encoding lines, obs-fold, NUL or bare CR in a value, a space before the colon:
  400 from both (h11 unfolded obs-fold into one value instead, as RFC 9112 5.2 allows).
- Oversized head: h11 stopped at 16 KiB only when the head arrived in pieces (400 then a
  reset; a 100 KB header in one read passed); llhttp has no bound at all (1 MB of header
  fields reached the app), hence BoundedHttpToolsProtocol: 431 in the envelope.
- Lines ending in a bare LF: h11 accepted them, httptools answers 400. An HTTP/1.1 request
  without Host: h11 400, httptools serves it (left alone: nothing here reads Host).
- Header names in any case, pipelining, HEAD, keep-alive: the same."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from entrypoints.http_protocol import BoundedHttpToolsProtocol
from entrypoints.server_config import server_config
from tests.support.apps import memory_app
from tests.support.bearer import bearer_app
from tests.support.http_wire import Response, Wire
from tests.support.jwks_server import JwksServer
from tests.support.live_server import LOOPBACK, server_thread
from tests.support.tokens import TokenIssuer

PARSER_REFUSAL = b"HTTP/1.1 400 "


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with server_thread(memory_app()) as server_port:
        yield server_port


def _connect(port: int) -> Wire:
    return Wire(socket.create_connection((LOOPBACK, port), timeout=30))


def _send(port: int, *lines: str, body: bytes = b"") -> Wire:
    wire = _connect(port)
    wire.connection.sendall("\r\n".join([*lines, "", ""]).encode("latin-1") + body)
    return wire


def _one(port: int, *lines: str, body: bytes = b"") -> Response:
    """The answer to one message, on a connection closed afterwards."""
    wire = _send(port, *lines, body=body)
    with wire.connection:
        return wire.response()


def _answer(port: int, *lines: str, body: bytes = b"") -> bytes:
    """Everything the server sends for this one message, until it closes."""
    wire = _send(port, *lines, body=body)
    with wire.connection:
        while True:
            try:
                if not wire._fill():
                    return wire.buffer
            except ConnectionResetError:
                return wire.buffer


def _todo_count(port: int, user: str) -> int:
    count = _one(port, "GET /api/v1/todos HTTP/1.1", "Host: x", f"X-User-ID: {user}").json()[
        "count"
    ]
    assert isinstance(count, int)
    return count


def _create(user: str, title: str = "x") -> bytes:
    body = f'{{"title":"{title}"}}'
    return (
        "POST /api/v1/todos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"X-User-ID: {user}\r\nContent-Length: {len(body)}\r\n\r\n{body}"
    ).encode()


def test_header_names_are_matched_in_any_case(port: int) -> None:
    user = str(uuid4())
    for spelling in ("x-user-id", "X-USER-ID", "x-UsEr-Id"):
        created = _one(
            port,
            "POST /api/v1/todos HTTP/1.1",
            "HOST: x",
            f"{spelling}: {user}",
            "content-TYPE: application/json",
            "CONTENT-length: 13",
            body=b'{"title":"a"}',
        )
        assert created.status == 201
    assert _todo_count(port, user) == 3


def test_x_user_id_twice_in_two_spellings_is_a_validation_error_naming_it(port: int) -> None:
    user = str(uuid4())
    response = _one(
        port, "GET /api/v1/todos HTTP/1.1", "Host: x", f"X-User-ID: {user}", f"x-user-id: {user}"
    )
    assert response.status == 400
    assert response.json()["error_code"] == "VALIDATION_ERROR"
    assert response.json()["field_errors"] == [
        {"field": "X-User-ID", "message": "must be given once"}
    ]


def test_authorization_twice_in_two_spellings_is_an_invalid_token_in_bearer_mode() -> None:
    issuer = TokenIssuer()
    jwks = JwksServer(issuer)
    token = issuer.mint("alice")
    try:
        with server_thread(bearer_app(jwks.url, issuer)) as bearer_port:
            once = _one(
                bearer_port,
                "GET /api/v1/todos HTTP/1.1",
                "Host: x",
                f"authorization: Bearer {token}",
            )
            response = _one(
                bearer_port,
                "GET /api/v1/todos HTTP/1.1",
                "Host: x",
                f"Authorization: Bearer {token}",
                f"AUTHORIZATION: Bearer {token}",
            )
    finally:
        jwks.down()
    assert once.status == 200
    assert response.status == 401
    assert response.json()["error_code"] == "INVALID_TOKEN"
    assert (response.header("www-authenticate") or "").startswith('Bearer realm="todo"')


@pytest.mark.parametrize(
    "bad_line",
    [
        "X-Note: folded\r\n continued",  # obs-fold, a space
        "X-Note: folded\r\n\tcontinued",  # obs-fold, a tab
        "X-Note: a\x00b",  # NUL in a value
        "X-Note: a\rb",  # a bare CR in a value
        "X-Note : spaced",  # whitespace before the colon
        "Transfer-Encoding: identity",  # a second Transfer-Encoding beside chunked (below)
    ],
)
def test_a_malformed_header_line_is_refused_and_the_request_is_not_run(
    port: int, bad_line: str
) -> None:
    user = str(uuid4())
    answer = _answer(
        port,
        "POST /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        bad_line,
        body=b'd\r\n{"title":"a"}\r\n0\r\n\r\n',
    )
    assert answer.startswith(PARSER_REFUSAL), answer
    assert _todo_count(port, user) == 0


def test_the_same_chunked_request_with_a_well_formed_line_is_run(port: int) -> None:
    user = str(uuid4())
    answer = _answer(
        port,
        "POST /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        "Content-Type: application/json",
        "Transfer-Encoding: chunked",
        "X-Note: folded continued",
        "Connection: close",
        body=b'd\r\n{"title":"a"}\r\n0\r\n\r\n',
    )
    assert answer.startswith(b"HTTP/1.1 201 "), answer
    assert _todo_count(port, user) == 1


def test_content_length_with_chunked_is_refused_and_a_hidden_request_never_runs(
    port: int,
) -> None:
    user = str(uuid4())
    body = b"0\r\n\r\n" + _create(user, "smuggled")  # to a Content-Length reader, one body
    answer = _answer(
        port,
        "POST /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        "Content-Type: application/json",
        f"Content-Length: {len(body)}",
        "Transfer-Encoding: chunked",
        body=body,
    )
    assert answer.startswith(PARSER_REFUSAL), answer
    assert answer.count(b"HTTP/1.1 ") == 1  # and nothing after it
    assert _todo_count(port, user) == 0


def _assert_header_fields_too_large(answer: bytes) -> None:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 "), answer[:300]
    assert b'"error_code":"HEADERS_TOO_LARGE"' in body


def test_a_head_over_32_kib_in_one_piece_is_431_in_the_envelope(port: int) -> None:
    user = str(uuid4())
    one_big = _answer(
        port,
        "GET /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        f"X-Big: {'a' * 40_000}",
        "Connection: close",
    )
    many = [f"X-Field-{i}: {'b' * 90}" for i in range(400)]  # 40 KB in many small fields
    many_small = _answer(
        port,
        "GET /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        *many,
        "Connection: close",
    )
    under = _one(
        port,
        "GET /api/v1/todos HTTP/1.1",
        "Host: x",
        f"X-User-ID: {user}",
        f"X-Big: {'a' * 24_000}",
    )  # e.g. a long bearer token: served
    _assert_header_fields_too_large(one_big)
    _assert_header_fields_too_large(many_small)
    assert under.status == 200


def test_an_endless_header_is_cut_off_near_32_kib(port: int) -> None:
    wire = _connect(port)
    sent = 0
    with wire.connection:
        try:
            wire.connection.sendall(b"GET /api/v1/todos HTTP/1.1\r\nHost: x\r\nX-Endless: ")
            while sent < 4_000_000:
                wire.connection.sendall(b"a" * 4096)
                sent += 4096
                time.sleep(0.001)
        except (BrokenPipeError, ConnectionResetError):
            pass
        assert sent < 1_000_000  # the server hung up long before: it buffered at most that
        try:
            while wire._fill():
                pass
        except ConnectionResetError:
            pass
    if wire.buffer:  # the answer, if it arrived before the reset
        _assert_header_fields_too_large(wire.buffer)
    assert _todo_count(port, str(uuid4())) == 0  # and the server still serves


def test_a_body_over_64_kib_is_413_whether_declared_or_chunked(port: int) -> None:
    user = str(uuid4())
    title = "a" * 70_000
    declared = _create(user, title)
    head = f"POST /api/v1/todos HTTP/1.1\r\nHost: x\r\nX-User-ID: {user}\r\n"
    content = f'{{"title":"{title}"}}'.encode()
    chunked = (
        (head + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").encode()
        + b"%x\r\n" % len(content)
        + content
        + b"\r\n0\r\n\r\n"
    )
    for message in (declared, chunked):
        wire = _connect(port)
        with wire.connection:
            wire.connection.sendall(message)
            response = wire.response()
        assert response.status == 413
        assert response.json()["error_code"] == "PAYLOAD_TOO_LARGE"
    assert _todo_count(port, user) == 0


def test_pipelined_requests_are_answered_in_order(port: int) -> None:
    user = str(uuid4())
    listing = f"GET /api/v1/todos HTTP/1.1\r\nHost: x\r\nX-User-ID: {user}\r\n\r\n".encode()
    wire = _connect(port)
    with wire.connection:
        wire.connection.sendall(_create(user, "first") + _create(user, "second") + listing)
        first, second, third = wire.response(), wire.response(), wire.response()
    assert (first.status, second.status, third.status) == (201, 201, 200)
    assert (first.json()["title"], second.json()["title"]) == ("first", "second")
    assert [item["title"] for item in third.json()["items"]] == ["second", "first"]  # type: ignore[attr-defined]


def test_head_and_keep_alive_leave_the_connection_usable(port: int) -> None:
    user = str(uuid4())
    listing = f"/api/v1/todos HTTP/1.1\r\nHost: x\r\nX-User-ID: {user}\r\n\r\n".encode()
    wire = _connect(port)
    with wire.connection:
        wire.connection.sendall(_create(user))
        created = wire.response()
        wire.connection.sendall(b"HEAD " + listing)
        head = wire.response(to_head=True)
        wire.connection.sendall(b"GET " + listing)
        get = wire.response()
        assert not wire.buffer  # HEAD sent no body bytes that would now precede GET's answer
        wire.connection.sendall(
            b"GET " + listing.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
        )
        last = wire.response()
        assert wire.closed_by_server()
    assert created.status == 201
    assert (head.status, get.status, last.status) == (200, 200, 200)
    assert head.header("content-length") == get.header("content-length") == str(len(get.body))
    assert get.json()["count"] == 1


def test_an_http_1_0_request_without_keep_alive_is_answered_then_closed(port: int) -> None:
    wire = _send(port, "GET /health HTTP/1.0")
    with wire.connection:
        response: Response = wire.response()
        assert wire.closed_by_server()
    assert response.status == 200


def test_the_server_runs_on_uvloop_and_the_bounded_httptools_protocol() -> None:
    app = memory_app()

    async def loop_type() -> str:
        return type(asyncio.get_running_loop()).__module__

    app.add_api_route("/loop-type", loop_type)
    with server_thread(app) as loop_port:
        response = _one(loop_port, "GET /loop-type HTTP/1.1", "Host: x")
    config = server_config(app, LOOPBACK, 0)
    config.load()
    assert response.body == b'"uvloop"'
    assert config.http_protocol_class is BoundedHttpToolsProtocol
    assert issubclass(BoundedHttpToolsProtocol, HttpToolsProtocol)
