"""Liveness (no database call) and readiness (the database answers)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from application.ports import TodoRepository
from entrypoints.http import openapi_docs as docs
from entrypoints.http.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="The process is alive")
async def health() -> Health:
    return Health(status="ok")


async def _repository(request: Request) -> TodoRepository:
    repository: TodoRepository = request.app.state.container.repository()
    return repository


@router.get(
    "/health/ready",
    response_model=Health,
    summary="The database can be reached",
    responses={503: docs.UNAVAILABLE, 500: docs.SERVER},
)
def ready(repository: Annotated[TodoRepository, Depends(_repository)]) -> Health:
    repository.ping()  # raises RepositoryUnavailable: 503
    return Health(status="ok")
