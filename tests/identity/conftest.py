"""Fixtures for the bearer-mode tests: a token issuer with Ed25519, RSA and EC keys, its JWKS
over real HTTP (fresh for each test, so fetch counts and rotations stay its own), and an app in
bearer mode on the in-memory adapter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.support.bearer import bearer_app
from tests.support.jwks_server import JwksServer
from tests.support.tokens import TokenIssuer


@pytest.fixture(scope="module")
def issuer() -> TokenIssuer:
    """Keys are made once per module (RSA key generation is slow); tests that change the
    published keys make their own issuer."""
    return TokenIssuer()


@pytest.fixture
def jwks(issuer: TokenIssuer) -> Iterator[JwksServer]:
    server = JwksServer(issuer)
    yield server
    server.down()


@pytest.fixture
def client(jwks: JwksServer) -> Iterator[TestClient]:
    with TestClient(bearer_app(jwks.url, jwks.issuer)) as test_client:
        yield test_client
