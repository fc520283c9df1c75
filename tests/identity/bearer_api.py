"""Helpers for the bearer-mode tests: the Authorization header, and the 401 answers."""

from __future__ import annotations

import httpx2

from tests.http.todo_api import assert_error

CHALLENGE = 'Bearer realm="todo"'
INVALID_CHALLENGE = 'Bearer realm="todo", error="invalid_token"'


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_invalid_token(response: httpx2.Response) -> None:
    """401 INVALID_TOKEN with the contract's challenge (an error_description may follow)."""
    assert_error(response, 401, "INVALID_TOKEN")
    challenge = response.headers["WWW-Authenticate"]
    assert challenge == INVALID_CHALLENGE or challenge.startswith(INVALID_CHALLENGE + ", ")


def assert_missing_credentials(response: httpx2.Response) -> None:
    assert_error(response, 401, "MISSING_CREDENTIALS")
    assert response.headers["WWW-Authenticate"] == CHALLENGE
