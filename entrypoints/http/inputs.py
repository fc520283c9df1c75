"""Reading a request, in the contract's order of precedence. Each route lists these
dependencies in that order; FastAPI solves them in order, so the first problem answers:
body size (413), user (400), path id (400), content type (415), Idempotency-Key (400),
body or query (422). All are async: cheap checks should not hop onto the thread pool."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Path, Request
from pydantic import BaseModel, ValidationError

from application.ports import ListQuery
from domain.errors import FieldError
from entrypoints.http.cursor import decode_cursor
from entrypoints.http.errors import ApiError, validation_error
from entrypoints.http.identifiers import parse_uuid

MAX_BODY_BYTES = 64 * 1024
MAX_LIST_LIMIT = 1000

Model = TypeVar("Model", bound=BaseModel)


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ApiError(413, "PAYLOAD_TOO_LARGE", "the request body is over 64 KiB")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ApiError(413, "PAYLOAD_TOO_LARGE", "the request body is over 64 KiB")
        chunks.append(chunk)
    return b"".join(chunks)


async def _user_id(
    x_user_id: Annotated[
        str | None,
        Header(description="The calling user's UUID (until real authentication lands)."),
    ] = None,
) -> UUID:
    if not x_user_id:
        raise ApiError(400, "MISSING_USER_CONTEXT", "the X-User-ID header is required")
    user_id = parse_uuid(x_user_id)
    if user_id is None:
        raise validation_error(400, [FieldError("X-User-ID", "must be a UUID")])
    return user_id


async def _todo_id(
    todo_id: Annotated[str, Path(description="The todo's UUID.")],
) -> UUID:
    parsed = parse_uuid(todo_id)
    if parsed is None:
        raise validation_error(400, [FieldError("todo_id", "must be a UUID")])
    return parsed


async def _json_content_type(request: Request) -> None:
    media_type, _, params = request.headers.get("content-type", "").partition(";")
    charset_ok = all(
        name.strip().lower() != "charset" or value.strip().strip('"').lower() in ("utf-8", "utf8")
        for name, _, value in (p.partition("=") for p in params.split(";") if p.strip())
    )
    if media_type.strip().lower() != "application/json" or not charset_ok:
        raise ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "send the body as application/json (UTF-8)")


_IDEMPOTENCY_KEY = re.compile(r"[\x20-\x7e]{1,255}")


async def _idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(description="1..255 printable ASCII characters; repeats answer the first result."),
    ] = None,
) -> str | None:
    if idempotency_key is not None and not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise validation_error(
            400, [FieldError("Idempotency-Key", "must be 1..255 printable ASCII characters")]
        )
    return idempotency_key


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


def parsed_body(model: type[Model]) -> Callable[..., Awaitable[tuple[Model, Any]]]:
    """A dependency giving the body validated as `model`, and the raw JSON value."""

    async def parse(raw: Annotated[bytes, Depends(_body)]) -> tuple[Model, Any]:
        try:
            value = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise validation_error(422, [FieldError("body", "is not valid UTF-8 JSON")]) from None
        try:
            return model.model_validate(value), value
        except ValidationError as error:
            raise validation_error(422, _field_errors(error)) from None

    return parse


def _if_match_version(if_match: str | None) -> int | None:
    """The version an If-Match names; -1 (matches nothing) for a tag that isn't one of ours
    or a list of several, and None for no header or `*`."""
    if if_match is None or if_match.strip() == "*":
        return None
    match = re.fullmatch(r'\s*"([1-9][0-9]{0,17})"\s*', if_match)
    return int(match[1]) if match else -1


async def _expected_version(
    if_match: Annotated[
        str | None,
        Header(description='The ETag last seen (e.g. `"3"`), or `*`; 412 if it is stale.'),
    ] = None,
) -> int | None:
    return _if_match_version(if_match)


def _flag(value: str) -> bool | None:
    return {"true": True, "false": False}.get(value)


async def _list_query(request: Request) -> ListQuery:
    params = request.query_params
    errors: list[FieldError] = []
    for name in params:
        if name not in ("is_completed", "limit", "cursor"):
            errors.append(FieldError(name, "is not a known query parameter"))
        elif len(params.getlist(name)) > 1:
            errors.append(FieldError(name, "must be given once"))
    is_completed = limit = after = None
    if "is_completed" in params:
        is_completed = _flag(params["is_completed"])
        if is_completed is None:
            errors.append(FieldError("is_completed", "must be true or false"))
    if "limit" in params:
        raw = params["limit"]
        if raw.isascii() and raw.isdigit() and len(raw) <= 4 and 1 <= int(raw) <= MAX_LIST_LIMIT:
            limit = int(raw)
        else:
            errors.append(FieldError("limit", f"must be a whole number from 1 to {MAX_LIST_LIMIT}"))
    if "cursor" in params:
        after = decode_cursor(params["cursor"])
        if "limit" not in params:
            errors.append(FieldError("cursor", "needs limit: a cursor continues a paged list"))
        elif after is None:
            errors.append(FieldError("cursor", "is not a cursor this service issued"))
    if errors:
        raise validation_error(422, errors)
    return ListQuery(is_completed=is_completed, limit=limit, after=after)


RequestBody = Annotated[bytes, Depends(_body)]
UserId = Annotated[UUID, Depends(_user_id)]
TodoId = Annotated[UUID, Depends(_todo_id)]
JsonContentType = Annotated[None, Depends(_json_content_type)]
IdempotencyKeyHeader = Annotated[str | None, Depends(_idempotency_key)]
ExpectedVersion = Annotated[int | None, Depends(_expected_version)]
ListParameters = Annotated[ListQuery, Depends(_list_query)]
