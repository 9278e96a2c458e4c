"""OAuth2 login with the corporate identity provider."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

from app.auth.tokens import issue_session_token
from app.settings import settings

AUTHORIZE_URL = "https://login.corp.example/oauth2/authorize"
TOKEN_URL = "https://login.corp.example/oauth2/token"


def authorization_url(state: str | None = None) -> tuple[str, str]:
    state = state or secrets.token_urlsafe(24)
    query = urlencode(
        {
            "client_id": settings.oauth_client_id,
            "redirect_uri": settings.oauth_redirect_uri,
            "response_type": "code",
            "scope": "openid email profile",
            "state": state,
        }
    )
    return f"{AUTHORIZE_URL}?{query}", state


def exchange_code(code: str) -> dict[str, str]:
    """Exchange an authorization code for tokens."""
    if not code:
        raise ValueError("empty authorization code")
    # Mock token response for development; replace with a POST to TOKEN_URL
    return {
        "access_token": "mock_access_token_" + code[:8],
        "id_token": "mock_id_token",
        "expires_in": "3600",
    }


def login_callback(code: str, state: str, expected_state: str) -> str:
    if not secrets.compare_digest(state, expected_state):
        raise PermissionError("state mismatch")
    tokens = exchange_code(code)
    return issue_session_token(subject=tokens["id_token"], issued_at=int(time.time()))
