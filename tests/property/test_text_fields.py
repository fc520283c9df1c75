"""Text from the whole of Unicode, at the length boundaries, padded with Unicode whitespace
(and with U+001C..U+001F, which are not whitespace), with NUL or a lone surrogate: stored
exactly as the contract says (title trimmed, description as given) and read back unchanged,
or refused with 422 naming the field and nothing changed. On both adapters, with bodies
sent as raw UTF-8 and as ASCII-escaped JSON."""

from __future__ import annotations

import json
from uuid import uuid4

import httpx2
import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from tests.http.todo_api import JSON, TODOS, create_todo, headers, list_todos, todo_url
from tests.property.harness import AppUnderTest, expect_error, expect_todo, expect_well_formed
from tests.property.model import (
    DESCRIPTION_MAX,
    TITLE_MAX,
    Json,
    created_fields,
    invalid_fields,
    patched,
)
from tests.property.profiles import share
from tests.property.strategies import (
    ANY_CHAR,
    PADDING,
    at_boundaries,
    create_bodies,
    patch_bodies,
)

BEFORE = {"title": "before", "description": "before", "is_completed": False}
SURROGATES = st.characters(categories=["Cs"])


@pytest.fixture(scope="module", params=["memory", "postgres"])
def client(request: pytest.FixtureRequest) -> TestClient:
    app: AppUnderTest = request.getfixturevalue(request.param)
    return app.client


def _send(
    client: TestClient, method: str, url: str, user: str, body: Json, ascii_json: bool
) -> httpx2.Response:
    """The body as JSON: ASCII with \\u escapes, or raw UTF-8 (surrogates need the former)."""
    content = json.dumps(body, ensure_ascii=ascii_json).encode("utf-8")
    return client.request(
        method, url, content=content, headers={"Content-Type": JSON, **headers(user)}
    )


def _nothing_stored(client: TestClient, user: str) -> None:
    assert list_todos(client, user) == {"items": [], "count": 0, "next_cursor": None}


def _check_create(client: TestClient, body: Json, ascii_json: bool) -> None:
    user = str(uuid4())
    response = _send(client, "POST", TODOS, user, body, ascii_json)
    if bad := invalid_fields(body, creating=True):
        expect_error(response, 422, "VALIDATION_ERROR", bad)
        _nothing_stored(client, user)
        return
    assert response.status_code == 201, response.text
    todo: Json = response.json()
    expect_well_formed(todo, user)
    assert {name: todo[name] for name in created_fields(body, user)} == created_fields(body, user)
    expect_todo(client.get(todo_url(todo["id"]), headers=headers(user)), 200, todo, 1)
    assert list_todos(client, user)["items"] == [todo]


def _check_patch(client: TestClient, body: Json, ascii_json: bool) -> None:
    user = str(uuid4())
    before = create_todo(client, user, **BEFORE)
    url = todo_url(before["id"])
    response = _send(client, "PATCH", url, user, body, ascii_json)
    if bad := invalid_fields(body, creating=False):
        expect_error(response, 422, "VALIDATION_ERROR", bad)
        expect_todo(client.get(url, headers=headers(user)), 200, before, 1)
        return
    version = 2 if body else 1
    assert response.status_code == 200, response.text
    after: Json = response.json()
    expected = patched(before, body, after["updated_at"]) | {"updated_at": after["updated_at"]}
    expect_todo(response, 200, expected, version)
    expect_todo(client.get(url, headers=headers(user)), 200, expected, version)


@share(1)
@given(body=create_bodies(), ascii_json=st.booleans())
def test_a_new_todo_stores_its_text_exactly_or_is_refused_naming_the_field(
    client: TestClient, body: Json, ascii_json: bool
) -> None:
    _check_create(client, body, ascii_json)


@share(1)
@given(body=patch_bodies(), ascii_json=st.booleans())
def test_a_patch_stores_its_text_exactly_or_is_refused_and_changes_nothing(
    client: TestClient, body: Json, ascii_json: bool
) -> None:
    _check_patch(client, body, ascii_json)


@share(0.5)
@given(
    title=st.tuples(PADDING, at_boundaries(TITLE_MAX), PADDING).map("".join),
    description=at_boundaries(DESCRIPTION_MAX),
    field=st.sampled_from(["title", "description"]),
    creating=st.booleans(),
    ascii_json=st.booleans(),
)
def test_lengths_count_code_points_right_at_the_limits(
    client: TestClient, title: str, description: str, field: str, creating: bool, ascii_json: bool
) -> None:
    """0, 1, max - 1, max and max + 1 code points, often ending in a multi-byte character."""
    body = {"title": title} if field == "title" else {"title": "ok", "description": description}
    if creating:
        _check_create(client, body, ascii_json)
    else:
        _check_patch(client, body if field == "title" else {"description": description}, ascii_json)


@share(0.5)
@given(
    field=st.sampled_from(["title", "description"]),
    text=st.text(ANY_CHAR, min_size=1, max_size=10),
    surrogate=SURROGATES,
    position=st.integers(0, 10),
    creating=st.booleans(),
)
def test_a_lone_surrogate_is_refused_naming_its_field_and_changes_nothing(
    client: TestClient, field: str, text: str, surrogate: str, position: int, creating: bool
) -> None:
    user = str(uuid4())
    bad = text[:position] + surrogate + text[position:]
    if creating:
        response = _send(client, "POST", TODOS, user, {"title": "ok", field: bad}, True)
        expect_error(response, 422, "VALIDATION_ERROR", {field})
        _nothing_stored(client, user)
        return
    before = create_todo(client, user, **BEFORE)
    url = todo_url(before["id"])
    expect_error(
        _send(client, "PATCH", url, user, {field: bad}, True), 422, "VALIDATION_ERROR", {field}
    )
    expect_todo(client.get(url, headers=headers(user)), 200, before, 1)
