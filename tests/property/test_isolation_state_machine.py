"""Random request sequences by three users, each answer checked against a reference model:
every user sees exactly their own todos, counts and pages agree with the model, ETags follow
versions, idempotent replays answer the todo as first created, and another user's todo is
indistinguishable from a missing one."""

from __future__ import annotations

from hypothesis.stateful import run_state_machine_as_test

from tests.property.harness import AppUnderTest
from tests.property.machine import isolation_machine
from tests.property.profiles import share


def test_users_only_ever_see_their_own_todos_on_the_memory_adapter(memory: AppUnderTest) -> None:
    run_state_machine_as_test(isolation_machine(memory), settings=share(1))


def test_users_only_ever_see_their_own_todos_on_postgresql(postgres: AppUnderTest) -> None:
    run_state_machine_as_test(isolation_machine(postgres), settings=share(0.2))


def test_a_users_token_only_ever_reaches_their_own_todos(bearer: AppUnderTest) -> None:
    run_state_machine_as_test(isolation_machine(bearer), settings=share(0.25))
