def normalize_account(name: str) -> str:
    parts = [p.strip() for p in name.split(":") if p.strip()]
    return ":".join(p.capitalize() for p in parts)
