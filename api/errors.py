"""Errors over HTTP: one problem+json shape, and the map from domain errors to status codes."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    NotFoundException,
    ValidationException,
)
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from corpora.errors import Conflict, InputError, NotFound, QuotetraceError, StateError
from index.dberrors import outage

log = logging.getLogger("quotetrace.api")
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, **extra: Any) -> Response[dict[str, Any]]:
    """One JSON error shape for every failure (RFC 9457)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return Response(body, status_code=status, media_type=PROBLEM)


def _on_quotetrace_error(_: Request, exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, NotFound):
        return problem(404, "Not Found", str(exc))
    if isinstance(exc, Conflict):
        return problem(409, "Conflict", str(exc))
    if isinstance(exc, InputError):
        return problem(422, "Invalid input", str(exc))
    if isinstance(exc, StateError):
        return _unavailable(str(exc))
    return problem(500, "Internal Server Error", "unexpected error")


def _on_http_error(_: Request, exc: Exception) -> Response[dict[str, Any]]:
    assert isinstance(exc, HTTPException)
    extra = {}
    if isinstance(exc, ValidationException) and exc.extra:
        extra["errors"] = exc.extra
    response = problem(exc.status_code, _title(exc.status_code), str(exc.detail), **extra)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


class LimitExceeded(ClientException):
    """A request over one of the configured caps (claim length, batch size, k)."""

    status_code = 422


def _on_undecodable(_: Request, exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, UnicodeDecodeError):
        return problem(400, "Bad Request", f"request body is not valid UTF-8 (byte {exc.start})")
    return problem(400, "Bad Request", "request body is nested too deeply")


# Seconds a client is told to wait before it retries after a 503.
RETRY_AFTER = 5


def _unavailable(detail: str) -> Response[dict[str, Any]]:
    response = problem(503, "Service unavailable", detail)
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _on_database_error(request: Request, exc: Exception) -> Response[dict[str, Any]]:
    """The database unreachable, locked, full or read-only: 503 with Retry-After. A database
    error of another kind is a bug, and a 500."""
    detail = outage(exc)
    if detail is None:
        return _on_unexpected(request, exc)
    log.warning("database unavailable: %s", str(exc).splitlines()[0])
    return _unavailable(detail)


def _on_unexpected(_: Request, exc: Exception) -> Response[dict[str, Any]]:
    log.exception("unhandled error", exc_info=exc)
    return problem(500, "Internal Server Error", "unexpected error")


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"



class Unsupported(ClientException):
    """A request body in a media type the endpoint does not take."""

    status_code = 415


class TooLarge(ClientException):
    """An upload over the configured size cap."""

    status_code = 413


HANDLERS: dict[Any, Any] = {
    QuotetraceError: _on_quotetrace_error,
    HTTPException: _on_http_error,
    NotFoundException: _on_http_error,
    UnicodeDecodeError: _on_undecodable,
    DBAPIError: _on_database_error,
    PoolTimeout: _on_database_error,
    RecursionError: _on_undecodable,
    HTTP_500_INTERNAL_SERVER_ERROR: _on_unexpected,
}
