"""A TCP proxy that delays every byte by a fixed time in each direction: a local stand-in for
a database one network hop away (5 ms each way = a 10 ms round trip, as to a nearby Neon region).

Order is kept and throughput is not limited: in each direction one thread reads as data
comes and stamps it with its due time, and another sends it when due. Threads sleep on the
kernel's timer, less how late a sleep of that length was seen to wake at start (about 0.1 ms on
the bench VM), where an asyncio loop wakes on a millisecond grid and added up to ~1 ms each
way. bench/latency.py measures the real round trip through it with `SELECT 1`.

    python bench/delay_proxy.py --listen-port 6543 --target-port 5432 --delay-ms 5

Prints "listening on HOST:PORT" once ready. Exits by itself after --max-seconds (a bound, so a
forgotten proxy cannot live forever) or on SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import contextlib
import queue
import signal
import socket
import sys
import threading
import time

CHUNK = 65536
ACCEPT_TICK_S = 0.2  # how often the accepting loop looks at the clock and the stop flag
CALIBRATION_SLEEPS = 21


def _read(source: socket.socket, due: queue.SimpleQueue[tuple[float, bytes]], delay: float) -> None:
    while True:  # ends at EOF or a reset, after queueing the EOF marker (b"")
        try:
            data = source.recv(CHUNK)
        except OSError:
            data = b""
        due.put((time.monotonic() + delay, data))
        if not data:
            return


def _oversleep(delay: float) -> float:
    """How late time.sleep(delay) wakes here, at the median of a few tries: subtracted from
    each wait, so that data is sent when due rather than that much after."""
    late = []
    for _ in range(CALIBRATION_SLEEPS):
        started = time.monotonic()
        time.sleep(delay)
        late.append(time.monotonic() - started - delay)
    return max(0.0, sorted(late)[len(late) // 2])


def _deliver(
    target: socket.socket, due: queue.SimpleQueue[tuple[float, bytes]], oversleep: float
) -> None:
    while True:
        when, data = due.get()
        wait = when - time.monotonic() - oversleep
        if wait > 0:
            time.sleep(wait)
        if not data:
            with contextlib.suppress(OSError):
                target.shutdown(socket.SHUT_WR)
            return
        try:
            target.sendall(data)
        except OSError:
            return


def _relay(client: socket.socket, target: tuple[str, int], delay: float, oversleep: float) -> None:
    """Both directions of one connection, each delayed; both sockets closed at the end."""
    try:
        server = socket.create_connection(target, timeout=5)
    except OSError:
        client.close()
        return
    server.settimeout(None)
    threads = []
    for source, sink in ((client, server), (server, client)):
        source.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        due: queue.SimpleQueue[tuple[float, bytes]] = queue.SimpleQueue()
        threads += [
            threading.Thread(target=_read, args=(source, due, delay), daemon=True),
            threading.Thread(target=_deliver, args=(sink, due, oversleep), daemon=True),
        ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    client.close()
    server.close()


def _serve(args: argparse.Namespace) -> None:
    delay = args.delay_ms / 1000
    oversleep = _oversleep(delay)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    listener = socket.create_server((args.listen_host, args.listen_port))
    listener.settimeout(ACCEPT_TICK_S)
    host, port = listener.getsockname()[:2]
    print(f"listening on {host}:{port} (sleeps wake {oversleep * 1e6:.0f} us late)", flush=True)
    ends = time.monotonic() + args.max_seconds
    target = (args.target_host, args.target_port)
    with listener:
        while not stop.is_set() and time.monotonic() < ends:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            relay = threading.Thread(
                target=_relay, args=(client, target, delay, oversleep), daemon=True
            )
            relay.start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen-host", default="127.0.0.1")
    parser.add_argument("--listen-port", type=int, default=0, help="0: any free port")
    parser.add_argument("--target-host", default="127.0.0.1")
    parser.add_argument("--target-port", type=int, default=5432)
    parser.add_argument("--delay-ms", type=float, default=5.0, help="added each way")
    parser.add_argument("--max-seconds", type=float, default=3600.0)
    args = parser.parse_args()
    _serve(args)
    sys.exit(0)


if __name__ == "__main__":
    main()
