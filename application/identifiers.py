"""UUIDs as the contract accepts them: 32 hex digits, hyphenated 8-4-4-4-12 or not,
optionally in braces or after `urn:uuid:`. Stricter than uuid.UUID(), which ignores
hyphens anywhere and accepts unbalanced braces."""

import re
from uuid import UUID

_UUID = re.compile(
    r"(?:urn:uuid:)?(?P<plain>[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"|\{(?P<braced>[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}",
    re.IGNORECASE,
)


def parse_uuid(text: str) -> UUID | None:
    match = _UUID.fullmatch(text)
    if match is None:
        return None
    return UUID(match["plain"] or match["braced"])
