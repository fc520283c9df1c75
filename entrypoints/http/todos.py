"""The five todo routes. Each parses its input (see inputs.py), calls one use case and
shapes the answer; errors are mapped to the envelope in errors.py."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from application.fingerprint import fingerprint
from application.ports import IdempotencyKey
from application.todo_service import NewTodo, TodoService
from domain.todo import Todo, TodoChanges
from entrypoints.http import openapi_docs as docs
from entrypoints.http.cursor import encode_cursor
from entrypoints.http.inputs import (
    ExpectedVersion,
    IdempotencyKeyHeader,
    JsonContentType,
    ListParameters,
    RequestBody,
    TodoId,
    UserId,
    parsed_body,
)
from entrypoints.http.schemas import TodoCreate, TodoList, TodoOut, TodoUpdate, todo_json

router = APIRouter(prefix="/api/v1/todos", tags=["todos"])


async def _todo_service(request: Request) -> TodoService:
    # Resolved from the container of the app serving the request rather than through
    # dependency-injector's module wiring: wiring patches these module's functions globally,
    # so a second app (a test's, a worker's) would silently take over the first one's routes.
    service: TodoService = request.app.state.container.todo_service()
    return service


Service = Annotated[TodoService, Depends(_todo_service)]
CreateBody = Annotated[tuple[TodoCreate, Any], Depends(parsed_body(TodoCreate))]
UpdateBody = Annotated[tuple[TodoUpdate, Any], Depends(parsed_body(TodoUpdate))]


def _etag(todo: Todo) -> str:
    return f'"{todo.version}"'


def _todo_response(todo: Todo, status_code: int = 200, **headers: str) -> JSONResponse:
    return JSONResponse(todo_json(todo), status_code, headers={"ETag": _etag(todo), **headers})


@router.post(
    "",
    status_code=201,
    response_model=TodoOut,
    summary="Create a todo",
    responses={**docs.COMMON, 413: docs.TOO_LARGE, 415: docs.MEDIA_TYPE, 422: docs.INVALID},
    openapi_extra=docs.json_request_body(TodoCreate),
)
def create_todo(
    _body: RequestBody,
    user_id: UserId,
    _content_type: JsonContentType,
    idempotency_key: IdempotencyKeyHeader,
    body: CreateBody,
    service: Service,
) -> Response:
    payload, raw = body
    key = IdempotencyKey(idempotency_key, fingerprint(raw)) if idempotency_key else None
    new = NewTodo(payload.title, payload.description, payload.is_completed)
    todo = service.create(user_id, new, key)
    return _todo_response(todo, 201, Location=f"/api/v1/todos/{todo.id}")


@router.get(
    "",
    response_model=TodoList,
    summary="List the user's todos, newest first",
    responses={**docs.COMMON, 422: docs.INVALID},
    openapi_extra=docs.LIST_PARAMETERS,
)
def list_todos(user_id: UserId, query: ListParameters, service: Service) -> Response:
    listed = service.list(user_id, query)
    return JSONResponse(
        {
            "items": [todo_json(todo) for todo in listed.items],
            "count": listed.count,
            "next_cursor": encode_cursor(listed.next_page) if listed.next_page else None,
        }
    )


@router.get(
    "/{todo_id}",
    response_model=TodoOut,
    summary="Get one todo",
    responses={**docs.COMMON, 404: docs.NOT_FOUND},
)
def get_todo(user_id: UserId, todo_id: TodoId, service: Service) -> Response:
    return _todo_response(service.get(user_id, todo_id))


@router.patch(
    "/{todo_id}",
    response_model=TodoOut,
    summary="Change any subset of title, description, is_completed",
    responses={
        **docs.COMMON,
        404: docs.NOT_FOUND,
        412: docs.PRECONDITION,
        413: docs.TOO_LARGE,
        415: docs.MEDIA_TYPE,
        422: docs.INVALID,
    },
    openapi_extra=docs.json_request_body(TodoUpdate),
)
def update_todo(
    _body: RequestBody,
    user_id: UserId,
    todo_id: TodoId,
    _content_type: JsonContentType,
    body: UpdateBody,
    expected_version: ExpectedVersion,
    service: Service,
) -> Response:
    payload, _raw = body
    changes = TodoChanges(**{name: getattr(payload, name) for name in payload.model_fields_set})
    return _todo_response(service.update(user_id, todo_id, changes, expected_version))


@router.delete(
    "/{todo_id}",
    status_code=204,
    summary="Delete a todo",
    responses={**docs.COMMON, 404: docs.NOT_FOUND, 412: docs.PRECONDITION},
)
def delete_todo(
    user_id: UserId, todo_id: TodoId, expected_version: ExpectedVersion, service: Service
) -> Response:
    service.delete(user_id, todo_id, expected_version)
    return Response(status_code=204)
