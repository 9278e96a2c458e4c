from .client import LIVE_URL, SANDBOX_URL, PaylinkClient, PaylinkError

__all__ = ["LIVE_URL", "SANDBOX_URL", "PaylinkClient", "PaylinkError"]
