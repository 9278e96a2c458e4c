"""Resumable chunked uploads to the media service."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import aiofiles
import aiohttp

log = logging.getLogger(__name__)

CHUNK = 8 * 1024 * 1024


@dataclass
class UploadState:
    upload_id: str
    size: int
    sent: int = 0


ProgressFn = Callable[[int, int], None]


async def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    async with aiofiles.open(path, "rb") as fh:
        while chunk := await fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


class Uploader:
    def __init__(self, session: aiohttp.ClientSession, base_url: str) -> None:
        self._session = session
        self._base = base_url.rstrip("/")

    async def start(self, path: Path) -> UploadState:
        size = os.path.getsize(path)
        async with self._session.post(f"{self._base}/uploads", json={"name": path.name, "size": size}) as r:
            r.raise_for_status()
            body = await r.json()
        return UploadState(body["id"], size, body.get("received", 0))

    async def upload(self, path: Path, on_progress: ProgressFn | None = None, retries: int = 3) -> str:
        state = await self.start(path)
        async with aiofiles.open(path, "rb") as fh:
            await fh.seek(state.sent)
            while state.sent < state.size:
                chunk = await fh.read(CHUNK)
                for attempt in range(1, retries + 1):
                    try:
                        await self._put_chunk(state, chunk)
                        break
                    except aiohttp.ClientError as exc:
                        if attempt == retries:
                            raise
                        log.warning("chunk at %d failed (%s), retrying", state.sent, exc)
                        await asyncio.sleep(2**attempt)
                state.sent += len(chunk)
                if on_progress:
                    on_progress(state.sent, state.size)
        return await self._finish(state, await sha256_of(path))

    async def _put_chunk(self, state: UploadState, chunk: bytes) -> None:
        headers = {"Content-Range": f"bytes {state.sent}-{state.sent + len(chunk) - 1}/{state.size}"}
        async with self._session.put(f"{self._base}/uploads/{state.upload_id}", data=chunk, headers=headers) as r:
            r.raise_for_status()

    async def _finish(self, state: UploadState, digest: str) -> str:
        async with self._session.post(
            f"{self._base}/uploads/{state.upload_id}/complete", json={"sha256": digest}
        ) as r:
            r.raise_for_status()
            return (await r.json())["url"]


def upload_many(paths: list[Path], base_url: str, parallel: int = 3) -> list[str]:
    async def run() -> list[str]:
        sem = asyncio.Semaphore(parallel)
        async with aiohttp.ClientSession() as session:
            uploader = Uploader(session, base_url)

            def report(path: Path) -> ProgressFn:
                def cb(sent: int, size: int) -> None:
                    log.info("%s: %d%%", path.name, sent * 100 // size)
                return cb

            def limited(path: Path):
                async with sem:
                    return await uploader.upload(path, report(path))

            return await asyncio.gather(*(limited(p) for p in paths))

    return asyncio.run(run())
