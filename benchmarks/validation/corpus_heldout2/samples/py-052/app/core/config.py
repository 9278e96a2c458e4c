import os


class Settings:
    SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///app.db")
    SESSION_MAX_AGE = int(os.environ.get("SESSION_MAX_AGE", "1209600"))
