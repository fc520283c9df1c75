"""Blocking use-case calls (the repository waits on the database) made from async routes.

Each call runs on a thread of the app's own pool, one thread per pooled database connection,
so no thread waits for a connection another waiting thread holds. asyncio's run_in_executor
rather than anyio's to_thread (Starlette's run_in_threadpool): a hop costs about half the CPU
(27 vs 52-69 us under load, issue 15), since it needs no capacity limiter or cancel scope.
A call whose request is cancelled finishes on its thread all the same, and is bounded by the
database deadlines (adapters/postgres/calls.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from starlette.requests import Request

Result = TypeVar("Result")


class BlockingCalls:
    def __init__(self, threads: int) -> None:
        self._threads = threads
        self._executor: ThreadPoolExecutor | None = None

    async def run(self, function: Callable[..., Result], *args: object) -> Result:
        if self._executor is None:  # only the event loop's thread gets here: no race
            self._executor = ThreadPoolExecutor(self._threads, thread_name_prefix="todo-db")
        return await asyncio.get_running_loop().run_in_executor(self._executor, function, *args)

    def shutdown(self) -> None:
        """Lets the threads end; an app served again (a second lifespan) gets new ones."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)


def blocking_calls(request: Request) -> BlockingCalls:
    calls: BlockingCalls = request.app.state.blocking_calls
    return calls
