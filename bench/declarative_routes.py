"""The routes as FastAPI's own idiom writes them: variant B of `--idioms`.

Default APIRoute; identity, service, path id, content type and Idempotency-Key as `Depends`
(sub-dependencies run in the order they are declared, each raising the contract's error, so the
precedence 400 user > 400 path id > 415 > 400 Idempotency-Key > 422 body holds); headers as
`Annotated[..., Header()]`; the body as a pydantic model FastAPI validates; the answer a
pydantic model FastAPI validates and serialises through `response_model`, headers set on the
injected `Response`. Every dependency is `async def`: FastAPI runs a plain `def` one on the
thread pool, one hop each (in the first run, with four of them, GET one todo cost 1.38 vs
0.70 ms CPU/req; with them async, 1.05 vs 0.79).

What the idiom cannot say, and this module therefore does not either (the real routes do, by
hand, in entrypoints/http/inputs.py):
- Body JSON errors after identity, path id and content type: FastAPI reads and decodes the
  body before it solves any dependency, so a body sent as application/json that is not JSON
  (or not UTF-8) is FastAPI's 422 whatever else is wrong, naming the offset as its field.
- 413 in the envelope: the route's `max_body_size` (FastAPI 0.16x) answers first, as the
  contract wants, but with Starlette's plain-text "Content Too Large".
- 422 messages: FastAPI's RequestValidationError carries pydantic's messages ("Field
  required"); errors.py would have to translate them (inputs.py's table) to keep the contract's.
- The list's "given once" rule: a declared query parameter keeps one value of a repeated one.
- HEAD on a GET route: a default APIRoute answers 405 to HEAD (here: not measured).
The figures this variant gives are what the framework's machinery costs; the behaviour it
loses on those edges is listed above, and only those requests differ. Run against tests/http
(in-memory storage, 2026-11-25), 46 of 560 tests fail: 28 on the OpenAPI document (these routes
carry no hand-written docs), 9 on HEAD, 5 on bodies that are not UTF-8 JSON, 3 on the 413
envelope, 1 on a repeated filter, and the others pass: identity, path ids, 415,
Idempotency-Key, validation, preconditions, isolation, the list's parameters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from pydantic import BaseModel, ConfigDict, field_serializer
from starlette.concurrency import run_in_threadpool

from application.fingerprint import fingerprint
from application.identifiers import parse_uuid
from application.identity import CallerIdentity, Credentials
from application.ports import IdempotencyKey
from application.todo_service import NewTodo, TodoService
from domain.errors import FieldError
from domain.todo import Todo, TodoChanges
from entrypoints.http import openapi_docs as docs
from entrypoints.http.cursor import encode_cursor
from entrypoints.http.errors import validation_error
from entrypoints.http.inputs import _IDEMPOTENCY_KEY, MAX_BODY_BYTES, require_json
from entrypoints.http.list_parameters import list_query_of_values
from entrypoints.http.list_stream import every_todo
from entrypoints.http.preconditions import versions_matching
from entrypoints.http.schemas import (
    Health,
    TagCount,
    TagList,
    TodoCreate,
    TodoList,
    TodoOut,
    TodoUpdate,
    rfc3339,
)

router = APIRouter()


# ---------------------------------------------------------------- dependencies


async def todo_service(request: Request) -> TodoService:
    service: TodoService = request.app.state.container.todo_service()
    return service


async def current_user(
    request: Request,
    x_user_id: Annotated[list[str], Header()] = [],  # noqa: B006 (FastAPI copies defaults)
    authorization: Annotated[list[str], Header()] = [],  # noqa: B006
) -> UUID:
    identity: CallerIdentity = request.app.state.container.identity()
    return await identity.user_id(Credentials(tuple(x_user_id), tuple(authorization)))


async def path_todo_id(todo_id: str) -> UUID:
    # A str, parsed here: FastAPI's UUID type would answer 422 (the contract says 400) and
    # takes fewer spellings than the contract does.
    parsed = parse_uuid(todo_id)
    if parsed is None:
        raise validation_error(400, [FieldError("todo_id", "must be a UUID")])
    return parsed


async def json_body(request: Request) -> None:
    require_json(request)


async def idempotency_key(idempotency_key: Annotated[str | None, Header()] = None) -> str | None:
    if idempotency_key is not None and not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise validation_error(
            400, [FieldError("Idempotency-Key", "must be 1..255 printable ASCII characters")]
        )
    return idempotency_key


UserId = Annotated[UUID, Depends(current_user)]
Service = Annotated[TodoService, Depends(todo_service)]
TodoId = Annotated[UUID, Depends(path_todo_id)]
JsonBody = Depends(json_body)


# ---------------------------------------------------------------- response models


class TodoPublic(TodoOut):
    """TodoOut built from the domain's Todo; instants always UTC with microseconds."""

    model_config = ConfigDict(from_attributes=True)

    @field_serializer("created_at", "updated_at", "due_at", "completed_at")
    def _instant(self, moment: datetime | None) -> str | None:
        return None if moment is None else rfc3339(moment)

    @classmethod
    def of(cls, todo: Todo) -> TodoPublic:
        return cls(
            id=todo.id,
            title=todo.title,
            description=todo.description,
            is_completed=todo.is_completed,
            created_at=todo.created_at,
            updated_at=todo.updated_at,
            user_id=todo.user_id,
            priority=todo.priority,
            tags=list(todo.tags),
            due_at=todo.due_at,
            completed_at=todo.completed_at,
        )


class TodoPage(TodoList):
    items: list[TodoPublic]  # type: ignore[assignment]


def _etag(todo: Todo) -> str:
    return f'"{todo.version}"'


# ---------------------------------------------------------------- todos


@router.post(
    "/api/v1/todos",
    status_code=201,
    response_model=TodoPublic,
    max_body_size=MAX_BODY_BYTES,
    responses={**docs.COMMON, 409: docs.LIMIT, 413: docs.TOO_LARGE, 415: docs.MEDIA_TYPE},
)
async def create_todo(
    payload: Annotated[TodoCreate, Body()],
    response: Response,
    request: Request,
    user_id: UserId,
    service: Service,
    _json: Annotated[None, JsonBody],
    key: Annotated[str | None, Depends(idempotency_key)],
) -> Any:
    idempotency = IdempotencyKey(key, fingerprint(await request.json())) if key else None
    new = NewTodo(
        payload.title,
        payload.description,
        payload.is_completed,
        payload.priority,
        tuple(payload.tags),
        payload.due_at,
    )
    todo = await run_in_threadpool(service.create, user_id, new, idempotency)
    response.headers["ETag"] = _etag(todo)
    response.headers["Location"] = f"/api/v1/todos/{todo.id}"
    return TodoPublic.of(todo)


class ListParams(BaseModel):
    """The list's query parameters; an unknown one is a 422 (extra="forbid"). Strings, read
    by the contract's own parser, so that every 422 names every bad one with its messages."""

    model_config = ConfigDict(extra="forbid")

    is_completed: str | None = None
    limit: str | None = None
    cursor: str | None = None
    priority: str | None = None
    tags: str | None = None
    due_before: str | None = None
    due_after: str | None = None
    q: str | None = None
    sort: str | None = None


@router.get("/api/v1/todos", response_model=TodoPage, responses={**docs.COMMON})
async def list_todos(
    user_id: UserId, service: Service, params: Annotated[ListParams, Query()]
) -> Any:
    given = params.model_dump(exclude_none=True)
    query = list_query_of_values({name: [value] for name, value in given.items()})
    if query.limit is None:
        return await every_todo(service, user_id, query)
    listed = await run_in_threadpool(service.list, user_id, query)
    next_page = listed.next_page
    return TodoPage(
        items=[TodoPublic.of(todo) for todo in listed.items],
        count=listed.count,
        next_cursor=encode_cursor(next_page, query) if next_page else None,
    )


@router.get(
    "/api/v1/todos/{todo_id}",
    response_model=TodoPublic,
    responses={304: docs.NOT_MODIFIED, **docs.COMMON, 404: docs.NOT_FOUND},
)
async def get_todo(
    response: Response,
    user_id: UserId,
    todo_id: TodoId,
    service: Service,
    if_none_match: Annotated[list[str] | None, Header()] = None,
) -> Any:
    todo = await run_in_threadpool(service.get, user_id, todo_id)
    if if_none_match and _none_match_hits(", ".join(if_none_match), todo.version):
        return Response(status_code=304, headers={"ETag": _etag(todo)})
    response.headers["ETag"] = _etag(todo)
    return TodoPublic.of(todo)


def _none_match_hits(value: str, version: int) -> bool:
    from entrypoints.http.preconditions import _entity_tags, _versions

    if value.strip(" \t") == "*":
        return True
    tags = _entity_tags(value)
    return tags is not None and version in _versions(tags, weak_matches=True)


@router.patch(
    "/api/v1/todos/{todo_id}",
    response_model=TodoPublic,
    max_body_size=MAX_BODY_BYTES,
    responses={**docs.COMMON, 404: docs.NOT_FOUND, 412: docs.PRECONDITION},
)
async def update_todo(
    payload: Annotated[TodoUpdate, Body()],
    response: Response,
    user_id: UserId,
    todo_id: TodoId,
    service: Service,
    _json: Annotated[None, JsonBody],
    if_match: Annotated[list[str] | None, Header()] = None,
) -> Any:
    expected = versions_matching(", ".join(if_match) if if_match else None)
    changes = TodoChanges(**payload.model_dump(exclude_unset=True))
    todo = await run_in_threadpool(service.update, user_id, todo_id, changes, expected)
    response.headers["ETag"] = _etag(todo)
    return TodoPublic.of(todo)


@router.delete(
    "/api/v1/todos/{todo_id}",
    status_code=204,
    responses={**docs.COMMON, 404: docs.NOT_FOUND, 412: docs.PRECONDITION},
)
async def delete_todo(
    user_id: UserId,
    todo_id: TodoId,
    service: Service,
    if_match: Annotated[list[str] | None, Header()] = None,
) -> None:
    expected = versions_matching(", ".join(if_match) if if_match else None)
    await run_in_threadpool(service.delete, user_id, todo_id, expected)


# ---------------------------------------------------------------- tags, health


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@router.get("/api/v1/tags", response_model=TagList, responses={**docs.COMMON})
async def list_tags(
    user_id: UserId, service: Service, _params: Annotated[NoParams, Query()]
) -> Any:
    tags = await run_in_threadpool(service.tags, user_id)
    return TagList(items=[TagCount(tag=tag, count=count) for tag, count in tags])


@router.get("/health", response_model=Health)
async def health() -> Health:
    return Health(status="ok")
