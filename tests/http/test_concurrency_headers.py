"""ETag and If-Match: strong quoted versions, and 412 PRECONDITION_FAILED changing nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from todo_api import assert_error, create_todo, headers, todo_url

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


def test_a_patch_with_the_current_etag_applies_and_answers_the_next_etag(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user, title="before")

    response = client.patch(
        todo_url(todo["id"]), json={"title": "after"}, headers=headers(user, if_match='"1"')
    )

    assert response.status_code == 200
    assert response.json()["title"] == "after"
    assert response.headers["ETag"] == '"2"'


def test_every_etag_is_strong_and_quoted(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    url = todo_url(todo["id"])

    etags = [
        client.get(url, headers=headers(user)).headers["ETag"],
        client.patch(url, json={"title": "x"}, headers=headers(user)).headers["ETag"],
        client.patch(url, json={"title": "y"}, headers=headers(user)).headers["ETag"],
    ]

    assert etags == ['"1"', '"2"', '"3"']


def test_a_patch_with_a_stale_etag_fails_and_changes_nothing(client: TestClient, user: str) -> None:
    todo = create_todo(client, user, title="v1")
    url = todo_url(todo["id"])
    current = client.patch(url, json={"title": "v2"}, headers=headers(user)).json()

    response = client.patch(url, json={"title": "v3"}, headers=headers(user, if_match='"1"'))

    assert_error(response, 412, "PRECONDITION_FAILED")
    after = client.get(url, headers=headers(user))
    assert after.json() == current
    assert after.headers["ETag"] == '"2"'


@pytest.mark.parametrize("if_match", ['W/"1"', "1", '"2"', '"0"', '"01"', '"2", "3"', '"abc"'])
def test_an_if_match_that_is_not_the_current_strong_etag_fails(
    client: TestClient, user: str, if_match: str
) -> None:
    todo = create_todo(client, user, title="unchanged")

    response = client.patch(
        todo_url(todo["id"]), json={"title": "changed"}, headers=headers(user, if_match=if_match)
    )

    assert_error(response, 412, "PRECONDITION_FAILED")
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json() == todo


def test_if_match_star_matches_an_existing_todo(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    client.patch(todo_url(todo["id"]), json={"title": "v2"}, headers=headers(user))

    response = client.patch(
        todo_url(todo["id"]), json={"title": "v3"}, headers=headers(user, if_match="*")
    )

    assert response.status_code == 200
    assert response.json()["title"] == "v3"


def test_an_empty_patch_still_checks_if_match(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    stale = client.patch(todo_url(todo["id"]), json={}, headers=headers(user, if_match='"9"'))
    current = client.patch(todo_url(todo["id"]), json={}, headers=headers(user, if_match='"1"'))

    assert_error(stale, 412, "PRECONDITION_FAILED")
    assert current.status_code == 200 and current.headers["ETag"] == '"1"'


def test_a_delete_with_a_stale_etag_fails_and_keeps_the_todo(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    client.patch(todo_url(todo["id"]), json={"title": "v2"}, headers=headers(user))

    response = client.delete(todo_url(todo["id"]), headers=headers(user, if_match='"1"'))

    assert_error(response, 412, "PRECONDITION_FAILED")
    assert client.get(todo_url(todo["id"]), headers=headers(user)).status_code == 200


def test_a_delete_with_a_weak_etag_fails(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = client.delete(todo_url(todo["id"]), headers=headers(user, if_match='W/"1"'))

    assert_error(response, 412, "PRECONDITION_FAILED")
    assert client.get(todo_url(todo["id"]), headers=headers(user)).status_code == 200


@pytest.mark.parametrize("if_match", ['"1"', "*"])
def test_a_delete_with_a_matching_if_match_deletes(
    client: TestClient, user: str, if_match: str
) -> None:
    todo = create_todo(client, user)

    response = client.delete(todo_url(todo["id"]), headers=headers(user, if_match=if_match))

    assert response.status_code == 204
    assert client.get(todo_url(todo["id"]), headers=headers(user)).status_code == 404


@pytest.mark.parametrize("if_match", ['"1"', "*"])
def test_if_match_on_a_missing_todo_is_not_found(
    client: TestClient, user: str, if_match: str
) -> None:
    patched = client.patch(
        todo_url(MISSING_ID), json={"title": "x"}, headers=headers(user, if_match=if_match)
    )
    deleted = client.delete(todo_url(MISSING_ID), headers=headers(user, if_match=if_match))

    assert_error(patched, 404, "NOT_FOUND")
    assert_error(deleted, 404, "NOT_FOUND")
