import logging
from typing import Any

from crm.models import Contact

logger = logging.getLogger(__name__)

FIELD_MAP = {
    "first_name": "FirstName",
    "last_name": "LastName",
    "email": "Email",
    "phone": "Phone",
}


def to_salesforce(contact: Contact) -> dict[str, Any]:
    return {sf: getattr(contact, local) for local, sf in FIELD_MAP.items()}


class SalesforceSync:
    def __init__(self, instance_url: str, token: str) -> None:
        self.instance_url = instance_url.rstrip("/")
        self.token = token

    def upsert_contact(self, contact: Contact) -> str:
        payload = to_salesforce(contact)
        logger.info("upserting contact %s", payload["Email"])
        # API call to Salesforce goes here
        return "003" + "0" * 15

    def upsert_many(self, contacts: list[Contact]) -> list[str]:
        return [self.upsert_contact(c) for c in contacts]
