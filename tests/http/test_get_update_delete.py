"""GET, PATCH and DELETE of one todo (without If-Match: the last write wins)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from todo_api import TIMESTAMP, assert_error, create_todo, headers, todo_url

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


def test_getting_a_todo_answers_it_with_its_etag(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, title="read me", description="d")

    response = client.get(todo_url(todo["id"]), headers=headers(user))

    assert response.status_code == 200
    assert response.json() == todo
    assert response.headers["ETag"] == '"1"'


def test_getting_a_missing_todo_is_not_found(client: TestClient, user: str) -> None:
    response = client.get(todo_url(MISSING_ID), headers=headers(user))

    assert_error(response, 404, "NOT_FOUND")


def test_a_patch_changes_only_the_fields_it_names(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, title="old", description="keep me", is_completed=False)

    response = client.patch(
        todo_url(todo["id"]), json={"is_completed": True}, headers=headers(user)
    )

    assert response.status_code == 200
    patched = response.json()
    assert patched["is_completed"] is True
    assert patched["title"] == "old"
    assert patched["description"] == "keep me"
    assert patched["id"] == todo["id"] and patched["created_at"] == todo["created_at"]
    assert TIMESTAMP.fullmatch(patched["updated_at"])
    assert patched["updated_at"] > todo["updated_at"]
    assert response.headers["ETag"] == '"2"'
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json() == patched


def test_a_patch_can_change_every_field_at_once(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, title="old", description="old", is_completed=True)

    patched = client.patch(
        todo_url(todo["id"]),
        json={"title": "  new\u3000", "description": "", "is_completed": False},
        headers=headers(user),
    ).json()

    assert (patched["title"], patched["description"], patched["is_completed"]) == ("new", "", False)


def test_an_empty_patch_changes_nothing(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = client.patch(todo_url(todo["id"]), json={}, headers=headers(user))

    assert response.status_code == 200
    assert response.json() == todo
    assert response.headers["ETag"] == '"1"'
    assert client.get(todo_url(todo["id"]), headers=headers(user)).headers["ETag"] == '"1"'


def test_an_empty_patch_of_a_missing_todo_is_not_found(client: TestClient, user: str) -> None:
    response = client.patch(todo_url(MISSING_ID), json={}, headers=headers(user))

    assert_error(response, 404, "NOT_FOUND")


def test_a_patch_with_unchanged_values_still_bumps_etag_and_updated_at(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user, title="same", is_completed=False)

    response = client.patch(
        todo_url(todo["id"]), json={"title": "same", "is_completed": False}, headers=headers(user)
    )

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json()["updated_at"] > todo["updated_at"]
    assert response.json()["created_at"] == todo["created_at"]


def test_a_patched_title_is_trimmed(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = client.patch(
        todo_url(todo["id"]), json={"title": "\u2003 trimmed \n"}, headers=headers(user)
    )

    assert response.json()["title"] == "trimmed"


def test_a_null_description_clears_it(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, description="something")

    response = client.patch(todo_url(todo["id"]), json={"description": None}, headers=headers(user))

    assert response.status_code == 200
    assert response.json()["description"] is None
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json()["description"] is None


def test_an_empty_description_is_stored_as_empty_not_null(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, description="something")

    response = client.patch(todo_url(todo["id"]), json={"description": ""}, headers=headers(user))

    assert response.json()["description"] == ""


def test_patching_a_missing_todo_is_not_found(client: TestClient, user: str) -> None:
    response = client.patch(todo_url(MISSING_ID), json={"title": "x"}, headers=headers(user))

    assert_error(response, 404, "NOT_FOUND")


def test_without_if_match_the_last_write_wins(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    url = todo_url(todo["id"])

    client.patch(url, json={"title": "first"}, headers=headers(user))
    response = client.patch(url, json={"title": "second"}, headers=headers(user))

    assert response.status_code == 200
    assert client.get(url, headers=headers(user)).json()["title"] == "second"
    assert response.headers["ETag"] == '"3"'


def test_deleting_a_todo_answers_204_with_an_empty_body(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = client.delete(todo_url(todo["id"]), headers=headers(user))

    assert response.status_code == 204
    assert response.content == b""


def test_a_deleted_todo_is_gone(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    kept = create_todo(client, user)
    client.delete(todo_url(todo["id"]), headers=headers(user))

    assert_error(client.get(todo_url(todo["id"]), headers=headers(user)), 404, "NOT_FOUND")
    assert_error(client.delete(todo_url(todo["id"]), headers=headers(user)), 404, "NOT_FOUND")
    assert_error(
        client.patch(todo_url(todo["id"]), json={"title": "x"}, headers=headers(user)),
        404,
        "NOT_FOUND",
    )
    listed = client.get("/api/v1/todos", headers=headers(user)).json()
    assert [item["id"] for item in listed["items"]] == [kept["id"]]
    assert listed["count"] == 1


def test_deleting_a_missing_todo_is_not_found(client: TestClient, user: str) -> None:
    response = client.delete(todo_url(MISSING_ID), headers=headers(user))

    assert_error(response, 404, "NOT_FOUND")
