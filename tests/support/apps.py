"""Apps for the tests, on either adapter, built through the real container."""

from dependency_injector import providers
from fastapi import FastAPI
from sqlalchemy import Engine

from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app


def memory_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    return create_app(settings, build_container(settings, storage="memory"))


def postgres_app(engine: Engine, settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    container = build_container(settings, storage="postgres")
    container.engine.override(providers.Object(engine))
    container.probe_engine.override(providers.Object(engine))
    container.prepare_schema.override(providers.Object(None))  # the session migrated it
    return create_app(settings, container)
