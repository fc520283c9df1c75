"""Bearer mode, one check at a time: each refused token passes every other check but the one
under test, so a missing check cannot hide behind another one failing."""

from __future__ import annotations

import time
from typing import Any
from uuid import NAMESPACE_URL, uuid4, uuid5

import jwt
import pytest
from fastapi.testclient import TestClient

from tests.http.todo_api import TODOS, assert_error, headers, todo_url
from tests.identity.bearer_api import (
    assert_invalid_token,
    assert_missing_credentials,
    bearer,
)
from tests.support.bearer import bearer_app
from tests.support.jwks_server import JwksServer
from tests.support.tokens import (
    ALGORITHMS,
    TokenIssuer,
    hmac_token,
    new_key,
    omit,
    tampered,
    unsigned_token,
)


def _create(client: TestClient, token: str) -> Any:
    return client.post(TODOS, json={"title": "a todo"}, headers=bearer(token))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_a_valid_token_of_each_algorithm_is_the_user_its_sub_names(
    client: TestClient, issuer: TokenIssuer, algorithm: str
) -> None:
    sub = f"person-{uuid4().hex}"
    token = issuer.mint(sub, key=issuer.keys[algorithm])

    created = _create(client, token)
    listed = client.get(TODOS, headers=bearer(token))

    assert created.status_code == 201, created.text
    user_id = str(uuid5(NAMESPACE_URL, f"{issuer.issuer}#{sub}"))
    assert created.json()["user_id"] == user_id
    assert [item["id"] for item in listed.json()["items"]] == [created.json()["id"]]


def test_a_sub_that_is_a_uuid_is_that_user_in_any_spelling(
    client: TestClient, issuer: TokenIssuer
) -> None:
    user = uuid4()
    created = _create(client, issuer.mint(user.hex.upper()))
    listed = client.get(TODOS, headers=bearer(issuer.mint(f"urn:uuid:{user}")))

    assert created.json()["user_id"] == str(user)
    assert listed.json()["count"] == 1


def test_x_user_id_is_ignored_in_bearer_mode(client: TestClient, issuer: TokenIssuer) -> None:
    owner, intruder = str(uuid4()), str(uuid4())
    todo = _create(client, issuer.mint(owner)).json()

    without_token = client.get(todo_url(todo["id"]), headers=headers(owner))
    with_other_token = client.get(
        todo_url(todo["id"]), headers={**headers(owner), **bearer(issuer.mint(intruder))}
    )

    assert_missing_credentials(without_token)
    assert_error(with_other_token, 404, "NOT_FOUND")


def test_a_token_for_one_user_cannot_reach_another_users_todo(
    client: TestClient, issuer: TokenIssuer
) -> None:
    todo = _create(client, issuer.mint("alice")).json()
    mallory = bearer(issuer.mint("mallory"))

    assert client.get(todo_url(todo["id"]), headers=mallory).status_code == 404
    assert (
        client.patch(todo_url(todo["id"]), json={"title": "x"}, headers=mallory).status_code == 404
    )
    assert client.delete(todo_url(todo["id"]), headers=mallory).status_code == 404
    assert client.get(TODOS, headers=mallory).json()["count"] == 0


def _at(offset: int) -> int:
    """A claim time `offset` seconds from now."""
    return int(time.time()) + offset


# Each: the one claim changed (times in seconds from now); everything else passes.
REFUSED_CLAIMS: dict[str, dict[str, Any]] = {
    "expired beyond the leeway": {"exp": -45},
    "no exp": {"exp": omit()},
    "exp not a number": {"exp": "tomorrow"},
    "nbf in the future beyond the leeway": {"nbf": 45},
    "iat in the future beyond the leeway": {"iat": 45},
    "another issuer": {"iss": "https://impostor.test"},
    "an issuer differing only by a trailing slash": {"iss": "https://issuer.test/"},
    "no iss": {"iss": omit()},
    "another audience": {"aud": "https://other-service.test"},
    "an audience list without ours": {"aud": ["https://a.test", "https://b.test"]},
    "no aud while one is configured": {"aud": omit()},
    "no sub": {"sub": omit()},
    "an empty sub": {"sub": ""},
    "a sub that is not a string": {"sub": 12345},
}
ACCEPTED_CLAIMS: dict[str, dict[str, Any]] = {
    "expired within the leeway": {"exp": -15},
    "nbf within the leeway": {"nbf": 15},
    "iat within the leeway": {"iat": 15},
    "nbf and iat in the past": {"nbf": -60, "iat": -60},
    "an audience list with ours": {"aud": ["https://a.test", "https://todo.test"]},
    "no iat": {"iat": omit()},
}
TIMES = ("exp", "nbf", "iat")


def _claims(changes: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _at(value) if name in TIMES and isinstance(value, int) else value
        for name, value in changes.items()
    }


@pytest.mark.parametrize("changes", REFUSED_CLAIMS.values(), ids=REFUSED_CLAIMS.keys())
def test_a_token_failing_one_claim_check_is_an_invalid_token(
    client: TestClient, issuer: TokenIssuer, changes: dict[str, Any]
) -> None:
    response = _create(client, issuer.mint(**{"sub": "someone", **_claims(changes)}))

    assert_invalid_token(response)


@pytest.mark.parametrize("changes", ACCEPTED_CLAIMS.values(), ids=ACCEPTED_CLAIMS.keys())
def test_a_token_within_the_rules_is_accepted(
    client: TestClient, issuer: TokenIssuer, changes: dict[str, Any]
) -> None:
    response = _create(client, issuer.mint(**{"sub": "someone", **_claims(changes)}))

    assert response.status_code == 201, response.text


def test_the_description_says_which_check_failed(client: TestClient, issuer: TokenIssuer) -> None:
    response = _create(client, issuer.mint(exp=_at(-120)))

    assert "expired" in response.headers["WWW-Authenticate"]
    assert "expired" in response.json()["detail"]


def test_an_hmac_token_signed_with_the_rsa_public_key_is_refused(
    client: TestClient, issuer: TokenIssuer
) -> None:
    rsa = issuer.keys["RS256"]
    for secret in (rsa.public_pem(), rsa.public_pem().strip()):
        assert_invalid_token(_create(client, hmac_token(issuer.claims("x"), secret, rsa.kid)))


def test_an_unsigned_token_is_refused(client: TestClient, issuer: TokenIssuer) -> None:
    for kid in ("EdDSA-1", "RS256-1"):
        assert_invalid_token(_create(client, unsigned_token(issuer.claims("x"), kid)))


def test_an_algorithm_outside_the_allow_list_is_refused(
    client: TestClient, issuer: TokenIssuer
) -> None:
    rsa = issuer.keys["RS256"]
    token = issuer.mint(key=rsa, header={"alg": "RS512"})
    resigned = jwt.encode(
        issuer.claims("x"), rsa.private, algorithm="RS512", headers={"kid": rsa.kid}
    )

    assert_invalid_token(_create(client, token))
    assert_invalid_token(_create(client, resigned))


def test_a_token_signed_by_an_unknown_key_under_a_known_kid_is_refused(
    client: TestClient, issuer: TokenIssuer
) -> None:
    for algorithm in ALGORITHMS:
        stranger = new_key(algorithm, issuer.keys[algorithm].kid)
        assert_invalid_token(_create(client, issuer.mint(key=stranger)))


def test_a_token_whose_payload_was_changed_is_refused(
    client: TestClient, issuer: TokenIssuer
) -> None:
    token = issuer.mint("alice")
    assert _create(client, token).status_code == 201

    assert_invalid_token(_create(client, tampered(token, sub="mallory")))
    assert_invalid_token(_create(client, tampered(token, exp=_at(86_400))))


def test_a_token_with_a_known_kid_of_another_algorithm_is_refused(
    client: TestClient, issuer: TokenIssuer
) -> None:
    token = issuer.mint(key=issuer.keys["ES256"], kid=issuer.keys["EdDSA"].kid)

    assert_invalid_token(_create(client, token))


@pytest.mark.parametrize(
    "value",
    [
        "Bearer",
        "Bearer ",
        "Bearer not-a-token",
        "Bearer a.b.c",
        "Bearer a.b.c.d.e",
        "Bearer eyJhbGciOiJFZERTQSJ9.e30",
    ],
)
def test_a_bearer_value_that_is_not_a_compact_jws_is_an_invalid_token(
    client: TestClient, value: str
) -> None:
    assert_invalid_token(client.get(TODOS, headers={"Authorization": value}))


@pytest.mark.parametrize("value", [None, "", "Basic dXNlcjpwYXNz", "Token abc", "Bearerabc"])
def test_no_bearer_token_is_missing_credentials(client: TestClient, value: str | None) -> None:
    sent = {} if value is None else {"Authorization": value}

    assert_missing_credentials(client.get(TODOS, headers=sent))


def test_the_scheme_name_is_case_insensitive(client: TestClient, issuer: TokenIssuer) -> None:
    response = client.get(TODOS, headers={"Authorization": f"bearer {issuer.mint()}"})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "url", "body", "content_type"),
    [
        ("GET", todo_url("not-a-uuid"), None, None),  # bad path id (400)
        ("POST", TODOS, b"title=x", "text/plain"),  # unsupported media type (415)
        ("GET", TODOS + "?limit=0", None, None),  # bad query (422)
        ("PATCH", todo_url(str(uuid4())), b"{}", "application/json"),  # unknown todo (404)
    ],
)
def test_identity_answers_before_path_content_type_query_and_lookup(
    client: TestClient,
    issuer: TokenIssuer,
    method: str,
    url: str,
    body: bytes | None,
    content_type: str | None,
) -> None:
    sent = {"Content-Type": content_type} if content_type else {}
    expired = {**sent, **bearer(issuer.mint(exp=_at(-120)))}

    assert_missing_credentials(client.request(method, url, content=body, headers=sent))
    assert_invalid_token(client.request(method, url, content=body, headers=expired))


def test_a_body_too_large_answers_before_identity(client: TestClient) -> None:
    response = client.post(TODOS, content=b"x" * 70_000, headers={"Content-Type": "text/plain"})

    assert_error(response, 413, "PAYLOAD_TOO_LARGE")


@pytest.mark.parametrize("path", ["/health", "/health/ready", "/openapi.json", "/docs"])
def test_health_and_docs_need_no_token(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


def test_without_a_configured_audience_aud_is_not_checked(issuer: TokenIssuer) -> None:
    jwks = JwksServer(issuer)
    try:
        with TestClient(bearer_app(jwks.url, issuer, check_audience=False)) as client:
            for aud in ("https://anything.test", ["x", "y"], omit()):
                response = _create(client, issuer.mint(aud=aud))
                assert response.status_code == 201, (aud, response.text)
    finally:
        jwks.down()
