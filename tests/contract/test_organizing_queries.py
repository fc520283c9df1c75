"""Every filter, every sort and their combinations, on every adapter, against an oracle
written out here independently of any adapter."""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import product
from uuid import UUID, uuid4

import pytest

from application.list_query import PageKey, Sort, SortKey
from application.ports import ListQuery, TodoRepository
from domain.organizing import Priority
from domain.todo import Todo, TodoChanges

T0 = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)
DUE = datetime(2026, 2, 1, 17, 0, tzinfo=UTC)
TITLES = ["apple", "Banana", "APPLE pie", "straße", "STRASSE", "zebra", "Éclair", "apple"]
DESCRIPTIONS = [None, "Buy at the MARKET", "", "market day", None, "strasse"]
TAG_SETS = [(), ("work",), ("home", "work"), ("home",), ("urgent", "work"), ("home", "urgent")]


def _fixture_todos(user: UUID) -> list[Todo]:
    todos = []
    for n in range(36):
        todos.append(
            Todo.create(
                id=uuid4(),
                user_id=user,
                title=TITLES[n % len(TITLES)],
                description=DESCRIPTIONS[n % len(DESCRIPTIONS)],
                is_completed=n % 3 == 0,
                priority=list(Priority)[n % 4],
                tags=TAG_SETS[n % len(TAG_SETS)],
                due_at=None if n % 4 == 1 else DUE + timedelta(days=n % 5),
                now=T0 + timedelta(seconds=n // 3),  # three todos share each created_at
            )
        )
    return todos


@pytest.fixture
def stored(repository: TodoRepository) -> Iterator[tuple[TodoRepository, UUID, list[Todo]]]:
    user, other = uuid4(), uuid4()
    todos = []
    for todo in _fixture_todos(user):
        todos.append(repository.add(user, todo, None).todo)
    for todo in _fixture_todos(other):  # the same tags and words: must never show up
        repository.add(other, todo, None)
    # Some updates, so updated_at differs from created_at and ties break on created_at.
    for n, todo in enumerate(todos[::5]):
        later = T0 + timedelta(minutes=1 + n % 2)
        changed = repository.update(
            user, todo.id, TodoChanges(priority=Priority.HIGH), expected_versions=None, now=later
        )
        todos[todos.index(todo)] = changed
    yield repository, user, todos


def _matches(todo: Todo, query: ListQuery) -> bool:
    text = query.text
    folded = [todo.title.casefold(), (todo.description or "").casefold()]
    due = todo.due_at
    return (
        (query.is_completed is None or todo.is_completed is query.is_completed)
        and (not query.priorities or todo.priority in query.priorities)
        and set(query.tags) <= set(todo.tags)
        and (query.due_before is None or (due is not None and due < query.due_before))
        and (query.due_after is None or (due is not None and due >= query.due_after))
        and (text is None or any(text in part for part in folded))
    )


def _expected(todos: list[Todo], query: ListQuery) -> list[Todo]:
    matching = [todo for todo in todos if _matches(todo, query)]
    sort = query.sort
    value: Callable[[Todo], object] = {
        SortKey.CREATED_AT: lambda t: 0,
        SortKey.UPDATED_AT: lambda t: t.updated_at,
        SortKey.DUE_AT: lambda t: t.due_at,
        SortKey.PRIORITY: lambda t: t.priority.rank,
        SortKey.TITLE: lambda t: t.title.casefold(),
    }[sort.key]
    dated = [t for t in matching if sort.key is not SortKey.DUE_AT or t.due_at is not None]
    undated = [t for t in matching if t not in dated]
    dated.sort(key=lambda t: (value(t), t.created_at, t.id), reverse=sort.descending)
    undated.sort(key=lambda t: (t.created_at, t.id), reverse=sort.descending)
    return dated + undated


SORTS = [Sort(key, descending) for key, descending in product(SortKey, (False, True))]
FILTERS = [
    ListQuery(),
    ListQuery(is_completed=True),
    ListQuery(priorities=frozenset({Priority.HIGH, Priority.LOW})),
    ListQuery(tags=("work",)),
    ListQuery(tags=("home", "work")),
    ListQuery(tags=("nobody-has-this",)),
    ListQuery(due_before=DUE + timedelta(days=2)),
    ListQuery(due_after=DUE + timedelta(days=2)),
    ListQuery(due_after=DUE + timedelta(days=1), due_before=DUE + timedelta(days=3)),
    ListQuery(text="apple"),
    ListQuery(text="strasse"),  # matches "straße" by case folding, titles and descriptions
    ListQuery(text="market"),
    ListQuery(
        is_completed=False,
        priorities=frozenset({Priority.NONE, Priority.MEDIUM, Priority.HIGH}),
        tags=("work",),
        due_after=DUE,
        text="a",
    ),
]


def _with(query: ListQuery, **fields: object) -> ListQuery:
    return ListQuery(**{**{f: getattr(query, f) for f in query.__slots__}, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize("sort", SORTS, ids=str)
def test_every_filter_in_every_sort_lists_exactly_the_matching_todos_in_order(
    stored: tuple[TodoRepository, UUID, list[Todo]], sort: Sort
) -> None:
    repository, user, todos = stored
    for filters in FILTERS:
        query = _with(filters, sort=sort)
        expected = _expected(todos, query)
        page = repository.list(user, query)
        assert [t.id for t in page.items] == [t.id for t in expected], query
        assert page.count == len(expected)
        assert not page.has_more


@pytest.mark.parametrize("sort", SORTS, ids=str)
def test_pages_of_every_sort_and_filter_join_into_the_whole_list(
    stored: tuple[TodoRepository, UUID, list[Todo]], sort: Sort
) -> None:
    repository, user, todos = stored
    for filters in FILTERS:
        query = _with(filters, sort=sort, limit=4)
        expected = _expected(todos, query)
        walked: list[UUID] = []
        after: PageKey | None = None
        while True:
            page = repository.list(user, _with(query, after=after))
            assert page.count == len(expected)
            walked += [t.id for t in page.items]
            if not page.has_more:
                break
            after = PageKey.of(page.items[-1], sort)
        assert walked == [t.id for t in expected], query


def test_tags_of_a_user_are_counted_and_sorted_and_never_another_users(
    repository: TodoRepository,
) -> None:
    user, other = uuid4(), uuid4()
    for tags in [("b", "a"), ("a",), ("é", "z"), ()]:
        repository.add(
            user, Todo.create(id=uuid4(), user_id=user, title="t", tags=tags, now=T0), None
        )
    repository.add(
        other, Todo.create(id=uuid4(), user_id=other, title="t", tags=["secret"], now=T0), None
    )
    assert repository.tags(user) == [("a", 2), ("b", 1), ("z", 1), ("é", 1)]
    assert repository.tags(uuid4()) == []


def test_tags_follow_changes_and_deletions(repository: TodoRepository) -> None:
    user = uuid4()
    todo = repository.add(
        user, Todo.create(id=uuid4(), user_id=user, title="t", tags=["a", "b"], now=T0), None
    ).todo
    repository.update(user, todo.id, TodoChanges(tags=["b", "c"]), expected_versions=None, now=T0)
    assert repository.tags(user) == [("b", 1), ("c", 1)]
    assert [t.id for t in repository.list(user, ListQuery(tags=("c",))).items] == [todo.id]
    assert repository.list(user, ListQuery(tags=("a",))).count == 0
    repository.delete(user, todo.id, expected_versions=None)
    assert repository.tags(user) == []


def test_completed_at_follows_the_entitys_rule_in_every_adapter(repository: TodoRepository) -> None:
    user = uuid4()
    todo = repository.add(user, Todo.create(id=uuid4(), user_id=user, title="t", now=T0), None).todo
    t1, t2, t3 = (T0 + timedelta(minutes=n) for n in (1, 2, 3))
    done = repository.update(
        user, todo.id, TodoChanges(is_completed=True), expected_versions=None, now=t1
    )
    again = repository.update(
        user, todo.id, TodoChanges(is_completed=True), expected_versions=None, now=t2
    )
    other = repository.update(user, todo.id, TodoChanges(title="x"), expected_versions=None, now=t2)
    reopened = repository.update(
        user, todo.id, TodoChanges(is_completed=False), expected_versions=None, now=t3
    )
    assert [done.completed_at, again.completed_at, other.completed_at] == [t1, t1, t1]
    assert reopened.completed_at is None
    assert repository.get(user, todo.id) == reopened
