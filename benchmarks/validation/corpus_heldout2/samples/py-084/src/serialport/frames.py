"""Framing for a simple binary sensor protocol, with platform-specific device opening."""
from __future__ import annotations

import enum
import os
import struct
import sys
from typing import NamedTuple

SYNC = b"\xaa\x55"


class Kind(enum.IntEnum):
    TEMPERATURE = 1
    HUMIDITY = 2
    PRESSURE = 3

    @classmethod
    def parse(cls, raw: int) -> "Kind":
        if raw not in cls._value2member_map_:
            raise ValueError(f"unknown frame kind {raw}; known: {', '.join(cls.__members__)}")
        return cls(raw)

    @property
    def unit(self) -> str:
        return {Kind.TEMPERATURE: "°C", Kind.HUMIDITY: "%", Kind.PRESSURE: "hPa"}[self]


class Frame(NamedTuple):
    kind: Kind
    sensor: int
    value: float

    def encode(self) -> bytes:
        body = struct.pack("<BBf", self.kind, self.sensor, self.value)
        return SYNC + body + bytes([sum(body) & 0xFF])

    def with_value(self, value: float) -> "Frame":
        return self._replace(value=value)

    def as_json(self) -> dict[str, object]:
        data = self._asdict()
        data["kind"] = self.kind.name.lower()
        data["unit"] = self.kind.unit
        return data


class ChecksumError(ValueError):
    def describe(self) -> str:
        return f"{type(self).__name__}: {self.args[0]}"


def decode(buf: bytes) -> Frame:
    if not buf.startswith(SYNC) or len(buf) != 9:
        raise ValueError("not a frame")
    body, check = buf[2:8], buf[8]
    if sum(body) & 0xFF != check:
        raise ChecksumError(f"checksum {check:#04x} does not match")
    kind, sensor, value = struct.unpack("<BBf", body)
    return Frame(Kind.parse(kind), sensor, value)


class Device:
    def __init__(self, path: str) -> None:
        self.path = path
        self.fd = self._open(path)

    if sys.platform == "win32":

        def _open(self, path: str) -> int:
            return os.open(path, os.O_RDWR | os.O_BINARY)

    else:

        def _open(self, path: str) -> int:
            return os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)

    def read_frame(self) -> Frame:
        return decode(os.read(self.fd, 9))

    recv = read_frame  # name used by the older tooling scripts

    def close(self) -> None:
        os.close(self.fd)
