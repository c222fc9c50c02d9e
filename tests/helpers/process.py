"""One server subprocess with its log: start, wait for ``/healthz``, stop, crash, restart.

Shared by the tests' real servers (``helpers.server.LiveServer``, which the scale tests use
too) and by ``make bench`` (``bench/run.py``). It lives with the test helpers because it is
test and measurement code, never the app's; it needs only the standard library and
``requests``, so the bench loads this file by itself (``tests/helpers`` on ``sys.path``,
``import process``) without the test package, which imports the app.
"""

import signal
import subprocess
import time
from pathlib import Path

import requests


class ServerProcess:
    """A process serving HTTP on ``port`` that answers ``GET /healthz`` with 200 when ready.

    Its stdout and stderr go to ``log_path`` (appended to, so a restart keeps the log).
    """

    def __init__(self, argv: list[str], env: dict, cwd: Path, log_path: Path, port: int):
        self.argv, self.env, self.cwd = list(argv), env, cwd
        self.log_path, self.port = Path(log_path), port
        self.popen: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        """Where the process answers."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        """The running process's id, or None."""
        return None if self.popen is None else self.popen.pid

    def spawn(self) -> None:
        """Start the process without waiting for it."""
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log,
                                          stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float) -> bool:
        """Wait until ``/healthz`` answers 200; False if the process ended or time ran out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is None or self.popen.poll() is not None:
                return False
            try:
                if requests.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return True
            except requests.RequestException:  # not listening yet, or too busy to answer
                pass
            time.sleep(0.05)
        return False

    def start(self, timeout: float) -> None:
        """Start the process and wait until it is ready; stop it and raise if it is not."""
        self.spawn()
        if not self.wait_ready(timeout):
            self.stop()
            raise RuntimeError(f"{self.argv[0]} did not come up:\n{self.log_tail()}")

    def stop(self) -> None:
        """Terminate the process (kill it if it does not stop within 10 s) and reap it."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        self.popen = None

    def crash(self) -> None:
        """SIGKILL the process, as a crash or a power cut would end it, and reap it."""
        if self.popen is not None:
            self.popen.send_signal(signal.SIGKILL)
            self.popen.wait(timeout=10)
            self.popen = None

    def restart(self, timeout: float) -> None:
        """Crash the process and start it again on the same port, as a supervisor would."""
        self.crash()
        self.start(timeout)

    def log(self) -> str:
        """What the process wrote so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the log."""
        return self.log()[-chars:]
