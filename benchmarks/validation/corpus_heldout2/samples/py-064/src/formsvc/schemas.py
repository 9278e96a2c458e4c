"""Request bodies for the contact and quote forms."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import EmailStr, Field, field_validator, model_validator
from pydantic_toolkit import StrictModel

PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


class ContactForm(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    email: EmailStr
    phone: str | None = None
    message: Annotated[str, Field(min_length=10, max_length=5000)]
    consent: bool

    @field_validator("phone")
    @classmethod
    def phone_format(cls, v: str | None) -> str | None:
        if v is not None and not PHONE.match(v):
            raise ValueError("phone number looks wrong")
        return v

    @field_validator("consent")
    @classmethod
    def must_consent(cls, v: bool) -> bool:
        if not v:
            raise ValueError("consent is required to contact you")
        return v


class QuoteRequest(StrictModel):
    company: str = Field(min_length=1, max_length=200)
    email: EmailStr
    plan: Literal["team", "business", "enterprise"]
    seats: int = Field(ge=1, le=10_000)
    start_date: dt.date
    notes: str = ""

    @model_validator(mode="after")
    def enterprise_minimum(self) -> "QuoteRequest":
        if self.plan == "enterprise" and self.seats < 50:
            raise ValueError("enterprise starts at 50 seats")
        if self.start_date < dt.date.today():
            raise ValueError("start date is in the past")
        return self
