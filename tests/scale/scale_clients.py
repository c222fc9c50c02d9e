"""People at their own computers: a browser and a live connection from one client address.

Each person's requests leave from a loopback address of their own (127.0.0.2, ...), so the
test's nginx, hashing the client address, sends them to the worker that address maps to.
A person can also move to another address (another network), as when a laptop signs out
from a different place than the phone that holds the live connection.
"""

import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from helpers.server import (
    EVENT_TIMEOUT,
    NAMESPACE,
    LiveClient,
    SourceAddressAdapter,
    browser,
    connect,
    csrf_token,
    join,
    sign_in,
)

from .scale_cluster import Cluster

WEBSOCKET = ("websocket",)
POLLING = ("polling",)
UPGRADE = ("polling", "websocket")  # what a browser does: long-polling, then WebSocket


def connect_from(base: str, address: str, cookies: dict, transports, closing: list):
    """Open a live connection to ``base`` whose every request leaves from ``address``.

    Long-polling uses a ``requests`` session bound to the address; WebSocket a TCP socket
    bound and connected beforehand (websocket-client's ``socket`` option). Whatever is opened
    is added to ``closing``, whether the connection is accepted or refused.
    """
    http = browser(address)
    closing.append(http)
    options = {"http_session": http}
    if "websocket" in transports:
        parts = urlsplit(base)
        tcp = socket.create_connection((parts.hostname, parts.port), timeout=EVENT_TIMEOUT,
                                       source_address=(address, 0))
        closing.append(tcp)
        options["websocket_extra_options"] = {"suppress_origin": True, "socket": tcp}
    return connect(base, cookies, transports=transports, **options)


@dataclass
class Person:
    """A facilitator or participant: an HTTP session and, once live, a connection."""

    kind: str
    id: object
    address: str
    http: requests.Session
    front: str
    closing: list = field(default_factory=list)
    live: LiveClient | None = None
    state: dict = field(default_factory=dict)

    def go_live(self, session_id, transports=WEBSOCKET) -> LiveClient:
        """Connect through the front from this person's address and join the session."""
        self.live = connect_from(self.front, self.address, self.http.cookies.get_dict(),
                                 transports, self.closing)
        self.closing.append(self.live)
        self.state = join(self.live, session_id)
        return self.live

    def move_to(self, address: str) -> None:
        """Send this person's later HTTP requests from ``address`` (same cookies)."""
        self.address = address
        self.http.mount("http://", SourceAddressAdapter(address))

    def post_form(self, page: str, path: str) -> requests.Response:
        """Open ``page`` for its CSRF token, then post a form to ``path``; return the answer."""
        shown = self.http.get(self.front + page, timeout=10)
        assert shown.status_code == 200, f"GET {page}: {shown.status_code}"
        return self.http.post(self.front + path, data={"csrf_token": csrf_token(shown.text)},
                              allow_redirects=False, timeout=10)

    def close(self) -> None:
        """Disconnect and close everything this person opened."""
        for thing in reversed(self.closing):
            if isinstance(thing, LiveClient):
                if thing.connected:
                    thing.disconnect()
            else:
                thing.close()
        self.http.close()


class Crowd:
    """The people of one test, placed on the workers the test asks for."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.people: list[Person] = []
        self.used = {worker: 0 for worker in cluster.worker_ids()}

    @property
    def front(self) -> str:
        """Where everyone connects: nginx."""
        return self.cluster.front.base_url

    @property
    def session_id(self):
        """The demo group's first session."""
        return self.cluster.group["session_id"]

    def address_on(self, worker: str) -> str:
        """A client address nobody in this test has used yet that nginx sends to ``worker``."""
        index = self.used[worker]
        self.used[worker] += 1
        return self.cluster.address_on(worker, index)

    def facilitator(self, on: str, transports=WEBSOCKET) -> Person:
        """The demo facilitator, signed in through nginx and live on worker ``on``."""
        address = self.address_on(on)
        login = self.cluster.group["facilitator"]
        http = browser(address)
        answer = sign_in(http, self.front, login["email"], login["password"])
        assert answer.status_code == 302, f"sign-in through nginx: {answer.status_code}"
        return self.go_live(Person("facilitator", None, address, http, self.front), on,
                           transports)

    def participant(self, number: int, on: str, transports=WEBSOCKET) -> Person:
        """Demo participant ``number``, joined by their link through nginx, live on ``on``."""
        address = self.address_on(on)
        member = self.cluster.group["participants"][number]
        http = browser(address)
        answer = http.get(self.front + member["join_path"], allow_redirects=False, timeout=10)
        assert answer.status_code == 302, f"join through nginx: {answer.status_code}"
        person = Person("participant", member["participant_id"], address, http, self.front)
        return self.go_live(person, on, transports)

    def go_live(self, person: Person, worker: str, transports) -> Person:
        """Connect ``person`` and check that the ``connections`` table puts them on ``worker``."""
        self.people.append(person)
        person.go_live(self.session_id, transports)
        person.id = person.state["me"]["id"]
        sid = person.live.get_sid(NAMESPACE)
        assert self.cluster.worker_of(sid) == worker, (
            f"{person.kind} {person.id} from {person.address} is not on {worker}")
        return person

    def close(self) -> None:
        """Close every person's connections and sessions."""
        for person in self.people:
            person.close()
