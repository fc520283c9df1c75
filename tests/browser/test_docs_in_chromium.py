"""/docs and /redoc in real Chromium with no internet (every host but 127.0.0.1 fails to
resolve): both render, every request they make goes to the service itself (ReDoc's CDN logo
is stopped by the page's Content-Security-Policy before it is sent), and Swagger UI's
"Try it out" reaches the API."""

from __future__ import annotations

import json
from urllib.parse import urlsplit
from uuid import uuid4

from fastapi.testclient import TestClient

from tests.support.apps import memory_app
from tests.support.chromium import Page, chromium
from tests.support.live_server import uvicorn_server

OPERATIONS = 8  # 5 todo operations, /api/v1/tags, /health, /health/ready

WAIT_FOR = """
async function waitFor(find, ms = 20000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const found = find();
    if (found) return found;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error("timed out waiting for " + find);
}
"""

TRY_IT_OUT = (
    WAIT_FOR
    + """
async function tryListing(user) {
  const path = await waitFor(() => document.querySelector(
    '.opblock-get .opblock-summary-path[data-path="/api/v1/todos"]'));
  // Swagger UI re-renders the operation as it opens: find it again by id at every step.
  const id = path.closest(".opblock").id;
  const inBlock = selector => () => document.getElementById(id).querySelector(selector);
  inBlock(".opblock-summary-control")().click();
  (await waitFor(inBlock(".try-out__btn"))).click();
  const input = await waitFor(inBlock('tr[data-param-name="X-User-ID"] input'));
  const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  setValue.call(input, user);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  // Swagger UI debounces its inputs; let the value reach its state before executing.
  await waitFor(() => !input.classList.contains("invalid") || null, 1000).catch(() => null);
  await new Promise(resolve => setTimeout(resolve, 1000));
  (await waitFor(inBlock("button.execute"))).click();
  const status = await waitFor(inBlock(".live-responses-table tr.response .response-col_status"));
  const table = inBlock(".live-responses-table");
  const body = await waitFor(() => table().innerText.includes("count") && table().innerText);
  return { status: status.textContent.trim(), body };
}
"""
)


def _foreign_requests(page: Page, origin: str) -> list[str]:
    """Requests the page sent anywhere but `origin` (data: and blob: URLs are in the page;
    a request the Content-Security-Policy blocked never left the browser)."""
    blocked = page.blocked_request_ids("csp")
    return [
        url
        for request_id, url in page.requests()
        if urlsplit(url).scheme not in ("data", "blob")
        and not url.startswith(origin + "/")
        and request_id not in blocked
    ]


def test_swagger_ui_renders_every_operation_offline_and_try_it_out_reaches_the_api() -> None:
    user = str(uuid4())
    app = memory_app()
    with TestClient(app) as client:
        client.post(
            "/api/v1/todos", json={"title": "seen in Swagger UI"}, headers={"X-User-ID": user}
        )
    with uvicorn_server(app) as api, chromium() as page:
        page.open(api + "/docs")
        operations = page.evaluate(
            WAIT_FOR + f"waitFor(() => document.querySelectorAll('.opblock').length >= "
            f"{OPERATIONS} && document.querySelectorAll('.opblock').length)"
        )
        tried = page.evaluate(TRY_IT_OUT + f"tryListing({json.dumps(user)})")
        foreign = _foreign_requests(page, api)
        urls = page.requested_urls()

    assert operations == OPERATIONS
    assert tried["status"] == "200"
    assert "seen in Swagger UI" in tried["body"]
    assert any(url.endswith("/static/docs/swagger-ui-bundle.js") for url in urls)
    assert any(url.endswith("/openapi.json") for url in urls)
    assert foreign == []


def test_redoc_renders_offline_loading_nothing_from_another_host() -> None:
    with uvicorn_server(memory_app()) as api, chromium() as page:
        page.open(api + "/redoc")
        titles = page.evaluate(
            WAIT_FOR + "waitFor(() => document.body.innerText.includes('Create a todo')"
            " && document.body.innerText)"
        )
        foreign = _foreign_requests(page, api)
        blocked = page.blocked_request_ids("csp")

    assert "List the user's todos: filter, sort (newest first by default), page" in titles
    assert foreign == []
    assert len(blocked) <= 1  # at most ReDoc's logo, which the policy stopped
