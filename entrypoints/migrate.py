"""`python -m entrypoints.migrate` (`make migrate`): bring the schema of MIGRATION_DATABASE_URL
(else NEON_DATABASE_URL, else the embedded database) to the newest migration, granting the
serving role its access, then exit. The service also does this when it starts."""

import logging
import sys

from adapters.postgres.embedded import EmbeddedDatabaseBusy
from application.ports import RepositoryUnavailable
from entrypoints.config import configure_logging, load_settings
from entrypoints.http.app import build_container

logger = logging.getLogger("todo")


def main() -> None:
    settings = load_settings()
    configure_logging(settings)
    container = build_container(settings)
    try:
        logger.info("storage: %s", container.database().where)
        container.prepare_schema()()
    except (EmbeddedDatabaseBusy, RepositoryUnavailable) as error:
        print(f"cannot migrate: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        container.shutdown_resources()


if __name__ == "__main__":
    main()
