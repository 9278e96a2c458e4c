"""Invoices for small workshops."""
