"""NEON_DATABASE_URL as Neon's console gives it."""

import pytest

from adapters.postgres.engine import normalize_url

POOLED = (
    "postgresql://neondb_owner:secret@ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech"
    "/neondb?sslmode=require&channel_binding=require"
)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_both_schemes_become_psycopg2_urls_keeping_ssl_and_channel_binding(scheme: str) -> None:
    url = normalize_url(POOLED.replace("postgresql", scheme, 1))
    assert url.drivername == "postgresql+psycopg2"
    assert url.host == "ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech"
    assert (url.username, url.password, url.database) == ("neondb_owner", "secret", "neondb")
    assert dict(url.query) == {"sslmode": "require", "channel_binding": "require"}


def test_a_direct_url_is_kept_as_given() -> None:
    url = normalize_url(POOLED.replace("-pooler", ""))
    assert url.host == "ep-cool-darkness-123456.eu-central-1.aws.neon.tech"


def test_a_url_of_another_database_is_refused() -> None:
    with pytest.raises(ValueError, match="postgres"):
        normalize_url("mysql://u:p@host/db")
