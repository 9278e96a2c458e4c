"""Supervise a child process: restart it when it dies, stop it cleanly."""
from __future__ import annotations

import os
import select
import signal
import socket
import subprocess
import sys
import time

# Windows has no SIGKILL; terminate() is the strongest we can do there.
KILL_SIGNAL = getattr(signal, "SIGKILL", signal.SIGTERM)
HAS_EPOLL = hasattr(select, "epoll")
HAS_UNIX_SOCKETS = hasattr(socket, "AF_UNIX")


def monotonic_ns() -> int:
    if hasattr(time, "clock_gettime_ns") and hasattr(time, "CLOCK_BOOTTIME"):
        # counts suspended time too, unlike CLOCK_MONOTONIC on Linux
        return time.clock_gettime_ns(time.CLOCK_BOOTTIME)
    return time.monotonic_ns()


def control_socket(path: str) -> socket.socket | None:
    if not HAS_UNIX_SOCKETS:
        return None
    if os.path.exists(path):
        os.unlink(path)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(path)
    sock.listen(1)
    return sock


def wait_readable(sock: socket.socket, timeout: float) -> bool:
    if HAS_EPOLL:
        ep = select.epoll()
        try:
            ep.register(sock.fileno(), select.EPOLLIN)
            return bool(ep.poll(timeout))
        finally:
            ep.close()
    readable, _, _ = select.select([sock], [], [], timeout)
    return bool(readable)


def stop(proc: subprocess.Popen[bytes], grace_s: float = 10.0) -> int:
    proc.terminate()
    try:
        return proc.wait(grace_s)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, KILL_SIGNAL)
        return proc.wait()


def supervise(argv: list[str], max_restarts: int = 5, backoff_s: float = 1.0) -> int:
    restarts = 0
    while True:
        started = monotonic_ns()
        proc = subprocess.Popen(argv)
        try:
            code = proc.wait()
        except KeyboardInterrupt:
            return stop(proc)
        lived_s = (monotonic_ns() - started) / 1e9
        if code == 0:
            return 0
        restarts = 0 if lived_s > 60 else restarts + 1
        if restarts > max_restarts:
            print(f"procwatch: {argv[0]} keeps failing (exit {code}); giving up", file=sys.stderr)
            return code
        time.sleep(backoff_s * 2**restarts)
