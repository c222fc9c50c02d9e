"""Sign-in throttling that bounds password guessing without letting anyone lock a person out.

OWASP's "device cookie" approach: a browser in which an account signed in successfully gets
a signed cookie naming that account (``auth.remember_device``). Failed sign-ins are counted
separately per trusted browser and, for every other browser, per account and per address.
Ten failures from anywhere else then pause sign-in for the account from untrusted browsers
only; the owner's own browser keeps signing in, and its own guesses are bounded too.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from ..extensions import db
from ..models import Facilitator, LoginAttempt, utcnow


def window_start(config) -> datetime:
    """The start of the counting window (``LOGIN_THROTTLE_WINDOW_MINUTES`` ago)."""
    return utcnow() - timedelta(minutes=config["LOGIN_THROTTLE_WINDOW_MINUTES"])


def throttled(email: str, address: str, device: str | None, config) -> bool:
    """Tell whether sign-in for ``email`` from this browser is paused just now.

    ``device`` is the id of the trusted browser's cookie for this account, or None.
    """
    recent = LoginAttempt.created_at >= window_start(config)
    if device is not None:
        count = db.session.scalar(select(func.count()).where(
            recent, LoginAttempt.email == email, LoginAttempt.device == device))
        return count >= config["LOGIN_THROTTLE_LIMIT"]
    counts = db.session.execute(
        select(func.count().filter(LoginAttempt.email == email),
               func.count().filter(LoginAttempt.address == address))
        .where(recent, LoginAttempt.device.is_(None),
               or_(LoginAttempt.email == email, LoginAttempt.address == address))
    ).one()
    return max(counts) >= config["LOGIN_THROTTLE_LIMIT"]


def record_failure(email: str, address: str, device: str | None) -> None:
    """Count one failed sign-in (committed at once: a refused request commits nothing else)."""
    db.session.add(LoginAttempt(email=email, address=address, device=device))
    db.session.commit()


def failures_since_last_sign_in(user: Facilitator) -> int:
    """How many sign-ins to ``user``'s account failed since they last signed in."""
    since = user.last_sign_in_at or user.created_at
    return db.session.scalar(select(func.count()).where(
        LoginAttempt.email == user.email, LoginAttempt.created_at > since))


def failures_notice(count: int) -> str:
    """What the account's owner reads after signing in, when sign-ins failed meanwhile."""
    times = "once" if count == 1 else f"{count} times"
    return (f"Since you last signed in, someone tried to sign in to your account {times} "
            "with a wrong password. If that was not you, please tell your programme's "
            "administrator.")


def signed_in(user: Facilitator) -> int:
    """Note a successful sign-in; return how many failures there were since the last one."""
    failures = failures_since_last_sign_in(user)
    user.last_sign_in_at = utcnow()
    db.session.commit()
    return failures
