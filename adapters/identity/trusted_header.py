"""Header mode: the caller is whoever X-User-ID names. Right for development and behind a
gateway that authenticates callers and sets the header; anyone who can reach the service
directly can claim to be anyone."""

from __future__ import annotations

from uuid import UUID

from application.identifiers import parse_uuid
from application.identity import CallerRefused, Credentials, Refusal


class TrustedHeaderIdentity:
    async def user_id(self, credentials: Credentials) -> UUID:
        values = credentials.user_ids
        if len(values) > 1:
            # A gateway that appends its own header must not be overruled by the client's.
            raise CallerRefused(Refusal.MALFORMED_USER_ID, "must be given once")
        if not values or not values[0]:
            raise CallerRefused(Refusal.MISSING_USER_ID, "the X-User-ID header is required")
        user_id = parse_uuid(values[0])
        if user_id is None:
            raise CallerRefused(Refusal.MALFORMED_USER_ID, "must be a UUID")
        return user_id
