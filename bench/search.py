"""How fast the shop searches its national-scale catalogue, beside the catalogue page and a naive LIKE.

    .venv/bin/python -m bench.search [--reuse] [--duration S] [--connections N] [--no-page-cache]
    .venv/bin/python -m bench.search --reuse --reuse-index --profile      # + where an uncached search spends

What it does
    1. Builds the benchmark database with bench.generate (20,000 products, 10,000 producers on
       PostgreSQL; BENCH_DATABASE_URL chooses it), or reuses it with --reuse.
    2. Builds the search index of that database in bench/out/search-index with
       storefront.search.index.rebuild(), inside the shop's app in a child process of its own, and
       reports its time and peak memory (the child's peak resident set) (--reuse-index keeps an index
       already there instead).
    3. Times each query in process, one at a time and with no page cache (--reps times each): the
       shop's /search page and suggestion endpoint, and the naive LIKE page and suggestions of
       bench/search_like.py, through Flask's test client: what each costs alone, query by query, and
       how many products each finds.
    4. Starts the shop as bench.run does (gunicorn, 2 sync workers, 127.0.0.1 only, SEARCH_INDEX_DIR
       set), checks every URL answers 200, warms up, and loads with `wrk -t2 -c8 --latency` through
       bench/wrk_report.lua (cycling through the URL list), for --duration seconds each:
           baseline    /healthz/live (first and last; their mean is the baseline)
           catalogue   /products
           search      /search?q=…  cycling through QUERIES (45 queries as shoppers type them)
           suggest     /api/v1/search/suggest?q=…&lang=vi  cycling through PREFIXES (2–6 characters)
       then stops it, and starts bench/search_like.py's app with the same gunicorn settings for
           like-search /like-search?q=…  the same queries, the same template and page size
           like-suggest /like-suggest?q=…&lang=vi  the same prefixes, the same JSON
       (and its own /healthz/live, to show the machine did not change meanwhile), for at least
       LIKE_MIN_DURATION seconds each (a LIKE page takes a second or more: a p95 needs requests).
       After every load it waits until the workers are idle (wrk leaves requests queued in gunicorn).
       gunicorn is always stopped, also on Ctrl-C or an error.
    5. Prints the table, the per-query table and the targets, and saves the raw figures in
       bench/out/search/.

The targets (the issue)
    search p95 ≤ 2× the catalogue page's p95 (the suggestion endpoint is held to the same), and search
    ≥ 10× faster than LIKE: LIKE's p50 and p95 over the shop's, for the page and for suggestions,
    served under the same load. With the page cache on (the default), the shop's searches after
    warm-up are cache hits, as popular searches would be. Run with --no-page-cache (PAGE_CACHE_SIZE=0,
    and SUGGESTION_CACHE_SIZE=0 for the suggestions' own cache) for every search computed: the
    comparison that matters for LIKE (the LIKE routes never use a cache). LIKE cannot fold tone marks
    nor forgive typos: the per-query table shows what each found.

The exit status is 1 when a response failed or a target is missed.
"""
import argparse
import cProfile
import http.client
import io
import json
import math
import multiprocessing
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass

from .generate import database_url, generate
from .run import WRK_SCRIPT, WRK_THREADS, database_exists, git_commit
from .search_like import like_server
from .server import ROOT, free_port, gunicorn_server, stop_on_signals

OUT_DIR = ROOT / "bench" / "out" / "search"
INDEX_DIR = ROOT / "bench" / "out" / "search-index"
WORKERS = 2
BASELINE_PATH = "/healthz/live"
CATALOGUE_PATH = "/products"
WARMUP_PASSES_CACHED = 8  # as bench.run: both workers hold every URL after warm-up
WRK_TIMEOUT = 30
# --no-page-cache: the page cache and the suggestions' own cache off, so every search is computed.
NO_CACHE = ("PAGE_CACHE_SIZE", "SUGGESTION_CACHE_SIZE")
# A LIKE page takes a second or more: shorter runs would leave too few requests for a p95.
LIKE_MIN_DURATION = 30
SEARCH_TO_CATALOGUE_P95 = 2.0
LIKE_OVER_SEARCH = 10.0

# What shoppers type, from the words the generated catalogue is made of (bench/generate.py).
QUERIES = (
    # Vietnamese with tone marks
    ("nước mắm", "accented"), ("tỏi lý sơn", "accented"), ("tỏi đen", "accented"),
    ("mạch nha thi phổ", "accented"), ("quế trà bồng", "accented"), ("mật ong rừng", "accented"),
    ("bò một nắng", "accented"), ("thổ cẩm ba tơ", "accented"), ("gốm mỹ thiện", "accented"),
    ("cà phê măng đen", "accented"), ("sâm ngọc linh", "accented"), ("muối sa huỳnh", "accented"),
    ("hợp tác xã đức phổ", "accented"),
    # …without them, as typed on a phone without a Vietnamese keyboard
    ("nuoc mam", "no marks"), ("toi ly son", "no marks"), ("hanh tim", "no marks"), ("keo guong", "no marks"),
    ("que tra bong", "no marks"), ("tra xanh", "no marks"), ("ruou ngo", "no marks"), ("chieu coi", "no marks"),
    ("banh trang", "no marks"),
    # English
    ("fish sauce", "english"), ("garlic", "english"), ("black garlic", "english"), ("cinnamon", "english"),
    ("wild honey", "english"), ("brown rice", "english"), ("green tea", "english"), ("pottery", "english"),
    # the last word still being typed
    ("nước m", "partial"), ("tinh dầu q", "partial"), ("cinna", "partial"), ("gạo l", "partial"),
    ("mây tre đ", "partial"),
    # typos and spelling variants
    ("nuoc mamm", "typo"), ("cinamon", "typo"), ("garlik", "typo"), ("tỏi lí sơn", "typo"), ("honney", "typo"),
    ("toii", "typo"), ("lyy sonn", "typo"), ("cinammon", "typo"), ("mat onh", "typo"),
    # nothing of the kind in the catalogue
    ("sầu riêng", "absent"),
)
# What is in the search box as a shopper types (2–6 characters), for the suggestion endpoint.
PREFIXES = ("nư", "nước", "nuoc", "nuoc m", "tỏ", "tỏi", "toi l", "tỏi đ", "mạch", "mach n", "qu", "quế",
            "que t", "mật o", "mat on", "bò m", "bo mo", "thổ", "tho ca", "gốm", "gom m", "rượu", "ruou",
            "cà ph", "ca phe", "sâm", "sam ng", "muối", "muoi s", "bánh", "banh t", "trà x", "kẹo", "keo g",
            "ga", "garl", "cinn", "fish", "hone", "pott")
PROFILED_QUERIES = ("nước mắm", "toi ly son", "cinnamon", "cinamon", "tinh dầu q", "sầu riêng")


def search_path(query: str) -> str:
    return "/search?" + urllib.parse.urlencode({"q": query})


def suggest_path(prefix: str) -> str:
    return "/api/v1/search/suggest?" + urllib.parse.urlencode({"q": prefix, "lang": "vi"})


def like_search_path(query: str) -> str:
    return "/like-search?" + urllib.parse.urlencode({"q": query})


def like_suggest_path(prefix: str) -> str:
    return "/like-suggest?" + urllib.parse.urlencode({"q": prefix, "lang": "vi"})


@dataclass(frozen=True)
class Load:
    name: str
    paths: tuple[str, ...]
    json: bool = False  # the answer must be JSON


@dataclass(frozen=True)
class Measurement:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values, fraction: float) -> float:
    """Nearest rank: the smallest value with at least `fraction` of the values at or below it."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered) - 1e-9))) - 1]


# --- The app in process ----------------------------------------------------------------------------

NO_CACHES = {name: 0 for name in NO_CACHE}


def app_config(url: str, **settings):
    from storefront.config import DevelopmentConfig

    return type("SearchBenchConfig", (DevelopmentConfig,),
                {"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": str(INDEX_DIR), **settings})


def build_index(url: str) -> tuple[int, float, float, float]:
    """storefront.search.index.rebuild() on the benchmark database, into INDEX_DIR, in a child process
    of its own so that its memory is its own: (documents, seconds, the child's resident memory before
    the rebuild and at its peak, in MB)."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_build_index_child, args=(url, answers))
    child.start()
    child.join()
    if child.exitcode != 0:
        raise SystemExit(f"the index rebuild failed (exit status {child.exitcode})")
    count, seconds, before_mb, peak_mb = answers.get()
    if count < 0:
        raise SystemExit(f"Another rebuild of {INDEX_DIR} is running (its .rebuilding marker is there).")
    return count, seconds, before_mb, peak_mb


def _build_index_child(url: str, answers) -> None:
    from sqlalchemy import func, select

    from storefront import create_app
    from storefront.catalog.models import Product
    from storefront.extensions import db
    from storefront.search import index

    app = create_app(app_config(url, **NO_CACHES))
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Product))
        db.session.rollback()
        before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        done, started = 0, time.perf_counter()

        def progress(step: int) -> None:
            # rebuild() reports every index.BATCH documents added, then the remainder once committed.
            nonlocal done
            done += step
            elapsed = time.perf_counter() - started
            if step < index.BATCH:
                print(f"  {done:>6,} documents written and committed  {elapsed:6.1f} s", flush=True)
            elif done % 5000 == 0:
                print(f"  {done:>6,} / {total:,} documents added    {elapsed:6.1f} s", flush=True)

        print(f"Building the search index of {total:,} products in {INDEX_DIR.relative_to(ROOT)}…", flush=True)
        count = index.rebuild(progress=progress)
        seconds = time.perf_counter() - started
        db.engine.dispose()
    answers.put((count, seconds, before_mb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def index_documents(url: str) -> int:
    from storefront import create_app
    from storefront.search import index

    app = create_app(app_config(url, **NO_CACHES))
    with app.app_context():
        try:
            ix = index.open_index()
        except index.IndexUnavailable:
            return 0
        with ix.searcher() as searcher:
            return searcher.doc_count()


RESULT_COUNT = re.compile(r'id="results-count"[^>]*>[^<\d]*(\d+)')  # "Tìm thấy 935 sản phẩm…"


def found_on_page(html: str) -> int:
    match = RESULT_COUNT.search(html)
    return int(match.group(1)) if match else -1


@dataclass
class QueryTiming:
    query: str
    kind: str
    search_ms: list[float]
    like_ms: list[float]
    search_found: int
    like_found: int

    def p(self, which: str, fraction: float) -> float:
        return percentile(getattr(self, which), fraction)


def time_in_process(url: str, reps: int) -> tuple[list[QueryTiming], list[QueryTiming]]:
    """Every query and prefix, `reps` times each, one at a time, no page cache: the shop's and LIKE's."""
    from .search_like import create_like_app

    app = create_like_app(app_config(url, **NO_CACHES))
    client = app.test_client()

    def timed(path: str, is_json: bool):
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{urllib.parse.unquote(path)} answered {response.status_code} in process")
        found = len(response.get_json()["suggestions"]) if is_json else found_on_page(response.get_data(True))
        return elapsed, found

    client.get(search_path("tỏi"))  # the worker's listing and first index reader, as after a warm-up
    client.get(CATALOGUE_PATH)
    results = ([], [])
    plans = ((QUERIES, search_path, like_search_path, False),
             ([(prefix, "prefix") for prefix in PREFIXES], suggest_path, like_suggest_path, True))
    for (items, ours, naive, is_json), out in zip(plans, results):
        for query, kind in items:
            timing = QueryTiming(query, kind, [], [], 0, 0)
            for _ in range(reps):
                elapsed, timing.search_found = timed(ours(query), is_json)
                timing.search_ms.append(elapsed)
                elapsed, timing.like_found = timed(naive(query), is_json)
                timing.like_ms.append(elapsed)
            out.append(timing)
        print(f"  {len(items)} {'prefixes' if is_json else 'queries'} timed", flush=True)
    with app.app_context():
        from storefront.extensions import db
        db.engine.dispose()
    return results


def phase_breakdown(app, queries=tuple(q for q, _ in QUERIES), reps: int = 3) -> str:
    """Where an uncached /search request goes, query by query (median of `reps`): the ranking
    (storefront.search.queries._ranked_positions: every attempt, scored in memory), the rest of
    search() (listing filter, facets, the page's cards from PostgreSQL, highlighting), and the rest of
    the request (the template)."""
    from storefront.catalog.forms import CatalogueFilters
    from storefront.catalog.listing import current_listing
    from storefront.search import queries as search_queries

    lines = [f"Phases of an uncached /search request, ms (median of {reps}):",
             f"  {'query':<22} {'ranking':>7} {'rest of search()':>17} {'template etc.':>14} {'request':>8}  hits"]
    totals = [0.0, 0.0, 0.0]
    for query in queries:
        samples = []
        for _ in range(reps):
            with app.test_request_context(search_path(query)):
                started = time.perf_counter()
                assert app.full_dispatch_request().status_code == 200
                request_ms = (time.perf_counter() - started) * 1000
                listing = current_listing()
                started = time.perf_counter()
                ranked, _, _ = search_queries._ranked_positions(search_queries.clean_query(query), listing)
                ranking_ms = (time.perf_counter() - started) * 1000
                started = time.perf_counter()
                search_queries.search(query, CatalogueFilters())
                search_ms = (time.perf_counter() - started) * 1000
            samples.append((ranking_ms, max(0.0, search_ms - ranking_ms), max(0.0, request_ms - search_ms)))
        ranking_ms, rest_ms, template_ms = (statistics.median(column) for column in zip(*samples))
        for i, value in enumerate((ranking_ms, rest_ms, template_ms)):
            totals[i] += value
        lines.append(f"  {query:<22} {ranking_ms:>7.1f} {rest_ms:>17.1f} {template_ms:>14.1f} "
                     f"{ranking_ms + rest_ms + template_ms:>8.1f}  {len(ranked)}")
    whole = sum(totals)
    lines.append(f"  {'share of the time':<22} {totals[0] / whole:>7.0%} {totals[1] / whole:>17.0%} "
                 f"{totals[2] / whole:>14.0%}")
    return "\n".join(lines)


def profile_search(url: str, queries=PROFILED_QUERIES, top: int = 25) -> str:
    """cProfile of uncached /search requests on this index (after one warm request each)."""
    from storefront import create_app

    app = create_app(app_config(url, **NO_CACHES))
    for query in queries:  # warm: the listing, the index's files in the OS cache
        with app.test_request_context(search_path(query)):
            assert app.full_dispatch_request().status_code == 200
    profiler = cProfile.Profile()
    started = time.perf_counter()
    for query in queries:
        with app.test_request_context(search_path(query)):
            profiler.enable()
            response = app.full_dispatch_request()
            profiler.disable()
            assert response.status_code == 200
    elapsed = time.perf_counter() - started
    out = io.StringIO()
    out.write(phase_breakdown(app) + "\n")
    out.write(f"cProfile of {len(queries)} uncached /search requests ({', '.join(queries)}), "
              f"{elapsed * 1000 / len(queries):.0f} ms each on average (profiled)\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    with app.app_context():
        from storefront.extensions import db
        db.engine.dispose()
    return out.getvalue()


# --- Load ---------------------------------------------------------------------------------------------

def check_and_warm(base: str, load: Load, passes: int, connections: int) -> None:
    """Request every path `passes` times concurrently; each must answer 200 (JSON where expected)."""
    address = urllib.parse.urlparse(base)
    paths = list(load.paths) * passes
    failures: list[str] = []

    def each(assigned):
        for path in assigned:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    failures.append(f"{urllib.parse.unquote(path)} answered {response.status}")
                elif load.json:
                    json.loads(body)
            except (OSError, http.client.HTTPException, ValueError) as error:
                failures.append(f"{urllib.parse.unquote(path)}: {error!r}")
            finally:
                connection.close()

    threads = [threading.Thread(target=each, args=(paths[offset::connections],), daemon=True)
               for offset in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    if failures:
        raise SystemExit(f"{load.name}: {len(failures)} requests failed, e.g. {failures[0]}; "
                         f"see the server log in {OUT_DIR.relative_to(ROOT)}.")


def settle(base: str, timeout: float = 300) -> None:
    """Wait until the workers are idle: wrk leaves requests queued in gunicorn when it stops (a sync
    worker finishes what it accepted), which would otherwise be measured as the next load's latency."""
    address = urllib.parse.urlparse(base)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latencies: list[float] = []

        def probe():
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=timeout)
            started = time.perf_counter()
            try:
                connection.request("GET", BASELINE_PATH)
                connection.getresponse().read()
                latencies.append(time.perf_counter() - started)
            except (OSError, http.client.HTTPException):
                latencies.append(float("inf"))
            finally:
                connection.close()

        probes = [threading.Thread(target=probe, daemon=True) for _ in range(WORKERS * 2)]
        for thread in probes:
            thread.start()
        for thread in probes:
            thread.join(timeout=timeout)
        if len(latencies) == len(probes) and max(latencies) < 0.1:
            return
        time.sleep(0.2)
    raise SystemExit(f"the server at {base} stayed busy for {timeout:g} s after a load")


def run_wrk(base: str, load: Load, seconds: float, connections: int, tag: str = "") -> Measurement:
    """wrk through bench/wrk_report.lua; the timeout is long because a LIKE page queued behind seven
    others takes seconds, and a request that timed out would leave the latency figures."""
    env = dict(os.environ)
    env.pop("BENCH_PATHS", None)
    if len(load.paths) > 1:
        paths_file = OUT_DIR / f"{load.name}-paths.txt"
        paths_file.write_text("\n".join(load.paths) + "\n")
        env["BENCH_PATHS"] = str(paths_file)
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", f"{WRK_TIMEOUT}s", "-s", str(WRK_SCRIPT), base + load.paths[0]]
    finished = subprocess.run(command, capture_output=True, text=True, env=env, timeout=seconds + 60)
    (OUT_DIR / f"wrk-{load.name}{tag}.txt").write_text(finished.stdout + finished.stderr)
    match = re.search(r"^BENCH-RESULT (.*)$", finished.stdout, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk gave no result for {load.name}; see {OUT_DIR / f'wrk-{load.name}{tag}.txt'}")
    fields = {key: int(value) for key, value in (pair.split("=") for pair in match.group(1).split())}
    return Measurement(
        requests=fields["requests"], seconds=fields["duration_us"] / 1e6, p50_ms=fields["p50_us"] / 1000,
        p95_ms=fields["p95_us"] / 1000, p99_ms=fields["p99_us"] / 1000, non_2xx=fields["non_2xx_3xx"],
        socket_errors=sum(fields[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts")))


def measure(base: str, loads: list[Load], args, passes: int, label: str,
            duration: float | None = None) -> dict[str, Measurement]:
    duration = duration or args.duration
    print(f"{label}: checking and warming up (every URL {passes}×, then {args.warmup:g} s of load each)…",
          flush=True)
    for load in loads:
        check_and_warm(base, load, passes, args.connections)
        if args.warmup:
            run_wrk(base, load, args.warmup, args.connections, tag="-warmup")
            settle(base)
    results = {}
    for load in loads:
        print(f"  measuring {load.name}…", flush=True)
        key = load.name if load.name not in results else load.name + " 2"
        results[key] = run_wrk(base, load, duration, args.connections, tag="" if key == load.name else "-2")
        settle(base)
    return results


# --- Report -------------------------------------------------------------------------------------------

def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def print_table(rows: list[tuple[str, str, Measurement]], baseline: float) -> None:
    print()
    print(f"{'load':<14} {'URL':<46} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'× base':>7} "
          f"{'non-2xx':>7} {'sock err':>8}")
    print("-" * 133)
    for name, url, m in rows:
        shown = url if len(url) <= 46 else url[:43] + "…"
        print(f"{name:<14} {shown:<46} {m.requests:>8} {m.per_second:>8.1f} {m.p50_ms:>8.1f} {m.p95_ms:>8.1f} "
              f"{m.p99_ms:>8.1f} {m.per_second / baseline:>6.3f}× {m.non_2xx:>7} {m.socket_errors:>8}")
    print("-" * 133)
    print(f"baseline = mean of the shop's two baseline runs = {baseline:.1f} req/s")


def print_per_query(title: str, timings: list[QueryTiming], reps: int) -> None:
    print()
    print(f"{title} — in process, one request at a time, no page cache, {reps} runs each (p95 of {reps} runs "
          f"is their slowest but one or the slowest)")
    print(f"{'query':<22} {'kind':<9} {'shop p50':>9} {'p95':>7} {'found':>6} │ {'LIKE p50':>9} {'p95':>7} "
          f"{'found':>6} │ {'LIKE/shop p50':>13}")
    for t in timings:
        ratio = t.p("like_ms", 0.5) / t.p("search_ms", 0.5)
        print(f"{t.query:<22} {t.kind:<9} {t.p('search_ms', 0.5):>9.1f} {t.p('search_ms', 0.95):>7.1f} "
              f"{t.search_found:>6} │ {t.p('like_ms', 0.5):>9.1f} {t.p('like_ms', 0.95):>7.1f} {t.like_found:>6} │ "
              f"{ratio:>12.1f}×")
    ours = [ms for t in timings for ms in t.search_ms]
    naive = [ms for t in timings for ms in t.like_ms]
    print(f"{'all':<22} {'':<9} {percentile(ours, 0.5):>9.1f} {percentile(ours, 0.95):>7.1f} {'':>6} │ "
          f"{percentile(naive, 0.5):>9.1f} {percentile(naive, 0.95):>7.1f} {'':>6} │ "
          f"{percentile(naive, 0.5) / percentile(ours, 0.5):>12.1f}×   (ms; found = products on the page's "
          f"count, or suggestions)")
    missed = [t for t in timings if t.like_found == 0 and t.search_found > 0]
    if missed:
        print(f"LIKE found nothing for {len(missed)} of {len(timings)} that the shop answers "
              f"({', '.join(t.query for t in missed)}): it cannot fold tone marks nor forgive typos.")


def targets(results: dict[str, Measurement], page_cache: bool) -> list[tuple[str, bool]]:
    catalogue = results["catalogue"]
    lines = []
    for ours, naive, label in (("search", "like-search", "/search"), ("suggest", "like-suggest", "suggest")):
        m, like = results[ours], results[naive]
        limit = SEARCH_TO_CATALOGUE_P95 * catalogue.p95_ms
        lines.append((f"{label:<8} p95 {m.p95_ms:8.1f} ms ≤ {SEARCH_TO_CATALOGUE_P95:g}× catalogue p95 "
                      f"({SEARCH_TO_CATALOGUE_P95:g} × {catalogue.p95_ms:.1f} = {limit:.1f} ms)",
                      m.p95_ms <= limit))
        p50, p95 = like.p50_ms / m.p50_ms, like.p95_ms / m.p95_ms
        lines.append((f"{label:<8} vs LIKE: LIKE p50 {like.p50_ms:.1f} / {m.p50_ms:.1f} ms = {p50:.1f}×, "
                      f"p95 {like.p95_ms:.1f} / {m.p95_ms:.1f} ms = {p95:.1f}×, req/s "
                      f"{m.per_second / like.per_second if like.per_second else float('inf'):.1f}× "
                      f"(≥ {LIKE_OVER_SEARCH:g}× on p50 and p95"
                      f"{'; the shop answered from its page cache' if page_cache else ''})",
                      min(p50, p95) >= LIKE_OVER_SEARCH))
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Search latency at national scale (see the module docstring).")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per URL list (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (default 8)")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of load per URL list before measuring")
    parser.add_argument("--reuse", action="store_true", help="reuse the benchmark database if it exists")
    parser.add_argument("--reuse-index", action="store_true",
                        help=f"keep the index in {INDEX_DIR.relative_to(ROOT)} if it holds every product")
    parser.add_argument("--no-page-cache", dest="page_cache", action="store_false",
                        help="run the shop with PAGE_CACHE_SIZE=0 and SUGGESTION_CACHE_SIZE=0: "
                             "every search and suggestion computed")
    parser.add_argument("--reps", type=int, default=5, help="in-process runs of each query (default 5; 0 skips)")
    parser.add_argument("--profile", action="store_true", help="also profile uncached /search requests")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 1 <= args.connections <= 256 or not 0 <= args.reps <= 100 \
            or not 0 <= args.warmup <= 60:
        parser.error("--duration must be 1–600 s, --connections 1–256, --reps 0–100, --warmup 0–60 s")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    stop_on_signals()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    load_at_start, commit_at_start = load_average(), git_commit()
    url = database_url()
    if not (args.reuse and database_exists(url)):
        generate(url)

    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as connection:
        products = connection.scalar(text("SELECT count(*) FROM product"))
    engine.dispose()
    documents = index_documents(url) if args.reuse_index else 0
    if documents == products:
        index_note = f"reused ({documents:,} documents)"
    else:
        documents, seconds, before_mb, peak_mb = build_index(url)
        index_note = (f"rebuilt: {documents:,} documents in {seconds:.1f} s, peak memory {peak_mb:.0f} MB "
                      f"(the rebuilding process's resident set; {before_mb:.0f} MB before it began)")
    print(f"Search index: {index_note}", flush=True)

    timings = ([], [])
    if args.reps:
        print(f"Timing each query in process ({args.reps}× each, no page cache)…", flush=True)
        timings = time_in_process(url, args.reps)
    profile = profile_search(url) if args.profile else ""

    shop = [Load("baseline", (BASELINE_PATH,)), Load("catalogue", (CATALOGUE_PATH,)),
            Load("search", tuple(search_path(q) for q, _ in QUERIES)),
            Load("suggest", tuple(suggest_path(p) for p in PREFIXES), json=True)]
    naive = [Load("like-search", tuple(like_search_path(q) for q, _ in QUERIES)),
             Load("like-suggest", tuple(like_suggest_path(p) for p in PREFIXES), json=True)]
    env = {"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(INDEX_DIR),
           **({} if args.page_cache else {name: "0" for name in NO_CACHE})}
    passes = WARMUP_PASSES_CACHED if args.page_cache else 1
    with gunicorn_server(env, args.port or free_port(), OUT_DIR / "gunicorn-shop.log", WORKERS) as base:
        results = measure(base, shop + [shop[0]], args, passes, "The shop")
    with like_server(env, args.port or free_port(), OUT_DIR / "gunicorn-like.log", WORKERS) as base:
        like_results = measure(base, [Load("like-baseline", (BASELINE_PATH,))] + naive, args, 1, "The LIKE app",
                               duration=max(args.duration, LIKE_MIN_DURATION))
    results.update(like_results)
    load_at_end = load_average()

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wrk_banner = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("Copyright")[0]
    print()
    commit = git_commit()
    if commit != commit_at_start:
        commit = f"{commit_at_start} at the start, {commit} at the end (the code changed during the run!)"
    command = ".venv/bin/python -m bench.search " + " ".join(argv if argv is not None else sys.argv[1:])
    print(f"Command: {command.strip()}")
    print(f"Machine: {os.cpu_count()} cores ({usable} usable by this process); commit {commit}; "
          f"load average {load_at_start} at the start, {load_at_end} at the end")
    print(f"Server: gunicorn, {WORKERS} sync workers, page cache {'on' if args.page_cache else 'OFF'}; "
          f"load: {wrk_banner.strip()}, {WRK_THREADS} threads, {args.connections} connections, "
          f"{args.duration:g} s per URL list (the LIKE app's {max(args.duration, LIKE_MIN_DURATION):g} s); "
          f"{products:,} products; search index {index_note}")
    if args.reps:
        print_per_query("/search vs the LIKE page", timings[0], args.reps)
        print_per_query("suggestions vs LIKE suggestions", timings[1], args.reps)
    if profile:
        print()
        print(profile)

    baseline = statistics.mean((results["baseline"].per_second, results["baseline 2"].per_second))
    shown = {"search": f"/search?q=… ({len(QUERIES)} queries)", "suggest": f"/api/v1/search/suggest?q=…&lang=vi "
             f"({len(PREFIXES)})", "like-search": f"/like-search?q=… (the same {len(QUERIES)})",
             "like-suggest": f"/like-suggest?q=…&lang=vi (the same {len(PREFIXES)})"}
    order = ["baseline", "catalogue", "search", "suggest", "baseline 2", "like-baseline", "like-search",
             "like-suggest"]
    print_table([(name, shown.get(name, BASELINE_PATH if "baseline" in name else CATALOGUE_PATH), results[name])
                 for name in order], baseline)
    print("like-* are served by bench/search_like.py's app (the shop plus the LIKE routes) under the same gunicorn "
          "settings, after the shop was stopped; like-baseline is its /healthz/live.")
    print("LIKE cannot fold tone marks (\"nuoc mam\" finds no \"nước mắm\") nor forgive typos, and shows no facet "
          "counts; the shop's search does all three.")
    print()
    print(f"Targets (page cache "
          f"{'on: the shop answered searches from its caches' if args.page_cache else 'OFF: every search computed'}):")
    checks = targets(results, args.page_cache)
    for line, passed in checks:
        print(f"  {line:<150} {'ok' if passed else 'BELOW'}")
    failures = [f"{name}: {m.non_2xx} non-2xx, {m.socket_errors} socket errors"
                for name, m in results.items() if m.non_2xx or m.socket_errors]
    for failure in failures:
        print("FAIL", failure)
    save(args, results, timings, index_note, load_at_start, load_at_end, checks, command.strip())
    return 1 if failures or not all(passed for _, passed in checks) else 0


def save(args, results, timings, index_note, load_at_start, load_at_end, checks, command) -> None:
    report = {
        "command": command, "commit": git_commit(), "cores": os.cpu_count(), "page_cache": args.page_cache,
        "duration_s": args.duration, "connections": args.connections, "index": index_note,
        "load_average": {"start": load_at_start, "end": load_at_end},
        "loads": {name: asdict(m) | {"req_s": m.per_second} for name, m in results.items()},
        "per_query": {kind: [asdict(t) for t in found] for kind, found in zip(("search", "suggest"), timings)},
        "targets": [{"target": line, "ok": passed} for line, passed in checks],
    }
    path = OUT_DIR / f"results-{'cached' if args.page_cache else 'uncached'}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Raw figures: {path.relative_to(ROOT)}; wrk outputs and the server logs beside it.")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; gunicorn stopped.", file=sys.stderr)
        sys.exit(130)
