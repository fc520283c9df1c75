"""HTTP/1.1 responses read off a raw socket one at a time (status, headers, body by
Content-Length or chunked), so a test can send requests back to back on one connection and
check each answer in order."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        assert len(values) <= 1, self.headers
        return values[0] if values else None

    def json(self) -> dict[str, object]:
        body: dict[str, object] = json.loads(self.body)
        return body


class Wire:
    """One connection: what the server sent and the test has not read yet stays buffered."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.connection.recv(1 << 16)
        self.buffer += data
        return bool(data)

    def _take_line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionError(f"closed mid-line: {self.buffer[:200]!r}")
        line, _, self.buffer = self.buffer.partition(b"\r\n")
        return line

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise ConnectionError("closed mid-body")
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def response(self, *, to_head: bool = False) -> Response:
        """The next response; `to_head`: it answers a HEAD, so it has no body whatever its
        Content-Length says."""
        status = int(self._take_line().split(b" ", 2)[1])
        headers = []
        while line := self._take_line():
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name, value.strip()))
        response = Response(status, headers, b"")
        if to_head or status in (204, 304):
            return response
        if (response.header("transfer-encoding") or "").lower() == "chunked":
            chunks = []
            while size := int(self._take_line().split(b";")[0], 16):
                chunks.append(self._take(size))
                self._take_line()
            self._take_line()
            response.body = b"".join(chunks)
        else:
            response.body = self._take(int(response.header("content-length") or 0))
        return response

    def closed_by_server(self) -> bool:
        """Whether the server has closed the connection (after all it sent was read)."""
        try:
            return not self.buffer and not self._fill()
        except ConnectionResetError:
            return True
