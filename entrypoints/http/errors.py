"""The one error envelope, and the one place where errors become HTTP responses."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from application.errors import IdempotencyKeyReused, TodoLimitReached
from application.ports import RepositoryUnavailable
from domain.errors import FieldError, InvalidTodo, TodoNotFound, VersionMismatch

logger = logging.getLogger("todo.errors")

RETRY_AFTER_SECONDS = "2"


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


def validation_error(status: int, errors: Sequence[FieldError]) -> ApiError:
    names = ", ".join(dict.fromkeys(e.field for e in errors))
    return ApiError(status, "VALIDATION_ERROR", f"invalid input: {names}", errors)


def error_response(error: ApiError) -> JSONResponse:
    body: dict[str, object] = {"detail": error.detail, "error_code": error.error_code}
    if error.field_errors:
        body["field_errors"] = [
            {"field": e.field, "message": e.message} for e in error.field_errors
        ]
    return JSONResponse(body, status_code=error.status, headers=error.headers)


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
            logger.warning("database unavailable: %s", type(exc.__cause__ or exc).__name__)
            return ApiError(
                503,
                "SERVICE_UNAVAILABLE",
                "the database is unavailable; retry shortly",
                headers={"Retry-After": RETRY_AFTER_SECONDS},
            )
        case StarletteHTTPException() if exc.status_code in _HTTP_CODES:
            code, detail = _HTTP_CODES[exc.status_code]
            return ApiError(exc.status_code, code, detail, headers=exc.headers)
        case RequestValidationError():
            # Our routes parse their own input; this only guards against a route that doesn't.
            errors = [FieldError(str(e["loc"][-1]), e["msg"]) for e in exc.errors()]
            return validation_error(422, errors)
    return SERVER_ERROR


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    return error_response(as_api_error(exc))


def install_error_handlers(app: FastAPI) -> None:
    for exc_type in (
        ApiError,
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
