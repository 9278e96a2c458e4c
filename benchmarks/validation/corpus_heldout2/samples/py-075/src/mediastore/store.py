"""Store uploaded media in S3 under content-addressed keys."""
from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any, BinaryIO

import boto3
from botocore.exceptions import ClientError


@dataclass(frozen=True)
class StoredObject:
    key: str
    size: int
    content_type: str


class MediaStore:
    def __init__(self, bucket: str, client: Any | None = None, prefix: str = "media/") -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._s3 = client or boto3.client("s3")

    def key_for(self, data: bytes, filename: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
        return f"{self.prefix}{digest[:2]}/{digest}.{ext}"

    def exists(self, key: str) -> bool:
        try:
            self._s3.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey"):
                return False
            raise
        return True

    def put(self, fh: BinaryIO, filename: str) -> StoredObject:
        data = fh.read()
        key = self.key_for(data, filename)
        ctype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
        if not self.exists(key):
            self._s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=ctype)
        return StoredObject(key, len(data), ctype)

    def url(self, key: str, expires_s: int = 900) -> str:
        return self._s3.generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": key}, ExpiresIn=expires_s
        )
