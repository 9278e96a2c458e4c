"""Public API of the client library."""

from lib.errors import ClientError, ConnectionFailed, HTTPStatusError, RateLimited, Timeout
from lib.io.writers import BufferWriter, StreamWriter, Writer
from lib.locks import FileLock

__all__ = [
    # errors
    "ClientError",
    "ConnectionFailed",
    "HTTPStatusError",
    "RateLimited",
    "Timeout",
    # writers
    "BufferWriter",
    "StreamWriter",
    "Writer",
    # locks
    "FileLock",
    # Keep this list sorted within each group.
]

__version__ = "2.4.1"
