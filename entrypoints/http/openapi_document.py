"""/openapi.json: FastAPI's document, plus the response headers every answer carries.

X-Request-ID is on every response (request_context.py) and Retry-After on every 503
(errors.py); both are set outside the routes, so they are declared here, once, on every
response the document lists. Headers that only some answers carry (ETag, Location) are
declared with their routes (openapi_docs.py)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from entrypoints.http.openapi_docs import HEADERS, header_ref


def _declare_common_headers(document: dict[str, Any]) -> None:
    document.setdefault("components", {})["headers"] = HEADERS
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = header_ref("X-Request-ID")
                if status == "503":
                    headers["Retry-After"] = header_ref("Retry-After")


def install_openapi_document(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                description=app.description,
                routes=app.routes,
            )
            _declare_common_headers(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
