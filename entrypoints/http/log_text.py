"""Client-supplied text made safe for a log line."""

import re

# C0 and C1 control characters (CR, LF, ESC...), DEL, the Unicode line and paragraph
# separators, and the backslash itself, so that an escape in the log is always one we wrote:
# a path holding the four characters `\x0a` logs as `\\x0a`, a decoded `%0a` as `\x0a`.
_UNSAFE = re.compile("[\\x00-\\x1f\\x7f-\\x9f\\\\\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    if character == "\\":
        return "\\\\"
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def loggable(value: str) -> str:
    """`value` with every character that could end, forge or restyle a log line escaped."""
    return _UNSAFE.sub(_escape, value)
