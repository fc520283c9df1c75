"""Opaque page cursors: where the previous page ended, in the list's order."""

import base64
import binascii
import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.ports import PageKey

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_PAYLOAD = re.compile(r"(-?\d{1,18})\.([0-9a-f]{32})")


def encode_cursor(key: PageKey) -> str:
    micros = (key.created_at - _EPOCH) // timedelta(microseconds=1)
    payload = f"{micros}.{key.id.hex}".encode("ascii")
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> PageKey | None:
    """The key a cursor of ours stands for, or None if it is not one."""
    if not cursor.isascii() or len(cursor) > 100:
        return None
    try:
        payload = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        match = _PAYLOAD.fullmatch(payload)
        if match is None:
            return None
        created_at = _EPOCH + timedelta(microseconds=int(match[1]))
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        return None
    if encode_cursor(PageKey(created_at, UUID(match[2]))) != cursor:
        return None  # a second spelling of a valid cursor: not one we issued
    return PageKey(created_at, UUID(match[2]))
