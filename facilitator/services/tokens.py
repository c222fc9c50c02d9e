"""API tokens of programme administrators. A token is shown once; only its SHA-256 is kept."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, Facilitator, utcnow
from . import Refused

TOKEN_PREFIX = "fac_"
TOUCH_EVERY = timedelta(minutes=1)


def digest(raw: str) -> str:
    """The SHA-256 of a token, as stored (a token is random enough for a plain hash)."""
    return hashlib.sha256(raw.encode()).hexdigest()


def issue(admin: Facilitator, name: str) -> tuple[ApiToken, str]:
    """Create a token for an administrator; return it and its secret (shown only now)."""
    if not admin.is_admin:
        raise Refused("forbidden", "Only programme administrators have API tokens.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(facilitator_id=admin.id, name=name.strip() or "API token",
                     token_hash=digest(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.commit()
    return token, raw


def owner(raw: str) -> Facilitator | None:
    """The administrator a token belongs to, if it is valid, not revoked and they still are one."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(raw)))
    if token is None or token.revoked_at is not None or not token.facilitator.is_admin:
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.facilitator


def tokens_of(admin: Facilitator) -> list[ApiToken]:
    """An administrator's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.facilitator_id == admin.id)
                                   .order_by(ApiToken.id.desc())))


def revoke_all(person: Facilitator) -> None:
    """Revoke every token of ``person`` (no longer an administrator); the caller commits."""
    for token in tokens_of(person):
        if token.revoked_at is None:
            token.revoked_at = utcnow()


def revoke(admin: Facilitator, token_id: int) -> ApiToken:
    """Revoke one of the administrator's own tokens."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.facilitator_id != admin.id:
        raise Refused("not_found", "There is no such token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.commit()
    return token
