"""``make bench``: the app against a bare Flask-SocketIO server, interleaved, on one machine.

What one run does (defaults sized to finish in under 15 minutes on two shared cores):

1. seeds a fresh SQLite database with 100 demo groups of 1 facilitator + 11 participants
   (``bench/seed.py``), starts the app (``bench/app_server.py``: ``facilitator serve``'s code
   path) and the bare server (``bench/bare_server.py``), and signs all 1,200 people in over
   HTTP (``GET /login`` + ``POST /login`` for facilitators, ``GET /join/<token>`` for
   participants);
2. starts the load generator (``bench/loadgen.py``, its own process), which connects 1,200
   clients to each server and then runs five pairs of 60 s realistic windows, ABBA-ordered
   (app, bare, bare, app, ...): every group's facilitator pushes an agenda item every 4 s on an
   open-loop timetable, participants submit 10 cards a second between them, and at 20 s every
   participant submits a check-in at once; then three pairs of reconnects (this script kills
   the server under its 1,200 connected clients and starts it again; the generator times how
   long after ``/healthz`` answers every client is connected and has its ``session:join``
   snapshot); then up to three pairs of capacity step-ups, as the time budget allows;
3. writes the raw figures to ``bench/results/<timestamp>.json`` and prints the summary: the
   median of the per-pair app/bare ratios and the absolute figures, target by target.

Experiments (not part of ``make bench``): ``--experiment gc`` (gc.freeze and thresholds),
``--experiment deflate`` (permessage-deflate offered or not), ``--experiment redis`` (two app
workers behind Redis against one), ``--database postgres`` (the app on PostgreSQL).
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests" / "helpers"))  # the subprocess helper the tests use
from process import ServerProcess  # noqa: E402

START_TIMEOUT = 60.0
PYTHON = sys.executable
RESULTS = BENCH / "results"
SECRET = "bench-secret-key-not-for-production"
PG_URL = "postgresql://postgres@127.0.0.1:5432/fac_bench"
REDIS_URL = "redis://127.0.0.1:6379/5"


def say(message: str) -> None:
    """Progress on stderr."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def launch(name: str, argv: list[str], env: dict, workdir: Path, port: int) -> ServerProcess:
    """Start a server process logging to ``<workdir>/<name>.log`` and wait until it is ready."""
    proc = ServerProcess(argv, env, ROOT, workdir / f"{name}.log", port)
    proc.start(START_TIMEOUT)
    return proc


# The app's per-connection event limit in this run (``--event-rate``; the app's own default
# is 5 a second). Set once in ``main``.
EVENT_RATE = {"per_second": 5.0}


def app_env(database_url: str, queue: str | None = None) -> dict:
    """Environment of an app process: its database, a fixed key, its event limit, a queue."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"MESSAGE_QUEUE_URL", "ALLOWED_ORIGINS", "FACILITATOR_ENV"}}
    env.update(DATABASE_URL=database_url, SECRET_KEY=SECRET, PYTHONUNBUFFERED="1",
               PYTHONWARNINGS="ignore", EVENT_RATE_PER_SECOND=str(EVENT_RATE["per_second"]))
    if queue:
        env["MESSAGE_QUEUE_URL"] = queue
    return env


def prepare_database(kind: str, workdir: Path) -> str:
    """A fresh, empty database: a new SQLite file or a recreated PostgreSQL schema."""
    if kind == "sqlite":
        return f"sqlite:///{workdir / 'app.sqlite3'}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", "fac_bench"],
                   capture_output=True, check=False)
    import psycopg2

    connection = psycopg2.connect(PG_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    connection.close()
    return PG_URL


def seed(database_url: str, groups: int, participants: int, cli: bool) -> dict:
    """Create the demo groups and return ``facilitator demo --json``'s object."""
    if cli:
        argv = [str(Path(PYTHON).with_name("facilitator")), "demo", "--json",
                "--groups", str(groups), "--participants", str(participants)]
    else:
        argv = [PYTHON, str(BENCH / "seed.py"), "--groups", str(groups),
                "--participants", str(participants)]
    done = subprocess.run(argv, env=app_env(database_url), cwd=ROOT, capture_output=True,
                          text=True, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def cookie_header(jar) -> str:
    """A ``Cookie`` header for the cookies of a ``requests`` session."""
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def sign_in_facilitator(base: str, login: dict) -> str:
    """GET /login for the CSRF token, POST the form; return the session cookie header."""
    with requests.Session() as http:
        page = http.get(base + "/login", timeout=60).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        answer = http.post(base + "/login", timeout=60, allow_redirects=False,
                           data={"email": login["email"], "password": login["password"],
                                 "csrf_token": token})
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in failed: {answer.status_code}")
        return cookie_header(http.cookies)


def sign_in_participant(base: str, join_path: str) -> str:
    """GET /join/<token>; return the session cookie header."""
    with requests.Session() as http:
        answer = http.get(base + join_path, timeout=60, allow_redirects=False)
        if answer.status_code != 302:
            raise RuntimeError(f"join failed: {answer.status_code}")
        return cookie_header(http.cookies)


def sign_in_all(base: str, demo: dict) -> tuple[list[dict], float]:
    """Sign everyone of the demo in; return the generator's group specs and the time taken."""
    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        facilitators = [pool.submit(sign_in_facilitator, base, g["facilitator"])
                        for g in demo["groups"]]
        participants = [[pool.submit(sign_in_participant, base, p["join_path"])
                         for p in g["participants"]] for g in demo["groups"]]
        groups = []
        for group, fac, parts in zip(demo["groups"], facilitators, participants, strict=True):
            groups.append({
                "group_id": group["group_id"], "session_id": group["session_id"],
                "facilitator": {"id": None, "cookie": fac.result()},
                "participants": [{"id": p["participant_id"], "cookie": f.result()}
                                 for p, f in zip(group["participants"], parts, strict=True)]})
    return groups, time.monotonic() - start


def bare_groups(groups: int, participants: int) -> list[dict]:
    """The same population for the bare server (ids made up, no cookies)."""
    return [{"group_id": g + 1, "session_id": g + 1, "facilitator": {"id": g + 1},
             "participants": [{"id": g * participants + k + 1} for k in range(participants)]}
            for g in range(groups)]


def capacity_rates(groups: int, start: float, factor: float,
                   event_rate: float = 5.0) -> list[float]:
    """Geometric push rates up to 90% of the app's per-connection limit, per facilitator."""
    ceiling = 0.9 * event_rate * groups
    rates, rate = [], start
    while rate < ceiling:
        rates.append(round(rate, 1))
        rate *= factor
    return rates + [round(ceiling, 1)]


def run_generator(plan: dict, workdir: Path, name: str,
                  restartable: dict[str, ServerProcess] | None = None) -> dict:
    """Run the load generator in its own process on ``plan``; return its result.

    A reconnect phase asks on the generator's stdout for a restart of one server
    (``restart <name>``); this kills that process, starts it again on the same port and
    answers on its stdin when ``/healthz`` answers (``ready <pid> <seconds>``).
    """
    plan_path, out_path = workdir / f"{name}-plan.json", workdir / f"{name}-result.json"
    plan_path.write_text(json.dumps(plan))
    generator = subprocess.Popen([PYTHON, str(BENCH / "loadgen.py"), str(plan_path),
                                  str(out_path)], cwd=ROOT, stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, text=True)
    for line in generator.stdout:
        word, _, server = line.strip().partition(" ")
        if word != "restart" or server not in (restartable or {}):
            say(f"the load generator said: {line.strip()}")
            continue
        proc = restartable[server]
        began = time.monotonic()
        proc.restart(START_TIMEOUT)
        generator.stdin.write(f"ready {proc.pid} {time.monotonic() - began:.3f}\n")
        generator.stdin.flush()
    if generator.wait() != 0:
        raise RuntimeError(f"the load generator failed ({generator.returncode})")
    return json.loads(out_path.read_text())


# --- analysis ----------------------------------------------------------------------------
def pooled_ack_p50(window: dict) -> float | None:
    """p50 over every acknowledgement of a window (weighted median of per-event p50s)."""
    parts = [(v["p50"], v["count"]) for v in window["ack_ms"].values() if v.get("count")]
    if not parts:
        return None
    parts.sort()
    half, seen = sum(c for _p, c in parts) / 2, 0
    for p50, count in parts:
        seen += count
        if seen >= half:
            return p50
    return parts[-1][0]


def window_metrics(window: dict) -> dict:
    """The per-window figures the targets compare."""
    acks = window["ack_ms"]
    return {"cpu_us_per_msg": window["server_cpu_us_per_message"],
            "fanout_p50": window["fanout_ms"].get("p50"),
            "fanout_p99": window["fanout_ms"].get("p99"),
            "fanout_steady_p50": window["fanout_steady_ms"].get("p50"),
            "ack_p50": pooled_ack_p50(window),
            "agenda_ack_p50": acks.get("agenda:activate", {}).get("p50"),
            "card_ack_p50": acks.get("card:submit", {}).get("p50"),
            "checkin_ack_p50": acks.get("checkin:submit", {}).get("p50")}


def ratio(a, b) -> float | None:
    """a / b, or None."""
    return round(a / b, 3) if a is not None and b else None


def median(values) -> float | None:
    """Median of the values that are not None."""
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 3) if values else None


def finite(value):
    """``value`` rounded, or the string ``"never"`` for infinity (a round never acknowledged)."""
    if value is None:
        return None
    return "never" if value == float("inf") else round(value, 3)


def reconnect_analysis(result: dict, app: str, bare: str) -> dict:
    """Per-pair reconnect times (restart answered -> every client has its snapshot), ratios."""
    runs = [p for p in result["phases"]
            if p.get("kind") == "reconnect" and not p.get("skipped")]
    pairs: dict[int, dict] = {}
    for run in runs:
        pairs.setdefault(run["pair"], {})[run["server"]] = run
    per_pair = []
    for index, both in sorted(pairs.items()):
        if app in both and bare in both:
            a, b = both[app], both[bare]
            per_pair.append({
                "pair": index, "app_s": a["reconnect_s"], "bare_s": b["reconnect_s"],
                "ratio": ratio(a["reconnect_s"], b["reconnect_s"]),
                "app_restart_s": a["restart_s"], "bare_restart_s": b["restart_s"],
                **{f"{who}_{what}_{q}": run[f"{what}_ms"].get(q)
                   for who, run in (("app", a), ("bare", b))
                   for what in ("connect", "join") for q in ("p50", "p95")}})
    return {"pairs": per_pair, "median_ratio": median(p["ratio"] for p in per_pair),
            "incomplete": sum(1 for r in runs if r["reconnect_s"] is None)}


def analyse(result: dict, app: str = "app", bare: str = "bare") -> dict:
    """Per-pair ratios, their medians and the absolute figures."""
    windows = [p for p in result["phases"] if "fanout_ms" in p]
    skipped = [p["label"] for p in result["phases"] if p.get("skipped")]
    capacities = [p for p in result["phases"] if "capacity_pushes_per_s" in p]
    pairs: dict[int, dict] = {}
    for w in windows:
        pairs.setdefault(w["pair"], {})[w["server"]] = window_metrics(w)
    per_pair = []
    for index, both in sorted(pairs.items()):
        if app in both and bare in both:
            per_pair.append({"pair": index, **{k: ratio(both[app][k], both[bare][k])
                                               for k in both[app]}})
    cap_pairs: dict[int, dict] = {}
    for c in capacities:
        cap_pairs.setdefault(c["pair"], {})[c["server"]] = c
    cap_ratios = [{"pair": i, "app": both[app]["capacity_pushes_per_s"],
                   "bare": both[bare]["capacity_pushes_per_s"],
                   "bare_censored": both[bare]["censored"],
                   "ratio": ratio(both[app]["capacity_pushes_per_s"],
                                  both[bare]["capacity_pushes_per_s"])}
                  for i, both in sorted(cap_pairs.items()) if app in both and bare in both]
    setup = result["setup"]
    mem = {name: setup[name]["rss_per_client"] for name in (app, bare) if name in setup}
    app_windows = [w for w in windows if w["server"] == app]
    rounds = [(w["checkin_round"] or {}) for w in app_windows]
    keys = per_pair[0].keys() if per_pair else []
    return {
        "skipped": skipped,
        "pairs": per_pair,
        "median_ratio": {k: median(p[k] for p in per_pair) for k in keys if k != "pair"},
        "capacity_pairs": cap_ratios,
        "capacity_median_ratio": median(c["ratio"] for c in cap_ratios),
        "memory_per_client": mem,
        "memory_ratio": ratio(mem.get(app), mem.get(bare)),
        "connect_p50_ms": {n: setup[n]["connect_ms"].get("p50") for n in setup},
        "reconnect": reconnect_analysis(result, app, bare),
        "absolute": {
            "app_connected": setup.get(app, {}).get("connected"),
            "app_clients": setup.get(app, {}).get("clients"),
            "fanout_p99_ms_median": median(w["fanout_ms"].get("p99") for w in app_windows),
            "fanout_p99_ms_worst": max((w["fanout_ms"].get("p99") or 0 for w in app_windows),
                                       default=None),
            "fanout_steady_p99_ms_median": median(w["fanout_steady_ms"].get("p99")
                                                  for w in app_windows),
            "checkin_round_s_median": finite(statistics.median(
                [r.get("all_acked_s") or float("inf") for r in rounds])) if rounds else None,
            "checkin_round_s_worst": finite(max((r.get("all_acked_s") or float("inf")
                                                 for r in rounds), default=None)),
            "checkin_rounds_incomplete": sum(1 for r in rounds if not r.get("all_acked_s")),
            "connections_dropped": sum(w["dropped"] for w in app_windows),
            "checkin_round_size": rounds[0].get("sent") if rounds else None,
            "delivered_ratio_min": min((w["delivered_ratio"] or 0 for w in app_windows),
                                       default=None),
            "app_capacity_median": median(c["app"] for c in cap_ratios),
        },
    }


def verdict(figure, limit, higher_is_better: bool = False) -> str:
    """``met`` / ``NOT met`` / ``not measured``."""
    if figure is None:
        return "not measured"
    if figure == "never":
        return "NOT met"
    ok = figure >= limit if higher_is_better else figure <= limit
    return "met" if ok else "NOT met"


def targets(analysis: dict) -> list[dict]:
    """The targets with the measured figure and the verdict."""
    m, a = analysis["median_ratio"], analysis["absolute"]
    rows = [
        ("server CPU per delivered message <= 1.5x bare", m.get("cpu_us_per_msg"), 1.5, False),
        ("fan-out p50 <= 1.5x bare", m.get("fanout_p50"), 1.5, False),
        ("ack p50 <= 1.5x bare", m.get("ack_p50"), 1.5, False),
        ("capacity >= 0.65x bare", analysis["capacity_median_ratio"], 0.65, True),
        ("memory per client <= 1.5x bare", analysis["memory_ratio"], 1.5, False),
        ("1,200 on one worker, fan-out p99 <= 100 ms (ms)", a["fanout_p99_ms_median"], 100,
         False),
        ("check-in round of ~1,100 acknowledged within 2 s (s)", a["checkin_round_s_median"],
         2.0, False),
        ("reconnect of all clients after a restart <= 2x bare",
         analysis["reconnect"]["median_ratio"], 2.0, False),
    ]
    rows_out = [{"target": t, "figure": f, "verdict": verdict(f, lim, hib)}
                for t, f, lim, hib in rows]
    censored = any(c["bare_censored"] for c in analysis["capacity_pairs"])
    if censored and rows_out[3]["verdict"] == "met":
        # The bare server reached the step-up's ceiling: its real capacity is higher, so the
        # ratio is only an upper bound, and an upper bound above the target proves nothing.
        rows_out[3]["verdict"] = "not established (bare not saturated)"
    return rows_out


def print_summary(analysis: dict, rows: list[dict]) -> None:
    """The table on stdout."""
    print("\n| target | measured | verdict |\n|---|---|---|")
    for row in rows:
        print(f"| {row['target']} | {row['figure']} | {row['verdict']} |")
    print("\nper-pair app/bare ratios:")
    for pair in analysis["pairs"]:
        print("  ", json.dumps(pair))
    print("capacity pairs:", json.dumps(analysis["capacity_pairs"]))
    print("reconnect pairs:")
    for pair in analysis["reconnect"]["pairs"]:
        print("  ", json.dumps(pair))
    print("absolute:", json.dumps(analysis["absolute"]))
    print("memory per client (bytes):", json.dumps(analysis["memory_per_client"]))


# --- the runs ----------------------------------------------------------------------------
def base_params(args) -> dict:
    """The load parameters the generator gets."""
    return {"agenda_interval": args.agenda_interval, "card_rate": args.card_rate,
            "checkin_at": args.checkin_at, "grace": 60.0, "connect_concurrency": 32,
            "capacity_step_seconds": args.step}


def headline_phases(args) -> list[dict]:
    """ABBA-ordered window pairs, then reconnect pairs, then capacity pairs."""
    phases = []
    rates = capacity_rates(args.groups, args.capacity_start, args.capacity_factor,
                           args.event_rate)
    names = ["app", "variant", "bare"] if args.variant else ["app", "bare"]

    def order(pair: int) -> list[str]:
        if not args.variant:
            return names if pair % 2 == 0 else names[::-1]
        return names[pair % 3:] + names[:pair % 3]

    for pair in range(args.pairs):
        for position, server in enumerate(order(pair)):
            phases.append({"kind": "window", "server": server, "pair": pair, "order": position,
                           "label": f"pair{pair}-{server}", "seconds": args.window})
    for pair in range(args.reconnect_pairs):
        for position, server in enumerate(order(pair)):
            phases.append({"kind": "reconnect", "server": server, "pair": pair,
                           "order": position, "label": f"reconnect{pair}-{server}",
                           "pause": 2.0})
    for pair in range(args.capacity_pairs):
        for position, server in enumerate(order(pair)):
            phases.append({"kind": "capacity", "server": server, "pair": pair,
                           "order": position, "label": f"capacity{pair}-{server}",
                           "rates": rates, "pause": 2.0})
    return phases


def start_app(workdir: Path, database_url: str, name: str = "app", extra=(),
              queue: str | None = None) -> ServerProcess:
    """Start ``bench/app_server.py`` and wait for it."""
    port = free_port()
    return launch(name, [PYTHON, str(BENCH / "app_server.py"), "--port", str(port), *extra],
                  app_env(database_url, queue), workdir, port)


def start_bare(workdir: Path) -> ServerProcess:
    """Start ``bench/bare_server.py`` and wait for it."""
    port = free_port()
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return launch("bare", [PYTHON, str(BENCH / "bare_server.py"), "--port", str(port)], env,
                  workdir, port)


def server_spec(proc: ServerProcess, groups: list[dict], gc_endpoint: bool) -> dict:
    """What the generator needs to know about one server."""
    return {"host": "127.0.0.1", "port": proc.port, "pid": proc.pid, "groups": groups,
            "gc_endpoint": gc_endpoint}


def summarise_profile(path: Path, top: int = 60) -> dict:
    """Inclusive share of the busiest functions in py-spy's collapsed stacks."""
    if not path.exists():
        return {}
    inclusive: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        total += int(count)
        for frame in {re.sub(r":\d+\)$", ")", f) for f in stack.split(";")}:
            inclusive[frame] = inclusive.get(frame, 0) + int(count)
    busiest = sorted(inclusive.items(), key=lambda kv: -kv[1])[:top]
    return {"samples": total,
            "inclusive_percent": {k: round(100 * v / total, 1) for k, v in busiest}}


def headline(args, workdir: Path) -> dict:
    """The default run: app and bare, interleaved pairs."""
    started = time.monotonic()
    database_url = prepare_database(args.database, workdir)
    say(f"seeding {args.groups} groups x (1 + {args.participants}) on {args.database}")
    t = time.monotonic()
    demo = seed(database_url, args.groups, args.participants, args.cli_demo)
    seed_s = time.monotonic() - t
    procs = []
    try:
        if args.variant:
            if args.database != "sqlite":
                raise SystemExit("--variant needs its own copy of the database: SQLite only")
            shutil.copy(workdir / "app.sqlite3", workdir / "variant.sqlite3")
            variant = start_app(workdir, f"sqlite:///{workdir / 'variant.sqlite3'}",
                                name="variant", extra=args.variant.split())
            procs.append(variant)
        app = start_app(workdir, database_url, extra=args.app_args)
        procs.append(app)
        bare = start_bare(workdir)
        procs.append(bare)
        groups, sign_in_s = sign_in_all(app.base_url, demo)
        say(f"seeded in {seed_s:.1f}s, signed {args.groups * (1 + args.participants)} people "
            f"in over HTTP in {sign_in_s:.1f}s")
        plan = {"servers": {"app": server_spec(app, groups, True),
                            "bare": server_spec(bare, bare_groups(args.groups,
                                                                  args.participants), False)},
                "deflate": args.deflate, "params": base_params(args),
                "phases": headline_phases(args), "seed": args.seed,
                "deadline": time.time() - (time.monotonic() - started) + args.budget}
        if args.variant:
            plan["servers"]["variant"] = server_spec(variant, groups, True)
        spy = Path(PYTHON).with_name("py-spy")
        if args.profile and spy.exists():
            plan["profile"] = {"server": "app", "py_spy": str(spy),
                               "output": str(workdir / "profile.txt")}
        restartable = {"app": app, "bare": bare}
        if args.variant:
            restartable["variant"] = variant
        result = run_generator(plan, workdir, "headline", restartable)
        if args.profile:
            result["profile"] = summarise_profile(workdir / "profile.txt")
            if args.keep:
                say(f"profile: {workdir / 'profile.txt'}")
    finally:
        for proc in procs:
            proc.stop()
    result["prepare"] = {"seed_s": round(seed_s, 1), "sign_in_s": round(sign_in_s, 1),
                         "database": args.database, "cli_demo": args.cli_demo}
    result["analysis"] = analyse(result)
    result["targets"] = targets(result["analysis"])
    if args.variant:
        result["analysis_variant"] = analyse(result, app="variant")
        result["targets_variant"] = targets(result["analysis_variant"])
        result["variant_over_app"] = analyse(result, app="variant", bare="app")["median_ratio"]
        print(f"\nvariant {args.variant}:")
        print_summary(result["analysis_variant"], result["targets_variant"])
        print("variant / app, medians of per-pair ratios:", result["variant_over_app"])
    result["wall_s"] = round(time.monotonic() - started, 1)
    print_summary(result["analysis"], result["targets"])
    return result


def one_server_window(args, workdir: Path, template: Path, groups, extra, label: str,
                      deflate: bool, windows: int = 1) -> dict:
    """Start an app from a copy of the seeded database, connect, run windows, stop."""
    db_file = workdir / f"{label}.sqlite3"
    shutil.copy(template, db_file)
    app = start_app(workdir, f"sqlite:///{db_file}", name=f"app-{label}", extra=extra)
    try:
        phases = [{"kind": "window", "server": "app", "pair": i, "label": f"{label}-{i}",
                   "seconds": args.window} for i in range(windows)]
        plan = {"servers": {"app": server_spec(app, groups, True)}, "deflate": deflate,
                "params": base_params(args), "phases": phases, "seed": args.seed}
        return run_generator(plan, workdir, label)
    finally:
        app.stop()


def gc_summary(window: dict) -> dict:
    """Pause figures of one window from the app's GC timer."""
    pauses = (window.get("gc") or {}).get("pauses_ms", {})
    every = [p for gen in pauses.values() for p in gen]
    return {"collections": {g: len(v) for g, v in pauses.items()},
            "gen2_max_ms": max(pauses.get("2", []) or [0]),
            "max_ms": max(every or [0]), "total_ms": round(sum(every), 1),
            "fanout_p99_ms": window["fanout_ms"].get("p99"),
            "fanout_p50_ms": window["fanout_ms"].get("p50"),
            "cpu_us_per_msg": window["server_cpu_us_per_message"]}


def experiment_gc(args, workdir: Path) -> dict:
    """The app with gc.freeze (as shipped), without it, and with tuned thresholds."""
    template = workdir / "template.sqlite3"
    demo = seed(f"sqlite:///{template}", args.groups, args.participants, False)
    bootstrap = start_app(workdir, f"sqlite:///{template}", name="signin")
    try:
        groups, _ = sign_in_all(bootstrap.base_url, demo)
    finally:
        bootstrap.stop()
    variants = {"freeze": [], "nofreeze": ["--gc", "nofreeze"],
                "freeze+threshold": ["--gc-threshold", args.gc_threshold]}
    runs = []
    for rep in range(args.reps):
        for name, extra in (variants.items() if rep % 2 == 0 else
                            reversed(list(variants.items()))):
            say(f"gc variant {name}, repetition {rep}")
            result = one_server_window(args, workdir, template, groups,
                                       [*extra, *args.app_args],
                                       f"gc-{name.replace('+', '-')}-{rep}", args.deflate)
            runs.append({"variant": name, "rep": rep, "setup": result["setup"]["app"],
                         "windows": [dict(gc_summary(w), label=w["label"])
                                     for w in result["phases"]],
                         "raw": result})
    for run in runs:
        print(run["variant"], run["rep"], json.dumps(run["windows"]))
    return {"experiment": "gc", "runs": runs}


def experiment_deflate(args, workdir: Path) -> dict:
    """Clients offering permessage-deflate (as browsers do) or not; app and bare."""
    template = workdir / "template.sqlite3"
    demo = seed(f"sqlite:///{template}", args.groups, args.participants, False)
    runs = []
    for rep in range(args.reps):
        for deflate in ((False, True) if rep % 2 == 0 else (True, False)):
            db_file = workdir / f"deflate-{rep}-{deflate}.sqlite3"
            shutil.copy(template, db_file)
            app = start_app(workdir, f"sqlite:///{db_file}", name=f"app-d{rep}{deflate}",
                            extra=args.app_args)
            bare = start_bare(workdir)
            try:
                groups, _ = sign_in_all(app.base_url, demo)
                phases = [{"kind": "window", "server": s, "pair": 0, "label": f"{s}-{deflate}",
                           "seconds": args.window} for s in ("app", "bare")]
                plan = {"servers": {"app": server_spec(app, groups, True),
                                    "bare": server_spec(bare, bare_groups(
                                        args.groups, args.participants), False)},
                        "deflate": deflate, "params": base_params(args), "phases": phases,
                        "seed": args.seed}
                say(f"deflate offered={deflate}, repetition {rep}")
                result = run_generator(plan, workdir, f"deflate-{rep}-{deflate}")
            finally:
                app.stop()
                bare.stop()
            runs.append({"deflate": deflate, "rep": rep, "raw": result, "summary": {
                s: {"negotiated": result["setup"][s]["deflate_accepted"],
                    "rss_per_client": result["setup"][s]["rss_per_client"],
                    "cpu_us_per_msg": w["server_cpu_us_per_message"],
                    "fanout_p50": w["fanout_ms"].get("p50"),
                    "fanout_p99": w["fanout_ms"].get("p99")}
                for s in ("app", "bare") for w in result["phases"] if w["server"] == s}})
            print(deflate, rep, json.dumps(runs[-1]["summary"]))
    return {"experiment": "deflate", "runs": runs}


def experiment_redis(args, workdir: Path) -> dict:
    """Capacity of two app workers sharing Redis against one worker, interleaved.

    Both workers need one database they can share: use ``--database postgres`` (two processes
    writing one SQLite file would mostly measure its lock).
    """
    database_url = prepare_database(args.database, workdir)
    demo = seed(database_url, args.groups, args.participants, False)
    rates = capacity_rates(args.groups, args.capacity_start, args.capacity_factor,
                           args.event_rate)
    runs, groups = [], None
    for rep in range(args.reps):
        for workers in ((1, 2) if rep % 2 == 0 else (2, 1)):
            queue = REDIS_URL if workers == 2 else None
            procs = [start_app(workdir, database_url, name=f"w{i}-{rep}-{workers}", queue=queue,
                               extra=args.app_args) for i in range(workers)]
            try:
                if groups is None:
                    groups, _ = sign_in_all(procs[0].base_url, demo)
                servers = {f"w{i}": server_spec(p, groups[i::workers], True)
                           for i, p in enumerate(procs)}
                phases = [{"kind": "capacity", "server": list(servers), "pair": rep,
                           "label": f"{workers}w-{rep}", "rates": rates}]
                plan = {"servers": servers, "deflate": args.deflate,
                        "params": base_params(args), "phases": phases, "seed": args.seed}
                say(f"{workers} worker(s), repetition {rep}")
                result = run_generator(plan, workdir, f"redis-{rep}-{workers}")
            finally:
                for proc in procs:
                    proc.stop()
            cap = result["phases"][0]
            runs.append({"workers": workers, "rep": rep,
                         "capacity_pushes_per_s": cap["capacity_pushes_per_s"], "raw": result})
            print(workers, rep, cap["capacity_pushes_per_s"])
    ones = [r["capacity_pushes_per_s"] for r in runs if r["workers"] == 1]
    twos = [r["capacity_pushes_per_s"] for r in runs if r["workers"] == 2]
    pairs = [ratio(b, a) for a, b in zip(ones, twos, strict=False)]
    return {"experiment": "redis", "runs": runs, "ratios": pairs,
            "median_ratio": median(pairs)}


def experiment_maxconn(args, workdir: Path) -> dict:
    """1,200 clients against eventlet's default 1,024-connection pool, and a reconnect storm.

    Three cases on the bare server (the limit is eventlet's, not the app's): ``max_size``
    1,024 (``socketio.run``'s default) and 5,000 (what ``facilitator serve`` passes), 32
    handshakes at a time; then 5,000 with all 1,200 at once, as after a network blip.
    """
    runs = []
    for label, max_size, concurrency in (("max1024", 1024, 32), ("max5000", 5000, 32),
                                         ("storm", 5000, 1200)):
        port = free_port()
        env = dict(os.environ, PYTHONWARNINGS="ignore")
        bare = launch(f"bare-{label}", [PYTHON, str(BENCH / "bare_server.py"), "--port",
                                        str(port), "--max-connections", str(max_size)],
                      env, workdir, port)
        try:
            params = dict(base_params(args), connect_concurrency=concurrency,
                          connect_timeout=20)
            plan = {"servers": {"bare": server_spec(bare, bare_groups(
                args.groups, args.participants), False)}, "deflate": args.deflate,
                "params": params, "phases": [], "seed": args.seed}
            say(f"{label}: max_size {max_size}, {concurrency} handshakes at a time")
            result = run_generator(plan, workdir, label)
        finally:
            bare.stop()
        setup = result["setup"]["bare"]
        runs.append({"label": label, "max_size": max_size, "concurrency": concurrency,
                     "connected": setup["connected"], "clients": setup["clients"],
                     "connect_ms": setup["connect_ms"], "failures": setup["failures"],
                     "seconds": setup["seconds"]})
        print(json.dumps(runs[-1]))
    return {"experiment": "maxconn", "runs": runs}


def parse_args(argv=None):
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--participants", type=int, default=11)
    parser.add_argument("--pairs", type=int, default=5,
                        help="ABBA pairs of windows (6 before the reconnect pairs came: the "
                             "sixth pair's two minutes pay for them within the budget)")
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--capacity-pairs", type=int, default=3)
    parser.add_argument("--reconnect-pairs", type=int, default=3,
                        help="ABBA pairs of restarts under 1,200 connected clients")
    parser.add_argument("--capacity-start", type=float, default=700.0,
                        help="pushes/s of the first capacity step: both servers passed "
                             "every step below it in the runs of 2026-11-29's evening; a "
                             "first rate that fails steps down")
    parser.add_argument("--capacity-factor", type=float, default=1.1)
    parser.add_argument("--event-rate", type=float, default=20.0,
                        help="the app's live events a second per connection in this run "
                             "(EVENT_RATE_PER_SECOND; the app's default is 5); the capacity "
                             "step-up goes up to 90%% of it per facilitator")
    parser.add_argument("--step", type=float, default=1.5, help="capacity step, seconds")
    parser.add_argument("--agenda-interval", type=float, default=4.0)
    parser.add_argument("--card-rate", type=float, default=10.0)
    parser.add_argument("--checkin-at", type=float, default=20.0)
    parser.add_argument("--deflate", action="store_true",
                        help="clients offer permessage-deflate, as browsers do")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cli-demo", action="store_true",
                        help="seed with `facilitator demo --json` (OWASP-cost passwords: slow)")
    parser.add_argument("--app-args", nargs="*", default=[],
                        help="extra bench/app_server.py options, e.g. --gc nofreeze")
    parser.add_argument("--variant", default="",
                        help="a third server in every pair: the app with these app_server.py "
                             "options, e.g. '--sqlite=wal-full' (SQLite only)")
    parser.add_argument("--experiment", choices=["gc", "deflate", "redis", "maxconn"])
    parser.add_argument("--profile", action="store_true",
                        help="py-spy the app during its first window (needs py-spy)")
    parser.add_argument("--reps", type=int, default=2, help="repetitions of an experiment")
    parser.add_argument("--gc-threshold", default="50000,20,100")
    parser.add_argument("--quick", action="store_true",
                        help="a two-minute smoke run: 10 groups, 2 pairs of 15 s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--budget", type=float, default=870.0,
                        help="seconds: phases that would end later are skipped (and said so)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args(argv)
    if args.quick:
        args.groups, args.pairs, args.window, args.capacity_pairs = 10, 2, 15.0, 1
        args.checkin_at, args.capacity_start, args.capacity_factor = 5.0, 20.0, 1.25
    return args


def main(argv=None) -> None:
    """Run the headline bench or an experiment and save the raw result."""
    args = parse_args(argv)
    EVENT_RATE["per_second"] = args.event_rate
    RESULTS.mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="facilitator-bench-"))
    stamp = time.strftime("%Y%m%dT%H%M%S")
    try:
        if args.experiment == "gc":
            result = experiment_gc(args, workdir)
        elif args.experiment == "deflate":
            result = experiment_deflate(args, workdir)
        elif args.experiment == "redis":
            result = experiment_redis(args, workdir)
        elif args.experiment == "maxconn":
            result = experiment_maxconn(args, workdir)
        else:
            result = headline(args, workdir)
        result["args"] = vars(args)
        result["machine"] = {"cpus": os.cpu_count(), "loadavg_end": os.getloadavg()}
        name = f"{stamp}-{args.experiment or 'headline'}{'-quick' if args.quick else ''}.json"
        (RESULTS / name).write_text(json.dumps(result, indent=1))
        say(f"raw results: {RESULTS / name}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            say(f"work directory kept: {workdir}")


if __name__ == "__main__":
    main()
