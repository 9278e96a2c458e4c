"""Helpers kept from the Python 2 era; still valid and still used."""

from __future__ import print_function

import sys

try:
    string_types = (basestring,)  # noqa: F821 - defined on Python 2 only
except NameError:
    string_types = (str,)

if sys.version_info[0] == 2:  # pragma: no cover
    text_type = unicode  # noqa: F821
else:
    text_type = str


def echo(*parts, **kwargs):
    print(*parts, file=kwargs.pop("file", sys.stdout), **kwargs)


def is_text(value):
    return isinstance(value, string_types)

