"""A real Facilitator server process on 127.0.0.1, and the clients that talk to it.

Flask-SocketIO's test client skips the transport, so Origin checks, message size limits and
server-side disconnects can only be seen against a real process. These helpers start one
(`facilitator demo --json`, then `facilitator serve`), sign people in over HTTP with
``requests`` and open live connections with python-socketio's client.
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests
import socketio
from requests.adapters import HTTPAdapter

from .process import ServerProcess

NAMESPACE = "/live"
ROOT = Path(__file__).resolve().parents[2]
# TEST_FACILITATOR_BIN: a stand-in for the command, e.g. bench/loop_watch.py (docs/performance.md).
FACILITATOR = os.environ.get("TEST_FACILITATOR_BIN") or str(
    Path(sys.executable).with_name("facilitator"))
START_TIMEOUT = 20.0
EVENT_TIMEOUT = 5.0
# Settings the app reads from the environment; a test server gets the defaults.
APP_SETTINGS = {
    "DATABASE_URL", "SECRET_KEY", "MESSAGE_QUEUE_URL", "MESSAGE_QUEUE_CHANNEL", "ALLOWED_ORIGINS",
    "FACILITATOR_ENV", "SOCKETIO_ASYNC_MODE", "IDLE_TIMEOUT_MINUTES", "SESSION_LIFETIME_HOURS",
    "TRUSTED_PROXIES", "PUBLIC_BASE_URL", "EVENT_RATE_PER_SECOND", "EVENT_RATE_BURST",
    "MAX_CONNECTIONS", "GC_GEN2_THRESHOLD", "CHECKINS_AT_ONCE",
    "PRESENCE_COALESCE_SECONDS", "SHARED_SNAPSHOT_SECONDS",
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema of the PostgreSQL test database."""
    import psycopg2

    connection = psycopg2.connect(url)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        connection.close()


def server_environment(workdir: Path, sqlite: bool = False) -> dict:
    """The environment of a test server: its own database, a fixed key, one process.

    The database is the PostgreSQL test database when TEST_DATABASE_URL names one (unless
    ``sqlite``), else a SQLite file in ``workdir``.
    """
    env = {k: v for k, v in os.environ.items() if k not in APP_SETTINGS}
    postgres = None if sqlite else os.environ.get("TEST_DATABASE_URL")
    if postgres:
        reset_postgres(postgres)
    env["DATABASE_URL"] = postgres or f"sqlite:///{workdir / 'db.sqlite3'}"
    env["SECRET_KEY"] = "test-secret"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class LiveServer:
    """One ``facilitator serve`` process, its database and the demo groups made for it."""

    workdir: Path
    port: int = field(default_factory=free_port)
    env: dict = field(default_factory=dict)
    demo: dict = field(default_factory=dict)
    server: ServerProcess | None = None
    # App settings for this server (e.g. IDLE_TIMEOUT_MINUTES), on top of the defaults.
    settings: dict = field(default_factory=dict)
    # Always a SQLite file of its own (the browser tests), whatever TEST_DATABASE_URL says.
    sqlite: bool = False

    @property
    def base_url(self) -> str:
        """Where the server answers, and the origin it accepts."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def process(self) -> subprocess.Popen | None:
        """The running ``facilitator serve`` process, or None."""
        return None if self.server is None else self.server.popen

    @property
    def log_path(self) -> Path:
        """The file holding the server's stdout and stderr."""
        return self.workdir / "server.log"

    def group(self, index: int = 0) -> dict:
        """One demo group: ids, the facilitator's login and the participants' join paths."""
        return self.demo["groups"][index]

    def prepare(self) -> None:
        """Create a fresh database holding the demo groups."""
        self.env = {**server_environment(self.workdir, self.sqlite), **self.settings}
        self.demo = self.run_demo("--groups", "2", "--participants", "3")

    def demo_group(self, participants: int = 3) -> dict:
        """Create one more demo group on this server's database and return it."""
        return self.run_demo("--participants", str(participants))["groups"][0]

    def run_demo(self, *args: str) -> dict:
        """Run ``facilitator demo --json`` with ``args``; return what it printed."""
        done = subprocess.run([FACILITATOR, "demo", "--json", *args], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, f"facilitator demo failed:\n{done.stderr}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self) -> None:
        """Start serving on ``port`` and wait until ``/healthz`` answers 200."""
        self.server = ServerProcess(
            [FACILITATOR, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            self.env, ROOT, self.log_path, self.port)
        try:
            self.server.start(START_TIMEOUT)
        except RuntimeError as failed:
            self.server = None
            raise AssertionError(f"the server did not come up:\n{self.log()}") from failed

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop) and reap it."""
        if self.server is not None:
            self.server.stop()
        self.server = None

    def crash(self) -> None:
        """SIGKILL the server, as a crash or a power cut would end it."""
        self.server.crash()
        self.server = None

    def log(self) -> str:
        """What the server wrote so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class SourceAddressAdapter(HTTPAdapter):
    """Connect from one loopback address (127.0.0.2, ...) as if from another computer."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(address: str | None = None) -> requests.Session:
    """An HTTP session (one cookie jar), optionally coming from another loopback address."""
    http = requests.Session()
    if address:
        http.mount("http://", SourceAddressAdapter(address))
    return http


def sign_in(http: requests.Session, base: str, email: str, password: str) -> requests.Response:
    """Post the sign-in form as a browser would: GET /login for the token, then POST."""
    token = csrf_token(http.get(base + "/login", timeout=10).text)
    return http.post(base + "/login", timeout=10, allow_redirects=False,
                     data={"email": email, "password": password, "csrf_token": token})


def facilitator_cookies(base: str, email: str, password: str) -> dict:
    """Sign a facilitator in through the form; return the session cookies."""
    with browser() as http:
        answer = sign_in(http, base, email, password)
        assert answer.status_code == 302, f"sign-in failed: {answer.status_code}"
        return http.cookies.get_dict()


def participant_cookies(base: str, join_path: str) -> dict:
    """Sign a participant in by their join link; return the session cookies."""
    with browser() as http:
        answer = http.get(base + join_path, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, f"join failed: {answer.status_code}"
        return http.cookies.get_dict()


def cookie_header(cookies: dict) -> str:
    """A ``Cookie`` request header carrying ``cookies``."""
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


class LiveClient(socketio.Client):
    """A python-socketio client of ``/live`` that records everything it receives."""

    def __init__(self, **options):
        options.setdefault("reconnection", False)
        # websocket-client adds its own Origin header unless told not to; ours must be the
        # only one, or the server sees two origins.
        options.setdefault("websocket_extra_options", {"suppress_origin": True})
        super().__init__(**options)
        self.received: list[tuple[str, object]] = []
        self.connects = 0
        self.disconnect_reasons: list[str] = []
        self.changed = threading.Condition()
        self.on("*", self._record, namespace=NAMESPACE)
        self.on("connect", self._connected, namespace=NAMESPACE)
        self.on("disconnect", self._disconnected, namespace=NAMESPACE)

    def _record(self, event, *args):
        with self.changed:
            self.received.append((event, args[0] if args else None))
            self.changed.notify_all()

    def _connected(self):
        with self.changed:
            self.connects += 1
            self.changed.notify_all()

    def _disconnected(self, reason=None):
        if reason == self.reason.TRANSPORT_ERROR:
            self._close_dropped_websocket()
        with self.changed:
            self.disconnect_reasons.append(str(reason))
            self.changed.notify_all()

    def _close_dropped_websocket(self):
        # engineio's client leaves a WebSocket that the server dropped open (a ResourceWarning).
        ws = getattr(self.eio, "ws", None)
        if ws is not None:
            ws.shutdown()

    def wait_until(self, condition, what: str, timeout: float = EVENT_TIMEOUT):
        """Wait (boundedly) until ``condition()`` is truthy; return its value.

        An event, connect or disconnect wakes the wait at once; other state (the transport,
        say) is looked at again every 50 ms.
        """
        deadline = time.monotonic() + timeout
        with self.changed:
            while not (value := condition()):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"waited {timeout} s for {what}; received {self.received}")
                self.changed.wait(min(left, 0.05))
            return value

    def wait_for_event(self, name: str, matches=lambda payload: True,
                       timeout: float = EVENT_TIMEOUT):
        """Wait for an event ``name`` whose payload ``matches``; return that payload."""
        def found():
            return next((p for e, p in reversed(self.received) if e == name and matches(p)),
                        None)
        return self.wait_until(found, f"a matching {name!r}", timeout)

    def wait_for_disconnect(self, timeout: float = EVENT_TIMEOUT) -> str:
        """Wait until the server closed this connection; return the reason."""
        self.wait_until(lambda: self.disconnect_reasons, "a disconnect", timeout)
        return self.disconnect_reasons[-1]


def connect(base: str, cookies: dict | None, origin: str | None = None,
            transports=("websocket",), **options) -> LiveClient:
    """Open a live connection with these cookies from ``origin`` (default: the server's)."""
    client = LiveClient(**options)
    headers = {"Origin": origin or base}
    if cookies:
        headers["Cookie"] = cookie_header(cookies)
    client.connect(base, headers=headers, namespaces=[NAMESPACE], transports=list(transports),
                   wait_timeout=EVENT_TIMEOUT)
    return client


def call(client: socketio.Client, event: str, payload: dict) -> dict:
    """Send one event and return its acknowledgement."""
    return client.call(event, payload, namespace=NAMESPACE, timeout=EVENT_TIMEOUT)


def join(client: socketio.Client, session_id) -> dict:
    """Join a session and return the ``state`` snapshot."""
    ack = call(client, "session:join", {"session_id": session_id})
    assert ack["ok"], ack
    return ack["state"]


def online(presence: dict) -> set[tuple[str, object]]:
    """``(kind, id)`` of everyone a ``presence`` payload shows online."""
    return {(p["kind"], p["id"]) for p in presence["people"] if p["online"]}
