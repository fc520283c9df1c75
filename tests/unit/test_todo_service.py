"""The use cases, on the in-memory adapter."""

from collections.abc import Callable
from datetime import datetime
from uuid import uuid4

import pytest

from adapters.memory import InMemoryTodoRepository
from application.errors import IdempotencyKeyReused
from application.ports import IdempotencyKey, ListQuery, PageKey
from application.todo_service import NewTodo, TodoService
from domain.errors import InvalidTodo, TodoNotFound, VersionMismatch
from domain.todo import TodoChanges


@pytest.fixture
def service(clock: Callable[[], datetime]) -> TodoService:
    return TodoService(InMemoryTodoRepository(), clock=clock)


def test_create_stores_a_checked_todo_for_the_user(service: TodoService) -> None:
    user = uuid4()
    todo = service.create(user, NewTodo("  Buy milk  ", description=""))
    assert (todo.user_id, todo.title, todo.description, todo.version) == (user, "Buy milk", "", 1)
    assert service.get(user, todo.id) == todo


def test_create_with_broken_rules_stores_nothing(service: TodoService) -> None:
    user = uuid4()
    with pytest.raises(InvalidTodo):
        service.create(user, NewTodo(" "), IdempotencyKey("k", "fp"))
    assert service.list(user, ListQuery()).count == 0
    assert service.create(user, NewTodo("ok"), IdempotencyKey("k", "fp")).title == "ok"


def test_a_replayed_key_answers_the_first_todo(service: TodoService) -> None:
    user = uuid4()
    first = service.create(user, NewTodo("a"), IdempotencyKey("k", "fp"))
    assert service.create(user, NewTodo("a"), IdempotencyKey("k", "fp")) == first
    assert service.list(user, ListQuery()).count == 1


def test_a_key_reused_with_another_body_is_refused(service: TodoService) -> None:
    user = uuid4()
    service.create(user, NewTodo("a"), IdempotencyKey("k", "fp-a"))
    with pytest.raises(IdempotencyKeyReused):
        service.create(user, NewTodo("b"), IdempotencyKey("k", "fp-b"))
    assert service.list(user, ListQuery()).count == 1


def test_list_gives_the_next_page_key_only_when_more_remain(service: TodoService) -> None:
    user = uuid4()
    todos = [service.create(user, NewTodo(f"t{n}")) for n in range(3)]
    first = service.list(user, ListQuery(limit=2))
    assert first.next_page == PageKey.of(todos[1])
    last = service.list(user, ListQuery(limit=2, after=first.next_page))
    assert (last.items, last.next_page, last.count) == ([todos[0]], None, 3)
    assert service.list(user, ListQuery()).next_page is None


def test_another_users_todo_is_not_found_for_get_update_and_delete(service: TodoService) -> None:
    owner, other = uuid4(), uuid4()
    todo = service.create(owner, NewTodo("mine"))
    with pytest.raises(TodoNotFound):
        service.get(other, todo.id)
    with pytest.raises(TodoNotFound):
        service.update(other, todo.id, TodoChanges(title="x"), None)
    with pytest.raises(TodoNotFound):
        service.update(other, todo.id, TodoChanges(), None)
    with pytest.raises(TodoNotFound):
        service.delete(other, todo.id, None)
    assert service.list(other, ListQuery()).items == []
    assert service.get(owner, todo.id) == todo


def test_update_bumps_updated_at_from_the_clock(service: TodoService) -> None:
    user = uuid4()
    todo = service.create(user, NewTodo("a"))
    updated = service.update(
        user, todo.id, TodoChanges(is_completed=True), expected_versions=frozenset({1})
    )
    assert updated.is_completed and updated.version == 2
    assert updated.updated_at > todo.updated_at == updated.created_at


def test_an_empty_update_changes_nothing_but_honours_the_precondition(
    service: TodoService,
) -> None:
    user = uuid4()
    todo = service.create(user, NewTodo("a"))
    assert service.update(user, todo.id, TodoChanges(), expected_versions=frozenset({1})) == todo
    with pytest.raises(VersionMismatch):
        service.update(user, todo.id, TodoChanges(), expected_versions=frozenset({2}))
    with pytest.raises(TodoNotFound):
        service.update(user, uuid4(), TodoChanges(), expected_versions=None)


def test_delete_with_a_stale_version_keeps_the_todo(service: TodoService) -> None:
    user = uuid4()
    todo = service.create(user, NewTodo("a"))
    with pytest.raises(VersionMismatch):
        service.delete(user, todo.id, expected_versions=frozenset({2}))
    service.delete(user, todo.id, expected_versions=frozenset({1}))
    with pytest.raises(TodoNotFound):
        service.get(user, todo.id)
