"""MAX_TODOS_PER_USER over HTTP, on both adapters: 409 TODO_LIMIT_REACHED, nothing stored, in
the contract's order of precedence, and an idempotent replay still answered."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, count_todos, create_todo, headers, todo_url

from entrypoints.config import Settings
from tests.support.apps import memory_app, postgres_app

LIMIT = 2


@pytest.fixture(params=["memory", "postgres"])
def limited(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    """A client of a service whose users may hold LIMIT todos."""
    settings = Settings(max_todos_per_user=LIMIT)
    if request.param == "memory":
        app = memory_app(settings)
    else:
        app = postgres_app(request.getfixturevalue("postgres_engine"), settings)
    with TestClient(app) as client:
        yield client


def test_a_create_beyond_the_limit_is_409_and_stores_nothing(
    limited: TestClient, user: str
) -> None:
    for n in range(LIMIT):
        create_todo(limited, user, title=f"t{n}")
    response = limited.post(TODOS, json={"title": "one too many"}, headers=headers(user))
    assert_error(response, 409, "TODO_LIMIT_REACHED")
    assert count_todos(limited, user) == LIMIT


def test_a_delete_frees_a_place(limited: TestClient, user: str) -> None:
    first = create_todo(limited, user)
    create_todo(limited, user)
    assert limited.delete(todo_url(first["id"]), headers=headers(user)).status_code == 204
    create_todo(limited, user, title="fits again")


def test_a_replay_of_an_earlier_create_still_answers_at_the_limit(
    limited: TestClient, user: str
) -> None:
    keyed = headers(user, idempotency_key="early")
    first = limited.post(TODOS, json={"title": "early"}, headers=keyed)
    create_todo(limited, user)
    again = limited.post(TODOS, json={"title": "early"}, headers=keyed)
    assert (again.status_code, again.json()) == (201, first.json())


def test_validation_and_a_reused_key_come_before_the_limit(limited: TestClient, user: str) -> None:
    keyed = headers(user, idempotency_key="k")
    limited.post(TODOS, json={"title": "keyed"}, headers=keyed)
    create_todo(limited, user)
    assert_error(
        limited.post(TODOS, json={"title": ""}, headers=headers(user)), 422, "VALIDATION_ERROR"
    )
    reused = limited.post(TODOS, json={"title": "other body"}, headers=keyed)
    assert_error(reused, 422, "IDEMPOTENCY_KEY_REUSED")


def test_other_users_are_not_limited_by_one_users_todos(
    limited: TestClient, user: str, other_user: str
) -> None:
    for _ in range(LIMIT):
        create_todo(limited, user)
    create_todo(limited, other_user)


def test_concurrent_creates_at_the_limit_store_exactly_one(limited: TestClient, user: str) -> None:
    create_todo(limited, user)

    def create(n: int) -> int:
        response = limited.post(TODOS, json={"title": f"race {n}"}, headers=headers(user))
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(8)))
    assert sorted(statuses) == [201] + [409] * 7
    assert count_todos(limited, user) == LIMIT


def test_the_limit_is_documented_on_create(limited: TestClient) -> None:
    responses = limited.get("/openapi.json").json()["paths"]["/api/v1/todos"]["post"]["responses"]
    assert "409" in responses
