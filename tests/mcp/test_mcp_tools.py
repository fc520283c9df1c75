"""The tools, through the SDK's own client connected in process, on the in-memory adapter:
REST bodies as structured results, the contract's errors as tool errors."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID, uuid4

import anyio
from jsonschema import Draft202012Validator
from mcp import Client
from mcp.server.mcpserver import Context

from entrypoints.config import Settings
from entrypoints.http.app import build_container
from entrypoints.mcp.server import todo_server
from tests.mcp.stdio_session import TOOLS

Session = Callable[[Client], Awaitable[None]]


def _run(session: Session, user_id: UUID | None = None) -> None:
    container = build_container(Settings(), storage="memory")
    user = user_id or uuid4()

    async def caller(context: Context[Any, Any]) -> UUID:
        return user

    async def main() -> None:
        async with Client(todo_server(container.todo_service, caller)) as client:
            await session(client)

    anyio.run(main)


async def _call(client: Client, tool: str, **arguments: Any) -> Any:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return result.structured_content


async def _error(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert result.is_error
    body: dict[str, Any] = result.structured_content
    return body


def test_the_tool_list_names_every_use_case_with_a_schema() -> None:
    async def session(client: Client) -> None:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        create = tools["create_todo"].input_schema
        assert create["required"] == ["title"]
        assert set(create["properties"]) == {
            "title",
            "description",
            "is_completed",
            "priority",
            "tags",
            "due_at",
        }
        assert create["additionalProperties"] is False
        assert set(tools["list_todos"].input_schema["properties"]) == {
            "is_completed",
            "priority",
            "tags",
            "due_before",
            "due_after",
            "q",
            "sort",
            "limit",
            "cursor",
        }
        update = tools["update_todo"].input_schema
        assert update["required"] == ["id"]
        assert {"id", "expected_etag", "title", "due_at"} <= set(update["properties"])
        assert tools["get_todo"].output_schema is not None
        assert "next_cursor" in tools["list_todos"].output_schema["properties"]
        assert all(tool.description for tool in tools.values())
        for each in tools.values():  # every schema a valid JSON Schema (2020-12)
            Draft202012Validator.check_schema(each.input_schema)
            if each.output_schema is not None:
                Draft202012Validator.check_schema(each.output_schema)

    _run(session)


def test_a_todo_goes_through_every_tool_as_the_rest_api_shapes_it() -> None:
    user = uuid4()

    async def session(client: Client) -> None:
        todo = await _call(
            client, "create_todo", title=" Buy milk ", priority="high", tags=["Home", "shop"]
        )
        assert todo["title"] == "Buy milk"
        assert todo["user_id"] == str(user)
        assert todo["tags"] == ["home", "shop"]
        assert set(todo) == {
            "id", "title", "description", "is_completed", "created_at", "updated_at",
            "user_id", "priority", "tags", "due_at", "completed_at",
        }  # fmt: skip
        assert await _call(client, "get_todo", id=todo["id"]) == todo
        await _call(client, "create_todo", title="Walk", due_at="2026-03-01T09:00:00+01:00")
        page = await _call(client, "list_todos", sort="title", limit=1)
        assert [item["title"] for item in page["items"]] == ["Buy milk"]
        assert page["count"] == 2
        rest = await _call(client, "list_todos", sort="title", limit=1, cursor=page["next_cursor"])
        assert [item["title"] for item in rest["items"]] == ["Walk"]
        assert rest["next_cursor"] is None
        found = await _call(client, "list_todos", tags=["home"], priority=["high", "low"])
        assert [item["id"] for item in found["items"]] == [todo["id"]]
        done = await _call(client, "complete_todo", id=todo["id"])
        assert done["is_completed"] is True and done["completed_at"] is not None
        reopened = await _call(client, "reopen_todo", id=todo["id"])
        assert reopened["is_completed"] is False
        changed = await _call(client, "update_todo", id=todo["id"], title="Buy oat milk")
        assert changed["title"] == "Buy oat milk" and changed["priority"] == "high"
        tags = await _call(client, "list_tags")
        assert tags == {"items": [{"tag": "home", "count": 1}, {"tag": "shop", "count": 1}]}
        deleted = await client.call_tool("delete_todo", {"id": todo["id"]})
        assert not deleted.is_error
        assert (await _error(client, "get_todo", id=todo["id"]))["error_code"] == "NOT_FOUND"

    _run(session, user)


def test_an_etag_guards_a_change_and_a_delete() -> None:
    async def session(client: Client) -> None:
        result = await client.call_tool("create_todo", {"title": "Pay rent"})
        etag = result.meta["etag"] if result.meta else None
        assert etag == '"1"'
        assert any(getattr(c, "text", "") == 'ETag: "1"' for c in result.content)
        todo_id = result.structured_content["id"]
        await _call(client, "update_todo", id=todo_id, expected_etag=etag, priority="low")
        stale = await _error(client, "update_todo", id=todo_id, expected_etag=etag, title="x")
        assert stale["error_code"] == "PRECONDITION_FAILED"
        assert (await _error(client, "delete_todo", id=todo_id, expected_etag=etag))[
            "error_code"
        ] == "PRECONDITION_FAILED"
        await _call(client, "get_todo", id=todo_id)  # still there

    _run(session)


def test_bad_arguments_are_the_contracts_validation_errors_naming_every_field() -> None:
    async def session(client: Client) -> None:
        bad = await _error(client, "create_todo", title="  ", tags="home", colour="red")
        assert bad["error_code"] == "VALIDATION_ERROR"
        fields = {e["field"] for e in bad["field_errors"]}
        assert fields == {"title", "tags", "colour"}
        bad_list = await _error(client, "list_todos", limit=0, sort="size", is_completed="yes")
        assert {e["field"] for e in bad_list["field_errors"]} == {"limit", "sort", "is_completed"}
        no_limit = await _error(client, "list_todos", cursor="abc")
        assert no_limit["field_errors"][0]["field"] == "cursor"
        bad_id = await _error(client, "get_todo", id="42")
        assert bad_id["field_errors"] == [{"field": "id", "message": "must be a UUID"}]
        null_title = await _error(client, "update_todo", id=str(uuid4()), title=None)
        assert null_title["field_errors"] == [{"field": "title", "message": "must not be null"}]

    _run(session)


def test_a_missing_todo_is_not_found_for_every_tool_that_takes_an_id() -> None:
    async def session(client: Client) -> None:
        missing = str(uuid4())
        for tool in ("get_todo", "complete_todo", "reopen_todo", "delete_todo"):
            error = await _error(client, tool, id=missing)
            assert error == {"detail": "no such todo", "error_code": "NOT_FOUND"}, tool
        error = await _error(client, "update_todo", id=missing, title="x")
        assert error["error_code"] == "NOT_FOUND"

    _run(session)
