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


POSTCODE_RULES = {
    "DE": r"^\d{5}$",
    "AT": r"^\d{4}$",
    "CH": r"^\d{4}$",
    "NL": r"^\d{4}[A-Z]{2}$",
}


def quality_report(df: pd.DataFrame) -> pd.DataFrame:
    """One row per problem found: customer_id, column, value, problem."""
    problems = []
    for country, pattern in POSTCODE_RULES.items():
        subset = df[(df["country_code"] == country) & ~df["postcode"].str.match(pattern, na=False)]
        for _, row in subset.iterrows():
            problems.append((row["customer_id"], "postcode", row["postcode"], f"not a valid {country} postcode"))
    unknown = df[~df["country_code"].str.fullmatch(r"[A-Z]{2}", na=False)]
    for _, row in unknown.iterrows():
        problems.append((row["customer_id"], "country_code", row["country_code"], "not an ISO country code"))
    empty_city = df[df["city"].fillna("") == ""] if "city" in df.columns else df.iloc[0:0]
    for _, row in empty_city.iterrows():
        problems.append((row["customer_id"], "city", "", "missing"))
    return pd.DataFrame(problems, columns=["customer_id", "column", "value", "problem"])


def write_report(report: pd.DataFrame, out_dir: Path, stem: str) -> Path | None:
    if report.empty:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}-quality.csv"
    report.to_csv(path, index=False)
    return path


def load(df: pd.DataFrame, dsn: str, table: str = "customers_staging") -> int:
    engine = create_engine(dsn)
    with engine.begin() as conn:
        df.to_sql(table, conn, if_exists="replace", index=False, method="multi", chunksize=1000)
    return len(df)


def run(path: Path, dsn: str, report_dir: Path | None = None) -> int:
    df = clean(read_export(path))
    if report_dir is not None:
        report = quality_report(df)
        written = write_report(report, report_dir, path.stem)
        if written is not None:
            log.warning("%d data quality problems, see %s", len(report), written)
    n = load(df, dsn)
    log.info("loaded %d customers from %s", n, path.name)
    return n
