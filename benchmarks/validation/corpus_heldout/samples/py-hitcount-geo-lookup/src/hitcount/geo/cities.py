CAPITALS = {"DE": "Berlin", "FR": "Paris", "NL": "Amsterdam", "PL": "Warsaw"}


def capital(country_code: str) -> str | None:
    return CAPITALS.get(country_code.upper())

