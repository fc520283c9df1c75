"""Errors of the use cases, beside the domain's own."""

from domain.errors import DomainError


class IdempotencyKeyReused(DomainError):
    """The Idempotency-Key was first used with a different request body."""
