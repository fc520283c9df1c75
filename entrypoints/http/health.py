"""Liveness (no database call) and readiness (the database answers)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from application.ports import TodoRepository
from entrypoints.http import openapi_docs as docs
from entrypoints.http.plain_route import PlainRoute
from entrypoints.http.schemas import Health

router = APIRouter(tags=["health"], route_class=PlainRoute)


@router.get("/health", response_model=Health, summary="The process is alive")
async def health(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get(
    "/health/ready",
    response_model=Health,
    summary="The database can be reached",
    responses={503: docs.UNAVAILABLE, 500: docs.SERVER},
)
async def ready(request: Request) -> JSONResponse:
    repository: TodoRepository = request.app.state.container.repository()
    await run_in_threadpool(repository.ping)  # raises RepositoryUnavailable: 503
    return JSONResponse({"status": "ok"})
