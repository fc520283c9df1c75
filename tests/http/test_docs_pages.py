"""/docs and /redoc are served from the service's own files: the pages name no other host,
every file they name is served here, and their Content-Security-Policy lets a browser load
nothing from elsewhere (tests/browser loads them in Chromium)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

REFERENCE = re.compile(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""")


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_names_only_files_of_this_service(client: TestClient, page: str) -> None:
    response = client.get(page)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = REFERENCE.findall(response.text)
    assert references, response.text
    for reference in references:
        assert reference.startswith("/") and not reference.startswith("//"), reference
        assert client.get(reference).status_code == 200, reference
    assert "http://" not in response.text and "https://" not in response.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_a_docs_page_lets_the_browser_load_from_this_service_only(
    client: TestClient, page: str
) -> None:
    policy = client.get(page).headers["Content-Security-Policy"]

    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src"):
        sources = directives[name]
        assert "'self'" in sources
        assert all(s in ("'self'", "'unsafe-inline'", "data:", "blob:") for s in sources), name


@pytest.mark.parametrize(
    ("asset", "media_type"),
    [
        ("/static/docs/swagger-ui-bundle.js", "javascript"),
        ("/static/docs/swagger-ui.css", "text/css"),
        ("/static/docs/redoc.standalone.js", "javascript"),
        ("/static/docs/favicon.png", "image/png"),
    ],
)
def test_the_bundles_are_served_by_the_service(
    client: TestClient, asset: str, media_type: str
) -> None:
    response = client.get(asset)

    assert response.status_code == 200
    assert media_type in response.headers["content-type"]
    assert len(response.content) > 1000
