"""Bearer mode: the caller is the `sub` of a JWT that this service verifies itself against the
issuer's JWKS, with exactly the contract's checks (see verify_token)."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import jwt

from adapters.identity.jwks import ALLOWED_KEY_TYPES, JwksSigningKeys, KeysNeverFetched, SigningKey
from application.identity import CallerRefused, Credentials, Refusal, user_id_of_subject

LEEWAY_SECONDS = 30
VERIFIED_TOKENS_KEPT = 4096

_INVALID_CLAIM = {
    jwt.ExpiredSignatureError: "the token has expired",
    jwt.ImmatureSignatureError: "the token is not valid yet (nbf or iat in the future)",
    jwt.InvalidIssuerError: "the token's issuer is not the configured one",
    jwt.InvalidAudienceError: "the token's audience does not include this service",
    jwt.InvalidSignatureError: "the signature does not verify",
    jwt.DecodeError: "the token is not a well-formed compact JWS",
}


def _invalid(description: str) -> CallerRefused:
    return CallerRefused(Refusal.INVALID_TOKEN, description)


def bearer_token(authorizations: tuple[str, ...]) -> str:
    """The token of the one `Authorization: Bearer` header."""
    if not authorizations:
        raise CallerRefused(Refusal.MISSING_CREDENTIALS, "an Authorization: Bearer token is needed")
    if len(authorizations) > 1:
        raise _invalid("the Authorization header was given more than once")
    scheme, _, token = authorizations[0].strip().partition(" ")
    if scheme.lower() != "bearer":  # auth schemes are case-insensitive (RFC 9110)
        raise CallerRefused(Refusal.MISSING_CREDENTIALS, "the Authorization scheme must be Bearer")
    token = token.strip()
    if not token:
        raise _invalid("the bearer token is empty")
    return token


def verify_token(
    token: str, algorithm: str, keys: list[SigningKey], issuer: str, audience: str | None
) -> dict[str, Any]:
    """The claims of `token` if one of `keys` signed it and every claim check passes: `exp`
    present and not past, `nbf`/`iat` not in the future (30 s leeway), `iss` equal, `aud`
    containing the audience when one is configured, `sub` a non-empty string. CPU-bound and
    blocking: the caller runs it on a worker thread."""
    for key in keys:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                issuer=issuer,
                audience=audience,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "sub"], "verify_aud": audience is not None},
            )
        except jwt.InvalidSignatureError:
            continue  # a token without kid is tried against every key of its algorithm
        except jwt.MissingRequiredClaimError as error:
            raise _invalid(f"the token has no {error.claim} claim") from None
        except jwt.PyJWTError as error:
            description = next(
                (text for kind, text in _INVALID_CLAIM.items() if isinstance(error, kind)),
                f"the token is invalid ({type(error).__name__})",
            )
            raise _invalid(description) from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise _invalid("the token's sub is empty")
        return claims
    raise _invalid("no key of the issuer verifies the signature")


@dataclass(frozen=True, slots=True)
class _Verified:
    user_id: UUID
    valid_from: float  # wall-clock seconds, leeway included
    valid_until: float
    generation: int  # of the key set that verified it


def _verified(claims: dict[str, Any], user_id: UUID, generation: int) -> _Verified:
    starts = [int(claims[name]) for name in ("nbf", "iat") if name in claims]
    return _Verified(
        user_id,
        max(starts, default=-float("inf")) - LEEWAY_SECONDS,
        int(claims["exp"]) + LEEWAY_SECONDS,
        generation,
    )


class BearerTokenIdentity:
    def __init__(self, keys: JwksSigningKeys, issuer: str, audience: str | None = None) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience or None
        # Tokens already verified, until they expire or the key set changes. Clients send one
        # token many times (Better Auth's live 15 minutes), and a signature check plus its
        # thread hop is most of a cheap request's CPU. FIFO-bounded: memory stays flat.
        self._verified: dict[str, _Verified] = {}

    async def user_id(self, credentials: Credentials) -> UUID:
        token = bearer_token(credentials.authorizations)
        known = self._verified.get(token)
        if (
            known is not None
            and known.generation == self._keys.generation
            and known.valid_from <= time.time() < known.valid_until
        ):
            return known.user_id
        algorithm, kid = _algorithm_and_kid(token)
        try:
            keys = await self._keys.candidates(algorithm, kid)
        except KeysNeverFetched:
            raise CallerRefused(
                Refusal.KEYS_UNAVAILABLE, "the issuer's signing keys could not be fetched yet"
            ) from None
        if not keys:
            raise _invalid("no key of the issuer matches the token's kid and alg")
        generation = self._keys.generation
        claims = await asyncio.to_thread(
            verify_token, token, algorithm, keys, self._issuer, self._audience
        )
        user_id = user_id_of_subject(self._issuer, claims["sub"])
        self._remember(token, _verified(claims, user_id, generation))
        return user_id

    def _remember(self, token: str, verified: _Verified) -> None:
        self._verified.pop(token, None)
        if len(self._verified) >= VERIFIED_TOKENS_KEPT:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = verified


def _algorithm_and_kid(token: str) -> tuple[str, str | None]:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _invalid("the token is not a well-formed compact JWS") from None
    algorithm, kid = header.get("alg"), header.get("kid")
    if not isinstance(algorithm, str) or algorithm not in ALLOWED_KEY_TYPES:
        raise _invalid("the token's alg is not one of EdDSA, RS256, ES256")
    if kid is not None and not isinstance(kid, str):
        raise _invalid("the token's kid is not a string")
    return algorithm, kid
