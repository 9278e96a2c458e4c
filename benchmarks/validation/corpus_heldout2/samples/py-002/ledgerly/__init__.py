from .journal import Journal, Posting

__all__ = ["Journal", "Posting"]
