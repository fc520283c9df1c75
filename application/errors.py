"""Errors of the use cases, beside the domain's own."""

from domain.errors import DomainError


class IdempotencyKeyReused(DomainError):
    """The Idempotency-Key was first used with a different request body."""


class TodoLimitReached(DomainError):
    """The user already holds as many todos as one user may (MAX_TODOS_PER_USER)."""
