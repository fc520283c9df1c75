"""`python -m entrypoints.migrate` (`make migrate`): bring NEON_DATABASE_URL's schema (or the
embedded database's) to the newest migration, then exit. The service also does this on start."""

import logging

from entrypoints.config import Settings
from entrypoints.http.app import build_container


def main() -> None:
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s %(message)s")
    container = build_container(Settings())
    try:
        container.prepare_schema()()
    finally:
        container.shutdown_resources()


if __name__ == "__main__":
    main()
