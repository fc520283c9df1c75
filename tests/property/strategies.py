"""Input strategies: text from the whole of Unicode, lengths at the contract's boundaries,
titles padded with Unicode whitespace (and with U+001C..U+001F, which only look like it),
NUL characters, request bodies, idempotency keys and If-Match headers."""

from __future__ import annotations

from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.property.model import (
    DESCRIPTION_MAX,
    NOT_WHITESPACE,
    TITLE_MAX,
    WHITESPACE,
    Json,
    etag,
)
from tests.property.organizing_strategies import ORGANIZING_FIELDS

# Every code point but NUL and the surrogates (which are not text and cannot be sent as UTF-8).
ANY_CHAR = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")
T = TypeVar("T")
MULTIBYTE = ("é", "🙂", "中")  # 2, 4 and 3 bytes in UTF-8: lengths count code points
PADDING = st.text(st.sampled_from(WHITESPACE + NOT_WHITESPACE), max_size=3)


def mostly(
    ordinary: SearchStrategy[T], edges: SearchStrategy[T], percent: int
) -> SearchStrategy[T]:
    """`edges` in about `percent`% of draws, else `ordinary` (which shrinking prefers).
    (`one_of` takes no weights, and in practice it drew the edge branches far too often.)"""
    return st.integers(0, 99).flatmap(lambda roll: edges if roll >= 100 - percent else ordinary)


def exact_length(length: int) -> SearchStrategy[str]:
    """Text of exactly `length` code points, often ending in a multi-byte character."""
    if length == 0:
        return st.just("")
    seeds = st.one_of(st.sampled_from(("a", *MULTIBYTE)), st.text(ANY_CHAR, min_size=1, max_size=4))
    last = st.one_of(st.sampled_from(MULTIBYTE), ANY_CHAR)
    return st.tuples(seeds, last).map(lambda p: (p[0] * length)[: length - 1] + p[1])


def at_boundaries(maximum: int) -> SearchStrategy[str]:
    return st.sampled_from((0, 1, maximum - 1, maximum, maximum + 1)).flatmap(exact_length)


def with_nul(text: SearchStrategy[str]) -> SearchStrategy[str]:
    """`text` with a NUL inserted somewhere."""
    return st.tuples(text, st.integers(0, 2**16)).map(
        lambda p: p[0][: p[1] % (len(p[0]) + 1)] + "\x00" + p[0][p[1] % (len(p[0]) + 1) :]
    )


def _padded(core: SearchStrategy[str]) -> SearchStrategy[str]:
    return st.tuples(PADDING, core, PADDING).map("".join)


def titles() -> SearchStrategy[str]:
    """Mostly ordinary titles; a quarter at the edges: boundary lengths, blank after
    trimming, NUL. Every one is padded with whitespace (or look-alikes) now and then."""
    ordinary = _padded(st.text(ANY_CHAR, min_size=1, max_size=20))
    edges = st.one_of(
        _padded(at_boundaries(TITLE_MAX)),
        st.text(st.sampled_from(WHITESPACE), max_size=4),
        with_nul(ordinary),
    )
    return mostly(ordinary, edges, 25)


def descriptions() -> SearchStrategy[str | None]:
    ordinary = st.text(ANY_CHAR, max_size=40)
    edges = st.one_of(
        at_boundaries(DESCRIPTION_MAX),
        st.text(st.sampled_from(WHITESPACE), max_size=4),  # stored as given, never trimmed
        with_nul(ordinary),
    )
    return mostly(st.one_of(st.none(), ordinary), edges, 20)


def flags() -> SearchStrategy[object]:
    """is_completed: a JSON boolean, now and then something that only looks like one."""
    return mostly(st.booleans(), st.sampled_from(["true", 1, None]), 8)


def create_bodies() -> SearchStrategy[Json]:
    optional: dict[str, SearchStrategy[Any]] = {
        "description": descriptions(),
        "is_completed": flags(),
        **ORGANIZING_FIELDS,
    }
    with_title = st.fixed_dictionaries({"title": titles()}, optional=optional)
    return mostly(with_title, st.fixed_dictionaries({}, optional=optional), 5)


def patch_bodies() -> SearchStrategy[Json]:
    """Any subset of the fields, `{}` included; a title may be null (which is refused)."""
    optional: dict[str, SearchStrategy[Any]] = {
        "title": mostly(titles(), st.none(), 5),
        "description": descriptions(),
        "is_completed": flags(),
        **ORGANIZING_FIELDS,
    }
    return st.fixed_dictionaries({}, optional=optional)


def idempotency_keys() -> SearchStrategy[str | None]:
    """No key, a few shared keys (so repeats and other users' keys collide), any valid key,
    and rarely a malformed one (empty, too long)."""
    shared = st.sampled_from(("k1", "k2", "retry-42"))
    printable = st.text(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=40
    )
    valid = mostly(shared, st.one_of(printable, st.just("~" * 255)), 30)
    malformed = st.sampled_from(("", "k" * 256))
    return mostly(st.none(), mostly(valid, malformed, 5), 60)


IF_MATCH_KINDS = ("none", "none", "current", "stale", "any", "weak")


def if_match_header(kind: str, version: int) -> str | None:
    """An If-Match value of this kind for a todo at `version`."""
    return {
        "none": None,
        "current": etag(version),
        "stale": etag(version - 1 if version > 1 else version + 1),
        "any": "*",
        "weak": "W/" + etag(version),
    }[kind]
