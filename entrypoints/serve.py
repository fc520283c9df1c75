"""`python -m entrypoints.serve`: the service on uvicorn, configured from the environment."""

import logging

import uvicorn

from application.ports import RepositoryUnavailable
from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app

logger = logging.getLogger("todo")


def main() -> None:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # The first log line names the identity mode: who the service believes a caller is.
    if settings.bearer_mode:
        logger.info(
            "identity: bearer tokens of %s, verified against the JWKS at %s%s",
            settings.auth_issuer,
            settings.auth_jwks_url,
            f" (audience {settings.auth_audience})" if settings.auth_audience else "",
        )
    else:
        logger.info(
            "identity: the trusted X-User-ID header (header mode; set AUTH_JWKS_URL and "
            "AUTH_ISSUER to verify bearer tokens)"
        )
    container = build_container(settings)
    # Start the embedded server if no URL is set, then migrate, before uvicorn starts: the
    # first log line says which database serves and where.
    try:
        container.repository().ping()
    except RepositoryUnavailable:
        logger.warning("the database does not answer; serving 503 until it does")
    uvicorn.run(
        create_app(settings, container),
        host=settings.host,
        port=settings.port,
        access_log=False,  # RequestContextMiddleware logs one line per request, with its id
        log_config=None,
    )


if __name__ == "__main__":
    main()
