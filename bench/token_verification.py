"""--verify: the CPU one bearer-mode request spends on its token, per algorithm, with timeit
(process CPU time, best of 5). Three figures per algorithm:
- verify: PyJWT's signature and claim checks alone (adapters/identity/bearer.py verify_token);
- first sight: the adapter's whole path for a token it has not seen (header parse, key lookup,
  the worker-thread hop, verification, the sub mapping), measured over distinct tokens;
- seen before: a token the adapter verified earlier (remembered until it expires).
Header mode's whole identity step is given for comparison."""

from __future__ import annotations

import asyncio
import json
import time
import timeit
from collections.abc import Callable, Coroutine
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from adapters.identity.bearer import BearerTokenIdentity, verify_token
from adapters.identity.jwks import JwksSigningKeys, parse_jwks
from adapters.identity.trusted_header import TrustedHeaderIdentity
from application.identity import Credentials
from bench.progress import log
from bench.report import Report, table

ISSUER = "https://issuer.bench"
FIRST_SIGHT_TOKENS = 1000


def _key(algorithm: str) -> tuple[Any, dict[str, Any]]:
    if algorithm == "EdDSA":
        private: Any = ed25519.Ed25519PrivateKey.generate()
        jwk = OKPAlgorithm.to_jwk(private.public_key(), as_dict=True)
    elif algorithm == "RS256":
        private = rsa.generate_private_key(65537, 2048)
        jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
    else:
        private = ec.generate_private_key(ec.SECP256R1())
        jwk = ECAlgorithm.to_jwk(private.public_key(), as_dict=True)
    return private, {**jwk, "kid": algorithm, "alg": algorithm}


def _best_us(function: Callable[[], object], number: int) -> float:
    runs = timeit.repeat(function, timer=time.process_time, number=number, repeat=5)
    return min(runs) / number * 1e6


def _completed(coroutine: Coroutine[Any, Any, object]) -> object:
    """Run a coroutine that finishes without suspending (a remembered token, header mode), as
    the event loop would step it, without the cost of a loop round."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        return finished.value
    coroutine.close()
    raise RuntimeError("the coroutine suspended")


def _first_sight_us(identity: BearerTokenIdentity, tokens: list[str]) -> float:
    async def verify_all() -> float:
        started = time.process_time()
        for token in tokens:
            await identity.user_id(Credentials(authorizations=(f"Bearer {token}",)))
        return (time.process_time() - started) / len(tokens) * 1e6

    return asyncio.run(verify_all())


def _measure(algorithm: str) -> list[object]:
    private, jwk = _key(algorithm)
    document = json.dumps({"keys": [jwk]}).encode()
    keys = list(parse_jwks(document))
    now = int(time.time())

    def mint(sub: str) -> str:
        claims = {"iss": ISSUER, "sub": sub, "iat": now, "exp": now + 3600}
        return jwt.encode(claims, private, algorithm=algorithm, headers={"kid": algorithm})

    token = mint("someone")
    verify = _best_us(lambda: verify_token(token, algorithm, keys, ISSUER, None), 300)

    signing_keys = JwksSigningKeys("bench:", get=lambda url, timeout: document)
    identity = BearerTokenIdentity(signing_keys, ISSUER)
    asyncio.run(signing_keys.start())
    first = _first_sight_us(identity, [mint(f"user-{n}") for n in range(FIRST_SIGHT_TOKENS)])
    credentials = Credentials(authorizations=(f"Bearer {token}",))
    asyncio.run(identity.user_id(credentials))  # verified once: remembered from now on
    seen = _best_us(lambda: _completed(identity.user_id(credentials)), 20_000)
    log(f"{algorithm}: verify {verify:.0f} µs, first sight {first:.0f} µs, seen {seen:.1f} µs")
    return [algorithm, f"{verify:.0f}", f"{first:.0f}", f"{seen:.1f}"]


def run_verification_cost(report: Report) -> None:
    rows = [_measure(algorithm) for algorithm in ("EdDSA", "RS256", "ES256")]
    header = TrustedHeaderIdentity()
    credentials = Credentials(user_ids=("5f1f6a8e-2b7a-4c1e-8a53-0c2d9b7e6f10",))
    header_us = _best_us(lambda: _completed(header.user_id(credentials)), 20_000)
    rows.append(["header mode", "", "", f"{header_us:.1f}"])
    head = (
        "CPU µs per request for the caller's identity (process CPU time, best of 5). "
        "verify: PyJWT's checks alone; first sight: the adapter's whole path for a new token, "
        "worker-thread hop included; seen before: a token verified earlier.\n"
    )
    headers = ["algorithm", "verify µs", "first sight µs", "seen before µs"]
    report.add("Bearer token verification cost", head + table(headers, rows, left=1))
