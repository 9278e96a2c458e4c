from __future__ import annotations

import re
from typing import Any

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


class ValidationError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


def validate_signup(data: dict[str, Any]) -> dict[str, Any]:
    email = str(data.get("email", "")).strip()
    if not EMAIL.match(email):
        raise ValidationError("email", "invalid address")
    password = str(data.get("password", ""))
    if len(password) < 12:
        raise ValidationError("password", "at least 12 characters")
    username = str(data.get("username", "")).strip()
    if not 3 <= len(username) <= 30:
        raise ValidationError("username", "3 to 30 characters")
    # Add more validation rules here
    return {"email": email.lower(), "password": password, "username": username}
