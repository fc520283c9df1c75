"""If-Match lists (strong comparison) on PATCH and DELETE, and If-None-Match (weak
comparison) answering 304 on GET and HEAD of one todo."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from todo_api import assert_error, create_todo, headers, missing_identity, todo_url

MISSING_ID = "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11"


@pytest.mark.parametrize("if_match", ['"7", "1"', '"1", "4"', 'W/"1", "1"', '"x", , "1"'])
def test_an_if_match_list_naming_the_current_etag_lets_a_patch_apply(
    client: TestClient, user: str, if_match: str
) -> None:
    todo = create_todo(client, user)

    response = client.patch(
        todo_url(todo["id"]), json={"title": "new"}, headers=headers(user, if_match=if_match)
    )

    assert response.status_code == 200, response.text
    assert response.headers["ETag"] == '"2"'


def test_an_if_match_list_naming_the_current_etag_lets_a_delete_apply(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)

    response = client.delete(todo_url(todo["id"]), headers=headers(user, if_match='"3", "1"'))

    assert response.status_code == 204
    assert client.get(todo_url(todo["id"]), headers=headers(user)).status_code == 404


def test_if_match_given_on_several_header_lines_is_one_list(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)
    lines = [("X-User-ID", user), ("If-Match", '"5"'), ("If-Match", '"1"')]

    response = client.delete(todo_url(todo["id"]), headers=lines)

    assert response.status_code == 204


@pytest.mark.parametrize(
    "if_match",
    ['W/"1"', 'W/"1", W/"2"', '"2", "3"', '"1" junk', '"1";"2"', '"1", *', "1, 2", '"1'],
)
def test_an_if_match_list_without_the_current_strong_etag_fails_and_changes_nothing(
    client: TestClient, user: str, if_match: str
) -> None:
    todo = create_todo(client, user)

    patch = client.patch(
        todo_url(todo["id"]), json={"title": "new"}, headers=headers(user, if_match=if_match)
    )
    delete = client.delete(todo_url(todo["id"]), headers=headers(user, if_match=if_match))

    assert_error(patch, 412, "PRECONDITION_FAILED")
    assert_error(delete, 412, "PRECONDITION_FAILED")
    assert client.get(todo_url(todo["id"]), headers=headers(user)).json() == todo


@pytest.mark.parametrize("if_none_match", ['"1"', 'W/"1"', '"4", "1"', "*", '"x", W/"1"'])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_if_none_match_naming_the_current_etag_is_not_modified(
    client: TestClient, user: str, method: str, if_none_match: str
) -> None:
    todo = create_todo(client, user)

    response = client.request(
        method, todo_url(todo["id"]), headers=headers(user, if_none_match=if_none_match)
    )

    assert response.status_code == 304
    assert response.headers["ETag"] == '"1"'
    assert response.content == b""


@pytest.mark.parametrize("if_none_match", ['"1"', 'W/"1"', "garbage"])
def test_if_none_match_naming_an_older_etag_answers_the_todo(
    client: TestClient, user: str, if_none_match: str
) -> None:
    todo = create_todo(client, user)
    changed = client.patch(todo_url(todo["id"]), json={"title": "v2"}, headers=headers(user))

    response = client.get(todo_url(todo["id"]), headers=headers(user, if_none_match=if_none_match))

    assert response.status_code == 200
    assert response.json() == changed.json()
    assert response.headers["ETag"] == '"2"'


def test_if_none_match_comes_after_identity_path_id_and_existence(
    client: TestClient, user: str, other_user: str
) -> None:
    todo = create_todo(client, user)
    star = {"if_none_match": "*"}

    assert_error(
        client.get(todo_url(todo["id"]), headers=headers(None, **star)), *missing_identity(client)
    )
    assert_error(
        client.get(todo_url("nope"), headers=headers(user, **star)), 400, "VALIDATION_ERROR"
    )
    assert_error(client.get(todo_url(MISSING_ID), headers=headers(user, **star)), 404, "NOT_FOUND")
    assert_error(
        client.get(todo_url(todo["id"]), headers=headers(other_user, **star)), 404, "NOT_FOUND"
    )


def test_if_none_match_does_not_apply_to_writes(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    response = client.patch(
        todo_url(todo["id"]), json={"title": "new"}, headers=headers(user, if_none_match='"1"')
    )

    assert response.status_code == 200
