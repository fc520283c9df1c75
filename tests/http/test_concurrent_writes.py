"""Concurrent writers on one todo: If-Match lets exactly one of them win."""

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.http.todo_api import create_todo, headers, todo_url


def test_concurrent_patches_with_one_etag_let_exactly_one_win(
    client: TestClient, user: str
) -> None:
    todo = create_todo(client, user)

    def patch(n: int) -> int:
        response = client.patch(
            todo_url(todo["id"]),
            json={"title": f"writer {n}"},
            headers=headers(user, if_match='"1"'),
        )
        return response.status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(patch, range(8)))
    assert sorted(statuses) == [200] + [412] * 7
    final = client.get(todo_url(todo["id"]), headers=headers(user))
    assert final.headers["ETag"] == '"2"'


def test_concurrent_deletes_with_one_etag_delete_once(client: TestClient, user: str) -> None:
    todo = create_todo(client, user)

    def delete(_: int) -> int:
        return client.delete(
            todo_url(todo["id"]), headers=headers(user, if_match='"1"')
        ).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(delete, range(6)))
    assert statuses.count(204) == 1
    assert set(statuses) <= {204, 404, 412}
