"""Orders per second through the real checkout, with 50 concurrent buyers, on PostgreSQL; no oversold unit.

    .venv/bin/python -m bench.checkout [--reuse] [--duration S] [--buyers N] [--hot-stock N]

What it does
    1. Builds the benchmark database with bench.generate (20,000 products, 10,000 producers;
       BENCH_DATABASE_URL chooses it), or reuses it with --reuse. Then it empties the order tables and
       the outbox, and picks POOL products a shopper can buy today (certified, published, sold online,
       shippable, priced): all but one get a large stock; the "hot" one gets --hot-stock units, fewer
       than the buyers will ask for, so it sells out during the run under contention.
    2. Starts the shop as production would run it here: gunicorn, 2 sync workers, 127.0.0.1 only,
       CSRF on, sessions signed, the page cache on (bench.server.gunicorn_server).
    3. Measures in one run, with the same Python load generator (one thread and one keep-alive
       connection per client, --buyers clients):
           baseline   GET /healthz/live (first and last)
           catalogue  GET /products (the catalogue page, with its facets)
           checkout   each buyer, in a loop: POST /cart/add (a random pool product, and the hot one every
                      second order), then POST /checkout with the whole form (cash on delivery, home
                      delivery, its own idempotency token), as a shopper on a phone would; a 303 to
                      /orders/… is an order placed; a 409 is a refusal (sold out): the buyer empties its
                      cart and goes on.
    4. Checks the stock: for every pool product, units in order lines = stock before − stock after,
       and no stock below zero. "oversold" counts the units sold beyond the stock: it must be 0.

What it reports
    orders/s (placed orders over the load's wall time), the p95 latency of the POST /checkout request
    and of a whole order (add to cart + checkout), beside the catalogue page's req/s and p95 measured in
    the same run with the same number of clients, and their ratio; the baseline for the machine.
    The machine is shared and has 2 cores that the load generator also uses: read ratios, not figures.

The exit status is 1 when a request failed unexpectedly or a unit was oversold.
"""
import argparse
import http.client
import json
import random
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

from .generate import database_url, generate
from .run import database_exists, git_commit
from .server import ROOT, free_port, gunicorn_server, stop_on_signals

OUT_DIR = ROOT / "bench" / "out" / "checkout"
POOL = 200
PLENTY = 1_000_000
HOT_EVERY = 2
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = {"name": "Nguyễn Thị Lan", "phone": "0912 345 678", "email": "lan@example.vn", "fulfilment": "delivery",
        "province": "Quảng Ngãi", "commune": "Phường Cẩm Thành", "street": "12 Lê Lợi", "payment_method": "cod",
        "note": ""}


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, of the measured request
    cycles: list[float] = field(default_factory=list)     # seconds, of a whole order
    placed: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def merge(self, other: "Stats") -> None:
        self.latencies += other.latencies
        self.cycles += other.cycles
        self.placed += other.placed
        self.refused += other.refused
        self.failures += other.failures


def p95_ms(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000


class Client:
    """One browser: a keep-alive connection and its session cookie."""

    def __init__(self, base: str):
        address = urllib.parse.urlparse(base)
        self.host, self.port = address.hostname, address.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, dict(response.getheaders()), data


def prepare(url: str, hot_stock: int) -> dict:
    """Empty the order tables; give the pool its stock. Returns the pool: ids, slugs, hot id, stocks."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("TRUNCATE customer_order, order_line, order_transition, payment_transaction, "
                                    "payment_event, outbox_message RESTART IDENTITY CASCADE"))
            rows = connection.execute(text("""
                SELECT p.id, p.slug FROM product p
                WHERE p.is_published AND p.sold_online AND p.shippable AND p.price IS NOT NULL
                  AND EXISTS (SELECT 1 FROM certificate c WHERE c.product_id = p.id
                              AND c.valid_from <= CURRENT_DATE AND c.valid_until >= CURRENT_DATE
                              AND c.revoked_at IS NULL)
                ORDER BY p.id LIMIT :pool"""), {"pool": POOL}).all()
            if len(rows) < POOL:
                raise RuntimeError(f"only {len(rows)} buyable products in the benchmark database")
            ids = [row.id for row in rows]
            hot = ids[0]
            connection.execute(text("UPDATE product SET stock = :plenty WHERE id = ANY(:ids)"),
                               {"plenty": PLENTY, "ids": ids})
            connection.execute(text("UPDATE product SET stock = :stock WHERE id = :id"), {"stock": hot_stock, "id": hot})
            stocks = dict(connection.execute(text("SELECT id, stock FROM product WHERE id = ANY(:ids)"),
                                             {"ids": ids}).all())
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE product, customer_order, order_line"))
    finally:
        engine.dispose()
    return {"ids": ids, "slugs": {row.id: row.slug for row in rows}, "hot": hot, "stocks": stocks}


def check_stock(url: str, pool: dict) -> dict:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            after = dict(connection.execute(text("SELECT id, stock FROM product WHERE id = ANY(:ids)"),
                                            {"ids": pool["ids"]}).all())
            sold = dict(connection.execute(text(
                "SELECT product_id, SUM(quantity) FROM order_line GROUP BY product_id")).all())
            orders = connection.execute(text("SELECT COUNT(*) FROM customer_order")).scalar()
            negative = connection.execute(text("SELECT COUNT(*) FROM product WHERE stock < 0")).scalar()
    finally:
        engine.dispose()
    oversold = sum(max(0, sold.get(i, 0) - pool["stocks"][i]) for i in pool["ids"])
    mismatched = [i for i in pool["ids"] if pool["stocks"][i] - after[i] != sold.get(i, 0)]
    return {"orders": orders, "oversold": oversold, "negative": negative, "mismatched": mismatched,
            "hot_sold": sold.get(pool["hot"], 0), "hot_stock_before": pool["stocks"][pool["hot"]],
            "hot_stock_after": after[pool["hot"]]}


def buyer(base: str, pool: dict, deadline: "Deadline", seed: int, stats: Stats, ready: threading.Barrier) -> None:
    rng = random.Random(seed)
    client = Client(base)
    status, _headers, body = client.request("GET", f"/products/{pool['slugs'][pool['ids'][1]]}")
    match = CSRF.search(body.decode("utf-8", "replace"))
    if status != 200 or match is None:
        stats.failures.append(f"product page answered {status} without a form token")
        ready.wait()
        return
    csrf = match[1]
    ready.wait()
    count = 0
    while time.monotonic() < deadline.value:
        count += 1
        product = pool["hot"] if count % HOT_EVERY == 0 else rng.choice(pool["ids"][1:])
        started = time.perf_counter()
        status, _headers, _body = client.request("POST", "/cart/add",
                                                 {"csrf_token": csrf, "product_id": product, "quantity": 1})
        if status == 409:  # sold out: nothing went in the cart
            stats.refused += 1
            continue
        if status != 303:
            stats.failures.append(f"/cart/add answered {status}")
            continue
        posted = time.perf_counter()
        status, headers, _body = client.request("POST", "/checkout", {
            **FORM, "csrf_token": csrf, "token": secrets.token_urlsafe(18)})
        finished = time.perf_counter()
        if status == 303 and "/orders/QN" in headers.get("Location", ""):
            stats.placed += 1
            stats.latencies.append(finished - posted)
            stats.cycles.append(finished - started)
        elif status == 409:  # the last units went to someone else meanwhile
            stats.refused += 1
            client.request("POST", "/cart/remove", {"csrf_token": csrf, "product_id": product})
        else:
            stats.failures.append(f"/checkout answered {status}")


class Deadline:
    """Read by the buyers at every loop: infinity until every buyer holds its form token, then the end."""

    def __init__(self):
        self.value = float("inf")


def load_checkout(base: str, pool: dict, buyers: int, seconds: float) -> tuple[Stats, float]:
    ready = threading.Barrier(buyers + 1)
    deadline = Deadline()
    results = [Stats() for _ in range(buyers)]
    threads = [threading.Thread(target=buyer, args=(base, pool, deadline, index, results[index], ready), daemon=True)
               for index in range(buyers)]
    for thread in threads:
        thread.start()
    ready.wait()  # setting up (a product page for the form token) is not measured
    started = time.perf_counter()
    deadline.value = time.monotonic() + seconds
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.perf_counter() - started
    total = Stats()
    for result in results:
        total.merge(result)
    return total, elapsed


def load_get(base: str, path: str, clients: int, seconds: float) -> tuple[float, float, int]:
    """(req/s, p95 ms, failures) of GET `path` with `clients` keep-alive connections."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    deadline = time.monotonic() + seconds

    def run(index):
        client = Client(base)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _headers, _body = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                failures[index] += 1
                continue
            latencies[index].append(time.perf_counter() - started)
            if status != 200:
                failures[index] += 1

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    elapsed = time.perf_counter() - started
    every = [latency for per_client in latencies for latency in per_client]
    return len(every) / elapsed, p95_ms(every), sum(failures)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Orders per second through the checkout (see the docstring).")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load per measurement (default 20)")
    parser.add_argument("--buyers", type=int, default=50, help="concurrent buyers and clients (default 50)")
    parser.add_argument("--hot-stock", type=int, default=40,
                        help="units of the contended product (default 40: it sells out during the run)")
    parser.add_argument("--reuse", action="store_true", help="reuse the benchmark database if it exists")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    if not 1 <= args.duration <= 600 or not 1 <= args.buyers <= 200:
        parser.error("--duration must be 1–600 s and --buyers 1–200")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    url = database_url()
    if not (args.reuse and database_exists(url)):
        generate(url)
    pool = prepare(url, args.hot_stock)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    port = args.port or free_port()
    env = {"DATABASE_URL": url, "SEARCH_INDEX_DIR": str(OUT_DIR / "search-index"),
           "SECRET_KEY": secrets.token_urlsafe(48), "INSTANCE_DIR": str(OUT_DIR / "instance")}
    stop_on_signals()
    with gunicorn_server(env, port, OUT_DIR / "gunicorn.log") as base:
        for path in ("/healthz/live", "/products"):  # warm both workers' caches and connections
            load_get(base, path, 8, 2)
        base_1 = load_get(base, "/healthz/live", args.buyers, args.duration / 2)
        catalogue = load_get(base, "/products", args.buyers, args.duration)
        orders, elapsed = load_checkout(base, pool, args.buyers, args.duration)
        base_2 = load_get(base, "/healthz/live", args.buyers, args.duration / 2)
    stock = check_stock(url, pool)
    per_second = orders.placed / elapsed
    baseline = statistics.mean((base_1[0], base_2[0]))
    print(f"Machine: commit {git_commit()}; gunicorn 2 sync workers on PostgreSQL; {args.buyers} concurrent "
          f"clients (Python threads, keep-alive); {args.duration:g} s per measurement")
    print(f"{'measurement':<34} {'per s':>9} {'p95 ms':>9} {'× catalogue':>12} {'× baseline':>11}")
    print("-" * 80)
    print(f"{'baseline /healthz/live (1st, 2nd)':<34} {baseline:>9.1f} {max(base_1[1], base_2[1]):>9.1f} "
          f"{'':>12} {1:>10.3f}×   ({base_1[0]:.0f}, {base_2[0]:.0f})")
    print(f"{'catalogue GET /products':<34} {catalogue[0]:>9.1f} {catalogue[1]:>9.1f} {1:>11.3f}× "
          f"{catalogue[0] / baseline:>10.3f}×")
    print(f"{'orders placed (POST /checkout)':<34} {per_second:>9.1f} {p95_ms(orders.latencies):>9.1f} "
          f"{per_second / catalogue[0]:>11.3f}× {per_second / baseline:>10.3f}×")
    print(f"{'  whole order (cart + checkout)':<34} {'':>9} {p95_ms(orders.cycles):>9.1f}")
    print("-" * 80)
    print(f"orders placed {orders.placed}, refused (sold out) {orders.refused}; in the database {stock['orders']}")
    print(f"hot product: {stock['hot_stock_before']} units, {stock['hot_sold']} sold, {stock['hot_stock_after']} left; "
          f"oversold units: {stock['oversold']}; negative stocks: {stock['negative']}; "
          f"stock ≠ units sold for {len(stock['mismatched'])} products")
    failures = orders.failures + [f"catalogue: {catalogue[2]} failed"] * bool(catalogue[2])
    (OUT_DIR / "result.json").write_text(json.dumps({
        "commit": git_commit(), "buyers": args.buyers, "duration": args.duration, "orders_per_second": per_second,
        "checkout_p95_ms": p95_ms(orders.latencies), "order_cycle_p95_ms": p95_ms(orders.cycles),
        "catalogue_per_second": catalogue[0], "catalogue_p95_ms": catalogue[1], "baseline_per_second": baseline,
        "placed": orders.placed, "refused": orders.refused, "stock": stock, "failures": failures[:50]},
        indent=2), encoding="utf-8")
    for failure in sorted(set(failures))[:20]:
        print("FAIL", failure, f"(×{failures.count(failure)})")
    bad = failures or stock["oversold"] or stock["negative"] or stock["mismatched"] or stock["orders"] != orders.placed
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
