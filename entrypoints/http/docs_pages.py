"""/docs (Swagger UI) and /redoc, working without internet access: FastAPI's own pages,
pointed at the Swagger UI and ReDoc bundles that the fastapi-offline package ships (a
maintained copy of both, refreshed with each of its releases), served from /static/docs.

Not fastapi-offline's FastAPIOffline factory: it builds the FastAPI object itself, and its
pages cannot carry the Content-Security-Policy below. The policy is what makes "nothing from
another host" hold in a browser: ReDoc's sidebar always adds Redocly's logo from a CDN
(`<img src="https://cdn.redoc.ly/...">`), which `img-src 'self' data:` blocks before any
request leaves the browser (ReDoc then hides the image). Inline scripts and styles are
allowed because FastAPI's pages start Swagger UI and ReDoc inline."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse

from entrypoints.http.plain_route import PlainRoute

STATIC = "/static/docs"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'self'"
)
# Swagger UI's defaults as FastAPI sets them, and no online validator (its badge would load
# an image from validator.swagger.io).
SWAGGER_UI_PARAMETERS = {
    "dom_id": "#swagger-ui",
    "layout": "BaseLayout",
    "deepLinking": True,
    "showExtensions": True,
    "showCommonExtensions": True,
    "validatorUrl": None,
}


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return page


def install_docs_pages(app: FastAPI) -> None:
    """Mount the bundles and add /docs and /redoc (the app is built with both set to None)."""
    assets = files("fastapi_offline") / "static"
    app.mount(STATIC, StaticFiles(directory=str(assets)), name="docs-static")
    openapi_url = app.openapi_url or "/openapi.json"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{root}{STATIC}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{STATIC}/swagger-ui.css",
                swagger_favicon_url=f"{root}{STATIC}/favicon.png",
                swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
            )
        )

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_redoc_html(
                openapi_url=root + openapi_url,
                title=f"{app.title} - ReDoc",
                redoc_js_url=f"{root}{STATIC}/redoc.standalone.js",
                redoc_favicon_url=f"{root}{STATIC}/favicon.png",
                with_google_fonts=False,
            )
        )

    for path, endpoint in (("/docs", swagger_ui), ("/redoc", redoc)):
        app.router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            include_in_schema=False,
            route_class_override=PlainRoute,
        )
