"""The in-memory adapter and the PostgreSQL adapter are interchangeable: the same random
request sequence, sent to an app on each, gets the same answers, request by request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi import FastAPI
from hypothesis.stateful import run_state_machine_as_test
from sqlalchemy import Engine

from tests.property.differential import Side, adapters_agree
from tests.property.harness import SeededIds, SteppingClock, running, with_service
from tests.property.profiles import share
from tests.support.apps import memory_app, postgres_app


@pytest.fixture(scope="module")
def sides(postgres_engine: Engine) -> Iterator[tuple[Side, Side]]:
    """An app on each adapter, each with its own (identically driven) clock and ids."""
    apps: list[tuple[str, FastAPI]] = [
        ("memory", memory_app()),
        ("postgres", postgres_app(postgres_engine)),
    ]
    with ExitStack() as stack:
        built = []
        for name, app in apps:
            clock, ids = SteppingClock(), SeededIds()
            client = stack.enter_context(running(with_service(app, clock, ids)))
            built.append(Side(name, client, clock, ids))
        yield built[0], built[1]


def test_memory_and_postgresql_answer_every_request_alike(sides: tuple[Side, Side]) -> None:
    run_state_machine_as_test(adapters_agree(sides), settings=share(0.4))
