"""The five todo routes. Each reads its input in the contract's order of precedence (see
inputs.py), makes one use-case call on the thread pool (the repository blocks on the
database), and shapes the answer; errors become the envelope in errors.py."""

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from application.fingerprint import fingerprint
from application.ports import IdempotencyKey
from application.todo_service import NewTodo, TodoService
from domain.todo import Todo, TodoChanges
from entrypoints.http import openapi_docs as docs
from entrypoints.http.inputs import (
    idempotency_key_of,
    list_query_of,
    parse_body,
    read_body,
    require_json,
    todo_id_of,
    user_id_of,
)
from entrypoints.http.json_response import JsonResponse
from entrypoints.http.list_stream import every_todo
from entrypoints.http.plain_route import PlainRoute
from entrypoints.http.preconditions import if_match_versions, if_none_match_hits
from entrypoints.http.schemas import (
    TodoCreate,
    TodoList,
    TodoOut,
    TodoUpdate,
    list_json,
    todo_json,
)

router = APIRouter(prefix="/api/v1/todos", tags=["todos"], route_class=PlainRoute)

Result = TypeVar("Result")


def _service(request: Request) -> TodoService:
    # The container of the app serving this request. Not dependency-injector's module wiring:
    # that patches this module globally, so a second app would take over the first one's routes.
    service: TodoService = request.app.state.container.todo_service()
    return service


async def _call(function: Callable[..., Result], *args: object) -> Result:
    # anyio's thread pool (as large as the worker's request pool, app.py). asyncio's
    # run_in_executor took less CPU per hop (27 against 52-69 us under load) but added 2 to 4
    # ms to every endpoint's p50 at one connection with the database 10 ms away (bench
    # --latency, 2026-11-25: get 15.5 against 12.9 ms), so the hop stays Starlette's.
    return await run_in_threadpool(function, *args)


def _etag(todo: Todo) -> str:
    return f'"{todo.version}"'


def _todo_response(todo: Todo, status_code: int = 200, **headers: str) -> JsonResponse:
    return JsonResponse(todo_json(todo), status_code, headers={"ETag": _etag(todo), **headers})


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 302 vs 537
# 2xx/s at 16 connections (-44%), 264 vs 624 at 64 (-58%), CPU 1.45 vs 1.00 ms/req; make bench
# BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.post(
    "",
    status_code=201,
    response_model=TodoOut,
    summary="Create a todo",
    responses={
        201: docs.with_etag("Location"),
        **docs.COMMON,
        409: docs.LIMIT,
        413: docs.TOO_LARGE,
        415: docs.MEDIA_TYPE,
        422: docs.INVALID,
    },
    openapi_extra=docs.operation(docs.USER, docs.IDEMPOTENCY_KEY, body=TodoCreate),
)
async def create_todo(request: Request) -> Response:
    raw_body = await read_body(request)
    user_id = await user_id_of(request)
    require_json(request)
    key = idempotency_key_of(request)
    payload, value = parse_body(raw_body, TodoCreate)
    idempotency = IdempotencyKey(key, fingerprint(value)) if key else None
    new = NewTodo(
        payload.title,
        payload.description,
        payload.is_completed,
        payload.priority,
        tuple(payload.tags),
        payload.due_at,
    )
    todo = await _call(_service(request).create, user_id, new, idempotency)
    return _todo_response(todo, 201, Location=f"/api/v1/todos/{todo.id}")


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 297 vs 263
# 2xx/s at 16 connections (+13%), 315 vs 337 at 64 (-7%), CPU 2.97 vs 3.00 ms/req; the closest and
# the noisiest: two earlier runs gave -17% and -35% at 16, -5% and -23% at 64, CPU +23% and +41%; in
# process, memory storage, +0.4 to 0.7 ms/req (fifty TodoOut models validated and serialised); make
# bench BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.get(
    "",
    response_model=TodoList,
    summary="List the user's todos: filter, sort (newest first by default), page",
    responses={**docs.COMMON, 422: docs.INVALID},
    openapi_extra=docs.operation(docs.USER, *docs.LIST_QUERY),
)
async def list_todos(request: Request) -> Response:
    user_id = await user_id_of(request)
    query = list_query_of(request)
    if query.limit is None:
        # Streamed if long.
        return await every_todo(_service(request), user_id, query)
    listed = await _call(_service(request).list, user_id, query)
    return JsonResponse(list_json(listed, query))


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 780 vs
# 1,347 2xx/s at 16 connections (-42%), 607 vs 1,122 at 64 (-46%), CPU 1.09 vs 0.71 ms/req; make
# bench BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.get(
    "/{todo_id}",
    response_model=TodoOut,
    summary="Get one todo",
    responses={200: docs.with_etag(), 304: docs.NOT_MODIFIED, **docs.COMMON, 404: docs.NOT_FOUND},
    openapi_extra=docs.operation(docs.TODO_ID, docs.USER, docs.IF_NONE_MATCH),
)
async def get_todo(request: Request) -> Response:
    user_id = await user_id_of(request)
    todo_id = todo_id_of(request)
    todo = await _call(_service(request).get, user_id, todo_id)
    if if_none_match_hits(request, todo.version):
        return Response(status_code=304, headers={"ETag": _etag(todo)})
    return _todo_response(todo)


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 456 vs 646
# 2xx/s at 16 connections (-29%), 393 vs 677 at 64 (-42%), CPU 1.45 vs 0.93 ms/req; make bench
# BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.patch(
    "/{todo_id}",
    response_model=TodoOut,
    summary="Change any subset of title, description, is_completed, priority, tags, due_at",
    responses={
        200: docs.with_etag(),
        **docs.COMMON,
        404: docs.NOT_FOUND,
        412: docs.PRECONDITION,
        413: docs.TOO_LARGE,
        415: docs.MEDIA_TYPE,
        422: docs.INVALID,
    },
    openapi_extra=docs.operation(docs.TODO_ID, docs.USER, docs.IF_MATCH, body=TodoUpdate),
)
async def update_todo(request: Request) -> Response:
    raw_body = await read_body(request)
    user_id = await user_id_of(request)
    todo_id = todo_id_of(request)
    require_json(request)
    payload, _ = parse_body(raw_body, TodoUpdate)
    expected_versions = if_match_versions(request)
    changes = TodoChanges(**{name: getattr(payload, name) for name in payload.model_fields_set})
    service = _service(request)
    todo = await _call(service.update, user_id, todo_id, changes, expected_versions)
    return _todo_response(todo)


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 898 vs
# 1,051 2xx/s at 16 connections (-15%), 803 vs 995 at 64 (-19%), CPU 0.91 vs 0.59 ms/req; make bench
# BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.delete(
    "/{todo_id}",
    status_code=204,
    summary="Delete a todo",
    responses={**docs.COMMON, 404: docs.NOT_FOUND, 412: docs.PRECONDITION},
    openapi_extra=docs.operation(docs.TODO_ID, docs.USER, docs.IF_MATCH),
)
async def delete_todo(request: Request) -> Response:
    user_id = await user_id_of(request)
    todo_id = todo_id_of(request)
    expected_versions = if_match_versions(request)
    await _call(_service(request).delete, user_id, todo_id, expected_versions)
    return Response(status_code=204)
