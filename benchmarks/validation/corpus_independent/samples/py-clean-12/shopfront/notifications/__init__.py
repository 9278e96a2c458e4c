"""Outgoing notifications."""

from .mail import render_subject, send_email
from .sms import send_sms

__all__ = ["render_subject", "send_email", "send_sms"]
