"""Configuration from the environment (and an optional .env file), checked once at start.

A setting that cannot work stops the service with one line per problem on standard error,
naming the variable, and exit status 2 (load_settings): never a traceback."""

from __future__ import annotations

import logging
import re
import sys
from typing import Self

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from entrypoints.connection_budget import DEFAULT_MAX_CONNECTIONS, WorkerPools, worker_pools

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
CONFIGURATION_ERROR = 2  # exit status, as for a command-line usage error

# What a browser sends as Origin: scheme://host[:port], no path, no trailing slash.
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s?#@]+")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neon_database_url: str | None = Field(
        default=None, description="PostgreSQL URL to serve with; unset: the embedded database."
    )
    migration_database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL of the schema owner, which migrates; unset: "
        "NEON_DATABASE_URL migrates too.",
    )
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="HTTP port.")
    log_level: str = Field(default="INFO", description="Python logging level name.")

    # Identity (bearer mode when AUTH_JWKS_URL is set; otherwise the trusted X-User-ID header).
    auth_jwks_url: str | None = Field(
        default=None, description="JWKS of the token issuer; set: bearer mode."
    )
    auth_issuer: str | None = Field(default=None, description="Required iss of bearer tokens.")
    auth_audience: str | None = Field(
        default=None, description="Required aud of bearer tokens; unset: aud not checked."
    )

    # The MCP server on stdio (python -m entrypoints.mcp) acts for one user: the one this
    # X-User-ID value names (header mode) or this bearer token's subject (bearer mode).
    todo_user_id: str | None = Field(
        default=None, description="MCP over stdio, header mode: the user to act for."
    )
    todo_token: str | None = Field(
        default=None, description="MCP over stdio, bearer mode: a token of the user to act for."
    )

    @property
    def bearer_mode(self) -> bool:
        return bool(self.auth_jwks_url)

    @model_validator(mode="after")
    def _bearer_mode_needs_an_issuer(self) -> Self:
        if self.bearer_mode and not self.auth_issuer:
            raise ValueError("AUTH_ISSUER is required when AUTH_JWKS_URL is set (bearer mode)")
        return self

    @field_validator("neon_database_url", "migration_database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise ValueError(
                "is not a URL; expected postgresql://user:password@host/database"
            ) from None
        if url.get_backend_name() not in ("postgres", "postgresql"):
            raise ValueError(
                f"is a {url.get_backend_name()} URL; expected postgres:// or postgresql://"
            )
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return value.upper()

    cors_allow_origins: str | None = Field(
        default=None,
        description="Origins browsers may call from, comma-separated, or *; unset: no CORS.",
    )

    @field_validator("cors_allow_origins")
    @classmethod
    def _origins_are_origins(cls, value: str | None) -> str | None:
        for origin in _split_origins(value):
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise ValueError(f"{origin!r} is not an origin like https://app.example.com")
        return value

    @property
    def cors_origins(self) -> list[str]:
        """The allowed origins; empty: CORS is off."""
        return _split_origins(self.cors_allow_origins)

    max_todos_per_user: int = Field(
        default=100_000, ge=1, le=2**31 - 1, description="Todos one user may hold."
    )
    database_statement_timeout_seconds: float = Field(
        default=2.0, gt=0, description="Server side: statement_timeout of every statement."
    )
    database_lock_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Server side: lock_timeout of every statement."
    )
    database_client_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        description="Client side: a statement the server has not answered by then is cut, "
        "its connection discarded (a paused or unreachable server). More than the statement "
        "timeout, so a live server answers first.",
    )
    database_connect_timeout_seconds: int = Field(
        default=3, ge=2, description="Opening a connection (libpq: whole seconds, at least 2)."
    )

    workers: int = Field(
        default=1, ge=1, description="Worker processes serving HTTP, each with its own pools."
    )
    database_max_connections: int = Field(
        default=DEFAULT_MAX_CONNECTIONS,
        ge=1,
        description="Connections the whole service may hold open to the database, all workers "
        "together; each worker gets an even share (connection_budget.py).",
    )

    @property
    def worker_pools(self) -> WorkerPools:
        """What each worker may hold open: its share of DATABASE_MAX_CONNECTIONS."""
        return worker_pools(self.database_max_connections, self.workers)

    @model_validator(mode="after")
    def _budget_serves_every_worker(self) -> Self:
        worker_pools(self.database_max_connections, self.workers)  # ValueError: too small
        return self

    @model_validator(mode="after")
    def _deadlines_nest(self) -> Self:
        if not (
            self.database_lock_timeout_seconds
            <= self.database_statement_timeout_seconds
            < self.database_client_timeout_seconds
        ):
            raise ValueError(
                "DATABASE_LOCK_TIMEOUT_SECONDS <= DATABASE_STATEMENT_TIMEOUT_SECONDS < "
                "DATABASE_CLIENT_TIMEOUT_SECONDS must hold"
            )
        return self


def _split_origins(value: str | None) -> list[str]:
    return [origin.strip().lower() for origin in (value or "").split(",") if origin.strip()]


_FRIENDLY = {
    "int_parsing": "must be a whole number",
    "greater_than_equal": "must be at least {ge}",
    "greater_than": "must be more than {gt}",
    "less_than_equal": "must be at most {le}",
}


def problems(error: ValidationError) -> list[str]:
    """One line per bad setting: the variable's name, what is wrong, what was given (never
    for a URL, which may hold a password)."""
    lines = []
    for item in error.errors(include_url=False):
        name = "_".join(str(part) for part in item["loc"]).upper()
        friendly = _FRIENDLY.get(item["type"])
        message = (
            friendly.format(**item.get("ctx", {}))
            if friendly
            else item["msg"].removeprefix("Value error, ")
        )
        if name == "PORT":
            message = "must be a whole number from 1 to 65535"
        if name and not name.endswith("_URL") and isinstance(item["input"], str):
            message += f" (got {item['input']!r})"
        lines.append(f"{name}: {message}" if name else message)
    return lines


def load_settings() -> Settings:
    """The settings, or exit 2 with one line per problem on standard error."""
    try:
        return Settings()
    except ValidationError as error:
        for line in problems(error):
            print(f"configuration error: {line}", file=sys.stderr)
        raise SystemExit(CONFIGURATION_ERROR) from None


def configure_logging(settings: Settings) -> None:
    # With several worker processes, each line says which process wrote it.
    process = " [%(process)d]" if settings.workers > 1 else ""
    logging.basicConfig(
        level=settings.log_level,
        format=f"%(asctime)s %(levelname)s %(name)s{process} %(message)s",
    )
