"""A browser frontend on another origin calls the API from real Chromium: create, list,
PATCH with the ETag it read, delete, all through fetch() against uvicorn with CORS set; and a
page on an origin not on the list cannot read anything."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import uuid4

from entrypoints.config import Settings
from tests.support.apps import memory_app
from tests.support.chromium import chromium
from tests.support.live_server import static_page, uvicorn_server

FRONTEND = (Path(__file__).parent / "frontend.html").read_text()


def test_a_frontend_on_an_allowed_origin_creates_lists_patches_and_deletes() -> None:
    user = str(uuid4())
    with static_page(FRONTEND) as page_origin:
        app = memory_app(Settings(cors_allow_origins=page_origin))
        with uvicorn_server(app) as api, chromium() as page:
            page.open(page_origin + "/")
            steps = page.evaluate(f"scenario({json.dumps(api)}, {json.dumps(user)})")
            shown = page.evaluate("document.getElementById('todos').textContent")

    create, listed, patch = steps["create"], steps["list"], steps["patch"]
    assert create["status"] == 201
    assert create["etag"] == '"1"'  # readable only because CORS exposes it
    assert create["location"] == f"/api/v1/todos/{create['body']['id']}"
    assert create["requestId"]
    assert listed["status"] == 200 and listed["body"]["count"] == 1
    assert shown == "Buy milk"
    assert patch["status"] == 200 and patch["etag"] == '"2"'
    assert patch["body"]["is_completed"] is True
    assert steps["stalePatch"]["status"] == 412
    assert steps["stalePatch"]["body"]["error_code"] == "PRECONDITION_FAILED"
    assert steps["delete"]["status"] == 204
    assert steps["after"]["body"] == {"items": [], "count": 0, "next_cursor": None}
    assert steps["badId"]["status"] == 400
    assert steps["badId"]["body"]["error_code"] == "VALIDATION_ERROR"


def test_a_page_on_an_origin_not_allowed_cannot_call_the_api() -> None:
    user = str(uuid4())
    with static_page(FRONTEND) as allowed, static_page(FRONTEND) as other:
        app = memory_app(Settings(cors_allow_origins=allowed))
        with uvicorn_server(app) as api, chromium() as page:
            page.open(other + "/")
            outcome = page.evaluate(f"tryToList({json.dumps(api)}, {json.dumps(user)})")

    assert outcome == "TypeError: Failed to fetch"
