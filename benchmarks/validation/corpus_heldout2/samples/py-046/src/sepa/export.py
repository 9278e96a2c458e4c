"""Write pain.001.001.03 credit-transfer files for the payout run."""
from __future__ import annotations

import csv
import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from .validators import amount_cents_ok, clean_reference, is_valid_bic, normalize_iban

NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"


@dataclass(frozen=True)
class Payout:
    name: str
    iban: str
    bic: str
    amount_cents: int
    reference: str


class InvalidPayout(ValueError):
    pass


def check(p: Payout) -> Payout:
    iban = normalize_iban(p.iban)
    if not is_valid_bic(p.bic):
        raise InvalidPayout(f"{p.name}: invalid BIC {p.bic!r}")
    if not amount_cents_ok(p.amount_cents):
        raise InvalidPayout(f"{p.name}: amount out of range")
    return Payout(p.name[:70], iban, p.bic.upper(), p.amount_cents, clean_reference(p.reference))


def _el(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{NS}}}{tag}")
    if text is not None:
        el.text = text
    return el


def build_document(debtor_name: str, debtor_iban: str, debtor_bic: str, payouts: list[Payout], execute_on: dt.date) -> bytes:
    checked = [check(p) for p in payouts]
    total = sum(p.amount_cents for p in checked)
    root = etree.Element(f"{{{NS}}}Document", nsmap={None: NS})
    cct = _el(root, "CstmrCdtTrfInitn")
    hdr = _el(cct, "GrpHdr")
    _el(hdr, "MsgId", uuid.uuid4().hex[:35])
    _el(hdr, "CreDtTm", dt.datetime.now().replace(microsecond=0).isoformat())
    _el(hdr, "NbOfTxs", str(len(checked)))
    _el(hdr, "CtrlSum", f"{Decimal(total) / 100:.2f}")
    _el(_el(hdr, "InitgPty"), "Nm", debtor_name)

    pmt = _el(cct, "PmtInf")
    _el(pmt, "PmtInfId", f"PAYOUT-{execute_on:%Y%m%d}")
    _el(pmt, "PmtMtd", "TRF")
    _el(pmt, "ReqdExctnDt", execute_on.isoformat())
    _el(_el(pmt, "Dbtr"), "Nm", debtor_name)
    _el(_el(_el(pmt, "DbtrAcct"), "Id"), "IBAN", normalize_iban(debtor_iban))
    _el(_el(_el(pmt, "DbtrAgt"), "FinInstnId"), "BIC", debtor_bic)
    for p in checked:
        tx = _el(pmt, "CdtTrfTxInf")
        _el(_el(tx, "PmtId"), "EndToEndId", p.reference)
        amt = _el(_el(tx, "Amt"), "InstdAmt", f"{Decimal(p.amount_cents) / 100:.2f}")
        amt.set("Ccy", "EUR")
        _el(_el(_el(tx, "CdtrAgt"), "FinInstnId"), "BIC", p.bic)
        _el(_el(tx, "Cdtr"), "Nm", p.name)
        _el(_el(_el(tx, "CdtrAcct"), "Id"), "IBAN", p.iban)
        _el(_el(tx, "RmtInf"), "Ustrd", p.reference)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def read_payouts_csv(path: Path) -> list[Payout]:
    """Read the payout sheet: name;iban;bic;amount;reference (amount in euros, comma or dot)."""
    payouts: list[Payout] = []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        for lineno, row in enumerate(csv.DictReader(fh, delimiter=";"), start=2):
            try:
                euros = Decimal(row["amount"].replace(",", ".").strip())
            except (KeyError, InvalidOperation):
                raise InvalidPayout(f"{path}:{lineno}: amount missing or not a number") from None
            payouts.append(
                Payout(
                    name=row["name"].strip(),
                    iban=row["iban"],
                    bic=row["bic"].strip(),
                    amount_cents=int((euros * 100).to_integral_value()),
                    reference=row.get("reference", ""),
                )
            )
    return payouts


def write_document(path: Path, document: bytes) -> Path:
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(document)
    tmp.replace(path)
    return path


def summary(payouts: list[Payout]) -> str:
    total = sum(p.amount_cents for p in payouts)
    biggest = max(payouts, key=lambda p: p.amount_cents, default=None)
    lines = [f"{len(payouts)} transfers, total {Decimal(total) / 100:.2f} EUR"]
    if biggest is not None:
        lines.append(f"largest: {biggest.name} {Decimal(biggest.amount_cents) / 100:.2f} EUR")
    return "\n".join(lines)
