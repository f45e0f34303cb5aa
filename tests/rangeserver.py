"""A static file server for the browser tests that answers HTTP Range requests (as GitHub Pages
and every CDN do, and Python's http.server does not) and counts the bytes it sends per file."""

from __future__ import annotations

import collections
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

RANGE = re.compile(r"bytes=(\d*)-(\d*)$")


class Counted:
    def __init__(self) -> None:
        self.sent: collections.Counter[str] = collections.Counter()  # URL path -> body bytes sent
        self.ranges: collections.Counter[str] = collections.Counter()  # URL path -> range requests
        self.lock = threading.Lock()

    def add(self, path: str, size: int, ranged: bool) -> None:
        with self.lock:
            self.sent[path] += size
            self.ranges[path] += ranged


def _handler(root: Path, prefix: str, counted: Counted):
    class Handler(http.server.SimpleHTTPRequestHandler):
        extensions_map = {
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".parquet": "application/vnd.apache.parquet",
            ".mjs": "text/javascript",
            ".wasm": "application/wasm",
        }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def translate_path(self, path):
            path = path.split("?", 1)[0]
            if not path.startswith(prefix):
                return str(root / "__outside_the_prefix__")
            return super().translate_path("/" + path[len(prefix) :])

        def log_message(self, *args):
            pass

        def do_GET(self):
            self._answer(body=True)

        def do_HEAD(self):
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            file = Path(self.translate_path(self.path))
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                self.send_error(404)
                return
            data = file.read_bytes()
            start, end, status = 0, len(data) - 1, 200
            asked = RANGE.match(self.headers.get("Range", "").strip())
            if asked and data:
                first, last = asked.groups()
                if first:
                    start, end = int(first), min(int(last), len(data) - 1) if last else len(data) - 1
                else:
                    start = max(len(data) - int(last), 0)
                status = 206
            chunk = data[start : end + 1]
            self.send_response(status)
            self.send_header("Content-Type", self.guess_type(str(file)))
            self.send_header("Content-Length", str(len(chunk)))
            self.send_header("Accept-Ranges", "bytes")
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.end_headers()
            if body:
                self.wfile.write(chunk)
                counted.add(self.path.split("?", 1)[0], len(chunk), status == 206)

    return Handler


@contextmanager
def serving(root: Path, prefix: str = "/") -> Iterator[tuple[str, Counted]]:
    """(base URL, byte counts) of root served at prefix on 127.0.0.1."""
    counted = Counted()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, prefix, counted))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}{prefix}", counted
    finally:
        httpd.shutdown()
        httpd.server_close()
