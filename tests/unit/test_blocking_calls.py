"""BlockingCalls: the routes' database calls run on the app's own threads, never more at once
than it has threads (one per pooled connection), with results and errors as the call gave."""

import asyncio
import threading
import time

import pytest

from entrypoints.http.blocking_calls import BlockingCalls


def test_calls_run_on_the_pools_threads_at_most_that_many_at_once() -> None:
    calls = BlockingCalls(3)
    running = peak = 0
    lock = threading.Lock()

    def slow(n: int) -> tuple[int, str]:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return n * 2, threading.current_thread().name

    async def many() -> list[tuple[int, str]]:
        return await asyncio.gather(*(calls.run(slow, n) for n in range(10)))

    try:
        results = asyncio.run(many())
    finally:
        calls.shutdown()
    assert [value for value, _ in results] == [n * 2 for n in range(10)]
    assert all(name.startswith("todo-db") for _, name in results)
    assert peak == 3


def test_an_error_in_the_call_reaches_the_caller_as_itself() -> None:
    calls = BlockingCalls(1)

    def fails() -> None:
        raise LookupError("no such todo")

    try:
        with pytest.raises(LookupError, match="no such todo"):
            asyncio.run(calls.run(fails))
    finally:
        calls.shutdown()


def test_calls_work_again_after_a_shutdown() -> None:
    """An app whose lifespan ended (a test client closed, say) may be served again."""
    calls = BlockingCalls(2)
    try:
        assert asyncio.run(calls.run(len, "abc")) == 3
        calls.shutdown()
        assert asyncio.run(calls.run(len, "abcd")) == 4
    finally:
        calls.shutdown()
