"""Lighthouse and the Nu HTML checker on the shop's main pages.

    make audit                                   # or: .venv/bin/python -m bench.audit [options]
    .venv/bin/python -m bench.audit --url http://127.0.0.1:5000     # an instance already running

Without --url it serves a throwaway copy of the shop: a temporary SQLite database migrated with
`flask db upgrade` and filled with `flask demo load` (or, with --sample-data, a small fictional
catalogue from bench.generate), under gunicorn on 127.0.0.1. It takes a product and its producer from
/api/v1/products and a sales point from /api/v1/sales-points.geojson, then for the home page, the
catalogue, that product page, that producer page, the sales points (the locator with its map), that
sales point's page and the places to visit (in Vietnamese and, unless --no-english, English):

- runs Lighthouse (node_modules, mobile form factor, headless Chromium at /usr/bin/chromium) for
  performance, accessibility, best practices and SEO (--runs 3 keeps the median run: the performance
  score moves with the machine's load);
- checks the HTML the page served with the Nu HTML checker (node_modules/vnu-jar).

The throwaway instance draws its map tiles from a stub tile server on 127.0.0.1 (MAP_TILE_URL), started
by the audit: OpenStreetMap's tile policy forbids automated load, and an audit must not depend on the
network. The map still loads the way it does in production (deferred script, tiles after first render).

It prints one row per page, then what to fix: every Nu error and every Lighthouse audit that did
not pass. The raw reports are written under audit-report/. The exit status is 1 when a score is
below 0.95, the checker reports an error, or a page does not answer 200.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .server import ROOT, free_port, gunicorn_server, stop_on_signals

REPORT_DIR = ROOT / "audit-report"
BIN = ROOT / ".venv" / "bin"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_PATH = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
THRESHOLD = 0.95
LIGHTHOUSE_TIMEOUT = 300
# Lighthouse counts an audit as passed from this score up.
AUDIT_PASS = 0.9


@dataclass
class PageAudit:
    name: str
    path: str
    scores: dict[str, float | None] = field(default_factory=dict)
    failed_audits: list[str] = field(default_factory=list)
    html_errors: list[str] = field(default_factory=list)
    html_warnings: int = 0
    problem: str | None = None  # the page could not be audited at all

    def passed(self, threshold: float) -> bool:
        return (self.problem is None and not self.html_errors
                and all(score is not None and score >= threshold for score in self.scores.values()))


# --- A throwaway instance ------------------------------------------------------------------------

def prepare_instance(workdir: Path, sample_data: bool) -> dict[str, str]:
    """Migrate and fill a temporary SQLite database; returns the environment that serves it."""
    env = {
        "DATABASE_URL": f"sqlite:///{workdir / 'ocop.db'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "INSTANCE_DIR": str(workdir / "instance"),
        "FLASK_APP": "wsgi",
    }
    flask(env, "db", "upgrade")
    if sample_data:
        load_sample_catalogue(env["DATABASE_URL"])
    else:
        flask(env, "demo", "load")
    return env


def flask(env: dict[str, str], *args: str) -> None:
    command = [str(BIN / "flask"), *args]
    finished = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True,
                              timeout=600)
    if finished.returncode != 0:
        raise SystemExit(f"`flask {' '.join(args)}` failed ({finished.returncode}):\n"
                         f"{finished.stdout[-2000:]}{finished.stderr[-4000:]}")


def load_sample_catalogue(database_url: str) -> None:
    from storefront.clock import today
    from storefront.extensions import db

    from .generate import SAMPLE, bench_app, build_catalogue, insert_catalogue

    app = bench_app(database_url)
    with app.app_context():
        with db.engine.begin() as connection:
            insert_catalogue(connection, build_catalogue(SAMPLE, today()), progress=lambda line: None)
        db.engine.dispose()


# --- What to audit -------------------------------------------------------------------------------

def pages_to_audit(base: str, english: bool) -> list[PageAudit]:
    product = first_listed_product(base)
    pages = [("home", "/"), ("catalogue", "/products"), ("product", f"/products/{product['slug']}"),
             ("producer", f"/producers/{product['producer']['slug']}"), ("sales points", "/sales-points")]
    point = first_sales_point(base)
    if point:
        pages.append(("sales point", f"/sales-points/{point}"))
    pages.append(("destinations", "/destinations"))
    if english:
        pages += [(f"{name} (en)", "/en" + path) for name, path in pages]
    return [PageAudit(name, path) for name, path in pages]


def first_listed_product(base: str) -> dict:
    with urllib.request.urlopen(base + "/api/v1/products?per_page=1", timeout=30) as response:
        results = json.load(response)["results"]
    if not results:
        raise SystemExit("The catalogue lists no certified product: nothing to audit beyond the home page.")
    return results[0]


def first_sales_point(base: str) -> str | None:
    with urllib.request.urlopen(base + "/api/v1/sales-points.geojson?kind=sales_point", timeout=30) as response:
        features = json.load(response)["features"]
    return features[0]["properties"]["slug"] if features else None


# --- A stub tile server --------------------------------------------------------------------------

def tile_png(size: int = 256, rgb=(0xE8, 0xE4, 0xDA)) -> bytes:
    """A plain map-coloured tile."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * size
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * size, 9)) + chunk(b"IEND", b""))


@contextmanager
def stub_tile_server():
    """Yields a MAP_TILE_URL served on 127.0.0.1 from a background thread."""
    import http.server
    import threading

    body = tile_png()

    class Tiles(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=86400")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            pass  # Chromium drops tile requests of a page it has left: nothing to report

    server = Server(("127.0.0.1", free_port()), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png"
    finally:
        server.shutdown()
        server.server_close()


def fetch_html(url: str, destination: Path) -> str | None:
    """Saves the page's HTML; returns a problem, or None."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            if response.status != 200 or response.url != url:
                return f"answered {response.status} at {response.url}"
            destination.write_bytes(response.read())
    except OSError as error:
        return f"could not be fetched: {error}"
    return None


# --- Lighthouse ----------------------------------------------------------------------------------

def run_lighthouse(url: str, report_path: Path) -> dict:
    command = [str(LIGHTHOUSE), url, "--output=json", f"--output-path={report_path}",
               f"--chrome-flags={CHROME_FLAGS}", "--form-factor=mobile", "--quiet",
               f"--only-categories={','.join(CATEGORIES)}"]
    finished = subprocess.run(command, cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROME_PATH},
                              capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT)
    if not report_path.exists():
        raise RuntimeError(f"Lighthouse wrote no report ({finished.returncode}): {finished.stderr[-1500:]}")
    return json.loads(report_path.read_text())


def median_lighthouse(url: str, folder: Path, slug: str, runs: int) -> dict:
    """The report of median performance among `runs` runs: on a shared machine one run can be unlucky."""
    if runs == 1:
        return run_lighthouse(url, folder / f"{slug}.json")
    reports = [run_lighthouse(url, folder / f"{slug}.run{number}.json") for number in range(1, runs + 1)]
    reports.sort(key=lambda report: report["categories"]["performance"].get("score") or 0)
    median = reports[len(reports) // 2]
    (folder / f"{slug}.json").write_text(json.dumps(median))
    return median


def read_lighthouse(page: PageAudit, report: dict) -> None:
    if report.get("runtimeError"):
        page.problem = f"Lighthouse: {report['runtimeError'].get('message')}"
    page.scores = {name: report["categories"].get(name, {}).get("score") for name in CATEGORIES}
    for name in CATEGORIES:
        for reference in report["categories"].get(name, {}).get("auditRefs", []):
            audit = report["audits"][reference["id"]]
            if reference.get("group") != "hidden" and is_failing(audit):
                shown = f" — {audit['displayValue']}" if audit.get("displayValue") else ""
                page.failed_audits.append(f"[{name}] {audit['title']}{shown} (score {audit['score']:.2f})")


def is_failing(audit: dict) -> bool:
    mode, score = audit.get("scoreDisplayMode"), audit.get("score")
    if mode not in ("binary", "numeric", "metricSavings") or score is None or score >= AUDIT_PASS:
        return False
    # An opportunity estimated to save nothing is not something to fix.
    return mode != "metricSavings" or any((audit.get("metricSavings") or {}).values())


# --- The Nu HTML checker -------------------------------------------------------------------------

def vnu_jar() -> Path:
    """The jar's path as the vnu-jar package itself reports it."""
    finished = subprocess.run(["node", "-p", "String(require('vnu-jar'))"], cwd=ROOT, capture_output=True, text=True)
    jar = Path(finished.stdout.strip()) if finished.returncode == 0 else ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
    if not jar.is_file():
        raise SystemExit(f"vnu.jar not found ({jar}): run `npm ci`.")
    return jar


def check_html(pages_by_file: dict[Path, PageAudit], report_path: Path) -> None:
    if not pages_by_file:
        return
    command = ["java", "-jar", str(vnu_jar()), "--format", "json", "--stdout", "--exit-zero-always",
               *map(str, pages_by_file)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report_path.write_text(finished.stdout)
    by_url = {file.resolve().as_uri(): page for file, page in pages_by_file.items()}
    for message in json.loads(finished.stdout)["messages"]:
        page = by_url.get(normalise_file_url(message.get("url", "")))
        if page is None:
            raise RuntimeError(f"The Nu checker failed: {message.get('message')}")
        if message["type"] == "error":
            where = f"line {message['lastLine']}: " if "lastLine" in message else ""
            extract = f"  «{message['extract'].strip()[:100]}»" if message.get("extract") else ""
            page.html_errors.append(f"{where}{message['message']}{extract}")
        elif message.get("subType") == "warning":
            page.html_warnings += 1


def normalise_file_url(url: str) -> str:
    # vnu writes file:/tmp/x, Python file:///tmp/x
    return Path(urllib.parse.unquote(urllib.parse.urlparse(url).path)).as_uri() if url.startswith("file:") else url


# --- Reporting -----------------------------------------------------------------------------------

def print_table(pages: list[PageAudit], threshold: float) -> None:
    def shown(score):
        return "  –  " if score is None else f"{score:5.2f}" + ("*" if score < threshold else " ")

    print()
    print(f"{'page':<16} {'URL':<44} {'perf':>6} {'a11y':>6} {'b.p.':>6} {'seo':>6} {'vnu err':>8}")
    print("-" * 96)
    for page in pages:
        path = page.path if len(page.path) <= 44 else page.path[:41] + "…"
        scores = " ".join(shown(page.scores.get(name)) for name in CATEGORIES)
        print(f"{page.name:<16} {path:<44} {scores} {len(page.html_errors):>8}")
    print("-" * 96)
    print(f"* below {threshold}. perf = performance, a11y = accessibility, b.p. = best practices.")


def print_details(pages: list[PageAudit]) -> None:
    for page in pages:
        if not (page.problem or page.failed_audits or page.html_errors):
            continue
        print(f"\n{page.name} — {page.path}")
        if page.problem:
            print(f"  PROBLEM: {page.problem}")
        for error in page.html_errors:
            print(f"  vnu: {error}")
        for audit in page.failed_audits:
            print(f"  lighthouse: {audit}")


# --- Main ----------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description="Lighthouse and the Nu HTML checker (see the module docstring).")
    parser.add_argument("--url", help="audit this running instance instead of starting one")
    parser.add_argument("--sample-data", action="store_true",
                        help="fill the throwaway database from bench.generate instead of `flask demo load`")
    parser.add_argument("--no-english", dest="english", action="store_false", help="skip the /en/ pages")
    parser.add_argument("--runs", type=int, choices=range(1, 10), default=1, metavar="N",
                        help="Lighthouse runs per page, keeping the one of median performance (default 1)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help=f"lowest passing score ({THRESHOLD})")
    return parser.parse_args(argv)


def check_tools() -> None:
    missing = [str(tool) for tool in (LIGHTHOUSE, Path(CHROME_PATH)) if not tool.exists()]
    missing += [tool for tool in ("java", "node") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"Missing: {', '.join(missing)} (run `npm ci`; Chromium and Java come from Debian).")


def audit(base: str, english: bool, threshold: float, runs: int) -> int:
    for folder in ("lighthouse", "html"):
        shutil.rmtree(REPORT_DIR / folder, ignore_errors=True)  # no report of an earlier run left to mislead
        (REPORT_DIR / folder).mkdir(parents=True)
    pages = pages_to_audit(base, english)
    pages_by_file = {}
    for page in pages:
        slug = page.name.replace(" (en)", "-en").replace(" ", "-")
        print(f"  {page.name}: {page.path}", flush=True)
        html_file = REPORT_DIR / "html" / f"{slug}.html"
        page.problem = fetch_html(base + page.path, html_file)
        if page.problem:
            continue
        pages_by_file[html_file] = page
        try:
            read_lighthouse(page, median_lighthouse(base + page.path, REPORT_DIR / "lighthouse", slug, runs))
        except (RuntimeError, subprocess.TimeoutExpired) as error:
            page.problem = str(error)
    print("  Nu HTML checker…", flush=True)
    check_html(pages_by_file, REPORT_DIR / "vnu.json")
    print_table(pages, threshold)
    print_details(pages)
    print(f"\nRaw reports: {REPORT_DIR.relative_to(ROOT)}/ (lighthouse/*.json, vnu.json, html/)")
    failed = [page.name for page in pages if not page.passed(threshold)]
    print(f"FAIL: {', '.join(failed)}" if failed else f"All pages pass (≥ {threshold}, no HTML errors).")
    return 1 if failed else 0


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    check_tools()
    if args.url:
        return audit(args.url.rstrip("/"), args.english, args.threshold, args.runs)
    REPORT_DIR.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocop-audit-") as workdir:
        print(f"Preparing a throwaway instance in {workdir}…", flush=True)
        env = prepare_instance(Path(workdir), args.sample_data)
        with stub_tile_server() as tiles, \
                gunicorn_server({**env, "MAP_TILE_URL": tiles}, free_port(), REPORT_DIR / "gunicorn.log",
                                workers=2) as base:
            print(f"Auditing {base}", flush=True)
            return audit(base, args.english, args.threshold, args.runs)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; the server was stopped.", file=sys.stderr)
        sys.exit(130)
