import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class LocalSite(ThreadingHTTPServer):
    """A web server on 127.0.0.1 that stands for the external sites links point to; it records
    each request and how many it was answering at the same time."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str, str]] = []  # (method, path, User-Agent)
        self.active = 0
        self.most_active = 0
        self.lock = threading.Lock()
        self.slow_seconds = 0.3

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _answer(self):
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path, self.headers.get("User-Agent", "")))
            server.active += 1
            server.most_active = max(server.most_active, server.active)
        try:
            self._route()
        finally:
            with server.lock:
                server.active -= 1

    def _route(self):
        path = self.path
        if path.startswith("/ok"):
            if path.startswith("/ok-slowly"):
                time.sleep(self.server.slow_seconds)
            self._send(200)
        elif path == "/missing":
            self._send(404)
        elif path == "/error":
            self._send(500)
        elif path == "/hang":
            time.sleep(3)
            self._send(200)
        elif path == "/moved-to-missing":
            self._send(301, location="/missing")
        elif path == "/to-localhost":
            self._send(302, location=f"http://localhost:{self.server.server_address[1]}/ok")
        elif path == "/loop":
            self._send(302, location="/loop")
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200)
        else:
            self._send(404)

    def _send(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = _answer
    do_HEAD = _answer


@pytest.fixture
def local_site(settings):
    settings.SITECHECK_ALLOW_PRIVATE_ADDRESSES = True
    settings.SITECHECK_TIMEOUT = 1
    server = LocalSite()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
