"""Hand-picked hostile input: answered in the envelope, changing nothing, never a 500."""

import pytest
from fastapi.testclient import TestClient

from tests.http.todo_api import TODOS, create_todo, headers, todo_url


@pytest.mark.parametrize(
    ("name", "status"),
    [
        pytest.param("X-User-ID", 400, marks=pytest.mark.header_mode),
        ("If-Match", 412),
        ("X-Request-ID", 200),
        ("X-Anything", 200),
    ],
)
def test_a_very_long_header_is_answered_in_the_envelope(
    client: TestClient, user: str, name: str, status: int
) -> None:
    todo = create_todo(client, user)
    sent = {**headers(user), name: "a" * 16_000}
    response = client.patch(todo_url(todo["id"]), json={"title": "changed"}, headers=sent)
    assert response.status_code == status, response.text
    if status != 200:
        assert set(response.json()) >= {"detail", "error_code"}
        assert client.get(todo_url(todo["id"]), headers=headers(user)).json()["title"] == "a todo"
    assert len(response.headers["X-Request-ID"]) <= 128


@pytest.mark.parametrize(
    "query",
    [
        "limit=-1",
        "limit=99999999999999999999999999",
        "limit=1e3",
        "limit=%00",
        "limit=" + "9" * 5000,
        "is_completed=%F0%9F%99%82",
        "cursor=" + "A" * 5000 + "&limit=5",
        "cursor=%00&limit=5",
    ],
)
def test_hostile_query_strings_are_validation_errors(
    client: TestClient, user: str, query: str
) -> None:
    response = client.get(f"{TODOS}?{query}", headers=headers(user))
    assert response.status_code == 422
    assert response.json()["error_code"] == "VALIDATION_ERROR"


@pytest.mark.parametrize("todo_id", ["%00", "..%2F..%2Fetc", "1" * 5000, "%F0%9F%99%82"])
def test_hostile_path_ids_are_bad_requests(client: TestClient, user: str, todo_id: str) -> None:
    response = client.get(f"{TODOS}/{todo_id}", headers=headers(user))
    assert response.status_code in (400, 404)
    assert set(response.json()) >= {"detail", "error_code"}
