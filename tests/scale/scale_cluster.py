"""Two ``facilitator serve`` workers behind nginx, sharing PostgreSQL and Redis.

The set-up of docs/deployment.md on one machine: the same DATABASE_URL, SECRET_KEY and
MESSAGE_QUEUE_URL for both workers, and nginx (deploy/nginx/facilitator.conf) in front with
sticky sessions by client address. Clients come from different loopback addresses
(127.0.0.2, 127.0.0.3, ...) so that nginx spreads them over both workers.
"""

import json
import os
import secrets
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest
import redis
from helpers.server import FACILITATOR, ROOT, LiveServer, browser, reset_postgres

from .scale_nginx import NginxFront, nginx_binary

DEFAULT_DATABASE = "postgresql://postgres@127.0.0.1:5432/test"
DEFAULT_QUEUE = "redis://127.0.0.1:6379/15"
ADDRESSES = [f"127.0.0.{n}" for n in range(2, 64)]


def database_url() -> str:
    """The PostgreSQL database the workers share (``TEST_DATABASE_URL``)."""
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE


def queue_url() -> str:
    """The Redis database of the message queue (``TEST_REDIS_URL``); the test flushes it."""
    return os.environ.get("TEST_REDIS_URL") or DEFAULT_QUEUE


def require_services(database: str, queue: str) -> str:
    """Fail (never skip) unless PostgreSQL, Redis and nginx are there; return nginx's path."""
    try:
        psycopg2.connect(database, connect_timeout=5).close()
    except psycopg2.OperationalError as exc:
        pytest.fail(f"The two-worker test needs PostgreSQL at {database} "
                    f"(set TEST_DATABASE_URL): {exc}".strip())
    try:
        with redis.Redis.from_url(queue, socket_connect_timeout=5) as client:
            client.ping()
    except redis.RedisError as exc:
        pytest.fail(f"The two-worker test needs Redis at {queue} (set TEST_REDIS_URL): {exc}")
    binary = nginx_binary()
    if binary is None:
        pytest.fail("The two-worker test needs nginx: `apt-get install nginx` (Debian puts it "
                    f"in /usr/sbin), or NGINX set to its path (NGINX={os.environ.get('NGINX')}).")
    return binary


def distinct_ports(count: int) -> list[int]:
    """``count`` different free TCP ports of 127.0.0.1 (all held open while chosen)."""
    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def flush_queue(queue: str) -> None:
    """Empty the message queue's Redis database."""
    with redis.Redis.from_url(queue) as client:
        client.flushdb()


@dataclass
class Cluster:
    """The processes of one scale-out set-up, and the demo group made for it."""

    workdir: Path
    database: str = field(default_factory=database_url)
    queue: str = field(default_factory=queue_url)
    workers: list[LiveServer] = field(default_factory=list)
    front: NginxFront | None = None
    demo: dict = field(default_factory=dict)
    placement: dict[str, list[str]] = field(default_factory=dict)

    @property
    def group(self) -> dict:
        """The demo group: ids, the facilitator's login, the participants' join paths."""
        return self.demo["groups"][0]

    def start(self) -> None:
        """Fresh database and queue, the demo group, two workers, nginx; map addresses."""
        binary = require_services(self.database, self.queue)
        front_port, redirect_port, *worker_ports = distinct_ports(4)
        origin = f"http://127.0.0.1:{front_port}"
        env = self.environment(origin)
        reset_postgres(self.database)
        flush_queue(self.queue)
        self.demo = self.make_demo(env)
        for name, port in zip("ab", worker_ports, strict=True):
            workdir = self.workdir / f"worker-{name}"
            workdir.mkdir()
            self.workers.append(LiveServer(workdir, port=port, env=env, demo=self.demo))
        with ThreadPoolExecutor(len(self.workers)) as pool:  # both start at once, as at boot
            for started in [pool.submit(worker.start) for worker in self.workers]:
                started.result()
        self.front = NginxFront(binary, self.workdir / "nginx", self.worker_ids(), front_port,
                                redirect_port)
        self.front.workdir.mkdir()
        self.front.start()
        self.placement = self.map_addresses()

    def environment(self, origin: str) -> dict:
        """What both workers share: database, secret key, message queue, allowed origin."""
        env = {k: v for k, v in os.environ.items() if k != "FACILITATOR_ENV"}
        env.update(DATABASE_URL=self.database, SECRET_KEY=secrets.token_hex(32),
                   MESSAGE_QUEUE_URL=self.queue, ALLOWED_ORIGINS=origin,
                   # Only a publish drops a worker's shared snapshot half in these tests.
                   SHARED_SNAPSHOT_SECONDS="600", PYTHONUNBUFFERED="1")
        return env

    def make_demo(self, env: dict) -> dict:
        """Run ``facilitator demo --json`` (one group, four participants) on the database."""
        done = subprocess.run(
            [FACILITATOR, "demo", "--json", "--groups", "1", "--participants", "4"],
            env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, f"facilitator demo failed:\n{done.stderr}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def worker_ids(self) -> list[str]:
        """Each worker's id as the ``connections`` table and nginx's $upstream_addr show it."""
        return [f"127.0.0.1:{worker.port}" for worker in self.workers]

    def map_addresses(self) -> dict[str, list[str]]:
        """Ask nginx where each client address goes: worker id -> addresses sent there."""
        placement: dict[str, list[str]] = {worker: [] for worker in self.worker_ids()}
        for address in ADDRESSES:
            with browser(address) as http:
                answer = http.get(self.front.base_url + "/healthz", timeout=5)
            placement[answer.headers["X-Upstream"]].append(address)
        for worker, addresses in placement.items():
            assert len(addresses) >= 6, f"nginx sends too few addresses to {worker}: {placement}"
        return placement

    def address_on(self, worker: str, index: int) -> str:
        """The ``index``-th client address that nginx sends to ``worker``."""
        return self.placement[worker][index]

    def worker_of(self, sid: str) -> str | None:
        """The worker holding live connection ``sid``, from the ``connections`` table."""
        with closing(psycopg2.connect(self.database)) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT worker FROM connections WHERE sid = %s", (sid,))
            row = cursor.fetchone()
        return row[0] if row else None

    def logs(self) -> str:
        """Both workers' output and nginx's error log, to explain a failure."""
        parts = [f"--- worker {w.port} ---\n{w.log()}" for w in self.workers]
        if self.front is not None:
            parts.append(f"--- nginx ---\n{self.front.error_log()}")
        return "\n".join(parts)

    def assert_running(self) -> None:
        """Both workers and nginx are still up."""
        processes = [w.process for w in self.workers] + [self.front.process]
        assert all(p is not None and p.poll() is None for p in processes), (
            f"a process of the set-up died:\n{self.logs()}")

    def stop(self) -> None:
        """Stop nginx and both workers, whatever happened before."""
        if self.front is not None:
            self.front.stop()
        for worker in self.workers:
            worker.stop()
