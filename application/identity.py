"""The identity port: who is calling. An adapter reads what the request presented (a trusted
header, or a bearer token it verifies) and answers a user id, or refuses with a reason the
entrypoint turns into the contract's error. Nothing below the entrypoint knows which mode runs."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from application.identifiers import parse_uuid


@dataclass(frozen=True, slots=True)
class Credentials:
    """Every value of each header that can say who is calling, in the order sent. Kept as
    lists: a header given twice is refused, never "the first wins"."""

    user_ids: tuple[str, ...] = ()  # X-User-ID
    authorizations: tuple[str, ...] = ()  # Authorization


class Refusal(enum.Enum):
    MISSING_USER_ID = "missing user id"  # header mode: no X-User-ID, or an empty one
    MALFORMED_USER_ID = "malformed user id"  # header mode: not a UUID, or given twice
    MISSING_CREDENTIALS = "missing credentials"  # bearer mode: no bearer token
    INVALID_TOKEN = "invalid token"  # bearer mode: the token fails a check
    KEYS_UNAVAILABLE = "keys unavailable"  # bearer mode: the signing keys were never fetched


class CallerRefused(Exception):
    """The request does not say, acceptably, who is calling."""

    def __init__(self, refusal: Refusal, description: str) -> None:
        super().__init__(description)
        self.refusal = refusal
        self.description = description


class CallerIdentity(Protocol):
    async def user_id(self, credentials: Credentials) -> UUID:
        """The calling user's id; raises CallerRefused. Async: a verifier may have to wait
        for its issuer's keys, and must not block the event loop while it does."""
        ...


def user_id_of_subject(issuer: str, subject: str) -> UUID:
    """The user a verified token speaks for: a `sub` that is a UUID (any accepted spelling)
    is that user; any other `sub` is named within its issuer, so the same person always
    gets the same id and two issuers' equal subjects stay apart."""
    as_uuid = parse_uuid(subject)
    if as_uuid is not None:
        return as_uuid
    return uuid5(NAMESPACE_URL, f"{issuer}#{subject}")
