"""nginx in front of the test workers, configured from the production deploy/nginx file.

The production file is rendered for a test: plain HTTP on free ports of 127.0.0.1 instead of
TLS on 443 and 80, the test's workers as the upstream, logs in a temporary folder. Its maps,
sticky upstream, proxy headers, timeouts and locations are used as written. The rendered
configuration adds one header, ``X-Upstream``, naming the worker that answered, so a test
can tell where nginx sent each client address.
"""

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "facilitator.conf"
START_TIMEOUT = 10.0
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_binary() -> str | None:
    """The nginx executable: ``$NGINX``, else nginx on PATH or in Debian's /usr/sbin."""
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which(os.environ.get("NGINX") or "nginx", path=search)


def rewrite(text: str, pattern: str, replacement: str) -> str:
    """Apply one rewrite of the production file; it must match, or the file changed shape."""
    result, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count, f"deploy/nginx/facilitator.conf no longer has a line matching {pattern!r}"
    return result


def render_site(site: str, port: int, redirect_port: int, upstreams: list[str],
                logs: Path) -> str:
    """The production site turned into a plain-HTTP front of the test's workers."""
    servers = "".join(f"\\1server {address};\n" for address in upstreams)
    for pattern, replacement in (
        (r"^\s*listen \[::\]:.*\n", ""),
        (r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{redirect_port};"),
        (r"^(\s*)listen 443 ssl( http2)?;", rf"\1listen 127.0.0.1:{port};"),
        (r"^\s*ssl_\w+ .*\n", ""),
        (r"^\s*server 127\.0\.0\.1:\d+;\n", ""),
        (r"^(\s*)(hash \$remote_addr consistent;\n)", rf"\1\2{servers}"),
        (r"/var/log/nginx/", f"{logs}/"),
        (r"^(\s*)(server_tokens off;)", r"\1\2\n\1add_header X-Upstream $upstream_addr always;"),
    ):
        site = rewrite(site, pattern, replacement)
    return site


def main_config(site: str, workdir: Path) -> str:
    """A whole nginx.conf around ``site``: foreground, every path inside ``workdir``."""
    temp = "\n".join(f'    {name}_temp_path "{workdir / name}";' for name in TEMP_PATHS)
    # One process, as whoever runs the test (no "nobody" worker that cannot read workdir),
    # and nothing left behind if it has to be killed.
    return (
        f'daemon off;\nmaster_process off;\npid "{workdir / "nginx.pid"}";\n'
        f'error_log "{workdir / "error.log"}" info;\n'
        "events {\n    worker_connections 1024;\n}\n"
        f"http {{\n{temp}\n    access_log off;\n\n{site}}}\n"
    )


@dataclass
class NginxFront:
    """One nginx process in front of ``upstreams``, listening on ``port`` (and a redirect one)."""

    binary: str
    workdir: Path
    upstreams: list[str]
    port: int
    redirect_port: int
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        """The front's address, the origin its pages are served from."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def redirect_url(self) -> str:
        """The plain-HTTP server that, in production, redirects to HTTPS."""
        return f"http://127.0.0.1:{self.redirect_port}"

    @property
    def config_path(self) -> Path:
        """The rendered nginx.conf."""
        return self.workdir / "nginx.conf"

    def write_config(self) -> None:
        """Render the production site into ``nginx.conf`` and check it with ``nginx -t``."""
        for name in TEMP_PATHS:
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        site = render_site(SITE.read_text(), self.port, self.redirect_port, self.upstreams,
                           self.workdir)
        self.config_path.write_text(main_config(site, self.workdir))
        checked = subprocess.run([*self.command(), "-t"], capture_output=True, text=True,
                                 timeout=30, check=False)
        assert checked.returncode == 0, f"nginx -t refused the rendered site:\n{checked.stderr}"

    def command(self) -> list[str]:
        """nginx with its prefix, configuration and start-up error log in ``workdir``."""
        return [self.binary, "-p", str(self.workdir), "-c", str(self.config_path),
                "-e", str(self.workdir / "error.log")]

    def start(self) -> None:
        """Start nginx and wait until ``/healthz`` answers through it."""
        self.write_config()
        with open(self.workdir / "nginx.out", "ab") as out:
            self.process = subprocess.Popen(self.command(), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if requests.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"nginx did not come up:\n{self.error_log()}")

    def stop(self) -> None:
        """Stop nginx (SIGTERM, then SIGKILL) and reap it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def error_log(self) -> str:
        """What nginx logged (start-up problems, refused upstreams)."""
        parts = [self.workdir / "nginx.out", self.workdir / "error.log"]
        return "".join(p.read_text(errors="replace") for p in parts if p.exists())

    def access_log(self) -> str:
        """The production access log, in the production format."""
        path = self.workdir / "facilitator.access.log"
        return path.read_text(errors="replace") if path.exists() else ""
