import os

DATABASE_URL = os.environ.get("CLINIC_DATABASE_URL", "sqlite:///clinic.db")
