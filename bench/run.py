"""The national-scale benchmark: how fast the shop serves its public pages, as a ratio to a trivial route.

    make bench                      # or: .venv/bin/python -m bench.run [options]
    .venv/bin/python -m bench.run --reuse --only product --duration 5

What it does
    1. Builds the benchmark database with bench.generate (20,000 products, 10,000 producers on
       PostgreSQL; BENCH_DATABASE_URL chooses it), or reuses it with --reuse.
    2. Starts the shop as production would run it on these machines: gunicorn with
       deploy/gunicorn.conf.py, 2 sync workers, bound to 127.0.0.1 only, the development configuration
       (no session is used, so SECRET_KEY does not matter), its log in bench/out/gunicorn.log.
    3. Requests every URL it will load, concurrently, checking each answers 200 (not a redirect, not
       an error), and warms up (with the page cache on, 8 passes, so both workers hold every sampled
       page), then loads each for --duration seconds with `wrk -t2 -c8 --latency` (or a small threaded
       Python generator when wrk is absent).
    4. Stops gunicorn, also on Ctrl-C or an error.

What it measures
    baseline          /healthz/live: a route of this app that touches no database. Measured first
                      and again last in the same run; the two figures are shown and their mean is the
                      baseline. Their gap says how noisy the machine was meanwhile.
    catalogue         /products, first page, with its facet counts.
    filtered          /products?stars=4&group=1&sort=price_asc.
    product           product pages cycling through 200 certified products (the wrk script's
                      request() walks the list, so this is not one hot URL).
    product-single    one product page, the same URL every time.
    english           /en/products: the catalogue in English.
    producer          producer pages of the sampled products' producers (informative).
    long-tail         every certified product's page in both languages (~35,000 URLs at national
                      scale), in a fixed shuffled order: a national catalogue is mostly visited once per
                      page, so even with the page cache on nearly every request is rendered. Not warmed
                      up (a sample is checked); held to 0.25×.
    locator           /sales-points, the first page of the 500 sales points in name order.
    memory            each worker's resident memory after the load (with the page cache on, every sampled
                      page and the long tail's share stored): held to ≤ 250 MiB.
    cold start        every worker killed, the time until a worker the master forks anew answers the
                      catalogue (deploy/gunicorn.conf.py preloads and warms the app in the master):
                      held to ≤ 0.5 s; best of three, after the load. Shown beside it: a new process
                      importing the shop, creating the app and rendering its first catalogue page, as a
                      worker would without preloading.
    locator-sorted    /sales-points?lat=…&lng=…: the list sorted by distance on the server from a
                      position that changes with every request (5,000 positions across the province,
                      walked in turn), as phones tapping "near me" ask for it. Such pages are never
                      stored in the page cache, so this measures the sorted list rendered each time.

How to read it
    req/s and p95 are absolute figures of this machine at this moment and mean little alone: the
    load generator shares the cores with the server and the machine is shared. The column to read is
    "× base": the page's throughput divided by the baseline's in the same run. The target
    (PERFORMANCE.md) is ≥ 0.5× for every page but producer and long-tail (catalogue in both languages,
    filtered, product, locator) with the page cache on, ≥ 0.25× for the long-tail walk, and ≥ 0.25× for
    every targeted page rendered (--no-page-cache); the peer
    (django-oscar) managed 0.006× for its catalogue and 0.024× for a product page. p95 is the
    95th-percentile latency with 8 concurrent connections, so it includes queueing for the 2 workers.
    "non-2xx" must be 0 (wrk counts responses that are neither 2xx nor 3xx; every URL was checked
    beforehand to answer 200 without a redirect). "sock err" counts connect/read/write errors and
    timeouts.

    The shop keeps rendered public pages in a per-worker cache (storefront/pagecache.py), so by default
    the figures are those of cached pages after warm-up: what a visitor of a popular page gets. Run with
    --no-page-cache (PAGE_CACHE_SIZE=0) to measure every request rendered from the database: what the
    first visitor of a page gets, and the cost the cache hides.

The exit status is 1 when a response failed or a targeted page is below its target.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field, replace

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from .generate import bench_app, database_url, generate
from .server import ROOT, fork_start, free_port, gunicorn_server, stop_on_signals, worker_memory_mib

OUT_DIR = ROOT / "bench" / "out"
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
WORKERS = 2
WRK_THREADS = 2
SAMPLE_SIZE = 200
TARGET_RATIO = 0.5
# Rendered pages: the long-tail walk, and every page when run with --no-page-cache (PERFORMANCE.md).
RENDERED_TARGET_RATIO = 0.25
# Concurrent passes over every URL (the first also checks each answers 200). A worker is picked at
# random per request, so with the page cache on it takes several passes before both workers have
# every sampled page: 8 leave each URL uncached in some worker with probability 1/128.
WARMUP_PASSES_CACHED = 8
BASELINE_PATH = "/healthz/live"
MEMORY_LIMIT_MIB = 250
COLD_START_LIMIT_S = 0.5
COLD_START_SCRIPT = """
import sys, time
started = time.perf_counter()
from storefront import create_app
imported = time.perf_counter()
app = create_app()
response = app.test_client().get("/products")
assert response.status_code == 200, response.status_code
print(f"COLD {imported - started:.4f} {time.perf_counter() - started:.4f}")
"""


def cold_start(env: dict[str, str], runs: int = 3) -> tuple[float, float]:
    """(import seconds, import → app → first catalogue page seconds) of a fresh process, best of `runs`."""
    best = None
    for _ in range(runs):
        # As deployed: Python's compiled modules are written (the first run) and read, whatever this
        # shell says about them.
        environment = {key: value for key, value in {**os.environ, **env}.items()
                       if key != "PYTHONDONTWRITEBYTECODE"}
        finished = subprocess.run([sys.executable, "-c", COLD_START_SCRIPT], cwd=ROOT, capture_output=True,
                                  text=True, env=environment, timeout=120)
        match = re.search(r"^COLD (\S+) (\S+)$", finished.stdout, re.MULTILINE)
        if not match:
            raise RuntimeError(f"the cold start measurement failed: {finished.stderr[-2000:]}")
        figures = (float(match.group(1)), float(match.group(2)))
        best = figures if best is None or figures[1] < best[1] else best
    return best


@dataclass(frozen=True)
class Target:
    name: str
    paths: tuple[str, ...]
    gated: bool  # held to its target
    varying: bool = False  # every path differs: check a sample, no cache to warm
    target: float = TARGET_RATIO

    @property
    def shown_url(self) -> str:
        return self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} … ({len(self.paths)} URLs)"


@dataclass(frozen=True)
class Measurement:
    requests: int
    seconds: float
    p95_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- The catalogue sample ------------------------------------------------------------------------

def database_exists(url: str) -> bool:
    target = make_url(url)
    server = create_engine(target.set(database="postgres"))
    try:
        with server.connect() as connection:
            return bool(connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                          {"name": target.database}))
    finally:
        server.dispose()


@dataclass(frozen=True)
class CatalogueSample:
    listed: int  # certified, published products
    products: list[str]  # slugs
    producers: list[str]  # slugs
    every_product: list[str]  # slugs of every listed product


def sample_catalogue(url: str, size: int = SAMPLE_SIZE) -> CatalogueSample:
    """Evenly spaced certified products (and their producers), as the shop itself lists them."""
    from sqlalchemy import select

    from storefront.catalog.models import Producer
    from storefront.certification.queries import certified_products
    from storefront.extensions import db

    app = bench_app(url, PAGE_CACHE_SIZE=0)
    with app.app_context():
        listed = certified_products()[0].subquery()
        rows = db.session.execute(
            select(listed.c.slug, Producer.slug).join(Producer, Producer.id == listed.c.producer_id)
            .order_by(listed.c.id)).all()
        db.engine.dispose()
    if not rows:
        raise SystemExit("The benchmark database lists no certified product: run without --reuse.")
    sample = rows[::max(1, len(rows) // size)][:size]
    return CatalogueSample(listed=len(rows), products=[slug for slug, _ in sample],
                           producers=list(dict.fromkeys(producer for _, producer in sample)),
                           every_product=[slug for slug, _ in rows])


def long_tail(every_product: list[str], seed: int = 7) -> tuple[str, ...]:
    """Every listed product's page in both languages, in a fixed shuffled order."""
    import random

    paths = [f"{prefix}/products/{slug}" for slug in every_product for prefix in ("", "/en")]
    random.Random(seed).shuffle(paths)
    return tuple(paths)


def build_targets(products: list[str], producers: list[str], every_product: list[str] = ()) -> list[Target]:
    return [
        Target("catalogue", ("/products",), gated=True),
        Target("filtered", ("/products?stars=4&group=1&sort=price_asc",), gated=True),
        Target("product", tuple(f"/products/{slug}" for slug in products), gated=True),
        Target("product-single", (f"/products/{products[0]}",), gated=True),
        Target("english", ("/en/products",), gated=True),
        Target("producer", tuple(f"/producers/{slug}" for slug in producers), gated=False),
        Target("locator", ("/sales-points",), gated=True),
        Target("locator-sorted", positions_across_the_province(), gated=True, varying=True),
        *([Target("long-tail", long_tail(every_product), gated=True, varying=True,
                  target=RENDERED_TARGET_RATIO)] if every_product else []),
    ]


POSITIONS = 5000


def positions_across_the_province(count: int = POSITIONS, seed: int = 4) -> tuple[str, ...]:
    """Distinct positions (to 4 decimals, ~10 m) in Quảng Ngãi's bounding box, in a fixed random order."""
    import random

    rng = random.Random(seed)
    return tuple(f"/sales-points?lat={rng.uniform(14.55, 15.42):.4f}&lng={rng.uniform(108.30, 109.15):.4f}"
                 for _ in range(count))


# --- Checking and loading ------------------------------------------------------------------------

def request_every_path(base: str, target: Target, passes: int, connections: int) -> None:
    address = urllib.request.urlparse(base)
    paths = list(target.paths) * passes
    failures: list[str] = []  # any answer but 200 (a redirect or an error would measure something else)
    threads = [threading.Thread(target=_request_each, args=(address, paths[offset::connections], failures),
                                daemon=True)
               for offset in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    if failures:
        raise SystemExit(f"{target.name}: {len(failures)} requests failed, e.g. {failures[0]}; nothing measured. "
                         f"See {OUT_DIR / 'gunicorn.log'}.")


def _request_each(address, paths, failures: list[str]) -> None:
    for path in paths:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"{path} answered {response.status}")
        except (OSError, http.client.HTTPException) as error:
            failures.append(f"{path}: {error}")
        finally:
            connection.close()


class WrkLoad:
    name = "wrk"

    def __init__(self, connections: int):
        self.connections = connections

    def describe(self) -> str:
        banner = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
        return f"{banner.split('Copyright')[0].strip()}, {WRK_THREADS} threads, {self.connections} connections"

    def run(self, base: str, target: Target, seconds: float) -> Measurement:
        env = dict(os.environ)
        env.pop("BENCH_PATHS", None)
        if len(target.paths) > 1:
            paths_file = OUT_DIR / f"{target.name}-paths.txt"
            paths_file.write_text("\n".join(target.paths) + "\n")
            env["BENCH_PATHS"] = str(paths_file)
            if target.varying:  # each thread its own share of the URLs: none is asked for twice
                env["BENCH_STRIDE"] = str(WRK_THREADS)
        command = ["wrk", f"-t{WRK_THREADS}", f"-c{self.connections}", f"-d{max(1, round(seconds))}s",
                   "--latency", "--timeout", "10s", "-s", str(WRK_SCRIPT), base + target.paths[0]]
        finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)
        (OUT_DIR / f"wrk-{target.name}.txt").write_text(finished.stdout + finished.stderr)
        return parse_wrk(finished.stdout, target.name)


def parse_wrk(output: str, name: str) -> Measurement:
    match = re.search(r"^BENCH-RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no result for {name}; see {OUT_DIR / f'wrk-{name}.txt'}")
    fields = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
    return Measurement(
        requests=fields["requests"], seconds=fields["duration_us"] / 1e6, p95_ms=fields["p95_us"] / 1000,
        non_2xx=fields["non_2xx_3xx"],
        socket_errors=sum(fields[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")))


class PythonLoad:
    """A small threaded load generator for machines without wrk: one thread per connection."""

    name = "python"

    def __init__(self, connections: int):
        self.connections = connections

    def describe(self) -> str:
        return f"Python {sys.version.split()[0]}, one thread per connection, {self.connections} connections"

    def run(self, base: str, target: Target, seconds: float) -> Measurement:
        address = urllib.request.urlparse(base)
        deadline = time.monotonic() + seconds
        results = [_ConnectionResult() for _ in range(self.connections)]
        # Each connection starts at its own place; on a varying target it takes every n-th URL, so no URL
        # is asked for twice (where connections walking one after another would find it in the cache).
        step = self.connections if target.varying else 1
        threads = [threading.Thread(target=self._load, daemon=True,
                                    args=(address, target.paths, offset if target.varying else offset * 37, step,
                                          deadline, result))
                   for offset, result in enumerate(results)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 30)
        elapsed = time.perf_counter() - started
        latencies = sorted(latency for result in results for latency in result.latencies)
        p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))] * 1000 if latencies else 0.0
        return Measurement(requests=len(latencies), seconds=elapsed, p95_ms=p95,
                           non_2xx=sum(r.non_2xx for r in results), socket_errors=sum(r.errors for r in results))

    @staticmethod
    def _load(address, paths, offset, step, deadline, result):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        index = offset
        while time.monotonic() < deadline:
            path = paths[index % len(paths)]
            index += step
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                result.errors += 1
                connection.close()
                continue
            result.latencies.append(time.perf_counter() - started)
            if not 200 <= response.status < 300:
                result.non_2xx += 1
            if response.will_close:
                connection.close()
        connection.close()


@dataclass
class _ConnectionResult:
    latencies: list[float] = field(default_factory=list)
    non_2xx: int = 0
    errors: int = 0


# --- Reporting -----------------------------------------------------------------------------------

def git_commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def print_header(load, args, listed: int) -> None:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Machine: {os.cpu_count()} cores ({usable} usable by this process); commit {git_commit()}")
    print(f"Server: gunicorn, {WORKERS} sync workers, page cache {'on' if args.page_cache else 'OFF'}; "
          f"load: {load.describe()}, {args.duration:g} s per page; catalogue: {listed:,} certified products listed")


def print_table(baselines: list[Measurement], results: list[tuple[Target, Measurement]]) -> float:
    baseline = statistics.mean(m.per_second for m in baselines)
    print()
    print(f"{'page':<16} {'URL':<48} {'req/s':>8} {'p95 ms':>8} {'× base':>7} {'non-2xx':>8} {'sock err':>8}  target")
    print("-" * 120)
    rows = [(f"baseline {i}", BASELINE_PATH, m, None) for i, m in enumerate(baselines, start=1)]
    rows += [(t.name, t.shown_url, m, t.target if t.gated else False) for t, m in results]
    for name, url, m, target in rows:
        ratio = m.per_second / baseline
        mark = "" if target is None else ("—" if target is False else
                                          f"{'ok' if ratio >= target else 'BELOW'} (≥ {target:g}×)")
        shown = url if len(url) <= 48 else url[:45] + "…"
        print(f"{name:<16} {shown:<48} {m.per_second:>8.1f} {m.p95_ms:>8.1f} {ratio:>6.3f}× "
              f"{m.non_2xx:>8} {m.socket_errors:>8}  {mark}")
    print("-" * 120)
    print(f"baseline = mean of the two baseline runs = {baseline:.1f} req/s; each page marked ok/BELOW "
          f"against its target")
    return baseline


def verdict(baselines, results, baseline: float) -> int:
    failures = [f"{t.name}: {m.non_2xx} non-2xx, {m.socket_errors} socket errors"
                for t, m in results if m.non_2xx or m.socket_errors]
    failures += [f"baseline: {m.non_2xx} non-2xx, {m.socket_errors} socket errors"
                 for m in baselines if m.non_2xx or m.socket_errors]
    failures += [f"{t.name}: {m.per_second / baseline:.3f}× is below {t.target:g}×"
                 for t, m in results if t.gated and m.per_second / baseline < t.target]
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


# --- Main ----------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description="The national-scale benchmark (see the module docstring).")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load per page before measuring")
    parser.add_argument("--reuse", action="store_true", help="reuse the benchmark database if it exists")
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure only this page (repeatable): catalogue, filtered, product, "
                             "product-single, english, producer, locator, locator-sorted, long-tail")
    parser.add_argument("--no-page-cache", dest="page_cache", action="store_false",
                        help="run the shop with PAGE_CACHE_SIZE=0: every page rendered from the database")
    parser.add_argument("--load-generator", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 1 <= args.connections <= 256:
        parser.error("--duration must be 1–600 s and --connections 1–256")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    url = database_url()
    if not (args.reuse and database_exists(url)):
        generate(url)
    sample = sample_catalogue(url)
    targets = build_targets(sample.products, sample.producers, sample.every_product)
    if args.only:
        unknown = set(args.only) - {t.name for t in targets}
        if unknown:
            raise SystemExit(f"--only: unknown page {', '.join(sorted(unknown))}")
        targets = [t for t in targets if t.name in args.only]
    if not args.page_cache:  # every page rendered: held to the rendered pages' target
        targets = [replace(t, target=RENDERED_TARGET_RATIO) for t in targets]
    load = (WrkLoad if args.load_generator == "wrk" else PythonLoad)(args.connections)
    baseline_target = Target("baseline", (BASELINE_PATH,), gated=False)
    print_header(load, args, sample.listed)
    server_env = {"DATABASE_URL": url, **({} if args.page_cache else {"PAGE_CACHE_SIZE": "0"})}

    passes = WARMUP_PASSES_CACHED if args.page_cache else 1

    master = []
    with gunicorn_server(server_env, args.port or free_port(), OUT_DIR / "gunicorn.log", WORKERS,
                         started=master.append) as base:
        print(f"Checking and warming up: every URL {passes}×, then {args.warmup:g} s of load per page…", flush=True)
        for target in [baseline_target, *targets]:
            if target.varying:  # checked on its last URLs only: the measurement walks it from the start, unseen
                request_every_path(base, Target(target.name, target.paths[-200:], False), 1, args.connections)
            else:
                request_every_path(base, target, passes, args.connections)
                load.run(base, target, args.warmup)
        baselines = [load.run(base, baseline_target, args.duration)]
        results = []
        for target in targets:
            print(f"  measuring {target.name}…", flush=True)
            results.append((target, load.run(base, target, args.duration)))
        baselines.append(load.run(base, baseline_target, args.duration))
        memory = worker_memory_mib(master[0].pid)
        forked = fork_start(base, master[0].pid)
    env = {k: v for k, v in server_env.items()}
    os.environ.pop("OCOP_ENV", None)
    imported, first_page = cold_start(env)

    baseline = print_table(baselines, results)
    print(f"memory per worker after the load: {', '.join(f'{m:.0f}' for m in memory)} MiB "
          f"(limit {MEMORY_LIMIT_MIB} MiB, page cache {'on' if args.page_cache else 'off'})")
    print(f"cold start of a worker, from its fork to its first catalogue page (deploy/gunicorn.conf.py: "
          f"preloaded and warmed in the master): {forked:.2f} s (target ≤ {COLD_START_LIMIT_S} s)")
    print(f"  without preloading, a new process: import → app → first catalogue page {first_page:.2f} s, "
          f"of which the import {imported:.2f} s")
    save_results(args, baselines, results, baseline, memory, (imported, first_page), forked)
    status = verdict(baselines, results, baseline)
    if memory and max(memory) > MEMORY_LIMIT_MIB:
        print(f"FAIL memory: a worker holds {max(memory):.0f} MiB, above {MEMORY_LIMIT_MIB} MiB")
        status = 1
    if forked > COLD_START_LIMIT_S:
        print(f"FAIL cold start: a new worker answered its first catalogue page {forked:.2f} s after its fork")
        status = 1
    return status


def save_results(args, baselines, results, baseline: float, memory=(), cold=(None, None), forked=None) -> None:
    report = {
        "commit": git_commit(), "cores": os.cpu_count(), "page_cache": args.page_cache,
        "duration_s": args.duration, "connections": args.connections, "baseline_req_s": baseline,
        "baselines": [vars(m) | {"req_s": m.per_second} for m in baselines],
        "pages": [{"name": t.name, "url": t.shown_url, "req_s": m.per_second, "ratio": m.per_second / baseline,
                   "p95_ms": m.p95_ms, "non_2xx": m.non_2xx, "socket_errors": m.socket_errors}
                  for t, m in results],
        "worker_memory_mib": list(memory), "cold_start_import_s": cold[0], "cold_start_first_page_s": cold[1],
        "fork_to_first_page_s": forked,
    }
    path = OUT_DIR / f"results-{'cached' if args.page_cache else 'uncached'}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"Raw figures: {path.relative_to(ROOT)}; wrk outputs and the server log beside it.")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
