"""Configuration from the environment (and an optional .env file)."""

from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neon_database_url: str | None = Field(
        default=None, description="PostgreSQL URL; unset: the embedded default database."
    )
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="HTTP port.")
    log_level: str = Field(default="INFO", description="Python logging level name.")
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
