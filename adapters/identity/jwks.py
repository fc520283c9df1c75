"""The issuer's signing keys: its JWKS fetched at start and cached. A token whose key is not
cached triggers one refetch, at most one per 30 s, so garbage `kid`s cannot make the service
hammer the issuer; while the issuer is down, cached keys keep verifying. Fetching runs on a
worker thread with a timeout: the event loop never waits on the network."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt import PyJWK, PyJWTError

logger = logging.getLogger("todo.identity")

MAX_JWKS_BYTES = 1024 * 1024
# The only algorithms a token may use: public-key signatures. Never "none", never HMAC (with
# HMAC, a public key could be passed off as the shared secret).
ALLOWED_KEY_TYPES: dict[str, Callable[[object], bool]] = {
    "EdDSA": lambda key: isinstance(key, ed25519.Ed25519PublicKey),
    "RS256": lambda key: isinstance(key, rsa.RSAPublicKey),
    "ES256": lambda key: (
        isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1)
    ),
}


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str | None
    algorithm: str
    key: Any  # a cryptography public key object


def http_get(url: str, timeout: float) -> bytes:
    """GET `url` (http, https or file), at most MAX_JWKS_BYTES. Blocking: call on a thread."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read(MAX_JWKS_BYTES + 1)
    if len(body) > MAX_JWKS_BYTES:
        raise ValueError(f"the JWKS is over {MAX_JWKS_BYTES} bytes")
    return body


def parse_jwks(raw: bytes) -> tuple[SigningKey, ...]:
    """The usable verification keys of a JWKS document; keys of other types, algorithms or
    uses (and private keys) are left out. Raises ValueError if it is not a JWKS at all."""
    document = json.loads(raw)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError('not a JWKS: no "keys" list')
    keys = []
    for data in document["keys"]:
        if not isinstance(data, dict) or data.get("use", "sig") != "sig":
            continue
        try:
            jwk = PyJWK(data)
        except PyJWTError:
            continue
        fits = ALLOWED_KEY_TYPES.get(jwk.algorithm_name)
        if fits is not None and fits(jwk.key):
            keys.append(SigningKey(data.get("kid"), jwk.algorithm_name, jwk.key))
    return tuple(keys)


class KeysNeverFetched(Exception):
    """No JWKS has been fetched yet: no token can be verified (the caller is not at fault)."""


class JwksSigningKeys:
    def __init__(
        self,
        url: str,
        *,
        fetch_timeout: float = 5.0,
        min_refetch_interval: float = 30.0,
        get: Callable[[str, float], bytes] = http_get,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self._timeout = fetch_timeout
        self._min_refetch_interval = min_refetch_interval
        self._get = get
        self._clock = clock
        self._keys: tuple[SigningKey, ...] = ()
        self._fetched = False
        self._last_refetch = -math.inf
        self._refetching: asyncio.Task[None] | None = None
        self._first_fetch: asyncio.Task[None] | None = None
        self.generation = 0  # changes whenever the cached keys do

    async def start(self) -> None:
        """Fetch the keys once; if that fails, log it and keep trying in the background
        (1 s, 2 s, 4 s, ... then every 30 s) until a fetch succeeds."""
        if await self._fetch():
            return
        self._first_fetch = asyncio.create_task(self._retry_until_fetched())

    async def close(self) -> None:
        for task in (self._first_fetch, self._refetching):
            if task is not None:
                task.cancel()

    async def _retry_until_fetched(self) -> None:
        delay = 1.0
        while not self._fetched:
            await asyncio.sleep(delay)
            await self._fetch()
            delay = min(delay * 2, self._min_refetch_interval)

    async def candidates(self, algorithm: str, kid: str | None) -> list[SigningKey]:
        """The cached keys a token with this `alg` and `kid` may be signed by (every key of
        the algorithm for a token without `kid`). None cached: one refetch, if the last one
        was long enough ago. Raises KeysNeverFetched before any fetch succeeded."""
        if not self._fetched:
            raise KeysNeverFetched
        found = self._select(algorithm, kid)
        if not found:
            await self._refetch()
            found = self._select(algorithm, kid)
        return found

    def _select(self, algorithm: str, kid: str | None) -> list[SigningKey]:
        return [
            key
            for key in self._keys
            if key.algorithm == algorithm and (kid is None or key.kid == kid)
        ]

    async def _refetch(self) -> None:
        if self._refetching is None:
            if self._clock() - self._last_refetch < self._min_refetch_interval:
                return
            self._last_refetch = self._clock()
            self._refetching = asyncio.create_task(self._refetch_once())
        # Every request that asked meanwhile waits for the same fetch; shielded, so one
        # caller going away does not cancel it for the others.
        await asyncio.shield(self._refetching)

    async def _refetch_once(self) -> None:
        try:
            await self._fetch()
        finally:
            self._refetching = None

    async def _fetch(self) -> bool:
        try:
            raw = await asyncio.wait_for(
                asyncio.to_thread(self._get, self.url, self._timeout), self._timeout + 1
            )
            keys = parse_jwks(raw)
        except Exception as error:  # the issuer down, slow or answering garbage: keep the cache
            logger.warning(
                "JWKS fetch from %s failed (%s: %s); %s",
                self.url,
                type(error).__name__,
                error,
                "keeping the cached keys" if self._fetched else "answering 503 until it works",
            )
            return False
        if keys != self._keys:
            self._keys = keys
            self.generation += 1
        if not self._fetched:
            logger.info("JWKS fetched from %s: %d usable key(s)", self.url, len(keys))
        self._fetched = True
        return True
