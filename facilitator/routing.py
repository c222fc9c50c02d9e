"""URL converters."""

from werkzeug.routing import IntegerConverter


class IdConverter(IntegerConverter):
    """A database id in a URL: a positive integer that fits the id column (else 404)."""

    def __init__(self, url_map):
        super().__init__(url_map, min=1, max=2**31 - 1)
