"""The load generator: thousands of cheap Socket.IO clients in one asyncio process.

Each client is an ``asyncio.Protocol`` speaking RFC 6455 WebSocket, Engine.IO v4 and
Socket.IO v5 directly (``/socket.io/?EIO=4&transport=websocket``, ``40/live,`` to connect the
namespace, ``42/live,<id>[...]`` events, ``43/live,<id>[...]`` acks, ``2`` -> ``3`` pings),
so a client costs a few kilobytes and a received message a few microseconds: the generator
must stay much cheaper than the server it loads on a two-core machine. It can offer
permessage-deflate (``client_max_window_bits``) as browsers do, and inflates what comes back.

The generator holds both ends, so a fan-out latency is measured on one clock: from the
moment a facilitator's ``agenda:activate`` is written to the socket to the moment each
participant of the group reads the ``agenda:changed`` it causes.

It is driven by a plan (JSON, written by ``bench/run.py``) naming the servers, the people
and their cookies, and a list of phases; it writes one JSON result. Usage::

    python bench/loadgen.py plan.json result.json
"""

import asyncio
import base64
import json
import os
import random
import subprocess
import sys
import time
import uuid
import zlib
from collections import Counter

NAMESPACE = "/live"
EVENT = "42" + NAMESPACE + ","
ACK = "43" + NAMESPACE + ","
CLK_TCK = os.sysconf("SC_CLK_TCK")
now = time.perf_counter


def log(message: str) -> None:
    """Progress on stderr (the parent shows it)."""
    sys.stderr.write(f"[loadgen {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def proc_cpu(pid: int) -> float:
    """User + system CPU seconds of a process, from ``/proc/<pid>/stat``."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss(pid: int) -> int:
    """Resident set size of a process in bytes."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def own_cpu() -> float:
    """User + system CPU seconds of this process."""
    times = os.times()
    return times.user + times.system


def pct(values: list[float], scale: float = 1000.0) -> dict:
    """Count, mean and percentiles of ``values`` (seconds), in milliseconds by default."""
    if not values:
        return {"count": 0}
    ordered = sorted(values)
    count = len(ordered)

    def at(q: float) -> float:
        return round(ordered[min(count - 1, int(q * count))] * scale, 3)

    return {"count": count, "mean": round(sum(ordered) / count * scale, 3), "p50": at(0.50),
            "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1] * scale, 3)}


def mask_bytes(data: bytes, key: bytes) -> bytes:
    """XOR ``data`` with the 4-byte masking ``key`` (RFC 6455, 5.3), a whole int at a time."""
    size = len(data)
    if not size:
        return data
    stream = (key * (size // 4 + 1))[:size]
    value = int.from_bytes(data, "big") ^ int.from_bytes(stream, "big")
    return value.to_bytes(size, "big")


class Sink:
    """What one measurement (a window or a capacity step) collects."""

    def __init__(self, label: str):
        self.label = label
        self.fanout: list[tuple[float, float]] = []
        self.expected = 0
        self.delivered = 0
        self.acks: dict[str, list[float]] = {}
        self.acks_expected = 0
        self.acks_received = 0
        self.errors: Counter = Counter()
        self.lag: list[float] = []
        self.card_sent: dict[str, float] = {}
        self.card_latency: list[float] = []
        self.checkin_sent: dict[tuple[int, int], float] = {}
        self.checkin_latency: list[float] = []
        self.round: dict | None = None

    def ack(self, event: str, latency: float, answer: dict) -> bool:
        """Record one acknowledgement; return whether it was ``ok``."""
        self.acks_received += 1
        self.acks.setdefault(event, []).append(latency)
        if answer.get("ok"):
            return True
        self.errors[f"{event}:{answer.get('error', {}).get('code')}"] += 1
        return False

    def outstanding(self) -> int:
        """Deliveries and acknowledgements still awaited."""
        return (self.expected - self.delivered) + (self.acks_expected - self.acks_received)


class Push:
    """One ``agenda:activate``: when it left, which item, where its deliveries are counted."""

    __slots__ = ("t", "item", "sink")

    def __init__(self, item: int, sink: Sink):
        self.t = 0.0
        self.item = item
        self.sink = sink


class Group:
    """One group of one server: its session, agenda and connections."""

    def __init__(self, server: "Server", spec: dict):
        self.server = server
        self.group_id = spec["group_id"]
        self.session_id = spec["session_id"]
        self.fac: Conn = Conn(server, self, "facilitator", spec["facilitator"])
        self.parts: list[Conn] = [Conn(server, self, "participant", p)
                                  for p in spec["participants"]]
        self.items: list[int] = []
        self.ix = 0
        self.live = False


class Server:
    """A server under load and everyone connected to it."""

    def __init__(self, name: str, spec: dict, deflate: bool):
        self.name = name
        self.host = spec["host"]
        self.port = spec["port"]
        self.pid = spec["pid"]
        self.gc_endpoint = spec.get("gc_endpoint", False)
        self.deflate = deflate
        self.groups = [Group(self, g) for g in spec["groups"]]
        self.rx = 0
        self.pings = 0
        self.dropped = 0
        self.deflate_accepted = 0
        self.unmatched = 0

    def conns(self) -> list["Conn"]:
        """Every connection, facilitators first."""
        return [g.fac for g in self.groups] + [c for g in self.groups for c in g.parts]


class Conn(asyncio.Protocol):
    """One client: WebSocket framing, Engine.IO and the ``/live`` namespace."""

    def __init__(self, server: Server, group: Group, kind: str, spec: dict):
        self.server = server
        self.group = group
        self.kind = kind
        self.person_id = spec.get("id")
        self.cookie = spec.get("cookie", "")
        self.transport = None
        self.buf = bytearray()
        self.handshaken = False
        self.fragments: list[bytes] | None = None
        self.fragment_rsv1 = 0
        self.inflater = None
        self.reset_inflater = False
        self.acks: dict[int, tuple] = {}
        self.next_ack = 1
        self.pending: list[Push] = []
        self.ready: asyncio.Future | None = None
        self.open = False

    def reset(self) -> None:
        """Forget the old connection's state before connecting again (after a restart)."""
        self.transport = None
        self.buf = bytearray()
        self.handshaken = False
        self.fragments = None
        self.inflater = None
        self.reset_inflater = False
        self.acks.clear()
        self.pending.clear()
        self.ready = None
        self.open = False

    # --- transport ---------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        """Send the WebSocket upgrade request."""
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        host = f"{self.server.host}:{self.server.port}"
        lines = ["GET /socket.io/?EIO=4&transport=websocket HTTP/1.1", f"Host: {host}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13", f"Origin: http://{host}",
                 "User-Agent: facilitator-bench"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.server.deflate:
            lines.append("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits")
        transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())

    def connection_lost(self, exc) -> None:
        """Count a dropped connection."""
        if self.open:
            self.server.dropped += 1
        self.open = False
        if self.ready is not None and not self.ready.done():
            self.ready.set_exception(ConnectionError("connection closed"))

    def data_received(self, data: bytes) -> None:
        """Parse the handshake answer, then frames."""
        self.buf += data
        if not self.handshaken:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self.buf[:end]).decode("latin-1")
            del self.buf[:end + 4]
            if " 101 " not in head.split("\r\n", 1)[0]:
                self.fail(f"upgrade refused: {head.splitlines()[0]}")
                return
            self.handshaken = True
            extensions = [line.split(":", 1)[1].strip().lower() for line in head.split("\r\n")
                          if line.lower().startswith("sec-websocket-extensions:")]
            if any("permessage-deflate" in e for e in extensions):
                self.server.deflate_accepted += 1
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self.reset_inflater = any("server_no_context_takeover" in e for e in extensions)
        self.frames()

    def frames(self) -> None:
        """Take every complete frame out of the buffer."""
        buf = self.buf
        size = len(buf)
        pos = 0
        while size - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            length = b1 & 0x7F
            head = 2
            if length == 126:
                if size - pos < 4:
                    break
                length = int.from_bytes(buf[pos + 2:pos + 4], "big")
                head = 4
            elif length == 127:
                if size - pos < 10:
                    break
                length = int.from_bytes(buf[pos + 2:pos + 10], "big")
                head = 10
            masked = b1 & 0x80
            if masked:
                head += 4
            end = pos + head + length
            if end > size:
                break
            payload = bytes(buf[pos + head:end])
            if masked:
                payload = mask_bytes(payload, bytes(buf[pos + head - 4:pos + head]))
            pos = end
            self.frame(b0, payload)
        if pos:
            del buf[:pos]

    def frame(self, b0: int, payload: bytes) -> None:
        """Handle one frame: data (maybe fragmented, maybe deflated), ping, close."""
        opcode = b0 & 0x0F
        if opcode in (1, 2):
            if b0 & 0x80:
                self.message(payload, b0 & 0x40)
            else:
                self.fragments, self.fragment_rsv1 = [payload], b0 & 0x40
        elif opcode == 0 and self.fragments is not None:
            self.fragments.append(payload)
            if b0 & 0x80:
                whole, self.fragments = b"".join(self.fragments), None
                self.message(whole, self.fragment_rsv1)
        elif opcode == 9:
            self.write_frame(0xA, payload)
        elif opcode == 8:
            self.transport.close()

    def write_frame(self, opcode: int, data: bytes) -> None:
        """Write one masked frame (clients must mask; we never compress what we send)."""
        size = len(data)
        if size < 126:
            head = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        key = os.urandom(4)
        self.transport.write(head + key + mask_bytes(data, key))

    def send_text(self, text: str) -> None:
        """Send one text message."""
        if self.transport is not None and not self.transport.is_closing():
            self.write_frame(0x1, text.encode())

    def fail(self, why: str) -> None:
        """Give up on this connection."""
        if self.ready is not None and not self.ready.done():
            self.ready.set_exception(ConnectionError(why))
        if self.transport is not None:
            self.transport.close()

    # --- Engine.IO / Socket.IO -----------------------------------------------------------
    def message(self, payload: bytes, compressed: int) -> None:
        """One Engine.IO packet."""
        if compressed:
            payload = self.inflater.decompress(payload + b"\x00\x00\xff\xff")
            if self.reset_inflater:
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        text = payload.decode()
        first = text[:1]
        if first == "4":
            self.packet(text)
        elif first == "2":
            self.server.pings += 1
            self.send_text("3")
        elif first == "0":
            self.send_text("40" + NAMESPACE + ",")
        elif first == "1":
            self.transport.close()

    def packet(self, text: str) -> None:
        """One Socket.IO packet (an Engine.IO message)."""
        if text.startswith(EVENT):
            self.server.rx += 1
            self.on_event(text, now())
        elif text.startswith(ACK):
            self.server.rx += 1
            t = now()
            cut = text.index("[", len(ACK))
            entry = self.acks.pop(int(text[len(ACK):cut]), None)
            if entry is not None:
                callback, sent = entry
                callback(self, json.loads(text[cut:])[0], t, sent)
        elif text.startswith("40" + NAMESPACE):
            self.open = True
            if self.ready is not None and not self.ready.done():
                self.ready.set_result(True)
        elif text.startswith("44" + NAMESPACE):
            self.fail(f"connect_error {text[len('44/live,'):]}")
        elif text.startswith("41" + NAMESPACE):
            self.open = False
            self.server.dropped += 1

    def emit(self, event: str, data: dict, callback) -> float:
        """Send an event asking for an ack; ``callback(conn, answer, t_recv, t_sent)``."""
        ack_id = self.next_ack
        self.next_ack += 1
        text = f"{EVENT}{ack_id}" + json.dumps([event, data], separators=(",", ":"))
        sent = now()
        self.acks[ack_id] = (callback, sent)
        self.send_text(text)
        return sent

    def call(self, event: str, data: dict) -> asyncio.Future:
        """Send an event; the future gets its acknowledgement."""
        future = asyncio.get_running_loop().create_future()

        def done(_conn, answer, _t, _sent):
            if not future.done():
                future.set_result(answer)

        self.emit(event, data, done)
        return future

    def on_event(self, text: str, t: float) -> None:
        """A server-to-client event: match it with what caused it."""
        name = text[len(EVENT) + 2:text.index('"', len(EVENT) + 2)]
        if name == "agenda:changed":
            if self.kind == "participant":
                self.agenda_changed(json.loads(text[len(EVENT):])[1], t)
        elif name == "card:pending":
            card = json.loads(text[len(EVENT):])[1]
            token = card.get("text", "")[1:].split(" ", 1)[0]
            for sink in GEN.sinks:
                sent = sink.card_sent.pop(token, None)
                if sent is not None:
                    sink.card_latency.append(t - sent)
                    break
        elif name == "checkin:received":
            checkin = json.loads(text[len(EVENT):])[1]
            key = (self.group.session_id, checkin.get("participant_id"))
            for sink in GEN.sinks:
                sent = sink.checkin_sent.pop(key, None)
                if sent is not None:
                    sink.checkin_latency.append(t - sent)
                    break

    def agenda_changed(self, data: dict, t: float) -> None:
        """Match an ``agenda:changed`` with the oldest push of that item still awaited here."""
        item = data.get("current_item_id")
        pending = self.pending
        for index, push in enumerate(pending):
            if push.item == item:
                del pending[index]
                sink = push.sink
                sink.delivered += 1
                sink.fanout.append((push.t, t - push.t))
                return
        self.server.unmatched += 1


class Generator:
    """Runs the plan: connect everyone, then each phase in turn."""

    def __init__(self, plan: dict):
        self.plan = plan
        self.params = plan["params"]
        self.servers = {name: Server(name, spec, plan.get("deflate", False))
                        for name, spec in plan["servers"].items()}
        self.sinks: list[Sink] = []
        self.capacities: dict[tuple, float] = {}
        self.profiler: subprocess.Popen | None = None
        self.cards = 0
        self.turn = 0  # which group pushes next in a capacity step
        self.random = random.Random(plan.get("seed", 1))

    # --- helpers -----------------------------------------------------------------------
    async def http_get(self, server: Server, path: str) -> dict | None:
        """GET a JSON document from the server (the app's GC figures)."""
        try:
            reader, writer = await asyncio.open_connection(server.host, server.port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
                         "Connection: close\r\n\r\n".encode())
            raw = await asyncio.wait_for(reader.read(), 10)
            writer.close()
            return json.loads(raw.split(b"\r\n\r\n", 1)[1])
        except (TimeoutError, OSError, ValueError):
            return None

    async def settle(self, sink: Sink, limit: float) -> float:
        """Wait until nothing is outstanding or ``limit`` seconds passed; return the wait."""
        start = now()
        while sink.outstanding() > 0 and now() - start < limit:
            await asyncio.sleep(0.02)
        return now() - start

    def maybe_profile(self, server: Server, seconds: float) -> None:
        """Sample the first window of the profiled server with py-spy (collapsed stacks)."""
        profile = self.plan.get("profile")
        if not profile or profile["server"] != server.name or profile.get("started"):
            return
        profile["started"] = True
        self.profiler = subprocess.Popen(
            [profile["py_spy"], "record", "-p", str(server.pid), "-d", str(int(seconds)),
             "-r", "100", "-f", "raw", "-o", profile["output"]],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    @staticmethod
    def cpu(servers: list[Server]) -> float:
        """CPU seconds of the servers' processes together."""
        return sum(proc_cpu(server.pid) for server in servers)

    def forget_pending(self, server: Server) -> None:
        """Deliveries still awaited after a measurement are lost: stop matching them."""
        for conn in server.conns():
            conn.pending.clear()

    # --- setup -------------------------------------------------------------------------
    async def join_one(self, server: Server, conn: Conn, gate: asyncio.Semaphore,
                       seen: dict) -> None:
        """Connect one client and join its session; record times, failures and the state."""
        loop = asyncio.get_running_loop()
        async with gate:
            conn.ready = loop.create_future()
            start = now()
            limit = self.params.get("connect_timeout", 60)
            try:
                await asyncio.wait_for(
                    loop.create_connection(lambda: conn, server.host, server.port), limit)
                await asyncio.wait_for(conn.ready, max(0.1, limit - (now() - start)))
                connected = now()
                seen["connect"].append(connected - start)
                group = conn.group
                answer = await asyncio.wait_for(conn.call("session:join", {
                    "session_id": group.session_id, "kind": conn.kind,
                    "person_id": conn.person_id, "group_id": group.group_id}), 60)
            except (TimeoutError, OSError, ConnectionError) as exc:
                seen["failures"][type(exc).__name__ + ": " + str(exc)[:80]] += 1
                if conn.transport is not None:
                    conn.transport.close()
                return
            seen["join"].append(now() - connected)
            if not answer.get("ok"):
                seen["failures"][f"join {answer.get('error', {}).get('code')}"] += 1
                return
            seen["joined"] += 1
            state = answer["state"]
            conn.person_id = state["me"]["id"]
            if conn.kind == "facilitator":
                group.items = [item["id"] for item in state["agenda"]]
                group.live = state["session"].get("status") == "live"

    @staticmethod
    def tally() -> dict:
        """An empty record for ``join_one``."""
        return {"connect": [], "join": [], "failures": Counter(), "joined": 0}

    async def start_sessions(self, server: Server) -> int:
        """Every facilitator starts their session (a live one stays as it is)."""
        starts = await asyncio.gather(*(
            asyncio.wait_for(g.fac.call("session:start", {"session_id": g.session_id}), 60)
            for g in server.groups if g.fac.open), return_exceptions=True)
        return sum(1 for a in starts if isinstance(a, dict) and a.get("ok"))

    async def connect_all(self, server: Server) -> dict:
        """Open every connection and join every session; measure times and memory."""
        rss0, cpu0 = proc_rss(server.pid), proc_cpu(server.pid)
        seen = self.tally()
        gate = asyncio.Semaphore(self.params.get("connect_concurrency", 32))
        start = now()
        conns = server.conns()
        facilitators = [g.fac for g in server.groups]
        await asyncio.gather(*(self.join_one(server, c, gate, seen) for c in facilitators))
        await asyncio.gather(*(self.join_one(server, c, gate, seen)
                               for c in conns[len(facilitators):]))
        elapsed = now() - start
        await asyncio.sleep(2.0)
        rss1 = proc_rss(server.pid)
        connected = sum(1 for c in conns if c.open)
        started = await self.start_sessions(server)
        log(f"{server.name}: {connected}/{len(conns)} connected in {elapsed:.1f}s, "
            f"{started} sessions live, RSS +{(rss1 - rss0) / 2**20:.1f} MiB")
        return {"clients": len(conns), "connected": connected, "seconds": round(elapsed, 2),
                "connect_ms": pct(seen["connect"]), "join_ms": pct(seen["join"]),
                "failures": dict(seen["failures"]), "sessions_started": started,
                "rss_before": rss0, "rss_after": rss1,
                "rss_per_client": (rss1 - rss0) / max(1, connected),
                "cpu_seconds": round(proc_cpu(server.pid) - cpu0, 3),
                "deflate_accepted": server.deflate_accepted}

    async def ask_restart(self, server: Server) -> dict:
        """Have ``bench/run.py`` kill the server and start it again; wait until it is ready.

        One line on stdout asks (``restart <name>``), one line on stdin answers (``ready <pid>
        <seconds from the kill to /healthz answering>``).
        """
        sys.stdout.write(f"restart {server.name}\n")
        sys.stdout.flush()
        line = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        word, pid, seconds = line.split()
        if word != "ready":
            raise RuntimeError(f"unexpected answer to a restart: {line!r}")
        return {"pid": int(pid), "restart_s": float(seconds)}

    async def reconnect(self, server: Server, label: str) -> dict:
        """Restart the server under its connected clients; time until all joined again.

        The clock starts when the new process answers ``/healthz`` and stops when the last
        client has its ``session:join`` snapshot; clients reconnect as they did at first (32
        handshakes at a time), so the figure compares with the first connect.
        """
        conns = server.conns()
        was_open = sum(1 for c in conns if c.open)
        dropped0 = server.dropped
        restarted = await self.ask_restart(server)
        server.pid = restarted["pid"]
        waited = now()
        while any(c.open for c in conns) and now() - waited < 10:
            await asyncio.sleep(0.02)
        for conn in conns:
            if conn.transport is not None:
                conn.transport.close()
            conn.reset()
        seen = self.tally()
        gate = asyncio.Semaphore(self.params.get("connect_concurrency", 32))
        cpu0 = proc_cpu(server.pid)
        start = now()
        await asyncio.gather(*(self.join_one(server, c, gate, seen) for c in conns))
        elapsed = now() - start
        cpu = proc_cpu(server.pid) - cpu0
        server.dropped = dropped0  # the restart's closes are not drops of the load
        if not all(g.live for g in server.groups):  # the bare server forgets its sessions
            await self.start_sessions(server)
        log(f"{label}: {seen['joined']}/{len(conns)} joined {elapsed:.2f}s after the restart "
            f"({restarted['restart_s']:.2f}s to start), connect p50 "
            f"{pct(seen['connect']).get('p50')} ms, join p50 {pct(seen['join']).get('p50')} ms")
        return {"label": label, "server": server.name, "kind": "reconnect",
                "clients": len(conns), "open_before": was_open, "joined": seen["joined"],
                "reconnect_s": round(elapsed, 3) if seen["joined"] == len(conns) else None,
                "seconds": round(elapsed, 3), "restart_s": restarted["restart_s"],
                "connect_ms": pct(seen["connect"]), "join_ms": pct(seen["join"]),
                "server_cpu_s": round(cpu, 3), "failures": dict(seen["failures"])}

    # --- the load ------------------------------------------------------------------------
    def push_agenda(self, group: Group, sink: Sink) -> None:
        """The facilitator makes the next agenda item current."""
        if not group.items or not group.fac.open:
            return
        group.ix = (group.ix + 1) % len(group.items)
        push = Push(group.items[group.ix], sink)
        targets = [c for c in group.parts if c.open]
        for conn in targets:
            conn.pending.append(push)
        sink.expected += len(targets)
        sink.acks_expected += 1

        def acked(_conn, answer, t, sent):
            if not sink.ack("agenda:activate", t - sent, answer):
                for conn in targets:
                    if push in conn.pending:
                        conn.pending.remove(push)
                        sink.expected -= 1

        push.t = group.fac.emit("agenda:activate",
                                {"session_id": group.session_id, "item_id": push.item}, acked)

    def submit_card(self, conn: Conn, sink: Sink) -> None:
        """A participant puts a card on the board (the facilitator gets ``card:pending``)."""
        if not conn.open:
            return
        self.cards += 1
        token = f"{self.cards}"
        text = f"#{token} When my role changed at work I stopped calling my friends."
        sink.acks_expected += 1
        sink.card_sent[token] = conn.emit("card:submit", {
            "session_id": conn.group.session_id, "client_id": uuid.uuid4().hex, "text": text,
            "problem_area": "role_transition", "anonymous": True},
            lambda _c, answer, t, sent: sink.ack("card:submit", t - sent, answer))

    def checkin_round(self, server: Server, sink: Sink) -> None:
        """Every participant submits a check-in at once."""
        rnd = sink.round = {"start": now(), "sent": 0, "ok": 0, "last_ack": None}
        latencies: list[float] = []
        rnd["latencies"] = latencies

        def acked(_conn, answer, t, sent):
            latencies.append(t - sent)
            if sink.ack("checkin:submit", t - sent, answer):
                rnd["ok"] += 1
                rnd["last_ack"] = t

        pick = self.random.randint
        for group in server.groups:
            for conn in group.parts:
                if not conn.open:
                    continue
                rnd["sent"] += 1
                sink.acks_expected += 1
                data = {"session_id": group.session_id, "client_id": uuid.uuid4().hex,
                        "mood": pick(2, 9), "phq9": [pick(0, 2) for _ in range(8)] + [0],
                        "note": "Slept badly, but I called my sister on Sunday."}
                sent = conn.emit("checkin:submit", data, acked)
                sink.checkin_sent[(group.session_id, conn.person_id)] = sent

    def timetable(self, server: Server, seconds: float) -> list[tuple[float, int, object]]:
        """The open-loop schedule of a realistic window: (time, kind, target)."""
        p = self.params
        events: list[tuple[float, int, object]] = []
        interval = p["agenda_interval"]
        for group in server.groups:
            t = self.random.uniform(0, interval)
            while t < seconds:
                events.append((t, 0, group))
                t += interval
        people = [c for g in server.groups for c in g.parts]
        rate = p["card_rate"]
        for k in range(int(seconds * rate)):
            events.append(((k + self.random.random()) / rate, 1, self.random.choice(people)))
        if p.get("checkin_at") is not None and p["checkin_at"] < seconds:
            events.append((p["checkin_at"], 2, server))
        events.sort(key=lambda e: e[0])
        return events

    async def run_schedule(self, events, sink: Sink, start: float) -> None:
        """Send each event at its scheduled time, never waiting for answers."""
        for t, kind, target in events:
            delay = start + t - now()
            if delay > 0.0005:
                await asyncio.sleep(delay)
            sink.lag.append(now() - start - t)
            if kind == 0:
                self.push_agenda(target, sink)
            elif kind == 1:
                self.submit_card(target, sink)
            else:
                self.checkin_round(target, sink)

    async def window(self, server: Server, label: str, seconds: float) -> dict:
        """A realistic window: agenda pushes, cards and one check-in round."""
        sink = Sink(label)
        self.sinks.append(sink)
        gc_reset = await self.http_get(server, "/_bench/gc") if server.gc_endpoint else None
        events = self.timetable(server, seconds)
        await asyncio.sleep(0.2)
        self.maybe_profile(server, seconds)
        rx0, dropped0, unmatched0 = server.rx, server.dropped, server.unmatched
        cpu0, gen0, start = proc_cpu(server.pid), own_cpu(), now()
        await self.run_schedule(events, sink, start)
        await asyncio.sleep(max(0.0, start + seconds - now()))
        drain = await self.settle(sink, self.params.get("grace", 60.0))
        elapsed = now() - start
        cpu = proc_cpu(server.pid) - cpu0
        gen_cpu = own_cpu() - gen0
        rx = server.rx - rx0
        gc_stats = await self.http_get(server, "/_bench/gc") if gc_reset is not None else None
        self.sinks.remove(sink)
        self.forget_pending(server)
        return self.summary(sink, server, elapsed, drain, cpu, gen_cpu, rx, gc_stats,
                            server.dropped - dropped0, server.unmatched - unmatched0)

    def summary(self, sink: Sink, server: Server, elapsed, drain, cpu, gen_cpu, rx, gc_stats,
                dropped, unmatched) -> dict:
        """The figures of one window."""
        rnd = sink.round or {}
        window_checkin = None
        if rnd:
            last = rnd["last_ack"]
            window_checkin = {
                "sent": rnd["sent"], "acked_ok": rnd["ok"],
                "all_acked_s": round(last - rnd["start"], 3) if last and rnd["ok"] == rnd[
                    "sent"] else None,
                "last_ok_ack_s": round(last - rnd["start"], 3) if last else None,
                "ack_ms": pct(rnd["latencies"]),
                "to_facilitator_ms": pct(sink.checkin_latency)}
        burst = (rnd.get("start", -1), (rnd.get("last_ack") or rnd.get("start", -1)) + 1.0)
        steady = [lat for t, lat in sink.fanout if not burst[0] <= t <= burst[1]]
        return {
            "label": sink.label, "server": server.name, "seconds": round(elapsed, 2),
            "drain_s": round(drain, 3),
            "fanout_ms": pct([lat for _t, lat in sink.fanout]),
            "fanout_steady_ms": pct(steady),
            "fanout_expected": sink.expected, "fanout_delivered": sink.delivered,
            "delivered_ratio": round(sink.delivered / sink.expected, 5) if sink.expected else None,
            "ack_ms": {event: pct(values) for event, values in sink.acks.items()},
            "card_to_facilitator_ms": pct(sink.card_latency),
            "checkin_round": window_checkin,
            "errors": dict(sink.errors), "acks_missing": sink.acks_expected - sink.acks_received,
            "messages_delivered": rx, "server_cpu_s": round(cpu, 3),
            "server_cpu_us_per_message": round(cpu / rx * 1e6, 2) if rx else None,
            "server_cpu_share": round(cpu / elapsed, 3),
            "generator_cpu_s": round(gen_cpu, 3),
            "schedule_lag_ms": pct(sink.lag), "dropped": dropped, "unmatched": unmatched,
            "gc": gc_stats}

    async def capacity(self, servers: list[Server], label: str, rates: list[float]) -> dict:
        """Step the agenda push rate up until a step fails (<97% delivered or p50 > 100 ms).

        With several servers (workers sharing a message queue) the pushes go round their
        groups together. A server that already has a capacity from an earlier pair starts
        two steps below it, to keep the search short. A failed step is run once more before
        the climb stops (one slow step can be a passing stall of the machine); if no step
        has passed yet, the rate steps down instead, by the same factor, until one passes.
        """
        step_seconds = self.params.get("capacity_step_seconds", 2.0)
        groups = [g for server in servers for g in server.groups if g.items and g.fac.open]
        key = tuple(server.name for server in servers)
        previous = self.capacities.get(key)
        if previous in rates:
            rates = rates[max(0, rates.index(previous) - 2):]
        factor = rates[1] / rates[0] if len(rates) > 1 else 1.25
        queue, steps, best, again = list(rates), [], None, False
        cpu0, gen0, start = self.cpu(servers), own_cpu(), now()
        while queue:
            rate = queue.pop(0)
            step = await self.capacity_step(groups, f"{label}@{rate}", rate, step_seconds)
            steps.append(step)
            if step["passed"]:
                best, again = max(best or 0.0, rate), False
                if rate < rates[0]:
                    break  # stepping down: the first rate that passes
            elif not again:
                again = True
                queue.insert(0, rate)
            elif best is None and rate >= rates[0]:
                queue = [round(rates[0] / factor ** k, 1) for k in range(1, 9)]
            elif rate >= rates[0]:
                break
        await asyncio.sleep(1.0)
        cpu = self.cpu(servers) - cpu0
        for server in servers:
            self.forget_pending(server)
        if best is not None:
            self.capacities[key] = best
        fanout = (len(groups[0].parts) if groups else 0)
        return {"label": label, "server": "+".join(key), "capacity_pushes_per_s": best,
                "capacity_deliveries_per_s": None if best is None else best * fanout,
                "censored": best is not None and best == rates[-1], "steps": steps,
                "seconds": round(now() - start, 2), "server_cpu_s": round(cpu, 3),
                "generator_cpu_s": round(own_cpu() - gen0, 3)}

    async def capacity_step(self, groups: list, label: str, rate: float,
                            step_seconds: float) -> dict:
        """Push agenda items round ``groups`` at ``rate`` a second for one step; its figures."""
        sink = Sink(label)
        self.sinks.append(sink)
        count = max(1, int(rate * step_seconds))
        t0 = now()
        for k in range(count):
            delay = t0 + k / rate - now()
            if delay > 0.0005:
                await asyncio.sleep(delay)
            sink.lag.append(now() - t0 - k / rate)
            self.push_agenda(groups[self.turn % len(groups)], sink)
            self.turn += 1
        await asyncio.sleep(max(0.0, t0 + step_seconds - now()))
        await self.settle(sink, 1.0)
        self.sinks.remove(sink)
        if sink.outstanding() > 0:
            await self.settle(sink, 3.0)  # let the step's stragglers land before the next
        latencies = [lat for _t, lat in sink.fanout]
        ratio = sink.delivered / sink.expected if sink.expected else 0.0
        p50 = pct(latencies).get("p50")
        return {"rate": rate, "pushes": count, "deliveries_expected": sink.expected,
                "delivered_ratio": round(ratio, 4), "fanout_ms": pct(latencies),
                "errors": dict(sink.errors), "lag_ms": pct(sink.lag),
                "passed": ratio >= 0.97 and p50 is not None and p50 <= 100.0
                and not sink.errors}

    # --- the plan ------------------------------------------------------------------------
    async def run(self) -> dict:
        """Connect, run every phase, return the results."""
        result = {"setup": {}, "phases": [], "started": time.time()}
        for name, server in self.servers.items():
            result["setup"][name] = await self.connect_all(server)
        deadline = self.plan.get("deadline")
        timed: list[float] = []  # how long each capacity step-up took, with a margin
        for phase in self.plan["phases"]:
            # Windows and reconnects are never skipped; capacity step-ups are, when time runs
            # short: when one as long as the longer of the last two (40 s before any) would
            # end past the deadline. A later pair starts near the previous result, so it is
            # the shorter.
            needed = max(timed[-2:] or [40.0])
            if deadline and phase["kind"] == "capacity" and time.time() + needed > deadline:
                log(f"{phase['label']}: skipped, it would end past the time budget")
                result["phases"].append({"label": phase["label"], "skipped": "time budget",
                                         "kind": phase["kind"]})
                continue
            names = phase["server"] if isinstance(phase["server"], list) else [phase["server"]]
            server = self.servers[names[0]]
            await asyncio.sleep(phase.get("pause", 1.0))
            if phase["kind"] == "reconnect":
                figures = await self.reconnect(server, phase["label"])
            elif phase["kind"] == "window":
                figures = await self.window(server, phase["label"], phase["seconds"])
                log(f"{phase['label']}: fan-out p50 {figures['fanout_ms'].get('p50')} "
                    f"p99 {figures['fanout_ms'].get('p99')} ms, delivered "
                    f"{figures['delivered_ratio']}, {figures['server_cpu_us_per_message']} "
                    f"us/msg, check-in round {(figures['checkin_round'] or {}).get('all_acked_s')}"
                    f" s, errors {figures['errors']}, drain {figures['drain_s']} s, dropped "
                    f"{figures['dropped']}, unmatched {figures['unmatched']}, acks missing "
                    f"{figures['acks_missing']}")
            else:
                began = time.time()
                figures = await self.capacity([self.servers[n] for n in names],
                                              phase["label"], phase["rates"])
                timed.append(time.time() - began + 5.0)
                log(f"{phase['label']}: capacity {figures['capacity_pushes_per_s']} pushes/s")
            figures.update({k: v for k, v in phase.items() if k in ("pair", "order")})
            result["phases"].append(figures)
        if self.profiler is not None:
            self.profiler.wait(timeout=120)
        result["generator"] = {"cpu_s": round(own_cpu(), 2),
                               "rss": proc_rss(os.getpid())}
        for name, server in self.servers.items():
            result["setup"][name]["dropped_total"] = server.dropped
            result["setup"][name]["pings"] = server.pings
            for conn in server.conns():
                if conn.transport is not None:
                    conn.transport.close()
        return result


GEN: Generator


def main() -> None:
    """Read the plan, run it, write the result."""
    global GEN
    plan_path, out_path = sys.argv[1], sys.argv[2]
    with open(plan_path) as plan_file:
        plan = json.load(plan_file)
    GEN = Generator(plan)
    result = asyncio.run(GEN.run())
    with open(out_path, "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
