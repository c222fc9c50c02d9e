"""The ``facilitator`` console script. ``serve`` patches eventlet before anything else loads."""

import os
import sys
import warnings


def main() -> None:
    """Patch for eventlet when serving, then hand over to the Flask CLI group."""
    serving = len(sys.argv) > 1 and sys.argv[1] == "serve"
    if serving and os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet") == "eventlet":
        # eventlet announces its own deprecation on import; the stack is chosen (see
        # docs/deployment.md), so a newcomer's `make run` should not open with a warning.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
            import eventlet

        eventlet.monkey_patch()
        from psycogreen.eventlet import patch_psycopg

        patch_psycopg()
    from .cli import main as cli_main

    cli_main()
