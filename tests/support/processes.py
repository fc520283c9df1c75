"""Waiting for a process to end, as another process sees it."""

import time
from pathlib import Path


def gone_within(pid: int, seconds: float = 10) -> bool:
    """Whether process `pid` ends (or is left a zombie) within `seconds`. `pg_ctl stop`
    returns once the server has removed its pid file, a moment before the process is gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False
