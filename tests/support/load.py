"""Concurrent clients that keep calling the service while a fault is played, and what they saw:
every answer with when it was asked and how long it took."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from httpx2 import Response

Call = Callable[[int], Response]  # the n-th call of one client


@dataclass(frozen=True, slots=True)
class Answer:
    started: float  # time.monotonic()
    seconds: float
    status: int
    retry_after: str | None


@dataclass
class Load:
    """`clients` threads, each calling `call` in a loop until stopped."""

    call: Call
    clients: int
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> Load:
        self._pool = ThreadPoolExecutor(self.clients)
        for client in range(self.clients):
            self._pool.submit(self._client, client)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._pool is not None
        self._pool.shutdown(wait=True)

    def _client(self, client: int) -> None:
        n = 0
        while not self._stop.is_set():
            started = time.monotonic()
            response = self.call(client * 1_000_000 + n)
            seconds = time.monotonic() - started
            self.answers.append(
                Answer(started, seconds, response.status_code, response.headers.get("Retry-After"))
            )
            n += 1

    def between(self, start: float, end: float) -> list[Answer]:
        """Answers to the calls made from `start` to `end`."""
        return [a for a in list(self.answers) if start <= a.started < end]
