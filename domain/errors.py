"""Errors the domain raises. The HTTP entrypoint maps each to the error envelope in one place."""

from dataclasses import dataclass


class DomainError(Exception):
    """Base of every error that says something about the request, not about a bug."""


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str


class InvalidTodo(DomainError):
    """One or more fields break the todo's rules."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = tuple(errors)


class TodoNotFound(DomainError):
    """No such todo for this user. Another user's todo is reported the same way, on purpose."""


class VersionMismatch(DomainError):
    """The todo exists but no longer has the version the caller expected."""
