"""Strategies for the v1.2 fields and list parameters: a small vocabulary of tags, words and
instants, so filters match often, spelled in the ways the contract allows (case, whitespace,
offsets), with the boundaries and invalid values now and then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from tests.property.organizing_model import PRIORITIES, SORT_KEYS, WHITESPACE, rfc3339

TAG_WORDS = ("work", "home", "urgent", "é", "ß", "straße")
INSTANTS = tuple(datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=h) for h in (0, 1, 24, 25))
WORDS = ("a", "e", "ss", "SS", "é", "todo", "🙂")


def _mostly(
    ordinary: SearchStrategy[Any], edges: SearchStrategy[Any], percent: int
) -> SearchStrategy[Any]:
    return st.integers(0, 99).flatmap(lambda roll: edges if roll >= 100 - percent else ordinary)


def _spelled_tag() -> SearchStrategy[str]:
    """A tag of the vocabulary, in upper or lower case, padded with Unicode whitespace."""
    pad = st.text(st.sampled_from(WHITESPACE), max_size=2)
    word = st.tuples(st.sampled_from(TAG_WORDS), st.booleans()).map(
        lambda p: p[0].upper() if p[1] else p[0]
    )
    return st.tuples(pad, word, pad).map("".join)


def tags_values() -> SearchStrategy[object]:
    ordinary = st.lists(_spelled_tag(), max_size=4)
    edges = st.one_of(
        st.lists(
            st.sampled_from(["a,b", "", "  ", "x" * 51, "y" * 50, "a\x07", "\x85"]),
            min_size=1,
            max_size=2,
        ),
        st.just([f"t{n}" for n in range(20)]),
        st.just([f"t{n}" for n in range(21)]),
        st.sampled_from([None, "work", [1]]),
    )
    return _mostly(ordinary, edges, 10)


def _spelled_instant(moment: datetime, minutes: int) -> str:
    offset = timezone(timedelta(minutes=minutes))
    return moment.astimezone(offset).isoformat()


def due_ats() -> SearchStrategy[object]:
    offsets = st.sampled_from([0, 60, -330, 14 * 60])
    valid = st.builds(_spelled_instant, st.sampled_from(INSTANTS), offsets)
    zulu = st.sampled_from(INSTANTS).map(rfc3339)
    edges = st.sampled_from(
        [
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999Z",
            "0001-01-01T00:00:00+01:00",  # year 0 in UTC
            "2026-02-01T00:00:00",  # no offset
            "2026-02-01",
            "soon",
            1767225600,
        ]
    )
    return _mostly(st.one_of(st.none(), valid, zulu), edges, 10)


def priorities() -> SearchStrategy[object]:
    return _mostly(st.sampled_from(PRIORITIES), st.sampled_from(["High", "", None, 2]), 5)


ORGANIZING_FIELDS: dict[str, SearchStrategy[Any]] = {
    "priority": priorities(),
    "tags": tags_values(),
    "due_at": due_ats(),
}


def list_specs() -> SearchStrategy[dict[str, Any]]:
    """Query parameters of a list (as sent) without limit and cursor; every filter optional,
    and a sort in either direction."""
    return st.fixed_dictionaries(
        {},
        optional={
            "is_completed": st.sampled_from(["true", "false"]),
            "priority": st.lists(
                st.sampled_from(PRIORITIES), min_size=1, max_size=3, unique=True
            ).map(",".join),
            "tags": st.lists(_spelled_tag(), min_size=1, max_size=2).map(",".join),
            "due_before": st.sampled_from(INSTANTS).map(rfc3339),
            "due_after": st.builds(_spelled_instant, st.sampled_from(INSTANTS), st.just(60)),
            "q": st.sampled_from(WORDS),
            "sort": st.tuples(st.sampled_from(["", "-"]), st.sampled_from(SORT_KEYS)).map("".join),
        },
    )
