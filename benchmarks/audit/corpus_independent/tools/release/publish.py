#!/usr/bin/env python3
"""Uploads the wheels of a release to PyPI and announces it."""

import subprocess
import sys

import requests

PYPI_TOKEN = "pypi-AgEIcHlwaS5vcmcCJD_rtmUzsPS9NucsM8ayv64tZzKBKklaAlS8tLpLU_WSMZgLzt6wKWMbeMVx1yLB3JOQbFkSubxPxKrUbsiKKhJiD_1gxCaftTrdH5tV-mI7oFoK2KG3Pr0j9sfaZ2zFF62L0XCD-jrFnT1GI3wGs8XC"
HF_TOKEN = "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"
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"


def main() -> int:
    subprocess.run(
        ["twine", "upload", "-u", "__token__", "-p", PYPI_TOKEN, "dist/*"],
        check=True,
    )
    requests.post(SLACK_WEBHOOK, json={"text": f"Released {sys.argv[1]}"}, timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
