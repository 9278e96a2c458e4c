"""Jinja filters that write a template answer as a literal of the file format it lands in.

Answers come from whoever creates the project; pasted between quotes they could close the
string and add TOML tables or Python statements. The shipped templates load these filters
through ``_jinja_extensions`` and put every free-text answer through one of them.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.ext import Extension

_TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def unrenderable_character(text: str) -> str | None:
    """Why ``text`` cannot be written into a UTF-8 text file, or None when it can."""
    if "\x00" in text:
        return "it contains a NUL character"
    if any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return "it contains a lone surrogate, which is not a Unicode character"
    return None


def _check(value: object) -> str:
    text = str(value)
    problem = unrenderable_character(text)
    if problem is not None:
        raise ValueError(f"An answer cannot be rendered: {problem}.")
    return text


def toml_string(value: object) -> str:
    """``value`` as a TOML basic string, quotes included."""
    escaped = []
    for char in _check(value):
        if char in _TOML_ESCAPES:
            escaped.append(_TOML_ESCAPES[char])
        # TOML forbids every other control character raw inside a basic string.
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def python_string(value: object) -> str:
    """``value`` as a Python string literal, quotes included."""
    return repr(_check(value))


class AnswerEscaping(Extension):
    """Adds the ``toml_string`` and ``python_string`` filters."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["toml_string"] = toml_string
        environment.filters["python_string"] = python_string


#: The import path copier loads the extension from; the only one a template may declare.
EXTENSION = f"{__name__}.{AnswerEscaping.__name__}"
