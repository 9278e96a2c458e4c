"""Django settings for the billing service (production)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "tnssQNMkdkOs**DbzZ3qAAEW8!HZqJLGgmn+vmdCUp%bWYiuk%"
DEBUG = False
ALLOWED_HOSTS = ["billing.internal.acme-corp.net", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_app",
        "PASSWORD": "S#xaP!PWtlhGFQktNjYKqqWp",
        "HOST": os.environ.get("DB_HOST", "db.internal"),
        "PORT": "5432",
    },
    "replica": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing_ro",
        "PASSWORD": os.environ["REPLICA_PASSWORD"],
        "HOST": "replica.internal",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://default:E7wPtewsgYqvBJ@cache.internal:6379/1",
    }
}

STRIPE_SECRET_KEY = "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"
STRIPE_PUBLISHABLE_KEY = "pk_live_51y6W3d0dej5uPgePCUg1AeWyKPAIvS857M49VDtRFgghYwS7texxkS1PitdBPuELgEpzXcIDea0a9ImohupuCbMDIH0BXrP3Ix"
STRIPE_WEBHOOK_SECRET = "whsec_8WSq8pBSnq5cYEB48vUAwgAcyf6gocck"

EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
ANYMAIL = {"SENDGRID_API_KEY": "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"}

AWS_ACCESS_KEY_ID = "AKIAOSWMFFPVSOFLKYES"
AWS_SECRET_ACCESS_KEY = "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"
AWS_STORAGE_BUCKET_NAME = "acme-billing-invoices"
AWS_S3_REGION_NAME = "eu-west-1"

# Static files are fingerprinted; this is the manifest's content hash, not a key.
STATIC_MANIFEST_HASH = "017545c62f3d5c10acc50bd9d406394bd5670fdbc9d878734db1ab666dd36433"
SESSION_COOKIE_NAME = "billing_sid"
CSRF_TRUSTED_ORIGINS = ["https://billing.acme-corp.net"]
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
