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
