import logging
import re

from app.settings import Settings

log = logging.getLogger("app.sms")

E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class SmsError(RuntimeError):
    pass


class SmsService:
    """Sends one-time codes and alerts by SMS."""

    def __init__(self, settings: Settings) -> None:
        self.account_sid = settings.twilio_sid
        self.auth_token = settings.twilio_token
        self.sender = settings.sms_sender

    def normalize(self, number: str) -> str:
        digits = re.sub(r"[\s\-()]", "", number)
        if not E164.match(digits):
            raise SmsError(f"not an E.164 number: {number}")
        return digits

    def send(self, number: str, text: str) -> dict:
        to = self.normalize(number)
        # This would call the Twilio API: client.messages.create(to=to, from_=self.sender, body=text)
        log.info("SMS to %s: %s", to, text)
        return {"sid": "SM" + "0" * 32, "status": "queued", "to": to}

    def send_code(self, number: str, code: str) -> dict:
        return self.send(number, f"Your verification code is {code}")
