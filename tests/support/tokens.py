"""A token issuer for the tests: Ed25519, RSA and EC signing keys, their JWKS, and tokens
minted with any claim or header changed (or broken on purpose)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

ISSUER = "https://issuer.test"
AUDIENCE = "https://todo.test"
ALGORITHMS = ("EdDSA", "RS256", "ES256")
_TO_JWK = {"EdDSA": OKPAlgorithm.to_jwk, "RS256": RSAAlgorithm.to_jwk, "ES256": ECAlgorithm.to_jwk}
_OMIT = object()


@dataclass(frozen=True)
class KeyPair:
    kid: str
    algorithm: str
    private: Any

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = _TO_JWK[self.algorithm](self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "alg": self.algorithm, "use": "sig"}

    def public_pem(self) -> bytes:
        pem: bytes = self.private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem


def new_key(algorithm: str, kid: str) -> KeyPair:
    if algorithm == "EdDSA":
        return KeyPair(kid, algorithm, ed25519.Ed25519PrivateKey.generate())
    if algorithm == "RS256":
        return KeyPair(kid, algorithm, rsa.generate_private_key(65537, 2048))
    return KeyPair(kid, algorithm, ec.generate_private_key(ec.SECP256R1()))


def b64url(data: bytes | dict[str, Any]) -> str:
    raw = json.dumps(data).encode() if isinstance(data, dict) else data
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class TokenIssuer:
    """Keys (one per algorithm at first), the subset its JWKS publishes, and token minting."""

    def __init__(self, issuer: str = ISSUER, audience: str | None = AUDIENCE) -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys = {algorithm: new_key(algorithm, f"{algorithm}-1") for algorithm in ALGORITHMS}
        self.published: list[KeyPair] = list(self.keys.values())
        self._tokens: dict[str, str] = {}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self.published]}

    def claims(self, sub: str, **changes: Any) -> dict[str, Any]:
        """Claims that pass every check; a change to `_OMIT` (see `omit`) drops the claim."""
        now = int(time.time())
        claims: dict[str, Any] = {"iss": self.issuer, "sub": sub, "iat": now, "exp": now + 600}
        if self.audience is not None:
            claims["aud"] = self.audience
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not _OMIT}

    def mint(
        self,
        sub: str = "user-1",
        *,
        key: KeyPair | None = None,
        kid: str | object | None = _OMIT,
        header: dict[str, Any] | None = None,
        **claims: Any,
    ) -> str:
        """A token for `sub` signed by `key` (the Ed25519 key by default), its kid in the
        header unless `kid` says otherwise (None: no kid)."""
        key = key or self.keys["EdDSA"]
        headers: dict[str, Any] = {**(header or {})}
        chosen = key.kid if kid is _OMIT else kid
        if chosen is not None:
            headers["kid"] = chosen
        return jwt.encode(
            self.claims(sub, **claims), key.private, algorithm=key.algorithm, headers=headers
        )

    def token_for(self, user: str) -> str:
        """One token per user, minted once (as a client keeps its session's token)."""
        if user not in self._tokens:
            self._tokens[user] = self.mint(user)
        return self._tokens[user]


def omit() -> Any:
    """A claim value that drops the claim from the token."""
    return _OMIT


def unsigned_token(claims: dict[str, Any], kid: str) -> str:
    """`alg: none`: no signature at all."""
    return f"{b64url({'alg': 'none', 'typ': 'JWT', 'kid': kid})}.{b64url(claims)}."


def hmac_token(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """HS256 with `secret` (say, an RSA public key's PEM): the algorithm-confusion attack."""
    signing_input = f"{b64url({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{b64url(claims)}"
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def tampered(token: str, **changes: Any) -> str:
    """The token with its payload changed and the original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return f"{header}.{b64url({**claims, **changes})}.{signature}"
