"""Progress lines, stamped with the seconds since the benchmark started."""

import time

STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", flush=True)
