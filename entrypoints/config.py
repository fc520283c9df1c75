"""Configuration from the environment (and an optional .env file)."""

import re

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# What a browser sends as Origin: scheme://host[:port], no path, no trailing slash.
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s?#@]+")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    neon_database_url: str | None = Field(
        default=None, description="PostgreSQL URL; unset: the embedded default database."
    )
    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8000, ge=1, le=65535, description="HTTP port.")
    log_level: str = Field(default="INFO", description="Python logging level name.")
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


def _split_origins(value: str | None) -> list[str]:
    return [origin.strip().lower() for origin in (value or "").split(",") if origin.strip()]
