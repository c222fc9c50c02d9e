"""Signing in and out: facilitators with a password, participants with their join link."""

import hashlib
import secrets
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import and_, bindparam, select
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from realtime.publish import disconnect_sids

from ..db import loading
from ..extensions import db, login_manager
from ..models import (
    SUPERVISOR,
    Facilitator,
    GroupFacilitator,
    GroupSession,
    JoinLink,
    Participant,
    ParticipantLogin,
    utcnow,
)
from ..services import access, lockout
from ..services.groups import current_session, link_by_token
from ..services.live import connection_sids

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    """The facilitator's sign-in form."""

    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])


def init_app(app) -> None:
    """Wire Flask-Login and this blueprint into the app."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
    app.before_request(enforce_session_lifetime)


@login_manager.user_loader
def load_user(login_id: str):
    """Load a facilitator (``f:ID:VERSION``) or a participant's join link (``p:LINK``).

    A live event that named a session has already loaded its sender with that session in
    one query (``load_sender``, kept on ``g.event_sender``): that sender is returned, so
    Flask-Login's own loading (session protection, signals) runs with no second query.
    """
    sender = g.get("event_sender")
    if sender is not None and sender[0] == login_id:
        return sender[1]
    kind, number, version = parse_login_id(login_id)
    if number is None:
        return None
    if kind == "f":
        return facilitator_login(number, version)
    if kind == "p":
        return participant_login(number)
    return None


def parse_login_id(login_id: str) -> tuple[str, int | None, str]:
    """Split a login id into its kind, its number (None if malformed) and its version."""
    kind, _, raw = login_id.partition(":")
    raw, _, version = raw.partition(":")
    return kind, int(raw) if raw.isdigit() else None, version


def facilitator_claim(login_id: str) -> tuple[int, int] | None:
    """The facilitator id and session version a login id claims; None for anyone else.

    A claim, not a sign-in: whoever acts on it checks the version against the account.
    """
    kind, number, version = parse_login_id(login_id)
    if kind != "f" or number is None or not version.isdigit():
        return None
    return number, int(version)


def link_claim(login_id: str) -> int | None:
    """The join link a participant's login id claims; None for anyone else (see above)."""
    kind, number, _ = parse_login_id(login_id)
    return number if kind == "p" else None


# Every live event of a facilitator runs this: the account, and the groups they run (one row
# per group; one row with a NULL group for a facilitator of no group yet).
ACCOUNT_AND_GROUPS = (
    select(*loading.columns(Facilitator), GroupFacilitator.group_id.label("run_group_id"))
    .outerjoin(GroupFacilitator, and_(GroupFacilitator.facilitator_id == Facilitator.id,
                                      GroupFacilitator.role != SUPERVISOR))
    .where(Facilitator.id == bindparam("facilitator_id"))
)

# Every live event of a participant runs this: plain Core, so the ORM builds no loader for it.
LINK_HOLDER = (
    select(JoinLink.revoked_at, *loading.columns(Participant))
    .join_from(JoinLink, Participant, JoinLink.participant)
    .where(JoinLink.id == bindparam("link_id"))
)


def with_session(query):
    """``query`` with the columns of the session ``session_id`` (NULL if there is none)."""
    return (query.add_columns(*loading.columns(GroupSession, "session_"))
            .outerjoin(GroupSession, GroupSession.id == bindparam("session_id")))


# A live event about a session (most of them) signs in and loads the session in one query.
ACCOUNT_GROUPS_AND_SESSION = with_session(ACCOUNT_AND_GROUPS)
LINK_HOLDER_AND_SESSION = with_session(LINK_HOLDER)


def facilitator_login(facilitator_id: int, version: str) -> Facilitator | None:
    """The facilitator, unless they signed out since (``session_version`` moved on).

    One Core query; the account becomes an ORM object of this session without being loaded
    again (``db.loading``), and the ids of the groups they run come with it
    (``Facilitator.runs`` needs no query of its own).
    """
    rows = db.session.connection().execute(
        ACCOUNT_AND_GROUPS, {"facilitator_id": facilitator_id}).all()
    return facilitator_from(rows, version)


def facilitator_from(rows: list, version: str) -> Facilitator | None:
    """The facilitator of ``ACCOUNT_AND_GROUPS``' rows, if ``version`` is still theirs."""
    if not rows or not access.version_holds(rows[0].session_version, version):
        return None
    user = loading.attach(Facilitator, rows[0]._mapping)
    user.known_group_ids = frozenset(row.run_group_id for row in rows
                                     if row.run_group_id is not None)
    return user


def participant_login(link_id: int) -> ParticipantLogin | None:
    """The participant signed in by a join link, unless the link was revoked.

    One Core query; the participant row becomes an ORM object of this session without
    being loaded again (``db.loading``), so what the event builds from it (a
    check-in's ``display_name``) needs no further query.
    """
    row = db.session.connection().execute(LINK_HOLDER, {"link_id": link_id}).first()
    return participant_from(row, link_id)


def participant_from(row, link_id: int) -> ParticipantLogin | None:
    """The participant of a ``LINK_HOLDER`` row, unless there is none or it was revoked."""
    if row is None or not access.link_holds(row.revoked_at):
        return None
    return ParticipantLogin(loading.attach(Participant, row._mapping), link_id)


def load_sender(login_id: str, session_id: int) -> tuple[object, GroupSession | None]:
    """What ``load_user`` returns, and the session ``session_id``, loaded by one query.

    For a live event about a session: the session becomes an object of this database
    session (``db.loading``), so ``access.load_session`` finds it without a query of
    its own as long as the caller holds it (the identity map holds objects weakly). No
    session is loaded for nobody, or when there is no such session.
    """
    kind, number, version = parse_login_id(login_id)
    if number is None or kind not in ("f", "p"):
        return None, None
    connection = db.session.connection()
    if kind == "f":
        rows = connection.execute(ACCOUNT_GROUPS_AND_SESSION,
                                  {"facilitator_id": number, "session_id": session_id}).all()
        user = facilitator_from(rows, version)
    else:
        row = connection.execute(LINK_HOLDER_AND_SESSION,
                                 {"link_id": number, "session_id": session_id}).first()
        user, rows = participant_from(row, number), [row]
    if user is None or rows[0].session_id is None:
        return user, None
    return user, loading.attach(GroupSession, rows[0]._mapping, "session_")


def session_expired() -> bool:
    """Tell whether the signed-in session was idle too long or outlived its lifetime."""
    return sign_in_expired(session, current_app.config)


def sign_in_expired(data, config) -> bool:
    """Tell whether the sign-in held in ``data`` (a session, or a live connection's copy of
    it) was idle longer than ``IDLE_TIMEOUT_MINUTES`` or is older than its lifetime.

    The idle rule is for facilitators (a console left open on a shared computer). A
    participant, whose personal join link signs them in again anyway, is never cut off for
    sitting quietly through a session; their sign-in still ends with its lifetime, and at
    once when their link is revoked.
    """
    if "signed_in_at" not in data:
        return False
    now = utcnow().timestamp()
    idle = config["IDLE_TIMEOUT_MINUTES"] * 60
    lifetime = config["SESSION_LIFETIME_HOURS"] * 3600
    idle_too_long = (not str(data.get("_user_id", "")).startswith("p:")
                     and now - data.get("seen_at", now) > idle)
    return idle_too_long or now - data["signed_in_at"] > lifetime


def enforce_session_lifetime() -> None:
    """Sign out a session idle too long or older than its absolute lifetime."""
    if session_expired():
        logout_user()
        session.clear()
    elif "signed_in_at" in session:
        session["seen_at"] = utcnow().timestamp()


def start_session(user) -> None:
    """Sign ``user`` in with a fresh session (no identifier carried over, no remember-me)."""
    session.clear()
    login_user(user, remember=False)
    now = utcnow().timestamp()
    session["signed_in_at"] = now
    session["seen_at"] = now
    session.permanent = False


DEVICE_SALT = "facilitator.device"
DEVICE_DAYS = 180


def device_cookie_name() -> str:
    """The trusted-browser cookie's name (``__Host-`` prefixed in production)."""
    return "__Host-device" if current_app.config.get("PRODUCTION") else "device"


def device_signer() -> URLSafeTimedSerializer:
    """Signs and checks device cookies with the app's secret key."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=DEVICE_SALT)


def account_digest(email: str) -> str:
    """Names the account in a device cookie without showing its e-mail address."""
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def trusted_device(email: str) -> str | None:
    """The id of this browser's device cookie if it is genuine and names ``email``."""
    raw = request.cookies.get(device_cookie_name())
    if not raw:
        return None
    try:
        claim = device_signer().loads(raw, max_age=DEVICE_DAYS * 86400)
    except BadData:
        return None
    if not isinstance(claim, dict) or claim.get("a") != account_digest(email):
        return None
    device = claim.get("d")
    return device if isinstance(device, str) and len(device) <= 64 else None


def remember_device(response, email: str):
    """Give the browser a fresh device cookie naming ``email`` (after a successful sign-in)."""
    value = device_signer().dumps({"a": account_digest(email), "d": secrets.token_urlsafe(16)})
    response.set_cookie(device_cookie_name(), value, max_age=DEVICE_DAYS * 86400, path="/",
                        secure=bool(current_app.config.get("PRODUCTION")), httponly=True,
                        samesite="Strict")
    return response


def password_matches(user: Facilitator | None, password: str) -> bool:
    """Check a password; an unknown account costs the same time (no account probing)."""
    if user is None:
        Facilitator(email="", name="").set_password(password)
        return False
    return user.check_password(password)


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the dashboard."""
    if target and any(ord(c) < 33 or ord(c) == 127 for c in target):
        target = None  # control characters or spaces: a header injection or a trick
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("pages.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign a facilitator in."""
    form = LoginForm()
    if request.method == "POST":
        email = (form.email.data or "").strip().lower()
        address = request.remote_addr or "unknown"
        device = trusted_device(email)
        if lockout.throttled(email, address, device, current_app.config):
            return render_template("auth/login.html", form=form, throttled=True), 429
        if form.validate_on_submit():
            user = db.session.scalar(select(Facilitator).where(Facilitator.email == email))
            if password_matches(user, form.password.data):
                return signed_in_response(user)
            lockout.record_failure(email, address, device)
            flash("That e-mail address and password do not match.", "error")
    return render_template("auth/login.html", form=form, throttled=False)


def signed_in_response(user: Facilitator):
    """Sign ``user`` in, tell them of failed attempts since last time, trust this browser."""
    failures = lockout.signed_in(user)
    start_session(user)
    if failures:
        flash(lockout.failures_notice(failures), "warning")
    response = redirect(safe_next(request.args.get("next")))
    return remember_device(response, user.email)


@bp.post("/logout")
@login_required
def logout():
    """Sign out and close this person's live connections at once."""
    sign_out()
    return redirect(url_for("auth.login"))


def sign_out() -> None:
    """End the current sign-in: a facilitator's copied cookies stop working (session
    version), the session is cleared and the person's live connections are closed."""
    kind, person_id, login_id = current_user.kind, current_user.id, current_user.get_id()
    if kind == "facilitator":
        current_user.session_version += 1  # cookies copied before now stop working
        db.session.commit()
    logout_user()
    session.clear()
    disconnect_sids(connection_sids(kind, person_id), [login_id])


@bp.get("/join/<token>")
def join(token: str):
    """Sign a participant in by their personal link and take them to their group's session.

    Only an enrolled member goes on to the group's sessions; anyone else gets their
    pre-group page (``facilitator.views.pregroup``).
    """
    link = link_by_token(token)
    if link is None:
        abort(404, "This join link is not valid any more. Ask your facilitator for a new one.")
    if current_user.is_authenticated and current_user.kind == "facilitator":
        sign_out()  # as "sign out" does: their other sign-ins and sockets end too
    start_session(ParticipantLogin(link.participant, link.id))
    if not access.takes_part(link.participant.status):
        return redirect(url_for("pregroup.page"))  # the pre-group page, or a clear closed one
    target = current_session(link.participant.group)
    if target is None:
        return redirect(url_for("pages.dashboard"))  # says so, with help in reach
    return redirect(url_for("pages.participant_live", session_id=target.id))
