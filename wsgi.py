"""Entry point for a production process: eventlet is patched before anything else loads."""

import eventlet

eventlet.monkey_patch()

from psycogreen.eventlet import patch_psycopg  # noqa: E402

patch_psycopg()

from facilitator import create_app  # noqa: E402

app = create_app()
