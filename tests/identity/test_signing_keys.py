"""The issuer's keys over real HTTP: fetched once at start, refetched for an unknown kid at
most once per 30 s (however many garbage kids arrive), still verifying while the issuer is
down, 503 until they were ever fetched, and never holding up the event loop."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import httpx2
import pytest
from fastapi.testclient import TestClient

from tests.http.todo_api import TODOS, assert_error
from tests.identity.bearer_api import assert_invalid_token, bearer
from tests.support.bearer import bearer_app
from tests.support.jwks_server import JwksServer
from tests.support.live_server import live_server
from tests.support.tokens import TokenIssuer, new_key


class ManualClock:
    """Monotonic seconds that move only when the test says."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def own_issuer() -> TokenIssuer:
    """An issuer whose published keys this test may change."""
    return TokenIssuer()


@pytest.fixture
def own_jwks(own_issuer: TokenIssuer) -> Iterator[JwksServer]:
    server = JwksServer(own_issuer)
    yield server
    server.down()


def _list(client: TestClient | httpx2.Client, token: str) -> httpx2.Response:
    return client.get(TODOS, headers=bearer(token))


def test_the_keys_are_fetched_once_at_start_and_then_served_from_the_cache(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    with TestClient(bearer_app(jwks.url, issuer)) as client:
        assert jwks.fetches == 1
        for algorithm in issuer.keys:
            for user in range(5):
                assert (
                    _list(client, issuer.mint(f"u{user}", key=issuer.keys[algorithm])).status_code
                    == 200
                )

    assert jwks.fetches == 1


def test_a_rotated_key_is_fetched_when_a_token_names_it(
    own_jwks: JwksServer, own_issuer: TokenIssuer
) -> None:
    clock = ManualClock()
    with TestClient(bearer_app(own_jwks.url, own_issuer, clock=clock)) as client:
        old = own_issuer.keys["EdDSA"]
        remembered = own_issuer.mint(key=old)
        assert _list(client, remembered).status_code == 200
        new = new_key("EdDSA", "EdDSA-2")
        own_issuer.published = [new, *own_issuer.published[1:]]  # rotation: the old key retired

        assert _list(client, own_issuer.mint(key=new)).status_code == 200
        assert own_jwks.fetches == 2
        # Within 30 s of that refetch, another new kid is refused without asking the issuer.
        newer = new_key("EdDSA", "EdDSA-3")
        own_issuer.published.append(newer)
        clock.now += 29
        assert_invalid_token(_list(client, own_issuer.mint(key=newer)))
        assert own_jwks.fetches == 2
        # After 30 s it is fetched.
        clock.now += 2
        assert _list(client, own_issuer.mint(key=newer)).status_code == 200
        assert own_jwks.fetches == 3
        # The retired key is gone from the cache with the refetch, and a token it signed that
        # was verified before is not taken on trust: it is checked again, and refused.
        assert_invalid_token(_list(client, own_issuer.mint(key=old)))
        assert_invalid_token(_list(client, remembered))


def test_a_token_without_kid_is_tried_against_every_key_of_its_algorithm(
    own_jwks: JwksServer, own_issuer: TokenIssuer
) -> None:
    second = new_key("ES256", "ES256-2")
    own_issuer.published.append(second)
    with TestClient(bearer_app(own_jwks.url, own_issuer)) as client:
        assert _list(client, own_issuer.mint(key=second, kid=None)).status_code == 200
        assert (
            _list(client, own_issuer.mint(key=own_issuer.keys["ES256"], kid=None)).status_code
            == 200
        )
        assert_invalid_token(_list(client, own_issuer.mint(key=new_key("ES256", "x"), kid=None)))


def test_a_flood_of_random_kids_costs_the_issuer_at_most_one_refetch(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    stranger = new_key("EdDSA", "stranger")
    tokens = [issuer.mint(key=stranger, kid=uuid4().hex) for _ in range(300)]
    with (
        live_server(bearer_app(jwks.url, issuer)) as (host, port),
        httpx2.Client(base_url=f"http://{host}:{port}") as http,
        ThreadPoolExecutor(16) as pool,
    ):
        statuses = list(pool.map(lambda token: _list(http, token).status_code, tokens))

    assert set(statuses) == {401}
    assert jwks.fetches <= 2  # the start, and one refetch


def test_cached_keys_keep_verifying_while_the_issuer_is_down(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    with TestClient(bearer_app(jwks.url, issuer)) as client:
        jwks.down()
        # Tokens never seen before (nothing remembered about them), signed by cached keys.
        for algorithm in issuer.keys:
            token = issuer.mint(str(uuid4()), key=issuer.keys[algorithm])
            assert _list(client, token).status_code == 200
        # An unknown kid: the refetch fails, the token is refused, the cache stays.
        assert_invalid_token(_list(client, issuer.mint(key=new_key("EdDSA", "new"))))
        assert _list(client, issuer.mint(str(uuid4()))).status_code == 200


def test_until_the_keys_were_ever_fetched_every_token_is_service_unavailable(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    jwks.down()
    with TestClient(bearer_app(jwks.url, issuer)) as client:
        response = _list(client, issuer.mint())
        assert_error(response, 503, "SERVICE_UNAVAILABLE")
        assert int(response.headers["Retry-After"]) >= 1
        assert client.get("/health").status_code == 200

        jwks.up()  # the issuer comes up: the service retries by itself (1 s, 2 s, 4 s, ...)
        deadline = time.monotonic() + 20
        while _list(client, issuer.mint()).status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _list(client, issuer.mint()).status_code == 200


def test_a_missing_token_is_still_missing_credentials_while_keys_are_unavailable(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    jwks.down()
    with TestClient(bearer_app(jwks.url, issuer)) as client:
        assert _list(client, "garbage").status_code == 401
        assert client.get(TODOS).status_code == 401


def test_a_slow_issuer_holds_up_neither_the_start_nor_other_requests(
    jwks: JwksServer, issuer: TokenIssuer
) -> None:
    jwks.delay = 10.0
    started = time.monotonic()
    with live_server(bearer_app(jwks.url, issuer, fetch_timeout=4.0)) as (host, port):
        assert time.monotonic() - started < 9.0  # the start gave up on the fetch at 4 s
        base = f"http://{host}:{port}"
        with httpx2.Client(base_url=base, timeout=30) as http:
            assert _list(http, issuer.mint()).status_code == 503
            jwks.delay = 0.0
            deadline = time.monotonic() + 20
            while _list(http, issuer.mint()).status_code == 503 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _list(http, issuer.mint()).status_code == 200

            # A refetch in progress (3 s) while another request is answered at once.
            def unknown_kid() -> tuple[int, float]:
                with httpx2.Client(base_url=base, timeout=30) as other:
                    began = time.monotonic()
                    status = _list(other, issuer.mint(key=new_key("EdDSA", "new"))).status_code
                    return status, time.monotonic() - began

            jwks.delay = 3.0
            with ThreadPoolExecutor(1) as pool:
                refetch = pool.submit(unknown_kid)
                time.sleep(0.5)
                began = time.monotonic()
                health = http.get("/health")
                health_seconds = time.monotonic() - began
                status, refetch_seconds = refetch.result()

    assert health.status_code == 200 and health_seconds < 2.0
    assert status == 401 and refetch_seconds >= 2.5  # it did wait for the issuer's answer


def test_a_remembered_token_still_expires(client: TestClient, issuer: TokenIssuer) -> None:
    token = issuer.mint(exp=int(time.time()) - 26)  # 4 s left within the 30 s leeway

    assert _list(client, token).status_code == 200
    time.sleep(5)
    assert_invalid_token(_list(client, token))
