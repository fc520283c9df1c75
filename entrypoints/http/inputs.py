"""Reading a request: one function per piece of input, each raising the contract's error.
Routes call them in the contract's order of precedence, so the first problem answers: body
size (413), user (400), path id (400), content type (415), Idempotency-Key (400), body or
query (422). Plain functions rather than FastAPI dependencies: the order is then written in
each route, and a request does not pay for dependency solving (plain_route.py has the figures).
FastAPI's own reading could not keep that order anyway: it decodes a JSON body before it solves
any dependency, so malformed JSON would answer 422 before a missing user's 400 (the other
differences are listed in bench/declarative_routes.py)."""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from application.identifiers import parse_uuid
from application.identity import CallerIdentity, Credentials
from domain.errors import FieldError
from entrypoints.http.errors import ApiError, validation_error
from entrypoints.http.list_parameters import list_query_of as list_query_of

MAX_BODY_BYTES = 64 * 1024

Model = TypeVar("Model", bound=BaseModel)


def _too_large() -> ApiError:
    return ApiError(413, "PAYLOAD_TOO_LARGE", "the request body is over 64 KiB")


async def read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise _too_large()
        chunks.append(chunk)
    return b"".join(chunks)


def credentials_of(request: Request) -> Credentials:
    """Every X-User-ID and Authorization value, in one pass over the raw headers (Starlette's
    Headers.get would keep only the first of a repeated header)."""
    user_ids: list[str] = []
    authorizations: list[str] = []
    for name, value in request.scope["headers"]:
        if name == b"x-user-id":
            user_ids.append(value.decode("latin-1"))
        elif name == b"authorization":
            authorizations.append(value.decode("latin-1"))
    return Credentials(tuple(user_ids), tuple(authorizations))


async def user_id_of(request: Request) -> UUID:
    """Who is calling, as the app's identity mode says (header or bearer); raises
    CallerRefused, which errors.py answers with the mode's 400, 401 or 503."""
    identity: CallerIdentity = request.app.state.container.identity()
    return await identity.user_id(credentials_of(request))


def todo_id_of(request: Request) -> UUID:
    todo_id = parse_uuid(request.path_params["todo_id"])
    if todo_id is None:
        raise validation_error(400, [FieldError("todo_id", "must be a UUID")])
    return todo_id


def require_json(request: Request) -> None:
    media_type, _, params = request.headers.get("content-type", "").partition(";")
    charset_ok = all(
        name.strip().lower() != "charset" or value.strip().strip('"').lower() in ("utf-8", "utf8")
        for name, _, value in (p.partition("=") for p in params.split(";") if p.strip())
    )
    if media_type.strip().lower() != "application/json" or not charset_ok:
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json (UTF-8)")


_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")


def idempotency_key_of(request: Request) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is not None and not _IDEMPOTENCY_KEY.fullmatch(key):
        raise validation_error(
            400, [FieldError("Idempotency-Key", "must be 1..255 printable ASCII characters")]
        )
    return key


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a known field",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "model_type": "the body must be a JSON object",
    "dict_type": "the body must be a JSON object",
}


def _field_errors(error: ValidationError) -> list[FieldError]:
    errors = []
    for item in error.errors(include_url=False):
        field = ".".join(str(part) for part in item["loc"]) or "body"
        message = _MESSAGES.get(item["type"], item["msg"])
        if item["type"] == "string_type" and item["input"] is None:
            message = "must not be null"
        errors.append(FieldError(field, message))
    return errors


def parse_body(raw: bytes, model: type[Model]) -> tuple[Model, Any]:
    """The body validated as `model`, and the raw JSON value (for idempotency fingerprints)."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise validation_error(422, [FieldError("body", "is not valid UTF-8 JSON")]) from None
    return validated(value, model), value


def validated(value: Any, model: type[Model]) -> Model:
    """A JSON value validated as `model` (strict, the domain's rules inside); a 422
    ValidationError naming every bad field. Shared by the REST bodies and the MCP tools."""
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise validation_error(422, _field_errors(error)) from None
