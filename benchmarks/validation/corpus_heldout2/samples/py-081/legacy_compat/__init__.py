# -*- coding: utf-8 -*-
"""Helpers that still support Python 2.7 for the old reporting cluster."""
from __future__ import absolute_import, division, print_function

import sys

try:
    from urllib.parse import urlencode, urlsplit
    from urllib.request import Request, urlopen
except ImportError:  # Python 2
    from urllib import urlencode
    from urllib2 import Request, urlopen
    from urlparse import urlsplit

try:
    import simplejson as json
except ImportError:
    import json

try:
    import numpy as np

    HAS_NUMPY = True
except ImportError:
    np = None
    HAS_NUMPY = False

PY2 = sys.version_info[0] == 2
if PY2:
    text_type = unicode  # noqa: F821
    string_types = (str, unicode)  # noqa: F821
else:
    text_type = str
    string_types = (str,)


def mean(values):
    if HAS_NUMPY:
        return float(np.mean(values))
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def build_url(base, **params):
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https"):
        raise ValueError("base must be an http(s) URL")
    query = urlencode(sorted(params.items()))
    return base + ("&" if parts.query else "?") + query if query else base


def fetch_json(url, timeout=10):
    req = Request(url, headers={"Accept": "application/json"})
    resp = urlopen(req, timeout=timeout)
    try:
        return json.loads(resp.read().decode("utf-8"))
    finally:
        resp.close()


def ensure_text(value, encoding="utf-8"):
    if isinstance(value, text_type):
        return value
    if isinstance(value, bytes):
        return value.decode(encoding)
    raise TypeError("expected text or bytes, got %s" % type(value).__name__)
