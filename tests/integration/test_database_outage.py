"""The database goes away and comes back: requests answer 503 quickly, never 500, nothing
acknowledged is lost, and the service recovers by itself. A TCP proxy in front of the real
server plays the outage."""

import time
from uuid import uuid4

from fastapi.testclient import TestClient

from adapters.postgres.engine import CONNECT_TIMEOUT_SECONDS
from tests.support.tcp_proxy import TcpProxy


def test_an_outage_answers_503_with_retry_after_then_recovers(
    client: TestClient, proxy: TcpProxy
) -> None:
    headers = {"X-User-ID": str(uuid4())}
    before = client.post("/api/v1/todos", json={"title": "before"}, headers=headers)
    assert before.status_code == 201

    proxy.cut()
    for request in (
        lambda: client.get("/api/v1/todos", headers=headers),
        lambda: client.post("/api/v1/todos", json={"title": "during"}, headers=headers),
        lambda: client.get(f"/api/v1/todos/{before.json()['id']}", headers=headers),
        lambda: client.get("/health/ready"),
    ):
        started = time.monotonic()
        response = request()
        assert time.monotonic() - started < CONNECT_TIMEOUT_SECONDS + 1
        assert response.status_code == 503
        assert response.json()["error_code"] == "SERVICE_UNAVAILABLE"
        assert int(response.headers["Retry-After"]) > 0
        assert "postgres" not in response.text.lower()
    assert client.get("/health").status_code == 200  # alive, just not ready

    proxy.start()
    after = client.post("/api/v1/todos", json={"title": "after"}, headers=headers)
    assert after.status_code == 201
    listed = client.get("/api/v1/todos", headers=headers).json()
    assert [item["title"] for item in listed["items"]] == ["after", "before"]
    assert client.get("/health/ready").status_code == 200
