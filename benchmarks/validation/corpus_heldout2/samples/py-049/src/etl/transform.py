"""Nightly copy of the legacy CRM export into the warehouse schema."""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine

log = logging.getLogger(__name__)

COLUMN_MAP = {
    "KUNDENNR": "customer_id",
    "NAME1": "company_name",
    "NAME2": "company_name_2",
    "STRASSE": "street",
    "PLZ": "postcode",
    "ORT": "city",
    "LAND": "country_code",
    # ... plus the remaining ~20 legacy columns, mapped the same way
}

REQUIRED = ["customer_id", "company_name", "country_code"]


def read_export(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep=";", encoding="cp1252", dtype=str, keep_default_na=False)
    unknown = set(df.columns) - set(COLUMN_MAP)
    if unknown:
        log.info("dropping unmapped columns: %s", ", ".join(sorted(unknown)))
    return df[[c for c in df.columns if c in COLUMN_MAP]].rename(columns=COLUMN_MAP)


def clean(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ValueError(f"export lacks required columns: {missing}")
    out = df.copy()
    for col in out.columns:
        out[col] = out[col].str.strip()
    out["country_code"] = out["country_code"].str.upper().replace({"D": "DE", "A": "AT", "CH": "CH"})
    out["postcode"] = out["postcode"].str.replace(r"\s+", "", regex=True)
    out = out[out["customer_id"] != ""]
    dupes = out["customer_id"].duplicated(keep="last")
    if dupes.any():
        log.warning("%d duplicate customer ids, keeping the last row of each", int(dupes.sum()))
    return out[~dupes]


def load(df: pd.DataFrame, dsn: str, table: str = "customers_staging") -> int:
    engine = create_engine(dsn)
    with engine.begin() as conn:
        df.to_sql(table, conn, if_exists="replace", index=False, method="multi", chunksize=1000)
    return len(df)


def run(path: Path, dsn: str) -> int:
    df = clean(read_export(path))
    n = load(df, dsn)
    log.info("loaded %d customers from %s", n, path.name)
    return n
