"""Persistence: SQLAlchemy models, the database handle and the migrations shipped with them."""
