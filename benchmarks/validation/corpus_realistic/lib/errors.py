"""Exceptions raised by the client library."""


class ClientError(Exception):
    """Base class of every error this library raises."""


class ConnectionFailed(ClientError):
    pass


class Timeout(ClientError):
    pass


class HTTPStatusError(ClientError):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:200]}")
        self.status = status
        self.body = body


class RateLimited(HTTPStatusError):
    def __init__(self, retry_after: float, body: str = "") -> None:
        super().__init__(429, body)
        self.retry_after = retry_after
