"""`python -m entrypoints.serve`: the service on uvicorn, configured from the environment."""

import logging

import uvicorn

from entrypoints.config import Settings
from entrypoints.http.app import create_app


def main() -> None:
    settings = Settings()
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    logging.getLogger("todo").info(
        "storage: in-memory adapter (todos are lost when the process stops)"
    )
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=False,  # RequestContextMiddleware logs one line per request, with its id
        log_config=None,
    )


if __name__ == "__main__":
    main()
