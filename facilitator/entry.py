"""The ``facilitator`` console script. ``serve`` patches eventlet before anything else loads."""

import os
import sys


def main() -> None:
    """Patch for eventlet when serving, then hand over to the Flask CLI group."""
    serving = len(sys.argv) > 1 and sys.argv[1] == "serve"
    if serving and os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet") == "eventlet":
        import eventlet

        eventlet.monkey_patch()
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()
    from .cli import main as cli_main

    cli_main()
