"""The MCP server: eight tools over TodoService, for whichever user `caller` names. No rule
of its own: validation is the REST models', errors are the REST mapping's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from uuid import UUID

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent, ToolAnnotations

from application.todo_service import NewTodo, TodoService
from domain.todo import TodoChanges
from entrypoints.http.inputs import validated
from entrypoints.http.schemas import TodoCreate, TodoUpdate, list_json, tags_json
from entrypoints.mcp import tool_schemas as schemas
from entrypoints.mcp.arguments import (
    expected_versions_of,
    list_query_of_arguments,
    require_known,
    todo_id_of,
)
from entrypoints.mcp.contract_tool import Caller, ContractTool, ToolBody, contract_tool
from entrypoints.mcp.results import body_result, todo_result

INSTRUCTIONS = (
    "A todo list. Each todo has a title, an optional description, a priority (none, low, "
    "medium, high), tags, an optional due date and a completion state. Every tool acts for "
    "the one user this connection speaks for; other users' todos do not exist here. "
    "Failures are tool errors with error_code, detail and field_errors."
)
Result = TypeVar("Result")
_READ = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)
_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, open_world_hint=False)
_IDEMPOTENT = ToolAnnotations(
    read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=False
)
_DESTRUCTIVE = ToolAnnotations(
    read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=False
)


def todo_server(service_of: Callable[[], TodoService], caller: Caller) -> MCPServer:
    """The tools, each one use-case call on a worker thread (the repository blocks)."""

    async def call(function: Callable[..., Result], *args: object) -> Result:
        return await anyio.to_thread.run_sync(function, *args)

    async def create_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        new = validated(arguments, TodoCreate)
        todo = await call(
            service_of().create,
            user_id,
            NewTodo(
                new.title,
                new.description,
                new.is_completed,
                new.priority,
                tuple(new.tags),
                new.due_at,
            ),
        )
        return todo_result(todo)

    async def list_todos(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        query = list_query_of_arguments(arguments)
        listed = await call(service_of().list, user_id, query)
        return body_result(list_json(listed, query))

    async def get_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        require_known(arguments, ("id",))
        return todo_result(await call(service_of().get, user_id, todo_id_of(arguments)))

    async def change(
        arguments: dict[str, Any], user_id: UUID, changes: TodoChanges
    ) -> CallToolResult:
        todo_id = todo_id_of(arguments)
        expected = expected_versions_of(arguments)
        todo = await call(service_of().update, user_id, todo_id, changes, expected)
        return todo_result(todo)

    async def update_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        fields = {k: v for k, v in arguments.items() if k not in ("id", "expected_etag")}
        payload = validated(fields, TodoUpdate)
        changes = TodoChanges(**{name: getattr(payload, name) for name in payload.model_fields_set})
        return await change(arguments, user_id, changes)

    async def complete_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        require_known(arguments, ("id", "expected_etag"))
        return await change(arguments, user_id, TodoChanges(is_completed=True))

    async def reopen_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        require_known(arguments, ("id", "expected_etag"))
        return await change(arguments, user_id, TodoChanges(is_completed=False))

    async def delete_todo(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        require_known(arguments, ("id", "expected_etag"))
        todo_id = todo_id_of(arguments)
        expected = expected_versions_of(arguments)
        await call(service_of().delete, user_id, todo_id, expected)
        return CallToolResult(content=[TextContent(type="text", text=f"deleted {todo_id}")])

    async def list_tags(arguments: dict[str, Any], user_id: UUID) -> CallToolResult:
        require_known(arguments, ())
        return body_result(tags_json(await call(service_of().tags, user_id)))

    def tool(body: ToolBody, title: str, description: str, **shape: Any) -> ContractTool:
        name = body.__name__
        return contract_tool(body, caller, name=name, title=title, description=description, **shape)

    todo = {"output_schema": schemas.TODO_OUTPUT}
    tools: list[Tool] = [
        tool(
            create_todo,
            "Create a todo",
            "Create a todo for the user and return it (with its ETag). Only title is required.",
            input_schema=schemas.CREATE_INPUT,
            annotations=_WRITE,
            **todo,
        ),
        tool(
            list_todos,
            "List todos",
            "List the user's todos: filter (all filters combine with AND), sort, and page "
            "with limit and cursor. Returns items, count (all matching todos, not the page) "
            "and next_cursor (null on the last page).",
            input_schema=schemas.LIST_INPUT,
            output_schema=schemas.LIST_OUTPUT,
            annotations=_READ,
        ),
        tool(
            get_todo,
            "Get a todo",
            "One todo by id, with its ETag. NOT_FOUND if the user has no such todo.",
            input_schema=schemas.ID_INPUT,
            annotations=_READ,
            **todo,
        ),
        tool(
            update_todo,
            "Change a todo",
            "Change any subset of title, description, is_completed, priority, tags, due_at; "
            "fields left out stay as they are (tags replace the old list, due_at null removes "
            "the due date). Returns the changed todo.",
            input_schema=schemas.UPDATE_INPUT,
            annotations=_IDEMPOTENT,
            **todo,
        ),
        tool(
            complete_todo,
            "Complete a todo",
            "Mark a todo completed (is_completed true). Returns the todo.",
            input_schema=schemas.ID_AND_ETAG_INPUT,
            annotations=_IDEMPOTENT,
            **todo,
        ),
        tool(
            reopen_todo,
            "Reopen a todo",
            "Mark a todo not completed (is_completed false). Returns the todo.",
            input_schema=schemas.ID_AND_ETAG_INPUT,
            annotations=_IDEMPOTENT,
            **todo,
        ),
        tool(
            delete_todo,
            "Delete a todo",
            "Delete a todo for good. NOT_FOUND if the user has no such todo.",
            input_schema=schemas.ID_AND_ETAG_INPUT,
            output_schema=None,
            annotations=_DESTRUCTIVE,
        ),
        tool(
            list_tags,
            "List tags",
            "Every tag on the user's todos, sorted, with how many todos carry it.",
            input_schema=schemas.NO_INPUT,
            output_schema=schemas.TAGS_OUTPUT,
            annotations=_READ,
        ),
    ]
    return MCPServer("todo", instructions=INSTRUCTIONS, version="1.0.0", tools=tools)
