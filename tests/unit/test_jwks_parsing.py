"""Which keys of a JWKS may verify a token: public signature keys of EdDSA (Ed25519), RS256
and ES256 only. Never a symmetric key (an HMAC secret in a JWKS), an encryption key, another
curve or algorithm, or a private key."""

from __future__ import annotations

import json
from typing import Any

import pytest
from jwt.algorithms import ECAlgorithm

from adapters.identity.jwks import parse_jwks
from tests.support.tokens import ALGORITHMS, new_key


def _jwks(*keys: dict[str, Any]) -> bytes:
    return json.dumps({"keys": list(keys)}).encode()


def test_each_allowed_algorithm_keeps_its_key_and_kid() -> None:
    keys = [new_key(algorithm, f"k-{algorithm}") for algorithm in ALGORITHMS]

    parsed = parse_jwks(_jwks(*(key.jwk() for key in keys)))

    assert [(key.kid, key.algorithm) for key in parsed] == [
        (f"k-{algorithm}", algorithm) for algorithm in ALGORITHMS
    ]


def test_a_key_without_alg_gets_the_algorithm_of_its_type() -> None:
    jwk = new_key("EdDSA", "ed").jwk()
    del jwk["alg"]

    assert [key.algorithm for key in parse_jwks(_jwks(jwk))] == ["EdDSA"]


@pytest.mark.parametrize(
    "unusable",
    [
        {"kty": "oct", "k": "c2VjcmV0", "alg": "HS256", "kid": "hmac"},
        {"kty": "OKP", "crv": "Ed448", "x": "A" * 76, "kid": "ed448"},
        {**new_key("RS256", "rsa-enc").jwk(), "use": "enc"},
        {**new_key("RS256", "ps").jwk(), "alg": "PS256"},
        {**new_key("EdDSA", "wrong-alg").jwk(), "alg": "RS256"},
        {"kty": "EC", "crv": "P-384", "x": "A", "y": "B", "kid": "p384"},
        "not an object",
    ],
)
def test_a_key_that_must_not_verify_tokens_is_left_out(unusable: Any) -> None:
    usable = new_key("EdDSA", "good").jwk()

    assert [key.kid for key in parse_jwks(_jwks(unusable, usable))] == ["good"]


def test_a_private_key_published_by_mistake_is_left_out() -> None:
    key = new_key("ES256", "leaked")
    private = ECAlgorithm.to_jwk(key.private, as_dict=True)

    assert parse_jwks(_jwks({**private, "kid": "leaked"})) == ()


@pytest.mark.parametrize("document", [b"<html>down</html>", b"[]", b'{"keys": "x"}', b"{}"])
def test_a_document_that_is_not_a_jwks_is_an_error(document: bytes) -> None:
    with pytest.raises(ValueError):
        parse_jwks(document)
