"""Text helpers."""


def normalise_space(text: str) -> str:
    return " ".join(text.split())
