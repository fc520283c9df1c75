"""uvicorn's httptools protocol with a bound on the request head (request line and header
fields). llhttp sets none, so without one a client could send megabytes of header fields (or
an endless one) and have them all buffered and passed to the app (h11 stopped a head arriving
in pieces at 16 KiB)."""

from __future__ import annotations

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 32 * 1024  # room for long bearer tokens; what proxies such as nginx allow


class _HeadTooLarge(Exception):
    """Raised from a parser callback: httptools stops parsing, uvicorn answers with its 400."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    _head_bytes = 0  # bytes received since the last head completed, while a head is arriving
    _reading_head = True
    _head_too_large = False

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._reading_head and self._head_bytes > MAX_HEAD_BYTES:
            # A head still incomplete past the bound: refused before more of it is buffered.
            self.send_400_response("")

    def on_headers_complete(self) -> None:
        # The exact size of a head that arrived whole (one read can hold more than the bound).
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > MAX_HEAD_BYTES:
            self._head_too_large = True
            raise _HeadTooLarge
        self._reading_head = False
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True

    def send_400_response(self, msg: str) -> None:
        if self.transport.is_closing():
            return
        if not (self._head_too_large or (self._reading_head and self._head_bytes > MAX_HEAD_BYTES)):
            super().send_400_response(msg)
            return
        # 431 (RFC 6585) in the API's error envelope; the connection is closed after it.
        body = json.dumps(
            {
                "detail": f"the request header fields are over {MAX_HEAD_BYTES // 1024} KiB",
                "error_code": "HEADERS_TOO_LARGE",
            },
            separators=(",", ":"),
        ).encode()
        head = (
            "HTTP/1.1 431 Request Header Fields Too Large\r\n"
            "content-type: application/json\r\n"
            f"content-length: {len(body)}\r\n"
            "connection: close\r\n\r\n"
        )
        self.transport.write(head.encode("ascii") + body)
        self.transport.close()
