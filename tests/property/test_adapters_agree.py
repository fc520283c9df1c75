"""The in-memory adapter and the PostgreSQL adapter are interchangeable: the same random
request sequence, sent to an app on each, gets the same answers, request by request."""

from __future__ import annotations

from hypothesis.stateful import run_state_machine_as_test

from tests.property.differential import adapters_agree
from tests.property.harness import AppUnderTest
from tests.property.profiles import share


def test_memory_and_postgresql_answer_every_request_alike(
    memory: AppUnderTest, postgres: AppUnderTest
) -> None:
    run_state_machine_as_test(adapters_agree((memory, postgres)), settings=share(0.4))
