"""Shared test helpers."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest


class StepClock:
    """A clock that moves one millisecond each time it is read: distinct, ordered timestamps."""

    def __init__(self, start: datetime = datetime(2026, 1, 22, 10, 30, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return StepClock()
