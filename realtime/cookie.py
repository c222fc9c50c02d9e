"""The Flask session of a live event: the connection's own copy, not the cookie again."""

from flask.sessions import SecureCookieSessionInterface


class LiveEventSessions(SecureCookieSessionInterface):
    """Open a live event's session from its connection; HTTP requests from their cookie.

    Flask opens a session for every request context it pushes, and Flask-SocketIO pushes one
    per live event, only to replace that session with the copy it keeps for the connection
    (``saved_session`` in the connection's environ, made when it connected; see
    ``manage_session`` in Flask-SocketIO's documentation). Verifying and decoding the signed
    cookie again on every event is wasted work, so the connection's copy is returned at once.
    An HTTP request's environ never holds one and opens its cookie as before.
    """

    def open_session(self, app, request):
        """The connection's session for a live event, else the cookie's."""
        saved = request.environ.get("saved_session")
        if saved is not None:
            return saved
        return super().open_session(app, request)
