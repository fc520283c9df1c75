"""Response compression: Starlette's GZipMiddleware, with the contract's rules.

- Bodies of at least 1 KiB are gzipped when Accept-Encoding allows gzip; smaller ones, and
  clients that do not ask, get identity. Every response carries `Vary: Accept-Encoding`
  (Starlette adds it only to bodies of 1 KiB or more), so that a cache keyed on the URL alone
  never serves a gzipped copy to a client that did not ask, whatever size the body had.
- "Allows gzip" reads the q-values: `gzip;q=0` refuses gzip, `*` admits it (Starlette alone
  looks for the substring "gzip").
- A streamed body's first chunks are held until 1 KiB has gathered or the body ends, so that a
  short streamed body is not gzipped (Starlette compresses any body sent in several chunks)."""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MINIMUM_SIZE = 1024
# zlib's level 6 gives a 1,000-todo list within 2% of level 9's size in about half the time
# (figures in docs/api.md, "Compression"); Starlette's default is 9.
COMPRESS_LEVEL = 6


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding value admits gzip (RFC 9110, 12.5.3)."""
    gzip_q: float | None = None
    star_q: float | None = None
    for element in accept_encoding.split(","):
        coding, *params = (part.strip() for part in element.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        coding = coding.lower()
        if coding in ("gzip", "x-gzip"):
            gzip_q = q if gzip_q is None else max(gzip_q, q)
        elif coding == "*":
            star_q = q
    if gzip_q is not None:
        return gzip_q > 0
    return star_q is not None and star_q > 0


class _HoldShortStart:
    """Passes a response through, except that the first body chunks of a streamed body are
    joined until they reach `size` bytes or the body ends."""

    def __init__(self, app: ASGIApp, size: int) -> None:
        self.app = app
        self.size = size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: list[bytes] = []
        held_size = 0
        holding = True

        async def send_held(message: Message) -> None:
            nonlocal held_size, holding
            if not holding or message["type"] != "http.response.body":
                await send(message)
                return
            body = message.get("body", b"")
            if message.get("more_body", False) and held_size + len(body) < self.size:
                held.append(body)
                held_size += len(body)
                return
            holding = False
            if held:
                message = {**message, "body": b"".join([*held, body])}
            await send(message)

        await self.app(scope, receive, send_held)


class Compression(GZipMiddleware):
    def __init__(self, app: ASGIApp) -> None:
        self.uncompressed = app
        super().__init__(
            _HoldShortStart(app, MINIMUM_SIZE),
            minimum_size=MINIMUM_SIZE,
            compresslevel=COMPRESS_LEVEL,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept_encoding = ""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept_encoding += value.decode("latin-1") + ","
        # A client that does not ask for gzip gets the body as the route wrote it, with Vary
        # added below, and none of Starlette's per-response work (which parses the headers and
        # normalises its content-type list on every response: 3% of the CPU per request).
        responder: ASGIApp = self.uncompressed
        if accepts_gzip(accept_encoding):
            responder = GZipResponder(
                self.app,
                self.minimum_size,
                compresslevel=self.compresslevel,
                thread_minimum_size=self.thread_minimum_size,
                exclude_content_types=self.exclude_content_types,
            )

        async def send_with_vary(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                varies = b",".join(value for name, value in headers if name.lower() == b"vary")
                if b"accept-encoding" not in varies.lower():
                    message["headers"] = [*headers, (b"vary", b"Accept-Encoding")]
            await send(message)

        await responder(scope, receive, send_with_vary)
