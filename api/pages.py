"""The web page for fact-checkers: one static shell at /, its script and styles under /static."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Response, get
from litestar.exceptions import NotFoundException

WEB = Path(__file__).parent / "web"
# The page draws every stored text with textContent, and this policy forbids inline scripts
# and any origin but this one: a statement containing markup can never run as code.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"}


def _shell() -> Response[bytes]:
    return Response((WEB / "index.html").read_bytes(), media_type="text/html; charset=utf-8",
                    headers=HEADERS)


@get(["/", "/articles/new", "/batch"], include_in_schema=False, sync_to_thread=False)
def page() -> Response[bytes]:
    """The search, article and batch pages (the script draws the one the path names)."""
    return _shell()


@get("/statements/{statement_id:int}", include_in_schema=False, sync_to_thread=False)
def statement_page(statement_id: int) -> Response[bytes]:
    """A statement's page: every report of it on a timeline."""
    return _shell()


ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8",
          "icon.svg": "image/svg+xml"}


@get("/static/{name:str}", include_in_schema=False, sync_to_thread=False)
def asset(name: str) -> Response[bytes]:
    """The page's script, styles and icon; nothing else under web/ is served."""
    if name not in ASSETS:
        raise NotFoundException(f"no asset {name[:100]!r}")
    return Response((WEB / name).read_bytes(), media_type=ASSETS[name], headers=HEADERS)


def page_handlers() -> list[Any]:
    """The page routes and the assets they load."""
    return [page, statement_page, asset]
