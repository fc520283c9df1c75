"""gzip for bodies of 1 KiB or more when the client allows it, identity otherwise; streamed
bodies too."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import StreamingResponse
from todo_api import TODOS, create_todo, headers, todo_url

from entrypoints.http.compression import accepts_gzip


def _fill(client: TestClient, user: str, n: int = 10) -> None:
    for i in range(n):
        create_todo(client, user, title=f"todo {i}", description="some words " * 10)


def _raw(
    client: TestClient, path: str, request_headers: dict[str, str]
) -> tuple[httpx2.Response, bytes]:
    """The response and its body as sent, before any decoding."""
    with client.stream("GET", path, headers=request_headers) as response:
        return response, b"".join(response.iter_raw())


def _vary(response: httpx2.Response) -> set[str]:
    return {v.strip().lower() for v in response.headers.get("vary", "").split(",")}


def test_a_list_of_a_kib_or_more_is_gzipped_when_the_client_allows_it(
    client: TestClient, user: str
) -> None:
    _fill(client, user)
    plain = client.get(TODOS, headers={**headers(user), "Accept-Encoding": "identity"})

    response, sent = _raw(client, TODOS, {**headers(user), "Accept-Encoding": "gzip, br"})

    assert len(plain.content) >= 1024
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in _vary(response)
    assert int(response.headers["content-length"]) == len(sent) < len(plain.content) / 3
    assert json.loads(gzip.decompress(sent)) == plain.json()


@pytest.mark.parametrize("accept_encoding", [None, "identity", "gzip;q=0", "br, *;q=0", "deflate"])
def test_clients_that_do_not_allow_gzip_get_identity_with_vary(
    client: TestClient, user: str, accept_encoding: str | None
) -> None:
    _fill(client, user)
    asked = headers(user)
    asked["Accept-Encoding"] = accept_encoding or ""

    response, sent = _raw(client, TODOS, asked)

    assert "content-encoding" not in response.headers
    assert "accept-encoding" in _vary(response)
    assert json.loads(sent)["count"] == 10


def test_a_body_under_a_kib_is_never_compressed(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response, sent = _raw(
        client, todo_url(todo["id"]), {**headers(user), "Accept-Encoding": "gzip"}
    )

    assert len(sent) < 1024
    assert "content-encoding" not in response.headers
    assert "accept-encoding" in _vary(response)
    assert json.loads(sent) == todo


def test_vary_names_accept_encoding_once_on_every_answer(client: TestClient, user: str) -> None:
    _fill(client, user)
    answers = [
        client.get(TODOS, headers={**headers(user), "Accept-Encoding": "gzip"}),
        client.get(TODOS, headers={**headers(user), "Accept-Encoding": "identity"}),
        client.get("/health"),
        client.get("/nope"),
    ]

    for answer in answers:
        tokens = [v.strip().lower() for v in answer.headers.get("vary", "").split(",")]
        assert tokens.count("accept-encoding") == 1, answer.headers


@pytest.mark.parametrize(
    ("value", "allows"),
    [
        ("gzip", True),
        ("GZIP;q=0.5", True),
        ("deflate, gzip;q=1.0, *;q=0.5", True),
        ("*", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0.000", False),
        ("*;q=0", False),
        ("br, *;q=0", False),
        ("*, gzip;q=0", False),
        ("", False),
        ("identity", False),
    ],
)
def test_accept_encoding_is_read_with_its_q_values(value: str, allows: bool) -> None:
    assert accepts_gzip(value) is allows


def _streaming_app(app: FastAPI, chunks: list[bytes]) -> FastAPI:
    """The app with one more route that streams `chunks` (the way a long list is sent)."""

    async def stream(request: Request) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for chunk in chunks:
                yield chunk

        return StreamingResponse(body(), media_type="application/json")

    app.add_route("/stream-for-test", stream)
    return app


def test_a_streamed_body_is_gzipped_as_it_streams(app: FastAPI) -> None:
    chunks = [json.dumps({"n": n, "words": "word " * 30}).encode() + b"\n" for n in range(200)]
    with TestClient(_streaming_app(app, chunks)) as client:
        response, sent = _raw(client, "/stream-for-test", {"Accept-Encoding": "gzip"})

    assert response.headers["content-encoding"] == "gzip"
    assert "content-length" not in response.headers
    assert gzip.decompress(sent) == b"".join(chunks)
    assert len(sent) < len(b"".join(chunks)) / 5


def test_a_short_body_streamed_in_pieces_is_not_gzipped(app: FastAPI) -> None:
    chunks = [b'{"items": [', b"", b"1, 2, 3", b'], "count": 3}']
    with TestClient(_streaming_app(app, chunks)) as client:
        response, sent = _raw(client, "/stream-for-test", {"Accept-Encoding": "gzip"})

    assert "content-encoding" not in response.headers
    assert sent == b"".join(chunks)
