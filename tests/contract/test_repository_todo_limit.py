"""The per-user todo limit, as every TodoRepository keeps it: nothing stored beyond it, exact
under concurrency, a replay of an earlier keyed create still answered, a delete frees a place."""

from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

import pytest

from application.errors import TodoLimitReached
from application.ports import AddOutcome, IdempotencyKey, ListQuery, TodoRepository
from tests.contract.test_todo_repository import new_todo

LIMIT = 3


def fill(repository: TodoRepository, user: UUID, n: int = LIMIT) -> list[AddOutcome]:
    return [repository.add(user, new_todo(user, i), None, LIMIT) for i in range(n)]


def test_an_add_beyond_the_limit_stores_nothing(repository: TodoRepository) -> None:
    user = uuid4()
    fill(repository, user)
    with pytest.raises(TodoLimitReached):
        repository.add(user, new_todo(user, 9), None, LIMIT)
    with pytest.raises(TodoLimitReached):
        repository.add(user, new_todo(user, 10), IdempotencyKey("new key", "fp"), LIMIT)
    assert repository.list(user, ListQuery()).count == LIMIT


def test_a_refused_keyed_create_leaves_its_key_unused(repository: TodoRepository) -> None:
    user = uuid4()
    outcomes = fill(repository, user)
    with pytest.raises(TodoLimitReached):
        repository.add(user, new_todo(user, 9), IdempotencyKey("later", "fp"), LIMIT)
    repository.delete(user, outcomes[0].todo.id, expected_versions=None)
    later = repository.add(user, new_todo(user, 10), IdempotencyKey("later", "fp"), LIMIT)
    assert later.replayed is False
    assert repository.list(user, ListQuery()).count == LIMIT


def test_a_replay_of_an_earlier_create_answers_at_the_limit(repository: TodoRepository) -> None:
    user = uuid4()
    key = IdempotencyKey("early", "fp")
    first = repository.add(user, new_todo(user, 0), key, LIMIT)
    fill(repository, user, LIMIT - 1)
    again = repository.add(user, new_todo(user, 5), key, LIMIT)
    assert (again.todo, again.replayed) == (first.todo, True)
    assert repository.list(user, ListQuery()).count == LIMIT


def test_deleting_a_todo_frees_a_place(repository: TodoRepository) -> None:
    user = uuid4()
    outcomes = fill(repository, user)
    repository.delete(user, outcomes[1].todo.id, expected_versions=None)
    repository.add(user, new_todo(user, 7), None, LIMIT)
    assert repository.list(user, ListQuery()).count == LIMIT


def test_the_limit_is_per_user(repository: TodoRepository) -> None:
    alice, bob = uuid4(), uuid4()
    fill(repository, alice)
    assert len(fill(repository, bob)) == LIMIT


def test_concurrent_adds_at_the_limit_store_at_most_one(repository: TodoRepository) -> None:
    user = uuid4()
    fill(repository, user, LIMIT - 1)

    def add(n: int) -> bool:
        try:
            repository.add(user, new_todo(user, 10 + n), None, LIMIT)
        except TodoLimitReached:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        stored = list(pool.map(add, range(8)))
    assert sum(stored) == 1
    assert repository.list(user, ListQuery()).count == LIMIT


def test_concurrent_adds_from_empty_never_pass_the_limit(repository: TodoRepository) -> None:
    user = uuid4()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda n: _try_add(repository, user, n), range(24)))
    assert sum(results) == LIMIT
    assert repository.list(user, ListQuery()).count == LIMIT


def _try_add(repository: TodoRepository, user: UUID, n: int) -> bool:
    try:
        repository.add(user, new_todo(user, n), IdempotencyKey(f"k{n}", "fp"), LIMIT)
    except TodoLimitReached:
        return False
    return True
