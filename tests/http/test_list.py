"""GET /api/v1/todos: order, filters, counts and keyset pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from dependency_injector import providers
from fastapi import FastAPI
from fastapi.testclient import TestClient
from todo_api import TODOS, assert_error, create_todo, headers, list_todos, todo_url

from application.todo_service import TodoService


def _ids(page: dict[str, Any]) -> list[str]:
    return [item["id"] for item in page["items"]]


def _all_pages(client: TestClient, user: str, limit: int, **params: Any) -> list[dict[str, Any]]:
    pages = [list_todos(client, user, limit=limit, **params)]
    while pages[-1]["next_cursor"] is not None:
        cursor = pages[-1]["next_cursor"]
        pages.append(list_todos(client, user, limit=limit, cursor=cursor, **params))
        assert len(pages) < 100
    return pages


def test_a_user_without_todos_lists_an_empty_page(client: TestClient, user: str) -> None:
    response = client.get(TODOS, headers=headers(user))

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 0, "next_cursor": None}


def test_the_list_holds_every_todo_newest_first(client: TestClient, user: str) -> None:
    created = [create_todo(client, user, title=f"todo {n}") for n in range(5)]

    page = list_todos(client, user)

    assert _ids(page) == [todo["id"] for todo in reversed(created)]
    assert page["items"] == list(reversed(created))
    assert page["count"] == 5
    assert page["next_cursor"] is None


def test_todos_created_at_the_same_moment_are_ordered_by_id_descending(
    app: FastAPI, client: TestClient, user: str
) -> None:
    container = app.state.container
    moment = datetime(2026, 1, 22, 10, 30, 0, 123456, tzinfo=UTC)
    frozen = providers.Singleton(TodoService, repository=container.repository, clock=lambda: moment)
    with container.todo_service.override(frozen):
        created = [create_todo(client, user, title=f"same moment {n}") for n in range(6)]

        page = list_todos(client, user)
        paged = [item["id"] for p in _all_pages(client, user, limit=2) for item in p["items"]]

    assert {item["created_at"] for item in page["items"]} == {"2026-01-22T10:30:00.123456Z"}
    expected = sorted((todo["id"] for todo in created), reverse=True)
    assert _ids(page) == expected
    assert paged == expected


@pytest.mark.parametrize("completed", [True, False])
def test_is_completed_filters_and_count_is_the_filtered_total(
    client: TestClient, user: str, completed: bool
) -> None:
    done = [create_todo(client, user, is_completed=True) for _ in range(2)]
    open_ = [create_todo(client, user, is_completed=False) for _ in range(3)]
    wanted = done if completed else open_

    page = list_todos(client, user, is_completed=str(completed).lower())

    assert _ids(page) == [todo["id"] for todo in reversed(wanted)]
    assert page["count"] == len(wanted)
    assert all(item["is_completed"] is completed for item in page["items"])


def test_limit_pages_through_every_todo_once_in_order(client: TestClient, user: str) -> None:
    created = [create_todo(client, user, title=f"todo {n}") for n in range(7)]

    pages = _all_pages(client, user, limit=3)

    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert [todo_id for page in pages for todo_id in _ids(page)] == [
        todo["id"] for todo in reversed(created)
    ]
    assert all(page["count"] == 7 for page in pages)
    assert all(isinstance(page["next_cursor"], str) for page in pages[:-1])
    assert pages[-1]["next_cursor"] is None


def test_a_limit_covering_everything_has_no_next_cursor(client: TestClient, user: str) -> None:
    for _ in range(3):
        create_todo(client, user)

    page = list_todos(client, user, limit=3)

    assert len(page["items"]) == 3
    assert page["next_cursor"] is None


def test_the_count_is_the_total_not_the_page_length(client: TestClient, user: str) -> None:
    for _ in range(5):
        create_todo(client, user)

    page = list_todos(client, user, limit=2)

    assert len(page["items"]) == 2
    assert page["count"] == 5


def test_paging_with_a_filter_keeps_the_filter(client: TestClient, user: str) -> None:
    done = []
    for n in range(6):
        todo = create_todo(client, user, is_completed=n % 2 == 0)
        if todo["is_completed"]:
            done.append(todo)

    pages = _all_pages(client, user, limit=2, is_completed="true")

    assert [i for page in pages for i in _ids(page)] == [t["id"] for t in reversed(done)]
    assert all(page["count"] == 3 for page in pages)


def test_paging_neither_skips_nor_repeats_while_todos_are_inserted(
    client: TestClient, user: str
) -> None:
    original = [create_todo(client, user, title=f"old {n}")["id"] for n in range(6)]
    seen: list[str] = []

    page = list_todos(client, user, limit=2)
    while True:
        seen.extend(_ids(page))
        create_todo(client, user, title="inserted between pages")
        if page["next_cursor"] is None:
            break
        page = list_todos(client, user, limit=2, cursor=page["next_cursor"])

    assert seen == list(reversed(original))


def test_paging_neither_skips_nor_repeats_while_todos_are_deleted(
    client: TestClient, user: str
) -> None:
    original = [create_todo(client, user, title=f"todo {n}")["id"] for n in range(8)]
    newest_first = list(reversed(original))

    first = list_todos(client, user, limit=3)
    assert _ids(first) == newest_first[:3]
    # Delete the todo the cursor points at, one already seen, and one not yet seen.
    for todo_id in (newest_first[2], newest_first[0], newest_first[5]):
        assert client.delete(todo_url(todo_id), headers=headers(user)).status_code == 204
    rest = _all_pages_from(client, user, first["next_cursor"], limit=3)

    assert rest == [todo_id for todo_id in newest_first[3:] if todo_id != newest_first[5]]


def _all_pages_from(client: TestClient, user: str, cursor: str | None, limit: int) -> list[str]:
    ids: list[str] = []
    while cursor is not None:
        page = list_todos(client, user, limit=limit, cursor=cursor)
        ids.extend(_ids(page))
        cursor = page["next_cursor"]
    return ids


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "abc", "1.5", "", " 5", "1e2", "٣"])
def test_a_bad_limit_is_a_validation_error_naming_limit(
    client: TestClient, user: str, limit: str
) -> None:
    response = client.get(TODOS, params={"limit": limit}, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", "limit")


@pytest.mark.parametrize("limit", ["1", "1000"])
def test_limits_at_the_bounds_are_accepted(client: TestClient, user: str, limit: str) -> None:
    create_todo(client, user)

    page = list_todos(client, user, limit=limit)

    assert page["count"] == 1 and len(page["items"]) == 1


@pytest.mark.parametrize("value", ["yes", "1", "True", "FALSE", "", "null"])
def test_a_bad_is_completed_is_a_validation_error_naming_it(
    client: TestClient, user: str, value: str
) -> None:
    response = client.get(TODOS, params={"is_completed": value}, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", "is_completed")


def test_a_cursor_without_limit_is_a_validation_error_naming_cursor(
    client: TestClient, user: str
) -> None:
    for _ in range(3):
        create_todo(client, user)
    cursor = list_todos(client, user, limit=1)["next_cursor"]
    assert cursor is not None

    response = client.get(TODOS, params={"cursor": cursor}, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", "cursor")


def test_a_tampered_cursor_is_a_validation_error_naming_cursor(
    client: TestClient, user: str
) -> None:
    for _ in range(3):
        create_todo(client, user)
    cursor = list_todos(client, user, limit=1)["next_cursor"]
    tampered = [cursor + "A", cursor[:-1], cursor + "==", "not-a-cursor", "", "é" * 10, "x" * 500]

    for bad in tampered:
        response = client.get(TODOS, params={"limit": 1, "cursor": bad}, headers=headers(user))
        assert_error(response, 422, "VALIDATION_ERROR", "cursor")


@pytest.mark.parametrize("name", ["page", "offset", "completed", "Limit"])
def test_an_unknown_query_parameter_is_a_validation_error_naming_it(
    client: TestClient, user: str, name: str
) -> None:
    response = client.get(TODOS, params={name: "1"}, headers=headers(user))

    assert_error(response, 422, "VALIDATION_ERROR", name)


def test_several_bad_query_parameters_are_reported_together(client: TestClient, user: str) -> None:
    response = client.get(
        TODOS,
        params={"limit": "0", "is_completed": "yes", "sort": "asc", "cursor": "junk"},
        headers=headers(user),
    )

    assert_error(response, 422, "VALIDATION_ERROR", "limit", "is_completed", "sort", "cursor")
