"""A TCP proxy that delays every byte by a fixed time in each direction: a local stand-in for
a database one network hop away (5 ms each way = a 10 ms round trip, as to a nearby Neon region).

Order is kept and throughput is not limited: each direction reads as data comes, stamps it
with its due time, and a writer sends it when due. The delay is a floor (the event loop wakes
on a millisecond grid, so up to ~1 ms more each way); bench/latency.py measures the real round
trip through it with `SELECT 1`.

    python bench/delay_proxy.py --listen-port 6543 --target-port 5432 --delay-ms 5

Prints "listening on HOST:PORT" once ready. Exits by itself after --max-seconds (a bound, so a
forgotten proxy cannot live forever) or on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys

CHUNK = 65536


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def deliver() -> None:
        while True:  # ends at the EOF marker (b""), queued when the reader ends
            due, data = await queue.get()
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        with contextlib.suppress(OSError):
            if writer.can_write_eof():
                writer.write_eof()

    delivering = asyncio.create_task(deliver())
    try:
        while True:  # ends at EOF or a reset; the connection's life bounds it
            try:
                data = await reader.read(CHUNK)
            except OSError:
                data = b""
            queue.put_nowait((loop.time() + delay, data))
            if not data:
                break
        await delivering
    except (OSError, asyncio.CancelledError):
        delivering.cancel()
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _serve(args: argparse.Namespace) -> None:
    delay = args.delay_ms / 1000

    async def handle(
        client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            server_reader, server_writer = await asyncio.wait_for(
                asyncio.open_connection(args.target_host, args.target_port), timeout=5
            )
        except (OSError, TimeoutError):
            client_writer.close()
            return
        await asyncio.gather(
            _pump(client_reader, server_writer, delay),
            _pump(server_reader, client_writer, delay),
            return_exceptions=True,
        )

    server = await asyncio.start_server(handle, args.listen_host, args.listen_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    host, port = server.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with server:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=args.max_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen-host", default="127.0.0.1")
    parser.add_argument("--listen-port", type=int, default=0, help="0: any free port")
    parser.add_argument("--target-host", default="127.0.0.1")
    parser.add_argument("--target-port", type=int, default=5432)
    parser.add_argument("--delay-ms", type=float, default=5.0, help="added each way")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    asyncio.run(_serve(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
