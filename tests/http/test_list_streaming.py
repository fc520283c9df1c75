"""GET /api/v1/todos without `limit` on a list longer than a page: the body is written page by
page (list_stream.py), yet is byte for byte the body the list had in one piece. The page size is
made tiny here, so a handful of todos spans several pages."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import JSONResponse
from todo_api import TODOS, create_todo, headers, list_todos, todo_url

from entrypoints.http import list_stream
from tests.http.conftest import ClientFactory

FIRST = 4  # the first page (a list this long is sent whole)
PAGE = 3  # every later one


@pytest.fixture(autouse=True)
def tiny_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(list_stream, "FIRST_PAGE_SIZE", FIRST)
    monkeypatch.setattr(list_stream, "PAGE_SIZE", PAGE)


def _in_one_piece(client: TestClient, user: str, **params: Any) -> bytes:
    """The body the old, unstreamed list had: one page of up to 1,000, rendered whole."""
    page = list_todos(client, user, limit=1000, **params)
    return bytes(JSONResponse({**page, "count": len(page["items"])}).body)


@pytest.mark.parametrize("todos", [0, 1, FIRST, FIRST + 1, FIRST + PAGE, FIRST + 2 * PAGE + 2])
def test_the_list_is_the_same_bytes_however_many_pages_it_spans(
    client: TestClient, user: str, todos: int
) -> None:
    for n in range(todos):
        create_todo(client, user, title=f"todo {n} \u00e9\u4e2d\U0001f600", description=f"d{n}")

    response = client.get(TODOS, headers=headers(user))

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == _in_one_piece(client, user)
    assert response.json()["count"] == todos
    # Streamed (no Content-Length) only when it is longer than the first page.
    assert ("content-length" in response.headers) == (todos <= FIRST)


def test_a_filtered_list_streams_only_the_matching_todos(client: TestClient, user: str) -> None:
    for n in range(10):
        create_todo(client, user, title=f"todo {n}", is_completed=n % 3 == 0)

    for flag, expected in (("true", 4), ("false", 6)):
        response = client.get(TODOS, params={"is_completed": flag}, headers=headers(user))

        assert response.content == _in_one_piece(client, user, is_completed=flag)
        assert response.json()["count"] == expected


def test_a_streamed_list_is_compressed_by_gzip_middleware(
    app: FastAPI, client_factory: ClientFactory, user: str
) -> None:
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    with client_factory(app) as client:
        for n in range(12):
            create_todo(client, user, title=f"todo {n}", description="x" * 200)
        expected = _in_one_piece(client, user)

        response = client.get(TODOS, headers=headers(user, accept_encoding="gzip"))
        with client.stream("GET", TODOS, headers=headers(user, accept_encoding="gzip")) as raw:
            compressed = b"".join(raw.iter_raw())

    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]
    assert response.content == expected
    assert gzip.decompress(compressed) == expected


def test_count_agrees_with_the_items_while_others_write(client: TestClient, user: str) -> None:
    """Todos that exist for the whole list appear once each, in order; todos created or deleted
    meanwhile may or may not; `count` is always the number of items in the body."""
    kept = {create_todo(client, user, title=f"kept {n}")["id"] for n in range(4 * PAGE)}
    stop = threading.Event()

    def churn() -> None:
        while not stop.is_set():
            todo = create_todo(client, user, title="passing")
            client.delete(todo_url(todo["id"]), headers=headers(user))

    with ThreadPoolExecutor(3) as pool:
        writers = [pool.submit(churn) for _ in range(2)]
        try:
            lists = [client.get(TODOS, headers=headers(user)).json() for _ in range(15)]
        finally:
            stop.set()
        for writer in writers:
            writer.result()

    for listed in lists:
        ids = [item["id"] for item in listed["items"]]
        order = [(item["created_at"], item["id"]) for item in listed["items"]]
        assert listed["count"] == len(ids)
        assert len(set(ids)) == len(ids)
        assert kept <= set(ids)
        assert order == sorted(order, reverse=True)
        assert listed["next_cursor"] is None


def test_the_list_is_written_a_page_at_a_time(client: TestClient, user: str) -> None:
    # Pages over 1 KiB: compression.py holds back a streamed body's first KiB.
    for n in range(FIRST + 3 * PAGE + 1):
        create_todo(client, user, title=f"todo {n}", description="x" * 400)

    plain = headers(user, accept_encoding="identity")  # chunks as written, not gzipped
    with client.stream("GET", TODOS, headers=plain) as response:
        chunks: Iterator[bytes] = response.iter_raw()
        sizes = [chunk.count(b'"id"') for chunk in chunks]

    assert sizes[:2] == [FIRST, PAGE]
    assert sum(sizes) == FIRST + 3 * PAGE + 1
    assert max(sizes) <= FIRST


def test_head_of_a_long_list_reads_only_its_first_page(
    client: TestClient, user: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(FIRST + 3 * PAGE + 1):
        create_todo(client, user, title=f"todo {n}")
    reads: list[object] = []
    read_page = list_stream._read_page

    def counted(*args: Any) -> Any:
        reads.append(args)
        return read_page(*args)

    monkeypatch.setattr(list_stream, "_read_page", counted)
    head = client.head(TODOS, headers=headers(user, accept_encoding="identity"))
    assert head.status_code == 200
    assert head.content == b""
    assert len(reads) == 1

    reads.clear()
    client.get(TODOS, headers=headers(user, accept_encoding="identity"))
    assert len(reads) == 5  # the first page and four more, for GET
