"""Liveness (no database call) and readiness (the database answers)."""

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Request

from application.ports import TodoRepository
from entrypoints.http import openapi_docs as docs
from entrypoints.http.json_response import JsonResponse
from entrypoints.http.plain_route import PlainRoute
from entrypoints.http.schemas import Health

READINESS_THREADS = 4

router = APIRouter(tags=["health"], route_class=PlainRoute)


# Kept on PlainRoute: FastAPI's declarative route (bench/declarative_routes.py) answered 4,016 vs
# 4,563 2xx/s at 16 connections (-12%), 3,472 vs 4,532 at 64 (-23%), CPU 0.21 vs 0.17 ms/req; make
# bench BENCH_ARGS=--idioms, 2026-11-25 (back to the idiom only within 5% at both).
@router.get("/health", response_model=Health, summary="The process is alive")
async def health(request: Request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@router.get(
    "/health/ready",
    response_model=Health,
    summary="The database can be reached",
    responses={503: docs.UNAVAILABLE, 500: docs.SERVER},
)
async def ready(request: Request) -> JsonResponse:
    repository: TodoRepository = request.app.state.container.repository()
    # Threads of its own: when the database hangs, every thread of the shared pool may be
    # waiting on it, and readiness must still say 503 within 3 seconds.
    limiter = getattr(request.app.state, "readiness_threads", None)
    if limiter is None:
        limiter = request.app.state.readiness_threads = CapacityLimiter(READINESS_THREADS)
    await to_thread.run_sync(repository.ping, limiter=limiter)  # RepositoryUnavailable: 503
    return JsonResponse({"status": "ok"})
