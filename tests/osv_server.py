"""A tiny OSV-compatible vulnerability service on loopback, serving fixture advisories.

It answers `POST /v1/query` (`{"package": {"name", "ecosystem"}, "version"}`) the way
https://api.osv.dev does, from a dict of advisories per (package, version), so tests can run
the real pip-audit (`-s osv --osv-url http://127.0.0.1:<port>/v1/query`) without a network.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Mapping


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def advisory(vuln_id: str, package: str, fixed: str, summary: str) -> dict[str, Any]:
    """An OSV record: `package` is affected from its first version until `fixed`."""
    return {
        "id": vuln_id,
        "summary": summary,
        "details": summary,
        "aliases": [],
        "modified": "2026-01-01T00:00:00Z",
        "published": "2026-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
            }
        ],
    }


class OsvServer:
    """`with OsvServer({("libcst", "1.5.0"): [advisory(...)]}) as server: server.url`."""

    def __init__(self, advisories: Mapping[tuple[str, str], list[dict[str, Any]]]) -> None:
        self.advisories = {(_canonical(n), v): a for (n, v), a in advisories.items()}
        self.queries: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                query = json.loads(self.rfile.read(length) or b"{}")
                name = _canonical(query.get("package", {}).get("name", ""))
                version = query.get("version", "")
                server.queries.append((name, version))
                vulns = server.advisories.get((name, version), [])
                body = json.dumps({"vulns": vulns} if vulns else {}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1/query"

    def __enter__(self) -> "OsvServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
