"""End to end over stdio: the SDK's client starts `python -m entrypoints.mcp` as a
subprocess, which serves the scratch PostgreSQL database for the user TODO_USER_ID names."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any
from uuid import uuid4

import anyio
from mcp import Client
from sqlalchemy.engine import URL

from tests.mcp.stdio_session import REPOSITORY, TOOLS, database_env, run_once, stdio_server
from tests.support.jwks_server import JwksServer
from tests.support.tokens import TokenIssuer


class Transcript:
    """Each call and its answer, as the README quotes them (pytest -s prints it)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.lines: list[str] = []

    async def call(self, tool: str, **arguments: Any) -> Any:
        result = await self.client.call_tool(tool, arguments)
        answer = result.structured_content
        if answer is None:
            answer = " ".join(getattr(block, "text", "") for block in result.content)
        self.lines.append(f"> {tool} {json.dumps(arguments)}")
        marker = "error" if result.is_error else "result"
        self.lines.append(f"< {marker}: {json.dumps(answer, ensure_ascii=False)}")
        if result.meta and "etag" in result.meta:
            self.lines.append(f"  _meta.etag: {result.meta['etag']}")
        return result


def test_a_client_session_over_stdio_uses_every_tool(
    postgres_url: URL, postgres_owner_url: URL
) -> None:
    user = uuid4()
    env = {**database_env(postgres_url, postgres_owner_url), "TODO_USER_ID": str(user)}

    async def main() -> list[str]:
        async with Client(stdio_server(env)) as client:
            tools = {tool.name: tool for tool in (await client.list_tools()).tools}
            assert set(tools) == TOOLS
            assert tools["create_todo"].input_schema["required"] == ["title"]
            assert tools["delete_todo"].input_schema["required"] == ["id"]
            session = Transcript(client)
            created = await session.call(
                "create_todo", title="Buy milk", priority="high", tags=["home"]
            )
            todo = created.structured_content
            assert todo["user_id"] == str(user) and todo["priority"] == "high"
            await session.call("create_todo", title="File taxes", due_at="2026-04-30T17:00:00Z")
            listed = await session.call("list_todos", sort="due_at", limit=1)
            page = listed.structured_content
            assert page["count"] == 2 and page["items"][0]["title"] == "File taxes"
            more = await client.call_tool(
                "list_todos", {"sort": "due_at", "limit": 1, "cursor": page["next_cursor"]}
            )
            assert [item["title"] for item in more.structured_content["items"]] == ["Buy milk"]
            done = await session.call("complete_todo", id=todo["id"])
            assert done.structured_content["is_completed"] is True
            reopened = await session.call("reopen_todo", id=todo["id"])
            assert reopened.structured_content["is_completed"] is False
            stale = await session.call(
                "update_todo", id=todo["id"], title="Buy oat milk", expected_etag='"1"'
            )
            assert stale.is_error
            assert stale.structured_content["error_code"] == "PRECONDITION_FAILED"
            get = await session.call("get_todo", id=todo["id"])
            assert get.structured_content["is_completed"] is False
            updated = await session.call(
                "update_todo", id=todo["id"], title="Buy oat milk", expected_etag=get.meta["etag"]
            )
            assert updated.structured_content["title"] == "Buy oat milk"
            bad = await session.call("create_todo", title="", priority="urgent")
            assert bad.is_error
            assert {e["field"] for e in bad.structured_content["field_errors"]} == {
                "title",
                "priority",
            }
            tags = await session.call("list_tags")
            assert tags.structured_content == {"items": [{"tag": "home", "count": 1}]}
            deleted = await session.call("delete_todo", id=todo["id"])
            assert not deleted.is_error
            gone = await session.call("get_todo", id=todo["id"])
            assert gone.structured_content == {"detail": "no such todo", "error_code": "NOT_FOUND"}
            bad_calls = {
                "list_todos": ({"limit": 0}, "VALIDATION_ERROR"),
                "get_todo": ({"id": "42"}, "VALIDATION_ERROR"),
                "update_todo": ({"id": todo["id"], "tags": "x"}, "VALIDATION_ERROR"),
                "complete_todo": ({"id": str(uuid4())}, "NOT_FOUND"),
                "reopen_todo": ({}, "VALIDATION_ERROR"),
                "delete_todo": ({"id": todo["id"], "expected_etag": 3}, "VALIDATION_ERROR"),
                "list_tags": ({"sort": "tag"}, "VALIDATION_ERROR"),
            }
            for tool, (arguments, error_code) in bad_calls.items():
                result = await client.call_tool(tool, arguments)
                assert result.is_error, tool
                assert result.structured_content["error_code"] == error_code, tool
            return session.lines

    lines = anyio.run(main)
    print("\n".join(lines))


def test_the_stdio_server_without_a_user_is_one_line_and_exit_status_2(
    postgres_url: URL, postgres_owner_url: URL
) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        **database_env(postgres_url, postgres_owner_url),
        "TODO_USER_ID": "",
    }
    ran = run_once(env)
    assert ran.returncode == 2
    assert ran.stdout == ""
    assert ran.stderr.splitlines() == [
        "configuration error: TODO_USER_ID: is required in header mode "
        "(the UUID of the user to act for)"
    ]


def test_a_user_id_that_is_not_a_uuid_is_refused_at_start(
    postgres_url: URL, postgres_owner_url: URL
) -> None:
    env = {**database_env(postgres_url, postgres_owner_url), "TODO_USER_ID": "alice"}
    ran = run_once(env)
    assert ran.returncode == 2
    assert len(ran.stderr.splitlines()) == 1
    assert ran.stderr.startswith("configuration error: TODO_USER_ID: ")


def test_in_bearer_mode_the_stdio_server_acts_for_the_subject_of_todo_token(
    postgres_url: URL, postgres_owner_url: URL
) -> None:
    issuer = TokenIssuer()
    jwks = JwksServer(issuer)
    user = str(uuid4())
    bearer = {
        "AUTH_JWKS_URL": jwks.url,
        "AUTH_ISSUER": issuer.issuer,
        "AUTH_AUDIENCE": str(issuer.audience),
    }
    env = {**database_env(postgres_url, postgres_owner_url), **bearer}

    async def main() -> None:
        async with Client(stdio_server({**env, "TODO_TOKEN": issuer.mint(user)})) as client:
            created = await client.call_tool("create_todo", {"title": "Mine"})
            assert created.structured_content["user_id"] == user

    try:
        anyio.run(main)
        forged = subprocess.run(
            [sys.executable, "-m", "entrypoints.mcp"],
            env={**env, "TODO_TOKEN": "x.y.z", "TODO_USER_ID": user},
            cwd=REPOSITORY,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
    finally:
        jwks.down()
    assert forged.returncode == 2
    assert len(forged.stderr.splitlines()) == 1
    assert forged.stderr.startswith("configuration error: TODO_TOKEN: ")
