"""The identity settings: header mode unless AUTH_JWKS_URL is set, and then AUTH_ISSUER is
required (a service that would accept any issuer's tokens must not start)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from entrypoints.config import Settings


def test_without_a_jwks_url_the_service_runs_in_header_mode() -> None:
    assert Settings(_env_file=None).bearer_mode is False  # type: ignore[call-arg]


def test_a_jwks_url_with_an_issuer_is_bearer_mode() -> None:
    settings = Settings(auth_jwks_url="http://127.0.0.1:3000/api/auth/jwks", auth_issuer="http://x")

    assert settings.bearer_mode is True
    assert settings.auth_audience is None


def test_a_jwks_url_without_an_issuer_is_refused_naming_auth_issuer() -> None:
    with pytest.raises(ValidationError, match="AUTH_ISSUER"):
        Settings(auth_jwks_url="http://127.0.0.1:3000/api/auth/jwks")


def test_the_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUTH_JWKS_URL", "https://auth.example.com/jwks")
    monkeypatch.setenv("AUTH_ISSUER", "https://auth.example.com")
    monkeypatch.setenv("AUTH_AUDIENCE", "https://todo.example.com")

    settings = Settings()

    assert (settings.auth_jwks_url, settings.auth_issuer, settings.auth_audience) == (
        "https://auth.example.com/jwks",
        "https://auth.example.com",
        "https://todo.example.com",
    )
