"""The one error envelope, and the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import IdempotencyKeyReused, TodoLimitReached
from application.identity import CallerRefused, Refusal
from application.ports import RepositoryUnavailable
from domain.errors import FieldError, InvalidTodo, TodoNotFound, VersionMismatch
from entrypoints.http.allowed_methods import allow_header
from entrypoints.http.json_response import JsonResponse

logger = logging.getLogger("todo.errors")

RETRY_AFTER_SECONDS = "2"
WWW_AUTHENTICATE = "WWW-Authenticate"


class ApiError(Exception):
    """An error the API answers as is: raised by request parsing, below the routes."""

    def __init__(
        self,
        status: int,
        error_code: str,
        detail: str,
        field_errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.field_errors = tuple(field_errors)
        self.headers = dict(headers or {})


def _unavailable(detail: str) -> ApiError:
    retry = {"Retry-After": RETRY_AFTER_SECONDS}
    return ApiError(503, "SERVICE_UNAVAILABLE", detail, headers=retry)


def refused(exc: CallerRefused) -> ApiError:
    """The contract's answer when the request does not say, acceptably, who is calling."""
    match exc.refusal:
        case Refusal.MISSING_USER_ID:
            return ApiError(400, "MISSING_USER_CONTEXT", exc.description)
        case Refusal.MALFORMED_USER_ID:
            return validation_error(400, [FieldError("X-User-ID", exc.description)])
        case Refusal.MISSING_CREDENTIALS:
            challenge = {WWW_AUTHENTICATE: 'Bearer realm="todo"'}
            return ApiError(401, "MISSING_CREDENTIALS", exc.description, headers=challenge)
        case Refusal.INVALID_TOKEN:
            # The description is ours (plain words, no quote or backslash): safe in the header.
            challenge = {
                WWW_AUTHENTICATE: 'Bearer realm="todo", error="invalid_token", '
                f'error_description="{exc.description}"'
            }
            return ApiError(401, "INVALID_TOKEN", exc.description, headers=challenge)
    return _unavailable(exc.description)  # KEYS_UNAVAILABLE: the caller is not at fault


def validation_error(status: int, errors: Sequence[FieldError]) -> ApiError:
    names = ", ".join(dict.fromkeys(e.field for e in errors))
    return ApiError(status, "VALIDATION_ERROR", f"invalid input: {names}", errors)


def envelope(error: ApiError) -> dict[str, object]:
    """The error's body: detail, error_code and (when there are any) field_errors."""
    body: dict[str, object] = {"detail": error.detail, "error_code": error.error_code}
    if error.field_errors:
        body["field_errors"] = [
            {"field": e.field, "message": e.message} for e in error.field_errors
        ]
    return body


def error_response(error: ApiError) -> JsonResponse:
    return JsonResponse(envelope(error), status_code=error.status, headers=error.headers)


SERVER_ERROR = ApiError(500, "SERVER_ERROR", "the server failed to answer this request")

_HTTP_CODES = {
    404: ("NOT_FOUND", "no such route"),
    405: ("METHOD_NOT_ALLOWED", "this route does not take that method"),
    413: ("PAYLOAD_TOO_LARGE", "the request body is over 64 KiB"),
}


def as_api_error(exc: Exception) -> ApiError:
    """The API's answer to an exception raised while handling a request."""
    match exc:
        case ApiError():
            return exc
        case CallerRefused():
            return refused(exc)
        case InvalidTodo():
            return validation_error(422, exc.errors)
        case TodoNotFound():
            return ApiError(404, "NOT_FOUND", "no such todo")
        case VersionMismatch():
            return ApiError(412, "PRECONDITION_FAILED", "the todo has changed: its ETag differs")
        case IdempotencyKeyReused():
            return ApiError(
                422, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with another body"
            )
        case TodoLimitReached():
            return ApiError(
                409, "TODO_LIMIT_REACHED", "this user holds the most todos one may; delete some"
            )
        case RepositoryUnavailable():
            logger.warning("database unavailable: %s", exc)
            return _unavailable("the database is unavailable; retry shortly")
        case StarletteHTTPException() if exc.status_code in _HTTP_CODES:
            code, detail = _HTTP_CODES[exc.status_code]
            return ApiError(exc.status_code, code, detail, headers=exc.headers)
        case RequestValidationError():
            # Our routes parse their own input; this only guards against a route that doesn't.
            errors = [FieldError(str(e["loc"][-1]), e["msg"]) for e in exc.errors()]
            return validation_error(422, errors)
    return SERVER_ERROR


async def _handle(request: Request, exc: Exception) -> JsonResponse:
    error = as_api_error(exc)
    allow = allow_header(request.app.router.routes, request.scope) if error.status == 405 else ""
    if allow:
        error.headers["Allow"] = allow
    return error_response(error)


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in (
        ApiError,
        CallerRefused,
        InvalidTodo,
        TodoNotFound,
        VersionMismatch,
        IdempotencyKeyReused,
        TodoLimitReached,
        RepositoryUnavailable,
        StarletteHTTPException,
        RequestValidationError,
    ):
        app.add_exception_handler(exc_type, _handle)
