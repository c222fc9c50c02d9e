"""Business rules: plain functions that know nothing of HTTP or Socket.IO."""


class Refused(Exception):
    """A request the rules turn down, with a protocol error code and a plain message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
