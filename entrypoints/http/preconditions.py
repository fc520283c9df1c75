"""If-Match and If-None-Match, read as RFC 9110 lists of entity tags.

Our ETags are a todo's version in quotes (`"3"`). If-Match uses the strong comparison (a weak
`W/"3"` never matches); If-None-Match the weak one (`W/"3"` matches `"3"`). A header line
that is not a list of entity tags matches nothing."""

from __future__ import annotations

import re

from starlette.requests import Request

# One list element: an optional W/ and a quoted opaque tag (etagc: any visible character but
# the double quote, or obs-text); elements are separated by commas with optional whitespace.
_ENTITY_TAG = re.compile(r'[ \t]*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*')
_VERSION = re.compile(r"[1-9][0-9]{0,17}")


def _entity_tags(value: str) -> list[tuple[bool, str]] | None:
    """(weak, opaque tag) for each element of the list, or None if it is not such a list.
    Empty elements (`"1", , "2"`) are allowed, as RFC 9110's list syntax says."""
    tags: list[tuple[bool, str]] = []
    for element in value.split(","):
        if not element.strip(" \t"):
            continue
        match = _ENTITY_TAG.fullmatch(element)
        if match is None:
            return None
        tags.append((match[1] is not None, match[2]))
    return tags


def _header(request: Request, name: str) -> str | None:
    # Several header lines of a list header mean one list (RFC 9110, 5.3).
    lines = request.headers.getlist(name)
    return ", ".join(lines) if lines else None


def _versions(tags: list[tuple[bool, str]], *, weak_matches: bool) -> frozenset[int]:
    return frozenset(
        int(opaque)
        for weak, opaque in tags
        if (weak_matches or not weak) and _VERSION.fullmatch(opaque)
    )


def if_match_versions(request: Request) -> frozenset[int] | None:
    """The versions If-Match accepts; None when any existing todo will do (no header, `*`).
    An empty set (a malformed header, only weak tags, tags not ours) matches nothing."""
    return versions_matching(_header(request, "if-match"))


def versions_matching(value: str | None) -> frozenset[int] | None:
    """The versions an If-Match value (a list of entity tags, or `*`) accepts: as above.
    Also what an MCP tool's expected_etag means."""
    if value is None or value.strip(" \t") == "*":
        return None
    tags = _entity_tags(value)
    return _versions(tags, weak_matches=False) if tags else frozenset()


def if_none_match_hits(request: Request, version: int) -> bool:
    """Whether If-None-Match names this version (weak comparison) or is `*`: the client's
    copy is current, so a GET or HEAD answers 304."""
    value = _header(request, "if-none-match")
    if value is None:
        return False
    if value.strip(" \t") == "*":
        return True
    tags = _entity_tags(value)
    return tags is not None and version in _versions(tags, weak_matches=True)
