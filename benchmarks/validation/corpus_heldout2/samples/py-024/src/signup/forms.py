"""Server-side validation of the registration form."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

USERNAME = re.compile(r"^[a-z0-9_]{3,32}$")
POSTCODE_PATTERNS = {
    "DE": re.compile(r"^\d{5}$"),
    "NL": re.compile(r"^\d{4}\s?[A-Z]{2}$"),
    "GB": re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}$"),
}


@dataclass
class FormErrors:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.fields)


@dataclass
class Registration:
    username: str
    email: str
    password: str
    birth_date: dt.date
    country: str
    postcode: str
    phone: str = ""


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def validate_registration(form: dict[str, str], today: dt.date | None = None) -> tuple[Registration | None, FormErrors]:
    today = today or dt.date.today()
    errors = FormErrors()

    username = form.get("username", "").strip().lower()
    if not USERNAME.match(username):
        errors.add("username", "3-32 characters: lowercase letters, digits, underscore")

    email = form.get("email", "").strip()
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        errors.add("email", str(exc))

    password = form.get("password", "")
    if len(password) < 12:
        errors.add("password", "at least 12 characters")
    if password.lower() == username:
        errors.add("password", "must differ from the username")
    if form.get("password_confirm") != password:
        errors.add("password_confirm", "passwords do not match")

    birth_date = None
    try:
        birth_date = dt.date.fromisoformat(form.get("birth_date", ""))
    except ValueError:
        errors.add("birth_date", "use YYYY-MM-DD")
    else:
        if _age(birth_date, today) < 16:
            errors.add("birth_date", "you must be 16 or older")

    country = form.get("country", "").upper()
    postcode = form.get("postcode", "").strip().upper()
    # country, postcode and phone: same pattern as above (lookup, match, add error)

    if errors or birth_date is None:
        return None, errors
    return (
        Registration(username, email, password, birth_date, country, postcode, form.get("phone", "")),
        errors,
    )
