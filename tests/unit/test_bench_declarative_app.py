"""bench --idioms compares each route with its declarative version: the variant app must
really serve the declarative routes (else the A/B compares A with A), and they must answer the
requests the benchmark sends as the service does (else it measures error paths)."""

from uuid import uuid4

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from bench import declarative_routes
from bench.declarative_app import create_declarative_app
from entrypoints.config import Settings
from entrypoints.http.app import build_container


def _app_and_client() -> tuple[object, TestClient]:
    settings = Settings()
    app = create_declarative_app(settings, build_container(settings, storage="memory"))
    return app, TestClient(app)


def test_every_declarative_route_replaces_the_plain_one() -> None:
    app, _ = _app_and_client()
    served = {
        (route.path, method): route.endpoint
        for route in app.router.routes  # type: ignore[attr-defined]
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    for route in declarative_routes.router.routes:
        assert isinstance(route, APIRoute)
        for method in route.methods:
            assert served[(route.path, method)] is route.endpoint


def test_the_declarative_routes_answer_the_benchmarks_requests_like_the_service() -> None:
    _, client = _app_and_client()
    user = {"X-User-ID": str(uuid4())}
    with client:
        created = client.post(
            "/api/v1/todos",
            json={"title": "bench todo", "description": "made by wrk"},
            headers=user,
        )
        assert created.status_code == 201
        todo_id = created.json()["id"]
        assert created.headers["ETag"] == '"1"'
        assert created.headers["Location"] == f"/api/v1/todos/{todo_id}"
        assert created.json()["created_at"].endswith("Z")

        fetched = client.get(f"/api/v1/todos/{todo_id}", headers=user)
        assert (fetched.status_code, fetched.json()) == (200, created.json())

        patched = client.patch(
            f"/api/v1/todos/{todo_id}", json={"is_completed": True}, headers=user
        )
        assert (patched.status_code, patched.headers["ETag"]) == (200, '"2"')
        assert patched.json()["completed_at"] is not None

        listed = client.get("/api/v1/todos?limit=50", headers=user).json()
        assert (listed["count"], listed["items"], listed["next_cursor"]) == (
            1,
            [patched.json()],
            None,
        )
        assert client.get("/api/v1/tags", headers=user).json() == {"items": []}
        assert client.get("/health").json() == {"status": "ok"}

        assert client.delete(f"/api/v1/todos/{todo_id}", headers=user).status_code == 204
        assert client.get(f"/api/v1/todos/{todo_id}", headers=user).status_code == 404
