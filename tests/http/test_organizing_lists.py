"""v1.2 listing over HTTP: filters, sorts, cursors bound to their query, and /api/v1/tags."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.http.todo_api import TODOS, assert_error, create_todo, headers, list_todos, todo_url

TAGS = "/api/v1/tags"


def _seed(client: TestClient, user: str) -> list[dict[str, Any]]:
    specs = [
        {
            "title": "Write report",
            "priority": "high",
            "tags": ["work"],
            "due_at": "2026-02-03T09:00:00Z",
        },
        {"title": "buy milk", "priority": "low", "tags": ["home"], "description": "2 litres"},
        {
            "title": "Call Bob",
            "priority": "medium",
            "tags": ["work", "urgent"],
            "due_at": "2026-02-01T09:00:00+02:00",
        },
        {"title": "apple pie", "tags": ["home", "baking"], "due_at": "2026-02-02T00:00:00Z"},
        {"title": "Zebra crossing", "priority": "high", "is_completed": True},
    ]
    return [create_todo(client, user, **spec) for spec in specs]


def _titles(page: dict[str, Any]) -> list[str]:
    return [todo["title"] for todo in page["items"]]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"priority": "high"}, ["Zebra crossing", "Write report"]),
        ({"priority": "low,medium"}, ["Call Bob", "buy milk"]),
        ({"tags": "work"}, ["Call Bob", "Write report"]),
        ({"tags": " WORK ,urgent"}, ["Call Bob"]),
        ({"due_before": "2026-02-02T00:00:00Z"}, ["Call Bob"]),
        ({"due_after": "2026-02-02T00:00:00Z"}, ["apple pie", "Write report"]),
        ({"q": "  MILK "}, ["buy milk"]),
        ({"q": "litres"}, ["buy milk"]),
        ({"q": "b", "is_completed": "false", "tags": "work"}, ["Call Bob"]),
        (
            {"sort": "title"},
            ["apple pie", "buy milk", "Call Bob", "Write report", "Zebra crossing"],
        ),
        (
            {"sort": "-title"},
            ["Zebra crossing", "Write report", "Call Bob", "buy milk", "apple pie"],
        ),
        (
            {"sort": "due_at"},
            ["Call Bob", "apple pie", "Write report", "buy milk", "Zebra crossing"],
        ),
        (
            {"sort": "-due_at"},
            ["Write report", "apple pie", "Call Bob", "Zebra crossing", "buy milk"],
        ),
        (
            {"sort": "-priority"},
            ["Zebra crossing", "Write report", "Call Bob", "buy milk", "apple pie"],
        ),
        (
            {"sort": "created_at"},
            ["Write report", "buy milk", "Call Bob", "apple pie", "Zebra crossing"],
        ),
    ],
)
def test_filters_and_sorts_answer_the_matching_todos_in_order_with_their_count(
    client: TestClient, user: str, params: dict[str, str], titles: list[str]
) -> None:
    _seed(client, user)
    page = list_todos(client, user, **params)
    assert _titles(page) == titles
    assert page["count"] == len(titles)


def test_updated_at_sort_follows_the_last_change(client: TestClient, user: str) -> None:
    todos = _seed(client, user)
    client.patch(todo_url(todos[1]["id"]), json={"priority": "high"}, headers=headers(user))
    assert _titles(list_todos(client, user, sort="-updated_at"))[0] == "buy milk"
    assert _titles(list_todos(client, user, sort="updated_at"))[-1] == "buy milk"


@pytest.mark.parametrize(
    "sort",
    [
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
        "due_at",
        "-due_at",
        "priority",
        "-priority",
        "title",
        "-title",
    ],
)
def test_paging_every_sort_with_a_filter_gives_each_todo_once_in_order(
    client: TestClient, user: str, sort: str
) -> None:
    _seed(client, user)
    _seed(client, user)
    whole = list_todos(client, user, sort=sort, is_completed="false")
    seen: list[str] = []
    page = list_todos(client, user, sort=sort, is_completed="false", limit=3)
    while True:
        assert page["count"] == whole["count"] == 8
        seen += [todo["id"] for todo in page["items"]]
        if page["next_cursor"] is None:
            break
        page = list_todos(
            client, user, sort=sort, is_completed="false", limit=3, cursor=page["next_cursor"]
        )
    assert seen == [todo["id"] for todo in whole["items"]]


@pytest.mark.parametrize(
    "other",
    [
        {"sort": "title"},
        {"sort": "created_at"},
        {"is_completed": "false"},
        {"priority": "high"},
        {"tags": "work"},
        {"due_before": "2030-01-01T00:00:00Z"},
        {"q": "a"},
    ],
)
def test_a_cursor_used_with_another_sort_or_other_filters_is_422_naming_cursor(
    client: TestClient, user: str, other: dict[str, str]
) -> None:
    _seed(client, user)
    cursor = list_todos(client, user, limit=1)["next_cursor"]
    response = client.get(
        TODOS, params={"limit": 1, "cursor": cursor, **other}, headers=headers(user)
    )
    assert_error(response, 422, "VALIDATION_ERROR", "cursor")


def test_a_cursor_keeps_working_with_its_own_query_spelled_differently(
    client: TestClient, user: str
) -> None:
    _seed(client, user)
    first = list_todos(client, user, limit=1, tags="work,urgent", priority="medium,high")
    assert first["next_cursor"] is None and first["count"] == 1
    first = list_todos(client, user, limit=1, tags="WORK", priority="medium,high", sort="-priority")
    cursor = first["next_cursor"]
    again = list_todos(
        client, user, limit=1, tags=" work", priority="high,medium", sort="-priority", cursor=cursor
    )
    assert _titles(first) + _titles(again) == ["Write report", "Call Bob"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("priority", "urgent"),
        ("priority", ""),
        ("priority", "high,"),
        ("tags", ""),
        ("tags", "a,,b"),
        ("tags", "x" * 51),
        ("tags", ",".join(f"t{n}" for n in range(21))),
        ("tags", "a\x01"),
        ("due_before", "2026-02-01"),
        ("due_before", "2026-02-01T00:00:00"),
        ("due_after", "tomorrow"),
        ("due_after", "0001-01-01T00:00:00+01:00"),
        ("q", ""),
        ("q", "   "),
        ("q", "x" * 101),
        ("q", "a\x00b"),
        ("sort", "title_desc"),
        ("sort", "+title"),
        ("sort", "--title"),
        ("sort", "Title"),
    ],
)
def test_a_bad_filter_or_sort_is_422_naming_the_parameter(
    client: TestClient, user: str, name: str, value: str
) -> None:
    response = client.get(TODOS, params={name: value}, headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", name)


def test_a_filter_given_twice_is_422_naming_it(client: TestClient, user: str) -> None:
    response = client.get(TODOS, params=[("tags", "a"), ("tags", "b")], headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", "tags")


def test_every_bad_parameter_is_reported_at_once(client: TestClient, user: str) -> None:
    params = {
        "priority": "x",
        "tags": "",
        "due_before": "x",
        "due_after": "x",
        "q": "",
        "sort": "x",
        "limit": "0",
        "cursor": "junk",
    }
    response = client.get(TODOS, params=params, headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", *params)


def test_q_of_one_hundred_characters_after_trimming_is_accepted(
    client: TestClient, user: str
) -> None:
    assert list_todos(client, user, q=" " + "é" * 100 + " ")["count"] == 0


def test_tags_lists_every_tag_sorted_with_counts(client: TestClient, user: str) -> None:
    _seed(client, user)
    response = client.get(TAGS, headers=headers(user))
    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {"tag": "baking", "count": 1},
            {"tag": "home", "count": 2},
            {"tag": "urgent", "count": 1},
            {"tag": "work", "count": 2},
        ]
    }


def test_another_users_tags_never_show_up_nor_match(
    client: TestClient, user: str, other_user: str
) -> None:
    _seed(client, other_user)
    assert client.get(TAGS, headers=headers(user)).json() == {"items": []}
    page = list_todos(client, user, tags="work", q="bob", priority="medium")
    assert (page["items"], page["count"]) == ([], 0)


@pytest.mark.header_mode
def test_tags_needs_the_user_like_every_api_route(client: TestClient) -> None:
    assert_error(client.get(TAGS), 400, "MISSING_USER_CONTEXT")
    assert_error(
        client.get(TAGS, headers={"X-User-ID": "nope"}), 400, "VALIDATION_ERROR", "X-User-ID"
    )


def test_tags_refuses_unknown_query_parameters(client: TestClient, user: str) -> None:
    response = client.get(TAGS, params={"sort": "tag"}, headers=headers(user))
    assert_error(response, 422, "VALIDATION_ERROR", "sort")


def test_a_cursor_is_not_blamed_when_another_parameter_is_bad(
    client: TestClient, user: str
) -> None:
    _seed(client, user)
    cursor = list_todos(client, user, limit=1, priority="high")["next_cursor"]
    response = client.get(
        TODOS, params={"limit": 1, "priority": "HIGH", "cursor": cursor}, headers=headers(user)
    )
    body = assert_error(response, 422, "VALIDATION_ERROR", "priority")
    assert [error["field"] for error in body["field_errors"]] == ["priority"]


def test_a_cursor_after_the_longest_case_folded_title_works(client: TestClient, user: str) -> None:
    for _ in range(2):
        create_todo(client, user, title="ΐ" * 255)  # folds to three code points each
    page = list_todos(client, user, limit=1, sort="title")
    assert page["next_cursor"] is not None
    rest = list_todos(client, user, limit=1, sort="title", cursor=page["next_cursor"])
    assert rest["count"] == 2 and len(rest["items"]) == 1
