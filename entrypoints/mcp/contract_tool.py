"""A tool whose arguments are read by the REST API's own models and parsers.

The SDK validates a tool's arguments with a model it derives from the function's signature,
and answers a failure with pydantic's text. The contract answers VALIDATION_ERROR with
field_errors in the domain's words, and a PATCH tells an absent field from null. So a
ContractTool publishes a precise input schema (the REST models' own) and hands the raw
arguments to its body, which validates them exactly as the REST API validates a body."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import ArgModelBase, FuncMetadata
from mcp_types import CallToolResult, ToolAnnotations

from entrypoints.http.errors import SERVER_ERROR, as_api_error
from entrypoints.mcp.results import error_result

logger = logging.getLogger("todo.mcp")

# Who is calling: stdio acts for one configured user, HTTP for the request's identity.
Caller = Callable[[Context[Any, Any]], Awaitable[UUID]]
ToolBody = Callable[[dict[str, Any], UUID], Awaitable[CallToolResult]]


class _RawArguments(ArgModelBase):
    """Never used to validate (ContractTool.run reads the raw arguments)."""


class ContractTool(Tool):
    caller: Caller

    async def run(
        self,
        arguments: dict[str, Any],
        context: Context[Any, Any],
        convert_result: bool = False,
    ) -> Any:
        """The body's result, or a tool error with the contract's envelope."""
        try:
            user_id = await self.caller(context)
            result: CallToolResult = await self.fn(arguments, user_id)
            return result
        except Exception as error:
            if as_api_error(error) is SERVER_ERROR:
                logger.exception("tool %s failed", self.name)
            return error_result(error)


def contract_tool(
    body: ToolBody,
    caller: Caller,
    *,
    name: str,
    title: str,
    description: str,
    input_schema: dict[str, Any],
    output_schema: dict[str, Any] | None,
    annotations: ToolAnnotations,
) -> ContractTool:
    return ContractTool(
        fn=body,
        caller=caller,
        name=name,
        title=title,
        description=description,
        parameters=input_schema,
        fn_metadata=FuncMetadata(arg_model=_RawArguments, output_schema=output_schema),
        is_async=True,
        context_kwarg=None,
        annotations=annotations,
    )
