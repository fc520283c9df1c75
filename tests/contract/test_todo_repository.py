"""What every TodoRepository promises, whatever stores the todos."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from application.ports import IdempotencyKey, ListQuery, PageKey, TodoRepository
from domain.errors import TodoNotFound, VersionMismatch
from domain.todo import Todo, TodoChanges

T0 = datetime(2026, 1, 22, 10, 30, 0, 123456, tzinfo=UTC)


def new_todo(user_id: UUID, n: int = 0, **fields: object) -> Todo:
    fields.setdefault("title", f"todo {n}")
    return Todo.create(
        id=uuid4(),
        user_id=user_id,
        now=T0 + timedelta(milliseconds=n),
        **fields,  # type: ignore[arg-type]
    )


def add(repo: TodoRepository, todo: Todo) -> Todo:
    return repo.add(todo.user_id, todo, None).todo


def test_an_added_todo_reads_back_equal(repository: TodoRepository) -> None:
    user = uuid4()
    todo = new_todo(user, description="", is_completed=True)
    outcome = repository.add(user, todo, None)
    assert (outcome.todo, outcome.replayed) == (todo, False)
    assert repository.get(user, todo.id) == todo


def test_text_is_stored_exactly_including_any_unicode(repository: TodoRepository) -> None:
    user = uuid4()
    todo = new_todo(user, title="🙂 ñ \u200b 中文 \U0010fffd", description=" \n\t x ")
    add(repository, todo)
    assert repository.get(user, todo.id) == todo


def test_a_missing_todo_is_none(repository: TodoRepository) -> None:
    assert repository.get(uuid4(), uuid4()) is None


def test_another_users_todo_is_invisible_to_get_and_list(repository: TodoRepository) -> None:
    owner, other = uuid4(), uuid4()
    todo = add(repository, new_todo(owner))
    assert repository.get(other, todo.id) is None
    page = repository.list(other, ListQuery())
    assert (page.items, page.count, page.has_more) == ([], 0, False)


def test_another_users_todo_cannot_be_updated_or_deleted(repository: TodoRepository) -> None:
    owner, other = uuid4(), uuid4()
    todo = add(repository, new_todo(owner))
    with pytest.raises(TodoNotFound):
        repository.update(other, todo.id, TodoChanges(title="x"), expected_versions=None, now=T0)
    with pytest.raises(TodoNotFound):
        repository.delete(other, todo.id, expected_versions=None)
    assert repository.get(owner, todo.id) == todo


def test_list_is_newest_first_then_by_id_descending(repository: TodoRepository) -> None:
    user = uuid4()
    todos = [add(repository, new_todo(user, n)) for n in range(3)]
    twins = [
        add(repository, Todo.create(id=uuid4(), user_id=user, title="twin", now=T0 + timedelta(1)))
        for _ in range(3)
    ]
    expected = sorted(twins, key=lambda t: t.id, reverse=True) + todos[::-1]
    assert repository.list(user, ListQuery()).items == expected


def test_list_filters_by_completion_and_counts_the_filtered_total(
    repository: TodoRepository,
) -> None:
    user = uuid4()
    for n in range(5):
        add(repository, new_todo(user, n, is_completed=n % 2 == 0))
    done = repository.list(user, ListQuery(is_completed=True, limit=2))
    assert done.count == 3
    assert len(done.items) == 2 and all(t.is_completed for t in done.items)
    assert done.has_more
    assert repository.list(user, ListQuery(is_completed=False)).count == 2


def test_pages_walk_the_list_without_gaps_or_repeats(repository: TodoRepository) -> None:
    user = uuid4()
    todos = [add(repository, new_todo(user, n)) for n in range(7)]
    seen: list[Todo] = []
    after = None
    while True:
        page = repository.list(user, ListQuery(limit=3, after=after))
        assert page.count == 7
        seen += page.items
        if not page.has_more:
            break
        after = PageKey.of(page.items[-1])
    assert seen == todos[::-1]


def test_a_page_after_the_last_todo_is_empty(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    page = repository.list(user, ListQuery(limit=5, after=PageKey.of(todo)))
    assert (page.items, page.count, page.has_more) == ([], 1, False)


def test_update_applies_changes_and_bumps_version(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user, description="d"))
    later = T0 + timedelta(seconds=5)
    changes = TodoChanges(title="new", description=None, is_completed=True)
    updated = repository.update(user, todo.id, changes, expected_versions=frozenset({1}), now=later)
    assert updated == todo.apply(changes, later)
    assert repository.get(user, todo.id) == updated


def test_update_with_a_stale_version_changes_nothing(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    with pytest.raises(VersionMismatch):
        repository.update(
            user, todo.id, TodoChanges(title="x"), expected_versions=frozenset({2}), now=T0
        )
    assert repository.get(user, todo.id) == todo


def test_writes_apply_when_any_expected_version_is_current(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    updated = repository.update(
        user, todo.id, TodoChanges(title="x"), expected_versions=frozenset({5, 1, 9}), now=T0
    )
    assert updated.version == 2
    repository.delete(user, todo.id, expected_versions=frozenset({2, 3}))
    assert repository.get(user, todo.id) is None


def test_an_empty_set_of_expected_versions_matches_nothing(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    with pytest.raises(VersionMismatch):
        repository.update(
            user, todo.id, TodoChanges(title="x"), expected_versions=frozenset(), now=T0
        )
    with pytest.raises(VersionMismatch):
        repository.delete(user, todo.id, expected_versions=frozenset())
    assert repository.get(user, todo.id) == todo


def test_update_of_a_missing_todo_is_not_found_even_with_a_version(
    repository: TodoRepository,
) -> None:
    with pytest.raises(TodoNotFound):
        repository.update(
            uuid4(), uuid4(), TodoChanges(title="x"), expected_versions=frozenset({1}), now=T0
        )


def test_delete_removes_the_todo(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    repository.delete(user, todo.id, expected_versions=frozenset({1}))
    assert repository.get(user, todo.id) is None
    with pytest.raises(TodoNotFound):
        repository.delete(user, todo.id, expected_versions=None)


def test_delete_with_a_stale_version_keeps_the_todo(repository: TodoRepository) -> None:
    user = uuid4()
    todo = add(repository, new_todo(user))
    with pytest.raises(VersionMismatch):
        repository.delete(user, todo.id, expected_versions=frozenset({7}))
    assert repository.get(user, todo.id) == todo


def test_a_known_idempotency_key_stores_nothing_and_returns_the_first_todo(
    repository: TodoRepository,
) -> None:
    user = uuid4()
    first = new_todo(user, 1)
    key = IdempotencyKey("k-1", "fp-a")
    assert repository.add(user, first, key).replayed is False
    repository.update(user, first.id, TodoChanges(title="changed"), expected_versions=None, now=T0)
    repository.delete(user, first.id, expected_versions=None)
    again = repository.add(user, new_todo(user, 2), IdempotencyKey("k-1", "fp-b"))
    assert (again.todo, again.fingerprint, again.replayed) == (first, "fp-a", True)
    assert repository.list(user, ListQuery()).count == 0


def test_idempotency_keys_are_per_user(repository: TodoRepository) -> None:
    alice, bob = uuid4(), uuid4()
    key = IdempotencyKey("shared", "fp")
    repository.add(alice, new_todo(alice), key)
    outcome = repository.add(bob, new_todo(bob), key)
    assert outcome.replayed is False
    assert repository.list(bob, ListQuery()).count == 1


def test_concurrent_adds_with_one_key_store_one_todo(repository: TodoRepository) -> None:
    user = uuid4()
    key = IdempotencyKey("race", "fp")
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda n: repository.add(user, new_todo(user, n), key), range(8)))
    assert len({o.todo.id for o in outcomes}) == 1
    assert sum(not o.replayed for o in outcomes) == 1
    assert repository.list(user, ListQuery()).count == 1


def test_ping_answers_when_the_store_is_up(repository: TodoRepository) -> None:
    repository.ping()
