#!/usr/bin/env python
"""The ``facilitator`` command with a watchdog on the eventlet loop, to find calls that hold it.

A green thread marks the time every 5 ms; a native thread looks every 3 ms and, when the
mark is older than ``STALL_MS`` (25), writes the stack the loop is running to
``LOOP_WATCH_FILE`` with how long the stall lasted and how much CPU the loop's thread used
in it (CPU near the stall's length: a call computing on the loop; near zero: the machine
did not schedule the process, or a system call blocked it). Not for production. Usage::

    PATH=$PWD/.venv/bin:$PATH TEST_FACILITATOR_BIN=$PWD/bench/loop_watch.py \
        .venv/bin/python -m pytest -q tests/server
    .venv/bin/python bench/loop_watch.py --summary /tmp/loop-stalls.txt
"""

import os
import re
import sys
import warnings
from collections import defaultdict

STALL = float(os.environ.get("STALL_MS", "25")) / 1000
OUT = os.environ.get("LOOP_WATCH_FILE", "/tmp/loop-stalls.txt")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def thread_cpu_ms(tid: int) -> float:
    """CPU time (user + system) the native thread ``tid`` of this process has used."""
    with open(f"/proc/self/task/{tid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def watch(last: list, clock, pause, main_ident: int, main_tid: int) -> None:
    """Write the loop's stack each time ``last[0]`` (the heartbeat) is older than ``STALL``."""
    import traceback

    while True:
        pause(0.003)
        if clock() - last[0] <= STALL:
            continue
        since, cpu = last[0], thread_cpu_ms(main_tid)
        frame = sys._current_frames().get(main_ident)
        stack = [s for s in traceback.format_stack(frame) if "eventlet/hubs" not in s]
        while last[0] == since:
            pause(0.003)
        with open(OUT, "a") as out:
            out.write(f"=== STALL pid={os.getpid()}\n{''.join(stack)}=== END "
                      f"total={(clock() - since) * 1000:.0f}ms "
                      f"cpu={thread_cpu_ms(main_tid) - cpu:.0f}ms\n")


def serve_watched() -> None:
    """Patch eventlet, start the heartbeat and the watchdog, then run ``facilitator``."""
    sys.path.insert(0, ROOT)
    if sys.argv[1:2] != ["serve"]:  # other commands (``demo``) run as they are
        from facilitator.entry import main

        return main()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import eventlet
    eventlet.monkey_patch()
    from eventlet import patcher

    threading, time = patcher.original("threading"), patcher.original("time")
    last = [time.monotonic()]

    def beat():
        while True:
            last[0] = time.monotonic()
            eventlet.sleep(0.005)

    eventlet.spawn(beat)
    args = (last, time.monotonic, time.sleep, threading.main_thread().ident,
            threading.get_native_id())
    threading.Thread(target=watch, args=args, daemon=True).start()
    from facilitator.entry import main

    main()


def summary(path: str) -> None:
    """Print the stalls of ``path`` grouped by the innermost frame of the app's own code."""
    groups = defaultdict(list)
    pattern = r"=== STALL pid=\d+\n(.*?)=== END total=(\d+)ms cpu=(-?\d+)ms"
    with open(path) as stalls:
        text = stalls.read()
    for stack, total, cpu in re.findall(pattern, text, re.S):
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', stack)
        if any("importlib" in f[0] or f[2] in ("create_app", "run_server") for f in frames):
            key = "start-up (imports, create_app, run_server)"
        else:
            own = [f for f in frames if f[0].startswith(ROOT) and "/.venv/" not in f[0]]
            where = f"{own[-1][0][len(ROOT) + 1:]}:{own[-1][1]} {own[-1][2]}" if own else "-"
            inner = f"{frames[-1][0].rsplit('/', 2)[-1]}:{frames[-1][1]}" if frames else "hub"
            key = f"{where} (innermost {inner})"
        groups[key].append((int(total), int(cpu)))
    for key, items in sorted(groups.items(), key=lambda kv: -max(kv[1])[0]):
        print(f"{len(items):3d}x max {max(t for t, _ in items):5d} ms, "
              f"CPU {sum(c for _, c in items)} of {sum(t for t, _ in items)} ms  {key}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--summary"]:
        summary(sys.argv[2])
    else:
        serve_watched()
