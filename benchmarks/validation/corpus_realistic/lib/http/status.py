from __future__ import annotations

RETRYABLE = {
    408,  # request timeout
    425,  # too early
    429,  # too many requests
    # Gateway errors: the upstream may recover on the next attempt.
    502,
    503,
    504,
}

REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    # Redirects
    301: "Moved Permanently",
    302: "Found",
    304: "Not Modified",
    # Client errors
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
}


def reason(status: int) -> str:
    return REASONS.get(status, "Unknown")


def retryable(status: int) -> bool:
    return status in RETRYABLE
