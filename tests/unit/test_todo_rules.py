"""The Todo entity's rules, independent of any storage or framework."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidTodo
from domain.todo import KEEP, Todo, TodoChanges

NOW = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)


def make(**fields: object) -> Todo:
    return Todo.create(id=uuid4(), user_id=uuid4(), now=NOW, **fields)  # type: ignore[arg-type]


def problems(error: pytest.ExceptionInfo[InvalidTodo]) -> dict[str, str]:
    return {e.field: e.message for e in error.value.errors}


def test_a_new_todo_is_open_at_version_one_with_equal_timestamps() -> None:
    todo = make(title="Buy milk")
    assert (todo.is_completed, todo.version, todo.description) == (False, 1, None)
    assert todo.created_at == todo.updated_at == NOW


@pytest.mark.parametrize(
    "raw", ["  Buy milk ", "\tBuy milk\n", "\u3000Buy milk\u2003", "\xa0Buy milk"]
)
def test_the_title_is_trimmed_of_unicode_whitespace(raw: str) -> None:
    assert make(title=raw).title == "Buy milk"


def test_characters_python_strips_but_unicode_does_not_call_whitespace_are_kept() -> None:
    assert make(title="\x1cx\x1f").title == "\x1cx\x1f"


@pytest.mark.parametrize("raw", ["", "   ", "\u2028\u3000"])
def test_a_blank_title_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidTodo) as error:
        make(title=raw)
    assert problems(error) == {"title": "must not be blank"}


def test_title_length_counts_code_points_after_trimming() -> None:
    assert len(make(title=" " + "é" * 255 + " ").title) == 255
    assert len(make(title="🙂" * 255).title) == 255
    with pytest.raises(InvalidTodo) as error:
        make(title="🙂" * 256)
    assert "title" in problems(error)


def test_description_may_be_empty_and_is_stored_exactly() -> None:
    assert make(title="t", description="").description == ""
    assert make(title="t", description="  x  ").description == "  x  "
    assert len(make(title="t", description="d" * 2000).description or "") == 2000


def test_every_broken_rule_is_reported_at_once() -> None:
    with pytest.raises(InvalidTodo) as error:
        make(title="", description="d" * 2001, is_completed="yes")
    assert set(problems(error)) == {"title", "description", "is_completed"}


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b"])
def test_nul_and_lone_surrogates_are_rejected(field: str, bad: str) -> None:
    fields = {"title": "ok", field: bad}
    with pytest.raises(InvalidTodo) as error:
        make(**fields)
    assert field in problems(error)


def test_applying_changes_bumps_version_and_updated_at_even_with_equal_values() -> None:
    todo = make(title="t")
    later = NOW + timedelta(seconds=1)
    changed = todo.apply(TodoChanges(title="t"), later)
    assert (changed.version, changed.updated_at, changed.created_at) == (2, later, NOW)


def test_empty_changes_leave_the_todo_untouched() -> None:
    todo = make(title="t")
    assert TodoChanges().is_empty
    assert todo.apply(TodoChanges(), NOW + timedelta(seconds=1)) is todo


def test_changes_can_clear_the_description_but_keep_what_they_do_not_name() -> None:
    todo = make(title="t", description="d", is_completed=True)
    changed = todo.apply(TodoChanges(description=None), NOW)
    assert (changed.title, changed.description, changed.is_completed) == ("t", None, True)


def test_changes_trim_and_check_the_title() -> None:
    assert TodoChanges(title="  x ").title == "x"
    assert TodoChanges(description=KEEP).is_empty
    with pytest.raises(InvalidTodo):
        TodoChanges(title="  ")
    with pytest.raises(InvalidTodo):
        TodoChanges(is_completed=1)  # type: ignore[arg-type]
