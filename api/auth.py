"""API keys and scopes: `X-API-Key` checked in constant time, per-scope guards, rate limits."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from api.limits import RateLimiter
from corpora.errors import InvalidRequest

SCOPES = ("read", "write")
HEADER = "x-api-key"


def key_id(key: str) -> str:
    """A short, non-reversible name for a key, safe to log."""
    return hashlib.sha256(key.encode()).hexdigest()[:10]


class KeyRing:
    """The configured keys, stored as hashes, with their scopes. Write implies read."""

    def __init__(self, spec: str) -> None:
        self._scopes: dict[bytes, set[str]] = {}
        for item in (x.strip() for x in spec.split(",")):
            if not item:
                continue
            key, sep, scope = item.rpartition(":")
            if not sep or not key or scope not in SCOPES:
                raise InvalidRequest(
                    "QUOTETRACE_API_KEYS entries must look like key:read or key:write")
            scopes = self._scopes.setdefault(hashlib.sha256(key.encode()).digest(), set())
            scopes.update({"read", "write"} if scope == "write" else {"read"})

    @property
    def enabled(self) -> bool:
        return bool(self._scopes)

    def scopes(self, key: str) -> set[str] | None:
        """The scopes of `key`, or None when it is unknown (compared in constant time)."""
        digest = hashlib.sha256(key.encode()).digest()
        found = None
        for known, scopes in self._scopes.items():
            if hmac.compare_digest(known, digest):
                found = scopes
        return found


def require(scope: str) -> Callable[[ASGIConnection, BaseRouteHandler], None]:
    """A guard: a known key with `scope` (when keys are configured), within its rate limit."""

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        keys: KeyRing = connection.app.state.keyring
        limiter: RateLimiter = connection.app.state.limiter
        key = connection.headers.get(HEADER)
        if keys.enabled:
            if not key:
                raise NotAuthorizedException("missing API key: send it in the X-API-Key header")
            scopes = keys.scopes(key)
            if scopes is None:
                raise NotAuthorizedException("unknown API key")
            if scope not in scopes:
                raise PermissionDeniedException(f"this API key lacks the {scope!r} scope")
            bucket = f"key:{key_id(key)}"
        else:
            bucket = f"ip:{connection.client.host if connection.client else 'unknown'}"
        limiter.check(bucket)

    return guard
