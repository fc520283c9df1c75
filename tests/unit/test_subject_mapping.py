"""The user a verified token speaks for: its `sub` as is when that is a UUID (any accepted
spelling), else uuid5(NAMESPACE_URL, "<iss>#<sub>"). Fixed vectors: a change to the mapping
would move every existing user's todos out of their reach."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.identity import user_id_of_subject

USER = UUID("0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11")


@pytest.mark.parametrize(
    ("issuer", "subject", "user_id"),
    [
        ("https://issuer.test", "user-1", "bd86657a-6f2e-501f-bd3d-86ed83a69ac5"),
        # Better Auth's default ids are random strings; its iss is the app's base URL.
        ("http://localhost:3000", "Zq3V8d2kQeYp0bXc", "d716c23a-ab6a-5a00-abac-b06236dd6305"),
        ("https://accounts.example.com", "1234567890", "6fb02ad8-a6dc-5cd4-877a-e39ae8fd1359"),
    ],
)
def test_a_subject_that_is_not_a_uuid_is_named_within_its_issuer(
    issuer: str, subject: str, user_id: str
) -> None:
    assert user_id_of_subject(issuer, subject) == UUID(user_id)


@pytest.mark.parametrize(
    "subject",
    [
        "0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
        "0B6C3E1E-7D0E-4A47-9A63-2F0F5E4C8D11",
        "0b6c3e1e7d0e4a479a632f0f5e4c8d11",
        "{0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11}",
        "urn:uuid:0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d11",
    ],
)
def test_a_subject_that_is_a_uuid_is_that_user_whatever_the_issuer(subject: str) -> None:
    assert user_id_of_subject("https://issuer.test", subject) == USER
    assert user_id_of_subject("https://other.test", subject) == USER


def test_the_same_subject_of_two_issuers_is_two_users() -> None:
    assert user_id_of_subject("https://a.test", "alice") != user_id_of_subject(
        "https://b.test", "alice"
    )


@pytest.mark.parametrize("subject", ["0b6c3e1e-7d0e-4a47-9a63-2f0f5e4c8d1", " " + str(USER)])
def test_a_subject_that_is_almost_a_uuid_is_not_taken_for_one(subject: str) -> None:
    assert user_id_of_subject("https://issuer.test", subject) != USER
