"""Bytes of a 1,000-todo list with and without gzip, and what each zlib level costs:
`.venv/bin/python -m bench.list_compression` (in-memory adapter, a few seconds). The figures
chose GZip's level (entrypoints/http/compression.py) and are quoted in docs/api.md."""

import time
import zlib
from uuid import uuid4

from fastapi.testclient import TestClient

from entrypoints.config import Settings
from entrypoints.http.app import build_container, create_app

TODOS = 1000
ROUNDS = 100


def main() -> None:
    app = create_app(Settings(), build_container(Settings(), storage="memory"))
    user = {"X-User-ID": str(uuid4())}
    with TestClient(app) as client:
        for n in range(TODOS):
            description = "2 litres of milk, a dozen eggs" if n % 2 else None
            todo = {"title": f"todo number {n}: buy milk and eggs", "description": description}
            client.post("/api/v1/todos", json=todo, headers=user)
        plain = client.get("/api/v1/todos", headers={**user, "Accept-Encoding": "identity"})
        with client.stream(
            "GET", "/api/v1/todos", headers={**user, "Accept-Encoding": "gzip"}
        ) as r:
            sent = b"".join(r.iter_raw())
            encoding = r.headers.get("content-encoding")
    body = plain.content
    print(f"{TODOS:,}-todo list: {len(body):,} bytes identity, {len(sent):,} bytes {encoding}")
    for level in (1, 6, 9):
        started = time.perf_counter()
        for _ in range(ROUNDS):
            compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
            size = len(compressor.compress(body) + compressor.flush())
        ms = (time.perf_counter() - started) * 1000 / ROUNDS
        print(f"  zlib level {level}: {size:,} bytes ({size / len(body):.1%}), {ms:.2f} ms")


if __name__ == "__main__":
    main()
