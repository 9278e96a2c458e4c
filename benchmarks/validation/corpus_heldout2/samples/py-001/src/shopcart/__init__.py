"""Shopping cart and checkout for the storefront."""

__version__ = "0.4.1"
