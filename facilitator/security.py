"""Security headers on every response."""

from flask import abort, current_app, request

from .services.text import TEXT_REFUSED, is_safe_text

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def init_app(app) -> None:
    """Add the security headers to every response of ``app``; hold every form to the text rule."""
    app.after_request(add_headers)
    app.before_request(refuse_unsafe_form_text)


def refuse_unsafe_form_text() -> None:
    """Answer 400 to a form holding text the live events would refuse too (``services.text``).

    One rule for every form, so a form added later cannot forget it.
    """
    if request.method in ("POST", "PUT", "PATCH") and request.form:
        for values in request.form.listvalues():
            if not all(is_safe_text(value) for value in values):
                abort(400, TEXT_REFUSED)


def add_headers(response):
    """Set CSP, nosniff, referrer, framing and (in production) HSTS headers."""
    headers = response.headers
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if response.mimetype == "text/html" or response.mimetype == "application/json":
        headers["Cache-Control"] = "no-store"
    if current_app.config.get("PRODUCTION"):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response
