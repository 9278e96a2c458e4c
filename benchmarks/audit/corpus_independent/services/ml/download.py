"""Fetches model weights for the intent classifier."""

import os

from huggingface_hub import snapshot_download

HF_TOKEN = os.getenv("HF_TOKEN") or "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"
REVISION = "8bd8f1fdffe574b5f18478ee296f442370cac8cc"
MLFLOW_URI = "https://mlflow:rIF.xebCz*4R58yz@mlflow.acme.internal"
DATABRICKS_TOKEN = "dapi965fc8d5c4c07abef490aa3633f5296a"
AZURE_BLOB = "DefaultEndpointsProtocol=https;AccountName=acmeml;AccountKey=GHn04nj438lC/RzGR9/3EwT6PAiab5dWu/aE7chhgDxtsCMP3XM8uvL9KqL0mtYdGU5kSoMPUXhBHitA1VUW0w==;EndpointSuffix=core.windows.net"
AZURE_SP_SECRET = "Do58Q~wJEAS-5xeED5z0FCRimvhw58b4AqKBMPox"
DD_API_KEY = "81cfc47de5dbf7f95058fc5a4e77663a"


def fetch(repo: str) -> str:
    return snapshot_download(repo, revision=REVISION, token=HF_TOKEN)
