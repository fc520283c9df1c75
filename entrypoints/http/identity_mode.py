"""What the identity mode changes in the HTTP entrypoint: in bearer mode the issuer's keys are
fetched when the app starts, and /openapi.json declares an HTTP bearer security scheme on every
/api/v1 operation (so /docs has an "Authorize" button) instead of the X-User-ID parameter."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from entrypoints.http.openapi_docs import header_ref
from entrypoints.http.schemas import ErrorEnvelope

SCHEME = "bearerAuth"
_ENVELOPE_REF = {"$ref": f"#/components/schemas/{ErrorEnvelope.__name__}"}
_CHALLENGE = {
    "description": 'Bearer realm="todo", and error="invalid_token" when a token was refused.',
    "schema": {"type": "string"},
}
_UNAUTHORIZED = {
    "description": "no bearer token (MISSING_CREDENTIALS), or one that fails a check "
    "(INVALID_TOKEN)",
    "headers": {"WWW-Authenticate": _CHALLENGE, "X-Request-ID": header_ref("X-Request-ID")},
    "content": {
        "application/json": {
            "schema": _ENVELOPE_REF,
            "example": {"detail": "the token has expired", "error_code": "INVALID_TOKEN"},
        }
    },
}


@asynccontextmanager
async def signing_keys_fetched(app: FastAPI) -> AsyncIterator[None]:
    """In bearer mode, the JWKS is fetched before the first request (a failure is logged and
    retried in the background; tokens get 503 until it works)."""
    if not app.state.bearer_mode:
        yield
        return
    keys = app.state.container.signing_keys()
    await keys.start()
    try:
        yield
    finally:
        await keys.close()


def document_identity(app: FastAPI, *, bearer: bool) -> None:
    """Header mode: the routes' X-User-ID parameter, as declared. Bearer mode: the security
    scheme and 401 answers instead."""
    if not bearer:
        return
    app.description = (
        "Each user's todos, isolated by user: the caller is the `sub` of a bearer token (JWT) "
        "verified against the issuer's JWKS. Errors share one envelope: detail, error_code, "
        "field_errors."
    )
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _declare_bearer(generate())  # FastAPI keeps the schema it returns; edit it once
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]


def _declare_bearer(schema: dict[str, Any]) -> None:
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes[SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A token of the configured issuer (AUTH_ISSUER), signed with EdDSA, "
        "RS256 or ES256 by a key of its JWKS.",
    }
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for operation in item.values():
            operation["security"] = [{SCHEME: []}]
            operation["parameters"] = [
                p for p in operation.get("parameters", []) if p["name"].lower() != "x-user-id"
            ]
            operation["responses"]["401"] = _UNAUTHORIZED
            if "400" in operation["responses"]:
                operation["responses"]["400"] = {
                    **operation["responses"]["400"],
                    "description": "a malformed path id or header (VALIDATION_ERROR)",
                    "content": {"application/json": {"schema": _ENVELOPE_REF}},
                }
