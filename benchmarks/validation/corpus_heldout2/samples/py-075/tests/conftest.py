"""Shared fixtures: an in-memory stand-in for the S3 client."""
from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError


class FakeS3:
    """Implements just the four S3 calls MediaStore uses."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], dict[str, Any]] = {}
        self.puts = 0

    def head_object(self, Bucket: str, Key: str) -> dict[str, Any]:
        if (Bucket, Key) not in self.objects:
            raise ClientError({"Error": {"Code": "404", "Message": "Not Found"}}, "HeadObject")
        return {"ContentLength": len(self.objects[(Bucket, Key)]["Body"])}

    def put_object(self, Bucket: str, Key: str, Body: bytes, ContentType: str) -> dict[str, Any]:
        self.puts += 1
        self.objects[(Bucket, Key)] = {"Body": Body, "ContentType": ContentType}
        return {"ETag": '"fake"'}

    def generate_presigned_url(self, op: str, Params: dict[str, str], ExpiresIn: int) -> str:
        return f"https://{Params['Bucket']}.s3.test/{Params['Key']}?expires={ExpiresIn}"


@pytest.fixture
def fake_s3() -> FakeS3:
    return FakeS3()
