"""Error pages: JSON for clients that ask for it, a calm HTML page for people."""

import logging
import secrets

from flask import render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db
from ..logs import log_unexpected

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """Tell whether the client prefers JSON to HTML."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" or request.path.startswith("/api/")


def render_error(code: int, title: str, message: str, reference: str | None = None):
    """Answer an error as JSON or as a page (with the reference an administrator can look up)."""
    if wants_json():
        error = {"code": code, "title": title, "message": message}
        return {"error": {**error, "reference": reference} if reference else error}, code
    return render_template("errors/error.html", code=code, title=title, message=message,
                           reference=reference), code


def handle_http(exc: HTTPException):
    """Render any HTTP error."""
    return render_error(exc.code or 500, exc.name, exc.description or "")


def handle_csrf(exc: CSRFError):
    """A form sent without a valid CSRF token: ask to reload, never a crash."""
    return render_error(400, "Form expired",
                        "This form was open too long or came from elsewhere. "
                        "Please go back, reload the page and try again.")


def handle_unexpected(exc: Exception):
    """An unexpected failure: roll back, log its type and stack under a reference, and show a
    calm page with that reference."""
    db.session.rollback()
    reference = secrets.token_hex(6)
    log_unexpected(log, f"{request.method} {request.url_rule or 'request'}", exc, reference)
    return render_error(500, "Something went wrong",
                        "Nothing you sent was shown to anyone. Please try again.", reference)


def init_app(app) -> None:
    """Register the error handlers."""
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
