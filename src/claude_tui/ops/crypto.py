"""Streaming authenticated encryption for backup archives.

The archive is cut into frames of at most ``FRAME_BYTES``; each frame is a Fernet token (AES
with an HMAC) whose plaintext starts with the frame's index and a last-frame flag, so frames
cannot be reordered, dropped or cut off without the decryption failing.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken

MAGIC = b"CTUIENC1"
FRAME_BYTES = 4 * 1024 * 1024
_HEADER = struct.Struct(">QB")  # frame index, last-frame flag
_LENGTH = struct.Struct(">I")


class DecryptionError(Exception):
    """The archive is not encrypted with this key, or it was altered."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def load_key(value: str) -> Fernet:
    try:
        return Fernet(value.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise DecryptionError(
            "the backup key must be 32 url-safe base64-encoded bytes "
            "(make one with 'claude-tui backup keygen')"
        ) from exc


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def _frames(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    current = source.read(FRAME_BYTES)
    while True:
        following = source.read(FRAME_BYTES)
        yield current, not following
        if not following:
            return
        current = following


def encrypt_file(source: Path, target: Path, fernet: Fernet) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        dst.write(MAGIC)
        for index, (chunk, last) in enumerate(_frames(src)):
            token = fernet.encrypt(_HEADER.pack(index, int(last)) + chunk)
            dst.write(_LENGTH.pack(len(token)))
            dst.write(token)


def decrypt_file(source: Path, target: Path, fernet: Fernet) -> None:
    with source.open("rb") as src, target.open("wb") as dst:
        if src.read(len(MAGIC)) != MAGIC:
            raise DecryptionError(f"{source.name} is not an encrypted backup")
        expected = 0
        finished = False
        while True:
            prefix = src.read(_LENGTH.size)
            if not prefix:
                break
            if finished or len(prefix) != _LENGTH.size:
                raise DecryptionError(f"{source.name} has data after its last frame")
            (length,) = _LENGTH.unpack(prefix)
            token = src.read(length)
            try:
                plain = fernet.decrypt(token)
            except InvalidToken as exc:
                raise DecryptionError(
                    f"{source.name} cannot be decrypted with this key, or it was altered"
                ) from exc
            index, last = _HEADER.unpack_from(plain)
            if index != expected:
                raise DecryptionError(f"{source.name} has frames out of order")
            dst.write(plain[_HEADER.size :])
            expected += 1
            finished = bool(last)
        if not finished:
            raise DecryptionError(f"{source.name} is truncated")
