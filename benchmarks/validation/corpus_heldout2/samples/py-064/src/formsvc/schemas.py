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


class Address(StrictModel):
    street: str = Field(min_length=1, max_length=200)
    city: str = Field(min_length=1, max_length=100)
    postcode: str = Field(min_length=3, max_length=12)
    country: str = Field(min_length=2, max_length=2)

    @field_validator("country")
    @classmethod
    def upper_country(cls, v: str) -> str:
        if not v.isalpha():
            raise ValueError("country must be a two-letter code")
        return v.upper()


class EventRegistration(StrictModel):
    name: str = Field(min_length=1, max_length=120)
    email: EmailStr
    tickets: int = Field(ge=1, le=10)
    diet: Literal["none", "vegetarian", "vegan", "gluten-free"] = "none"
    invoice_address: Address | None = None
    company: str | None = None

    @model_validator(mode="after")
    def company_needs_invoice_address(self) -> "EventRegistration":
        if self.company and self.invoice_address is None:
            raise ValueError("company registrations need an invoice address")
        return self


class Feedback(StrictModel):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)
    page: str = Field(pattern=r"^/[\w\-/]*$")
    submitted_at: dt.datetime | None = None

    @field_validator("comment")
    @classmethod
    def strip_comment(cls, v: str) -> str:
        return " ".join(v.split())
