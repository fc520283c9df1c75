"""Against Neon every round trip is a network hop: each operation costs one. Counted on the
wire, by a proxy between the service and the server: what the service sends, not what a
library reports."""

from collections.abc import Callable
from uuid import uuid4

from fastapi.testclient import TestClient
from httpx2 import Response

from tests.support.tcp_proxy import TcpProxy

TODOS = "/api/v1/todos"


def round_trips(proxy: TcpProxy, call: Callable[[], Response]) -> int:
    """Messages the service sent to the server while answering `call`. The proxy counts a
    message before forwarding it, so every one is counted by the time the answer is back."""
    before = proxy.client_sends
    response = call()
    assert response.status_code < 300, response.text
    return proxy.client_sends - before


def test_each_endpoint_costs_exactly_one_round_trip(client: TestClient, proxy: TcpProxy) -> None:
    user = {"X-User-ID": str(uuid4())}
    keyed = {**user, "Idempotency-Key": "k-1"}
    client.get(TODOS, headers=user)  # the pool's first connection: startup and auth
    todo = f"{TODOS}/{client.post(TODOS, json={'title': 'a'}, headers=user).json()['id']}"
    client.post(TODOS, json={"title": "second"}, headers=user)
    cursor = client.get(f"{TODOS}?limit=1", headers=user).json()["next_cursor"]
    filtered = f"{TODOS}?tags=home&priority=high&q=a&due_after=2026-01-01T00:00:00Z"
    for _ in range(2):
        client.post(
            TODOS,
            json={
                "title": "a",
                "tags": ["home"],
                "priority": "high",
                "due_at": "2026-02-01T00:00:00Z",
            },
            headers=user,
        )
    due_cursor = client.get(f"{filtered}&sort=due_at&limit=1", headers=user).json()["next_cursor"]
    assert due_cursor is not None
    calls: dict[str, Callable[[], Response]] = {
        "create": lambda: client.post(TODOS, json={"title": "b"}, headers=user),
        "create with key": lambda: client.post(TODOS, json={"title": "c"}, headers=keyed),
        "replay of key": lambda: client.post(TODOS, json={"title": "c"}, headers=keyed),
        "list": lambda: client.get(f"{TODOS}?is_completed=false&limit=1", headers=user),
        "next page": lambda: client.get(f"{TODOS}?limit=1&cursor={cursor}", headers=user),
        "filtered and sorted list (v1.2)": lambda: client.get(
            f"{filtered}&sort=-title&limit=1", headers=user
        ),
        "next page by due date (v1.2)": lambda: client.get(
            f"{filtered}&sort=due_at&limit=1&cursor={due_cursor}", headers=user
        ),
        "tags (v1.2)": lambda: client.get("/api/v1/tags", headers=user),
        "organizing update (v1.2)": lambda: client.patch(
            todo, json={"tags": ["x"], "priority": "low", "due_at": None}, headers=user
        ),
        "get": lambda: client.get(todo, headers=user),
        "update": lambda: client.patch(todo, json={"is_completed": True}, headers=user),
        "conditional update": lambda: client.patch(
            todo, json={"title": "x"}, headers={**user, "If-Match": '"3"'}
        ),
        "delete": lambda: client.delete(todo, headers={**user, "If-Match": '"4"'}),
        "readiness": lambda: client.get("/health/ready"),
    }
    for name, call in calls.items():
        assert round_trips(proxy, call) == 1, name
    assert round_trips(proxy, lambda: client.get("/health")) == 0
