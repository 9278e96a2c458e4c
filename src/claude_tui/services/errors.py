"""Typed errors raised by services; the API turns each into an RFC 9457 problem response."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base of every error a service raises on purpose; ``status`` is the HTTP analogue."""

    status: int = 400
    title: str = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class InvalidInputError(ServiceError):
    status = 422
    title = "Invalid input"


class AuthenticationError(ServiceError):
    status = 401
    title = "Not authenticated"


class PermissionDeniedError(ServiceError):
    status = 403
    title = "Forbidden"


class NotFoundError(ServiceError):
    status = 404
    title = "Not found"


class ConflictError(ServiceError):
    status = 409
    title = "Conflict"


class RateLimitedError(ServiceError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, **extra)
        self.retry_after = max(1, int(retry_after))


class UnavailableError(ServiceError):
    status = 503
    title = "Service unavailable"
