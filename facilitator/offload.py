"""Work that would hold the event loop, run in eventlet's native-thread pool when serving.

Under eventlet every live connection of a worker shares one thread: a call that keeps the CPU
(a password hash) stalls every participant's event for as long (docs/performance.md). Such
work goes through ``off_the_loop``: in a server running under eventlet it runs in eventlet's
pool of native threads (``eventlet.tpool``) while the loop serves everyone else; anywhere else
(tests in ``threading`` mode, CLI commands) it is a plain call. The work must release the GIL
to help (``hashlib.scrypt`` does) and must not touch the database or the app's state.
"""

import sys
import threading

from flask import current_app

# scrypt at N=2**17, r=8 takes 128 MB while it runs: bounded (OFF_LOOP_AT_ONCE), a burst of
# sign-ins queues here instead of taking that much memory per sign-in at once.
_slots: dict[int, threading.BoundedSemaphore] = {}


def under_eventlet() -> bool:
    """Tell whether this process serves under eventlet (configured so, and patched)."""
    if current_app.config.get("SOCKETIO_ASYNC_MODE") != "eventlet":
        return False
    patcher = sys.modules.get("eventlet.patcher")
    return patcher is not None and patcher.is_monkey_patched("thread")


def off_the_loop(work, *args):
    """Return ``work(*args)``, run in a native thread when serving under eventlet."""
    if not under_eventlet():
        return work(*args)
    from eventlet import tpool

    with slots(current_app.config.get("OFF_LOOP_AT_ONCE", 2)):
        return tpool.execute(work, *args)


def start_pool() -> None:
    """Start eventlet's native threads before serving, when serving under eventlet.

    ``tpool`` starts its threads at its first use and waits for each to begin, blocking the
    loop meanwhile: a sign-in must not be the first use.
    """
    if under_eventlet():
        from eventlet import tpool

        tpool.setup()


def slots(size: int) -> threading.BoundedSemaphore:
    """The semaphore bounding heavy calls in flight (green-aware once eventlet patched)."""
    if size not in _slots:
        _slots[size] = threading.BoundedSemaphore(size)
    return _slots[size]
