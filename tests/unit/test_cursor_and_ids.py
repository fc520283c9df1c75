"""Parsing of what clients send: UUIDs in their accepted spellings, and page cursors."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from application.identifiers import parse_uuid
from application.ports import PageKey
from entrypoints.http.cursor import decode_cursor, encode_cursor

ID = UUID("0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11")


@pytest.mark.parametrize(
    "text",
    [
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
        "0B6C3E1E-7D0E-4A47-9A63-2F0F5E4C8D11",
        "0b6c3e1e7d0e4a479a632f0f5e4c8d11",
        "{0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11}",
        "urn:uuid:0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
    ],
)
def test_every_accepted_uuid_spelling_means_the_same_id(text: str) -> None:
    assert parse_uuid(text) == ID


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d1",
        "0b6c3e1e7d0e-4a47-9a63-2f0f5e4c8d11",
        "{0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
        "urn:uuid:{0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11}",
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d1g",
        " 0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
    ],
)
def test_other_spellings_are_not_uuids(text: str) -> None:
    assert parse_uuid(text) is None


def test_a_cursor_round_trips_to_its_key() -> None:
    key = PageKey(datetime(2026, 1, 22, 10, 30, 0, 123456, tzinfo=UTC), uuid4())
    assert decode_cursor(encode_cursor(key)) == key


@pytest.mark.parametrize("cursor", ["", "abc", "!!!!", "MTIz", "é", "x" * 500])
def test_a_cursor_we_did_not_issue_is_rejected(cursor: str) -> None:
    assert decode_cursor(cursor) is None
