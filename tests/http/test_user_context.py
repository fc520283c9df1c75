"""X-User-ID and path ids: required, UUIDs in any accepted spelling, answered canonically."""

from __future__ import annotations

from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, create_todo, headers, todo_url

SOME_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


def _spellings(value: UUID) -> list[str]:
    return [
        str(value),
        str(value).upper(),
        value.hex,
        value.hex.upper(),
        "{" + str(value) + "}",
        "{" + value.hex + "}",
        f"urn:uuid:{value}",
        f"URN:UUID:{str(value).upper()}",
    ]


ROUTES = [
    ("POST", TODOS),
    ("GET", TODOS),
    ("GET", todo_url(SOME_ID)),
    ("PATCH", todo_url(SOME_ID)),
    ("DELETE", todo_url(SOME_ID)),
]


@pytest.mark.header_mode
@pytest.mark.parametrize(("method", "url"), ROUTES)
@pytest.mark.parametrize("user_header", [None, ""], ids=["missing", "empty"])
def test_a_request_without_a_user_is_missing_user_context(
    client: TestClient, method: str, url: str, user_header: str | None
) -> None:
    response = client.request(method, url, json={"title": "x"}, headers=headers(user_header))

    assert_error(response, 400, "MISSING_USER_CONTEXT")


@pytest.mark.header_mode
@pytest.mark.parametrize(
    "bad_user",
    [
        "not-a-uuid",
        "12345",
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d1",  # one digit short
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11a",  # one digit long
        "0b6c3e1e7d0e-4a47-9a63-2f0f5e4c8d11",  # hyphens in the wrong places
        "0b6c-3e1e-7d0e-4a47-9a63-2f0f-5e4c-8d11",
        "{0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",  # unbalanced brace
        "g" * 32,
        " ",
        " 0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11 x",
    ],
)
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_a_user_that_is_not_a_uuid_is_a_validation_error_naming_the_header(
    client: TestClient, method: str, url: str, bad_user: str
) -> None:
    response = client.request(method, url, json={"title": "x"}, headers=headers(bad_user))

    assert_error(response, 400, "VALIDATION_ERROR", "X-User-ID")


def test_every_uuid_spelling_addresses_the_same_user(client: TestClient) -> None:
    user = uuid4()
    spellings = _spellings(user)
    created = [create_todo(client, spelling, title=spelling)["id"] for spelling in spellings]

    for spelling in spellings:
        listed = client.get(TODOS, headers=headers(spelling)).json()
        assert listed["count"] == len(spellings), spelling
        assert sorted(item["id"] for item in listed["items"]) == sorted(created)
        assert {item["user_id"] for item in listed["items"]} == {str(user)}


def test_a_todo_created_in_one_spelling_is_read_and_changed_in_another(
    client: TestClient,
) -> None:
    user = uuid4()
    todo = create_todo(client, user.hex.upper())

    got = client.get(todo_url(todo["id"]), headers=headers(f"urn:uuid:{user}"))
    patched = client.patch(
        todo_url(todo["id"]), json={"title": "changed"}, headers=headers("{" + str(user) + "}")
    )
    deleted = client.delete(todo_url(todo["id"]), headers=headers(str(user)))

    assert got.status_code == 200 and got.json()["user_id"] == str(user)
    assert patched.status_code == 200 and patched.json()["title"] == "changed"
    assert deleted.status_code == 204


def test_every_uuid_spelling_of_a_path_id_addresses_the_same_todo(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)
    todo_id = UUID(todo["id"])

    for spelling in _spellings(todo_id):
        response = client.get(todo_url(spelling), headers=headers(user))
        assert response.status_code == 200, spelling
        assert response.json()["id"] == todo["id"]

    patched = client.patch(
        todo_url(todo_id.hex.upper()), json={"title": "changed"}, headers=headers(user)
    )
    assert patched.json()["id"] == todo["id"]
    assert client.delete(todo_url(f"urn:uuid:{todo_id}"), headers=headers(user)).status_code == 204


@pytest.mark.parametrize(
    "bad_id",
    ["not-a-uuid", "123", "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d1", "{" + SOME_ID, "x" * 36],
)
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_a_malformed_path_id_is_a_validation_error_naming_todo_id(
    client: TestClient, user: str, method: str, bad_id: str
) -> None:
    response = client.request(method, todo_url(bad_id), json={"title": "x"}, headers=headers(user))

    assert_error(response, 400, "VALIDATION_ERROR", "todo_id")
