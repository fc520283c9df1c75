"""What clients can make the service log, on `python -m entrypoints.serve` over raw sockets: a
client that hangs up mid-upload or mid-response is an info line (499), never a 500 or a stack
trace; a control character in a path (a decoded `%0a`) is escaped, never a forged line."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy.engine import URL

from tests.support.bulk_todos import seed_todos
from tests.support.live_server import ServiceProcess, raw_request, service_process

TODOS = "/api/v1/todos"
# Every line the service writes starts as serve.py formats it (tracebacks would not).
LINE_START = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} [A-Z]+ [\w.]+ ")


@pytest.fixture(scope="module")
def service(
    postgres_url: URL, postgres_owner_url: URL, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    log_path = tmp_path_factory.mktemp("service") / "service.log"
    with service_process(postgres_url, postgres_owner_url, log_path) as running:
        yield running


@pytest.fixture(scope="module")
def long_list_user(postgres_url: URL) -> str:
    user = str(uuid4())
    seed_todos(postgres_url.render_as_string(hide_password=False), user, 5000)  # about 12 MB
    return user


def _new_lines(service: ServiceProcess, seen: int, wait_for: str, times: int = 1) -> list[str]:
    """The log lines after the first `seen`, once `times` of them contain `wait_for` (and a
    moment more, for any line that would follow them)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if sum(wait_for in line for line in service.log_lines()[seen:]) >= times:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    return service.log_lines()[seen:]


def _access_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if " todo.access " in line]


def _assert_no_server_error(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert "Traceback" not in text
    assert " ERROR " not in text
    assert not any(re.search(r" 5\d\d [\d.]+ms", line) for line in _access_lines(lines))


def test_a_client_that_hangs_up_mid_upload_is_logged_as_a_disconnect(
    service: ServiceProcess,
) -> None:
    seen = len(service.log_lines())
    for _ in range(20):
        connection = raw_request(
            service.port,
            f"POST {TODOS} HTTP/1.1\r\nHost: test\r\nX-User-ID: {uuid4()}\r\n"
            "Content-Type: application/json\r\nContent-Length: 1000",
            b'{"title": "half a bo',
        )
        time.sleep(0.02)  # the service is reading the body when the client goes
        connection.close()

    lines = _new_lines(service, seen, "client disconnected", times=20)
    disconnects = [line for line in _access_lines(lines) if "client disconnected" in line]
    assert len(disconnects) == 20
    assert all(f" INFO todo.access POST {TODOS} 499 " in line for line in disconnects)
    _assert_no_server_error(lines)


def test_a_client_that_hangs_up_mid_response_is_logged_as_a_disconnect(
    service: ServiceProcess, long_list_user: str
) -> None:
    seen = len(service.log_lines())
    for _ in range(5):
        connection = raw_request(
            service.port, f"GET {TODOS} HTTP/1.1\r\nHost: test\r\nX-User-ID: {long_list_user}"
        )
        assert connection.recv(65536).startswith(b"HTTP/1.1 200 ")  # the list has begun
        connection.close()

    lines = _new_lines(service, seen, "client disconnected", times=5)
    disconnects = [line for line in _access_lines(lines) if "client disconnected" in line]
    assert len(disconnects) == 5
    assert all(f" INFO todo.access GET {TODOS} 499 " in line for line in disconnects)
    _assert_no_server_error(lines)


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (
            f"{TODOS}%0a2026-01-01%2000:00:00,000%20ERROR%20x%20forged",
            f"{TODOS}\\x0a2026-01-01 00:00:00,000 ERROR x forged",
        ),
        ("/x%0d%0aforged", "/x\\x0d\\x0aforged"),
        ("/x%1b[2Jforged", "/x\\x1b[2Jforged"),
        ("/x%e2%80%a8forged%c2%85", "/x\\u2028forged\\x85"),
        ("/x%5cx0aforged", "/x\\\\x0aforged"),  # a literal backslash cannot fake an escape
    ],
    ids=["newline", "crlf", "escape-sequence", "unicode-line-separators", "backslash"],
)
def test_control_characters_from_the_client_are_escaped_in_the_log(
    service: ServiceProcess, path: str, logged: str
) -> None:
    seen = len(service.log_lines())
    request_id = uuid4().hex
    connection = raw_request(
        service.port,
        f"GET {path} HTTP/1.1\r\nHost: test\r\nX-Request-ID: {request_id}\r\nConnection: close",
    )
    assert connection.recv(65536).startswith(b"HTTP/1.1 404 ")
    connection.close()

    lines = _new_lines(service, seen, request_id)
    assert all(LINE_START.match(line) for line in lines), lines
    [access] = [line for line in lines if request_id in line]
    assert f" GET {logged}" in access
    assert "forged" not in "".join(line for line in lines if request_id not in line)
