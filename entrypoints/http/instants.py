"""RFC 3339 date-times as clients send them (due_at, due_before, due_after)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# A full date-time with a Z or numeric offset. Fractions beyond microseconds are cut off: the
# service keeps microseconds, as it does for created_at.
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))"
)


def parse_rfc3339(text: str) -> datetime | None:
    """The instant `text` names, keeping its offset; None if it is not an RFC 3339 date-time
    with an offset (or names no real date, such as February 30 or the year 0)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.group(1, 2, 3, 4, 5, 6))
    micros = int((match[7] or "0")[:6].ljust(6, "0"))
    if match[8]:
        offset = timedelta(0)
    else:
        hours, minutes = int(match[10]), int(match[11])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if match[9] == "-" else 1)
    try:
        return datetime(year, month, day, hour, minute, second, micros, timezone(offset))
    except ValueError:
        return None
