"""Password rules: long enough, not a common password, hashed with scrypt."""

import gzip
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from ..offload import off_the_loop
from . import Refused

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"


RUNS = ("01234567890123456789", "qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz")


def is_guessable(password: str, email: str = "") -> bool:
    """Tell whether a password is common, a repetition, a keyboard run or the e-mail."""
    lowered = password.strip().lower()
    common = common_passwords()
    if lowered in common or (email and lowered == email.strip().lower()):
        return True
    if len(set(lowered)) < 5 or any(lowered in run for run in RUNS):
        return True
    for size in range(1, len(lowered) // 2 + 1):
        unit = lowered[:size]
        if len(lowered) % size == 0 and unit * (len(lowered) // size) == lowered:
            return unit in common or size < 4
    return False


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as listing:
        return frozenset(line.strip().lower() for line in listing if line.strip())


def check_password_rules(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long, common or the e-mail address."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Refused("invalid", f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Refused("invalid", f"A password can have at most {MAX_PASSWORD_LENGTH} characters.")
    if is_guessable(password, email):
        raise Refused("invalid", "This password is too common. Please choose another, "
                                 "for example a short sentence only you would think of.")


def hash_password(password: str, method: str) -> str:
    """A salted hash of ``password`` by ``method``, computed off the event loop.

    Every hash and every check goes through here and ``hash_matches``: at the production
    cost a hash holds a CPU for about a third of a second, which on the loop would stall
    every live connection of the worker (see ``facilitator.offload``).
    """
    return off_the_loop(generate_password_hash, password, method)


def hash_matches(stored_hash: str, password: str) -> bool:
    """Tell whether ``password`` matches ``stored_hash``, checked off the event loop."""
    return off_the_loop(check_password_hash, stored_hash, password)
