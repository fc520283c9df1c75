"""End to end over streamable HTTP: the SDK's client against /mcp on the REST API's app, served
by a real uvicorn, with the REST API's identity in both modes."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import anyio
import httpx2
import pytest

from tests.mcp.http_session import http_client
from tests.support.apps import memory_app
from tests.support.bearer import bearer_app
from tests.support.jwks_server import JwksServer
from tests.support.live_server import LOOPBACK, server_thread
from tests.support.tokens import TokenIssuer

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with server_thread(memory_app()) as server_port:
        yield server_port


def test_a_session_over_http_acts_for_the_x_user_id_and_agrees_with_rest(port: int) -> None:
    user = str(uuid4())

    async def main() -> None:
        async with http_client(port, {"X-User-ID": user}) as client:
            tools = {tool.name for tool in (await client.list_tools()).tools}
            assert len(tools) == 8 and "update_todo" in tools
            created = await client.call_tool("create_todo", {"title": "Call mum", "tags": ["x"]})
            assert not created.is_error
            todo = created.structured_content
            assert todo["user_id"] == user
            async with httpx2.AsyncClient(base_url=f"http://{LOOPBACK}:{port}") as rest:
                answer = await rest.get(f"/api/v1/todos/{todo['id']}", headers={"X-User-ID": user})
                assert answer.json() == todo
                assert answer.headers["etag"] == created.meta["etag"]
                patched = await rest.patch(
                    f"/api/v1/todos/{todo['id']}",
                    json={"is_completed": True},
                    headers={"X-User-ID": user},
                )
            got = await client.call_tool("get_todo", {"id": todo["id"]})
            assert got.structured_content == patched.json()
            listed = await client.call_tool("list_todos", {"is_completed": True})
            assert listed.structured_content["items"] == [patched.json()]
            bad = await client.call_tool("list_todos", {"limit": 1001})
            assert bad.is_error and bad.structured_content["error_code"] == "VALIDATION_ERROR"
            gone = await client.call_tool("delete_todo", {"id": todo["id"]})
            assert not gone.is_error
            missing = await client.call_tool("reopen_todo", {"id": todo["id"]})
            assert missing.structured_content["error_code"] == "NOT_FOUND"

    anyio.run(main)


@pytest.mark.parametrize(
    ("headers", "error_code"),
    [({}, "MISSING_USER_CONTEXT"), ({"X-User-ID": "alice"}, "VALIDATION_ERROR")],
)
def test_mcp_without_a_valid_x_user_id_is_the_contracts_400(
    port: int, headers: dict[str, str], error_code: str
) -> None:
    answer = httpx2.post(
        f"http://{LOOPBACK}:{port}/mcp", json=INITIALIZE, headers={**MCP_HEADERS, **headers}
    )
    assert answer.status_code == 400
    assert answer.json()["error_code"] == error_code
    assert answer.headers["x-request-id"]  # the app's middlewares ran


def test_mcp_in_bearer_mode_wants_the_token_and_acts_for_its_subject() -> None:
    issuer = TokenIssuer()
    jwks = JwksServer(issuer)
    user = str(uuid4())
    try:
        with server_thread(bearer_app(jwks.url, issuer)) as bearer_port:
            url = f"http://{LOOPBACK}:{bearer_port}/mcp"
            refused = httpx2.post(url, json=INITIALIZE, headers=MCP_HEADERS)
            assert refused.status_code == 401
            assert refused.json()["error_code"] == "MISSING_CREDENTIALS"
            assert refused.headers["www-authenticate"].startswith("Bearer")
            forged = httpx2.post(
                url, json=INITIALIZE, headers={**MCP_HEADERS, "Authorization": "Bearer x.y.z"}
            )
            assert forged.status_code == 401
            assert forged.json()["error_code"] == "INVALID_TOKEN"

            async def main() -> None:
                token = issuer.mint(user)
                async with http_client(bearer_port, {"Authorization": f"Bearer {token}"}) as client:
                    created = await client.call_tool("create_todo", {"title": "Mine"})
                    assert created.structured_content["user_id"] == user

            anyio.run(main)
    finally:
        jwks.down()


@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_mcp_offers_no_stream_and_no_session_so_other_methods_are_405(
    port: int, method: str
) -> None:
    answer = httpx2.request(
        method, f"http://{LOOPBACK}:{port}/mcp", headers={**MCP_HEADERS, "X-User-ID": str(uuid4())}
    )
    assert answer.status_code == 405
    assert answer.json()["error_code"] == "METHOD_NOT_ALLOWED"
    assert answer.headers["allow"] == "POST"
