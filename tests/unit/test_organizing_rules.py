"""The v1.2 rules of the Todo entity: priority, tags, due dates and completed_at."""

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from domain.errors import InvalidTodo
from domain.organizing import Priority, due_at_error, tags_error
from domain.todo import Todo, TodoChanges

NOW = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


def make(**fields: object) -> Todo:
    return Todo.create(id=uuid4(), user_id=uuid4(), title="t", now=NOW, **fields)  # type: ignore[arg-type]


def test_priorities_are_ordered_none_low_medium_high() -> None:
    assert sorted(Priority, key=lambda p: p.rank) == [
        Priority.NONE,
        Priority.LOW,
        Priority.MEDIUM,
        Priority.HIGH,
    ]
    assert [Priority.of_rank(p.rank) for p in Priority] == list(Priority)


@pytest.mark.parametrize("raw", ["High", "urgent", "", None, 3, " low"])
def test_only_the_four_priority_names_parse(raw: object) -> None:
    assert Priority.parse(raw) is None


def test_a_new_todo_has_no_priority_no_tags_no_due_date() -> None:
    todo = make()
    assert (todo.priority, todo.tags, todo.due_at, todo.completed_at) == (
        Priority.NONE,
        (),
        None,
        None,
    )


def test_tags_are_trimmed_of_unicode_whitespace_lower_cased_deduplicated_and_sorted() -> None:
    tags, problem = tags_error(["\u3000Work\u2003", "HOME", "work", " home\n", "Ünï", "b"])
    assert problem is None
    assert tags == ("b", "home", "work", "ünï")


def test_tags_sort_by_code_point() -> None:
    assert tags_error(["é", "z", "a", "Z"])[0] == ("a", "z", "é")


def test_twenty_distinct_tags_are_allowed_and_twenty_one_are_not() -> None:
    twenty = [f"t{n}" for n in range(20)]
    assert len(tags_error(twenty)[0]) == 20
    assert tags_error([*twenty, "T0", " t1 "])[1] is None  # duplicates after normalising
    assert tags_error([*twenty, "t20"])[1] is not None


def test_a_tag_may_have_fifty_code_points_but_not_fifty_one() -> None:
    assert tags_error(["🙂" * 50])[1] is None
    assert tags_error([" " + "é" * 50 + " "])[1] is None
    assert tags_error(["é" * 51])[1] is not None


@pytest.mark.parametrize(
    "tag",
    ["", "   ", "\u3000", "a,b", ",", "a\x00b", "a\tb", "a\x7fb", "a\x85b", "a\x9fb", "\ud800"],
)
def test_blank_comma_control_character_and_surrogate_tags_are_refused(tag: str) -> None:
    assert tags_error([tag])[1] is not None


@pytest.mark.parametrize("raw", [None, "work", [1], ["a", None], {"a": 1}])
def test_tags_must_be_a_list_of_strings(raw: object) -> None:
    assert tags_error(raw)[1] is not None


def test_creating_with_bad_tags_reports_tags_with_every_other_problem() -> None:
    with pytest.raises(InvalidTodo) as error:
        Todo.create(
            id=uuid4(),
            user_id=uuid4(),
            title=" ",
            tags=["a,b"],
            due_at=datetime(2026, 1, 1),
            now=NOW,
        )
    assert {e.field for e in error.value.errors} == {"title", "tags", "due_at"}


def test_due_at_is_stored_as_the_utc_instant_whatever_the_offset() -> None:
    plus_one = timezone(timedelta(hours=1))
    todo = make(due_at=datetime(2026, 2, 1, 18, 0, tzinfo=plus_one))
    assert todo.due_at == datetime(2026, 2, 1, 17, 0, tzinfo=UTC)
    assert todo.due_at.utcoffset() == timedelta(0)


def test_due_at_needs_an_offset() -> None:
    assert due_at_error(datetime(2026, 2, 1, 17, 0))[1] is not None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(1, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=-1))),
    ],
)
def test_due_at_admits_the_years_one_to_9999(moment: datetime) -> None:
    assert due_at_error(moment)[1] is None


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1))),  # year 0 in UTC
        datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1))),  # year 10000
    ],
)
def test_due_at_outside_the_years_one_to_9999_in_utc_is_refused(moment: datetime) -> None:
    assert due_at_error(moment)[1] is not None


def test_a_todo_created_completed_was_completed_when_created() -> None:
    assert make(is_completed=True).completed_at == NOW


def test_completing_stamps_completed_at_with_the_time_of_the_change() -> None:
    todo = make().apply(TodoChanges(is_completed=True), LATER)
    assert todo.completed_at == LATER


def test_completing_an_already_completed_todo_keeps_completed_at() -> None:
    todo = make(is_completed=True).apply(TodoChanges(is_completed=True), LATER)
    assert todo.completed_at == NOW


def test_other_changes_keep_completed_at() -> None:
    todo = make(is_completed=True).apply(TodoChanges(title="new", tags=["x"]), LATER)
    assert todo.completed_at == NOW


def test_reopening_clears_completed_at() -> None:
    todo = make(is_completed=True).apply(TodoChanges(is_completed=False), LATER)
    assert (todo.is_completed, todo.completed_at) == (False, None)


def test_a_change_of_tags_replaces_the_whole_list_normalised() -> None:
    todo = make(tags=["a", "b"]).apply(TodoChanges(tags=[" C ", "c"]), LATER)
    assert todo.tags == ("c",)
    assert todo.apply(TodoChanges(tags=[]), LATER).tags == ()


def test_a_change_may_clear_the_due_date_and_set_the_priority() -> None:
    todo = make(due_at=NOW).apply(TodoChanges(due_at=None, priority=Priority.HIGH), LATER)
    assert (todo.due_at, todo.priority) == (None, Priority.HIGH)


def test_changes_refuse_null_tags_and_a_priority_that_is_not_one() -> None:
    with pytest.raises(InvalidTodo) as error:
        TodoChanges(tags=None, priority="high")  # type: ignore[arg-type]
    assert {e.field for e in error.value.errors} == {"tags", "priority"}


def test_title_key_folds_case_fully() -> None:
    assert make().apply(TodoChanges(title="STRASSE Straße"), LATER).title_key == "strasse strasse"
