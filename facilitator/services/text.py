"""One rule for text people type, in live events and in HTML forms alike.

Refused: NUL (PostgreSQL cannot store it in a text column), the other control characters
but tab, line feed and carriage return, and the bidirectional embedding, override and
isolate characters (U+202A to U+202E, U+2066 to U+2069), which can make text read
differently from what it holds ("Trojan Source"). Right-to-left text itself is fine.
"""

import re

UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
TEXT_REFUSED = ("Text cannot hold control characters or hidden direction marks; "
                "please type it again.")


def is_safe_text(value: str) -> bool:
    """Tell whether ``value`` holds none of the characters this rule refuses."""
    return UNSAFE.search(value) is None


def check_text(value: str) -> str:
    """Return ``value`` if it is safe text; raise ``ValueError(TEXT_REFUSED)`` otherwise."""
    if not is_safe_text(value):
        raise ValueError(TEXT_REFUSED)
    return value


def clean_text(value: str, limit: int, what: str) -> str:
    """Strip ``value`` and check it against this rule and ``limit`` characters.

    Too long or unsafe text is refused as ``Refused("invalid", ...)`` naming ``what``.
    """
    from . import Refused

    value = (value or "").strip()
    if len(value) > limit:
        raise Refused("invalid", f"{what} can be at most {limit} characters.")
    if not is_safe_text(value):
        raise Refused("invalid", TEXT_REFUSED)
    return value
