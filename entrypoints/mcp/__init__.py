"""The todo service as an MCP server: the same use cases as the REST API, as tools."""
