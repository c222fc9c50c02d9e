"""nginx bounds long-polling bodies before they reach a worker (issue 19, item 1).

deploy/nginx/facilitator.conf as rendered by the two-worker set-up: in ``/socket.io/`` a body
over 64k is answered 413 by nginx itself; an ordinary polling POST passes.
"""

import json

import pytest
import requests

from .scale_cluster import Cluster

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """PostgreSQL and Redis made empty, the demo group, two workers and nginx in front."""
    cluster = Cluster(tmp_path_factory.mktemp("nginx-limits"))
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


def polling(base: str, **params) -> str:
    """The long-polling URL of ``base`` with Engine.IO's parameters."""
    query = "&".join(f"{k}={v}" for k, v in {"EIO": "4", "transport": "polling",
                                                **params}.items())
    return f"{base}/socket.io/?{query}"


def test_nginx_answers_413_to_an_over_size_polling_post(cluster):
    base = cluster.front.base_url
    with requests.Session() as http:
        opened = http.get(polling(base), timeout=5)
        assert opened.status_code == 200
        sid = json.loads(opened.text[1:])["sid"]
        small = http.post(polling(base, sid=sid), data=b"3", timeout=5)  # a pong
        assert small.status_code == 200 and small.text == "OK"
        big = http.post(polling(base, sid=sid), data=b"4" + b"x" * (70 * 1024), timeout=5)
    assert big.status_code == 413
    assert "nginx" in big.text  # refused at the front, not by a worker
    assert requests.get(base + "/healthz", timeout=5).status_code == 200
