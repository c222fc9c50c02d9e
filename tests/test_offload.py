"""Password work leaves the event loop only in a server running under eventlet.

The server side (eventlet, the production hash, a participant's acks while a facilitator
signs in) is proven in tests/server/test_signin_does_not_stall.py; these tests pin the
choice itself: a plain call wherever there is no eventlet loop to keep free.
"""

import threading

from facilitator import offload
from facilitator.models import Facilitator
from facilitator.services.passwords import hash_matches, hash_password


def test_threading_mode_runs_the_work_here(app):
    with app.app_context():
        assert app.config["SOCKETIO_ASYNC_MODE"] == "threading"
        assert not offload.under_eventlet()
        assert offload.off_the_loop(threading.get_ident) == threading.get_ident()


def test_eventlet_configured_but_not_patched_runs_the_work_here(app):
    # A CLI command (``facilitator demo``) reads the same configuration but never patches.
    app.config["SOCKETIO_ASYNC_MODE"] = "eventlet"
    with app.app_context():
        assert not offload.under_eventlet()
        assert offload.off_the_loop(threading.get_ident) == threading.get_ident()


def test_hash_and_check_go_together(app):
    with app.app_context():
        stored = hash_password("a long enough password", app.config["PASSWORD_HASH_METHOD"])
        assert stored.startswith("scrypt:16384:8:1$")
        assert hash_matches(stored, "a long enough password")
        assert not hash_matches(stored, "another long password")


def test_facilitator_passwords_use_the_same_functions(app):
    with app.app_context():
        person = Facilitator(email="kim@example.org", name="Kim")
        person.set_password("a long enough password")
        assert person.check_password("a long enough password")
        assert not person.check_password("a long enough passwore")


def test_work_in_flight_is_bounded_by_one_semaphore_per_size(app):
    assert app.config["OFF_LOOP_AT_ONCE"] == 2
    assert offload.slots(2) is offload.slots(2)
    assert offload.slots(3) is not offload.slots(2)
