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

    # Identity (bearer mode when AUTH_JWKS_URL is set; otherwise the trusted X-User-ID header).
    auth_jwks_url: str | None = Field(
        default=None, description="JWKS of the token issuer; set: bearer mode."
    )
    auth_issuer: str | None = Field(default=None, description="Required iss of bearer tokens.")
    auth_audience: str | None = Field(
        default=None, description="Required aud of bearer tokens; unset: aud not checked."
    )

    @property
    def bearer_mode(self) -> bool:
        return bool(self.auth_jwks_url)

    @model_validator(mode="after")
    def _bearer_mode_needs_an_issuer(self) -> Self:
        if self.bearer_mode and not self.auth_issuer:
            raise ValueError("AUTH_ISSUER is required when AUTH_JWKS_URL is set (bearer mode)")
        return self
