"""Bearer mode for suites written in header mode: an app that verifies tokens against a test
issuer's JWKS, and a TestClient that sends each X-User-ID as a token whose `sub` is that id
(any UUID spelling is the same user in bearer mode too), so those suites run unchanged."""

from __future__ import annotations

from typing import Any

import httpx2
from dependency_injector import providers
from fastapi import FastAPI
from fastapi.testclient import TestClient

from adapters.identity.jwks import JwksSigningKeys
from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app
from tests.support.tokens import TokenIssuer


def bearer_app(
    jwks_url: str, issuer: TokenIssuer, *, check_audience: bool = True, **keys_options: Any
) -> FastAPI:
    """The app in bearer mode on the in-memory adapter, trusting `issuer` (and its audience,
    if `check_audience`); `keys_options` (fetch_timeout, min_refetch_interval, clock) tune the
    JWKS cache for a test."""
    settings = Settings(
        auth_jwks_url=jwks_url,
        auth_issuer=issuer.issuer,
        auth_audience=issuer.audience if check_audience else None,
    )
    container = build_container(settings, storage="memory")
    if keys_options:
        container.signing_keys.override(
            providers.Singleton(JwksSigningKeys, jwks_url, **keys_options)
        )
    return create_app(settings, container)


class BearerTestClient(TestClient):
    """Turns every `X-User-ID: <id>` header into `Authorization: Bearer <token for id>`."""

    def __init__(self, app: FastAPI, issuer: TokenIssuer, **options: Any) -> None:
        super().__init__(app, **options)
        self.issuer = issuer

    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx2.Request:  # type: ignore[override]
        # Every way of sending (request, stream, get, ...) builds its request here.
        given = kwargs.get("headers")
        if given:
            pairs = given.items() if hasattr(given, "items") else given
            kwargs["headers"] = [self._as_bearer(name, value) for name, value in pairs]
        request: httpx2.Request = super().build_request(method, url, **kwargs)
        return request

    def _as_bearer(self, name: str | bytes, value: str | bytes) -> tuple[str | bytes, Any]:
        text_name = name.decode() if isinstance(name, bytes) else name
        if text_name.lower() != "x-user-id":
            return name, value
        user = value.decode() if isinstance(value, bytes) else value
        return "Authorization", f"Bearer {self.issuer.token_for(user)}"
