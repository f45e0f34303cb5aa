"""Lighthouse on the home, catalog and a dataset page of the built site: `make audit`.

    python tools/audit.py [--site site] [--page PATH ...]

Serves site/ on a free local port, runs Lighthouse 12 (tools/audit/, installed by `make audit`
with npm ci) in Debian's chromium with its default mobile settings (a simulated mid-range phone
on a slow 4G connection), and prints each page's four scores. Fails when accessibility is below
100, best practices or SEO below 95, or mobile performance below 85. The performance figure
depends on the machine being idle; the reports are kept in build/audit/ (JSON).
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools/audit/node_modules/lighthouse/cli/index.js"
PAGES = ["", "datasets/", "datasets/administrative-divisions/"]
TARGETS = {"accessibility": 100, "best-practices": 95, "seo": 95, "performance": 85}


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".csv", ".txt"}


class _Host(http.server.SimpleHTTPRequestHandler):
    """The site as a static host sends it: text gzip-compressed (GitHub Pages, Netlify and
    Cloudflare Pages all do), so the performance figure is not that of an uncompressed server."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--page", action="append", help="a page path under the site root (default: three)")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print("audit: Lighthouse is not installed; run `make audit` (npm ci --prefix tools/audit)", file=sys.stderr)
        return 2
    handler = functools.partial(_Host, directory=str(args.site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    out = ROOT / "build/audit"
    out.mkdir(parents=True, exist_ok=True)
    failed = []
    print(f"{'page':40} " + " ".join(f"{c:>15}" for c in TARGETS))
    try:
        for path in args.page or PAGES:
            report = out / ((path.strip("/").replace("/", "-") or "home") + ".json")
            subprocess.run(
                [
                    "node",
                    str(LIGHTHOUSE),
                    base + path,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    "--only-categories=" + ",".join(TARGETS),
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                check=True,
                env=dict(os.environ, CHROME_PATH="/usr/bin/chromium"),
            )
            result = json.loads(report.read_text(encoding="utf-8"))
            scores = {c: round((result["categories"][c]["score"] or 0) * 100) for c in TARGETS}
            print(f"/{path:39} " + " ".join(f"{scores[c]:>15}" for c in TARGETS))
            failed += [(path, c, s) for c, s in scores.items() if s < TARGETS[c]]
            for c in TARGETS:
                for ref in result["categories"][c]["auditRefs"]:
                    audit = result["audits"][ref["id"]]
                    if ref["weight"] and audit["score"] is not None and audit["score"] < 1 and c != "performance":
                        print(f"    {c}: {audit['title']}")
    finally:
        httpd.shutdown()
    for path, category, score in failed:
        print(f"audit: /{path} {category} {score} < {TARGETS[category]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
