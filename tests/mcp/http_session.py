"""An MCP client session over streamable HTTP to a live server, with the caller's headers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.support.live_server import LOOPBACK


@asynccontextmanager
async def http_client(port: int, headers: Mapping[str, str]) -> AsyncIterator[Client]:
    async with httpx2.AsyncClient(headers=dict(headers), timeout=30) as http:
        url = f"http://{LOOPBACK}:{port}/mcp"
        async with Client(streamable_http_client(url, http_client=http)) as client:
            yield client
