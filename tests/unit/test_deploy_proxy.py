"""deploy/nginx/nginx.conf, the reverse proxy of deploy/compose.yaml: `nginx -t` accepts it, and Debian's
nginx run with it on loopback, in front of a stand-in for intake, forwards the client's address, hides
/metrics, lets an upload of SOP_MAX_UPLOAD_BYTES through, and answers in the API's error shape when the
body is too large or intake is away. Only its listen address and intake's are changed, to loopback ports."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from shared.settings import Settings
from tests.unit.deploy_support import DEPLOY, default_port

CONF = DEPLOY / "nginx" / "nginx.conf"


def nginx() -> str:
    found = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    assert found, "nginx is missing: `make deploy-tools` installs Debian's (apt-get install nginx)"
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Echo(BaseHTTPRequestHandler):
    """intake's stand-in: answers what reached it, as JSON."""

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        seen = {"path": self.path, "forwarded_for": self.headers.get("X-Forwarded-For"), "bytes": len(body)}
        data = json.dumps(seen).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *_: object) -> None:
        pass


def test_nginx_accepts_the_configuration(tmp_path):
    done = subprocess.run([nginx(), "-t", "-p", str(tmp_path), "-c", str(CONF), "-g", f"pid {tmp_path}/nginx.pid;"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def proxy(tmp_path):
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    port, text = free_port(), CONF.read_text()
    for real, here in ((f"http://intake:{default_port('intake')};", f"http://127.0.0.1:{upstream.server_port};"),
                       ("listen 8080;", f"listen 127.0.0.1:{port};")):
        assert real in text
        text = text.replace(real, here)
    (tmp_path / "nginx.conf").write_text(text)
    server = subprocess.Popen([nginx(), "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                               "-g", f"daemon off; pid {tmp_path}/nginx.pid;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    assert server.poll() is None, server.stderr.read().decode()
    yield f"http://127.0.0.1:{port}", upstream
    server.terminate()
    server.wait(timeout=30)
    upstream.shutdown()


def test_the_proxy_forwards_the_client_address_and_the_largest_upload(proxy):
    url, _ = proxy
    seen = httpx.get(f"{url}/cases?limit=1", timeout=10).json()
    assert seen == {"path": "/cases?limit=1", "forwarded_for": "127.0.0.1", "bytes": 0}
    largest = Settings.model_fields["max_upload_bytes"].default
    answer = httpx.post(f"{url}/cases/x/attachments", content=b"%" * largest, timeout=60)
    assert answer.json()["bytes"] == largest


def test_the_proxy_answers_in_the_api_error_shape_for_what_intake_never_sees(proxy):
    url, upstream = proxy
    hidden = httpx.get(f"{url}/metrics", timeout=10)
    assert (hidden.status_code, hidden.json()["error"]) == (404, "not_found")
    huge = httpx.post(f"{url}/cases/x/attachments", content=b"%" * (12 * 1024 * 1024), timeout=60)
    assert (huge.status_code, huge.json()["error"]) == (413, "payload_too_large")
    upstream.shutdown()
    upstream.server_close()
    away = httpx.get(f"{url}/cases", timeout=30)
    assert (away.status_code, set(away.json())) == (503, {"error", "reason"})
