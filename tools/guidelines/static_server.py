"""Serve a built site the way its static host will: under the path of `site_url` (e.g. /guidelines/),
with the nearest `404.html` (the language's, the version's) for a page that does not exist.

Used by `guidelines serve --published` and by the browser tests.
"""

from __future__ import annotations

import functools
import http.server
import posixpath
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from guidelines.project import Project


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"  # the path of site_url; set by `handler_for`

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".epub": "application/epub+zip",
        ".pdf": "application/pdf",
    }

    def translate_path(self, path):
        if not path.startswith(self.prefix):
            return "/nonexistent"
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == 404 else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        path = urlsplit(self.path).path
        if not path.startswith(self.prefix):
            return None
        folder = posixpath.dirname(path[len(self.prefix) :])
        while True:
            candidate = Path(self.directory) / folder / "404.html"
            if candidate.is_file():
                return candidate
            if not folder:
                return None
            folder = posixpath.dirname(folder)

    def log_message(self, *args):  # quiet: the reader watches the browser, not the log
        pass


def site_path(site_url: str) -> str:
    """The path the site is published under: `/guidelines/` for https://host/guidelines/."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def handler_for(directory: Path, site_url: str):
    handler = type("Handler", (SiteHandler,), {"prefix": site_path(site_url)})
    return functools.partial(handler, directory=str(directory))


@contextmanager
def serving(directory: Path, site_url: str, address: tuple[str, int] = ("127.0.0.1", 0)) -> Iterator[str]:
    """Serve `directory` in a background thread; yields the local address of the site's root."""
    server = http.server.ThreadingHTTPServer(address, handler_for(directory, site_url))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}{site_path(site_url)}"
    finally:
        server.shutdown()
        server.server_close()


def serve_published(project: Project, address: str) -> int:
    """Serve the gh-pages branch (every published edition) until interrupted."""
    from guidelines.deploy import export_published

    host, _, port = address.rpartition(":")
    with tempfile.TemporaryDirectory(prefix="guidelines-published-") as folder:
        export_published(project, Path(folder))
        with serving(Path(folder), project.site_url, (host or "127.0.0.1", int(port))) as url:
            print(f"Serving the published editions at {url} (Ctrl+C to stop)")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                return 0
    return 0
