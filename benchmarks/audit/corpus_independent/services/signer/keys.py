"""Signs webhook payloads for partners."""

from cryptography.hazmat.primitives import serialization

SIGNING_KEY_PEM = b"""-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIPuDYujCjeKv5kro1+X5sAzYEFAuAFCg1NXiNdiTVeacGJue0LHoEn9E
qTGbpxiHjDFuMw+ldj+3nVtsKxAGMJJez7hI7Ko+ZrCqSs6aozBkusAORK/2fDcL
KG/C+MsBGhhKTuKWOrFHMqDJcPqYnIRMn9H3
-----END EC PRIVATE KEY-----
"""

PUBLIC_KEY_FINGERPRINT = "SHA256:VWLCO2Zn8IUfPTUImwttU7OjEVLtgka9yV3lEi/2h5M"


def load():
    return serialization.load_pem_private_key(SIGNING_KEY_PEM, password=None)
