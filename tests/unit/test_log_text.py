"""Client text in a log line: nothing that could end, forge or restyle the line survives."""

import pytest

from entrypoints.http.log_text import loggable


@pytest.mark.parametrize(
    ("raw", "logged"),
    [
        ("/api/v1/todos", "/api/v1/todos"),
        ("/a\nb", "/a\\x0ab"),
        ("/a\r\nb", "/a\\x0d\\x0ab"),
        ("/\x00\x1b\x7f", "/\\x00\\x1b\\x7f"),
        ("/\x85\u2028\u2029", "/\\x85\\u2028\\u2029"),
        ("/\\x0a", "/\\\\x0a"),
        ("/caf\u00e9/\u4e2d", "/caf\u00e9/\u4e2d"),
    ],
)
def test_control_characters_and_backslashes_are_escaped(raw: str, logged: str) -> None:
    assert loggable(raw) == logged


def test_no_character_that_splits_a_line_survives() -> None:
    every = "".join(chr(code) for code in range(0x3000))
    assert len(loggable(every).splitlines()) == 1
