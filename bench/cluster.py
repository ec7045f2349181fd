"""The same load through nginx on 1 app node and on 3, each as a ratio to the trivial route in the same run.

    make bench-cluster                     # or: .venv/bin/python -m bench.cluster [options]
    .venv/bin/python -m bench.cluster --duration 5               # the demo catalogue (small scale)
    .venv/bin/python -m bench.cluster --national --reuse         # the 20,000-product benchmark database

For each cluster size, the launcher of `make cluster` (deploy/cluster.py) starts the nodes (gunicorn,
2 sync workers each, folders of their own under bench/out/cluster-N) and nginx in front; then, as
bench.run does (its targets, checks, warm-up and load generators):

    baseline     /healthz/live through nginx (never cached: each request reaches a node), first and last;
                 their mean is the baseline of this cluster size
    catalogue    /products (nginx keeps it: public, revalidated every second)
    product      product pages of up to 200 certified products (nginx keeps them: the buy box carries no
                 per-visitor token)
    long-tail    every certified product's page in both languages, shuffled, not warmed up

and reports req/s, p95 and the ratio to the baseline, with the share of answers nginx gave from its
cache (its access log). Then it renames one product --search-changes times (in this process, as an
office on any node would) and times each rename until the search page of every node finds it: the
change-to-search lag, p50, p95 and worst. All of it runs on this machine's cores, the load generator and nginx included:
3 nodes on 2 cores do not add CPU, they show what the proxy and the spreading cost or save.
"""
import argparse
import json
import random
import shutil
import statistics
import sys
import time

import requests

from deploy.cluster import Cluster, find_nginx

from .generate import database_url as national_database_url, generate
from .run import (BASELINE_PATH, OUT_DIR, PythonLoad, Target, WrkLoad, database_exists, git_commit, long_tail,
                  print_table, request_every_path, sample_catalogue)
from .server import free_port, stop_on_signals

DEMO_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/ocop_cluster_bench"
WARMUP_PASSES = 4


def cache_hits(log_path, since: int) -> tuple[float, int]:
    """(share of answers served from nginx's cache, new offset) for the access-log lines after `since`."""
    time.sleep(1.2)  # the log's buffer is flushed every second
    with open(log_path, "rb") as log:
        log.seek(since)
        lines = log.read().decode(errors="replace").splitlines()
        offset = log.tell()
    hits = sum(" cache=HIT " in line for line in lines)
    return (hits / len(lines) if lines else 0.0), offset


def measure(cluster: Cluster, load, targets: list[Target], duration: float, warmup: float, connections: int):
    base = cluster.url
    log_path = cluster.nginx_dir / "logs" / "access.log"
    baseline_target = Target("baseline", (BASELINE_PATH,), gated=False)
    for target in [baseline_target, *targets]:
        if target.varying:
            request_every_path(base, Target(target.name, target.paths[-200:], False), 1, connections)
        else:
            request_every_path(base, target, WARMUP_PASSES, connections)
            load.run(base, target, warmup)
    offset = log_path.stat().st_size
    baselines = [load.run(base, baseline_target, duration)]
    results, hits = [], {}
    for target in targets:
        print(f"  measuring {target.name}…", flush=True)
        _, offset = cache_hits(log_path, offset)
        results.append((target, load.run(base, target, duration)))
        hits[target.name], offset = cache_hits(log_path, offset)
    baselines.append(load.run(base, baseline_target, duration))
    return baselines, results, hits


def search_lag(cluster: Cluster, changes: int) -> list[float]:
    """Seconds from a rename's commit (made in this process, as a node's office would) until every node's
    search page finds the product by its new name, for `changes` renames of one certified product; its
    name is put back afterwards."""
    from sqlalchemy import select

    from storefront import create_app
    from storefront.catalog.models import Product
    from storefront.config import Config
    from storefront.extensions import db

    app = create_app(type("LagConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": cluster.database_url, "SEARCH_FOLLOW": "off", "PAGE_CACHE_SIZE": 0,
        "SEARCH_INDEX_DIR": str(cluster.directory / "lag-index")}))
    rng = random.Random(11)
    lags = []
    with app.app_context():
        product = db.session.scalars(select(Product).where(Product.is_published.is_(True))
                                     .order_by(Product.id)).first()
        original, slug = product.name_vi, product.slug
        try:
            for number in range(changes):
                word = f"zqlag{number}x{rng.randrange(10**6)}"
                product.name_vi = f"{original} {word}"
                db.session.commit()
                committed = time.monotonic()
                waiting = list(cluster.nodes)
                while waiting:
                    if time.monotonic() - committed > 30:
                        raise SystemExit(f"rename {number} did not reach every node's search within 30 s")
                    waiting = [node for node in waiting if f"/products/{slug}" not in
                               requests.get(f"{node.url}/search?q={word}", timeout=10).text]
                    time.sleep(0.005 if waiting else 0)
                lags.append(time.monotonic() - committed)
                time.sleep(rng.uniform(0.1, 0.4))
        finally:
            db.session.rollback()
            product.name_vi = original
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
    return lags


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Throughput through nginx on 1 node and on 3 (module docstring).")
    parser.add_argument("--sizes", default="1,3", help="cluster sizes to measure, in order (default 1,3)")
    parser.add_argument("--duration", type=float, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--search-changes", type=int, default=20,
                        help="renames timed until every node's search finds them (default 20; 0: none)")
    parser.add_argument("--national", action="store_true",
                        help="the 20,000-product benchmark database (BENCH_DATABASE_URL) instead of the demo")
    parser.add_argument("--reuse", action="store_true", help="with --national: reuse the database if it exists")
    parser.add_argument("--database-url", default=None, help=f"the demo's database (default {DEMO_DATABASE_URL})")
    parser.add_argument("--load-generator", choices=("wrk", "python"),
                        default="wrk" if shutil.which("wrk") else "python")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",")]
    if not all(1 <= size <= 8 for size in args.sizes):
        parser.error("--sizes: 1 to 8 nodes each")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if find_nginx() is None:
        raise SystemExit("nginx is not installed: apt-get install -y nginx-light")
    stop_on_signals()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    if args.national:
        url = national_database_url()
        if not (args.reuse and database_exists(url)):
            generate(url)
    else:
        url = args.database_url or DEMO_DATABASE_URL
    load = (WrkLoad if args.load_generator == "wrk" else PythonLoad)(args.connections)
    report = {"commit": git_commit(), "database": url.rsplit("/", 1)[-1], "duration_s": args.duration,
              "connections": args.connections, "load": load.describe(), "sizes": []}
    failures = 0
    for size in args.sizes:
        folder = OUT_DIR / f"cluster-{size}"
        shutil.rmtree(folder, ignore_errors=True)
        cluster = Cluster(directory=folder, database_url=url, nodes_count=size, port=free_port(),
                          node_ports=[free_port() for _ in range(size)], settings={"OCOP_ENV": "development"})
        try:
            cluster.prepare(demo=not args.national)
            sample = sample_catalogue(url)
            targets = [
                Target("catalogue", ("/products",), gated=False),
                Target("product", tuple(f"/products/{slug}" for slug in sample.products), gated=False),
                Target("long-tail", long_tail(sample.every_product), gated=False, varying=True),
            ]
            cluster.start()
            print(f"\n{size} node{'s' if size > 1 else ''} behind nginx ({cluster.workers} gunicorn workers each); "
                  f"load: {load.describe()}, {args.duration:g} s per page; {sample.listed} certified products",
                  flush=True)
            baselines, results, hits = measure(cluster, load, targets, args.duration, args.warmup, args.connections)
            lags = search_lag(cluster, args.search_changes) if args.search_changes else []
        finally:
            cluster.stop()
        baseline = print_table(baselines, results)
        print("served from nginx's cache: " + ", ".join(f"{name} {share:.0%}" for name, share in hits.items()))
        lag = {"changes": len(lags)}
        if lags:
            lag |= {"p50_ms": statistics.median(lags) * 1000, "p95_ms": percentile(lags, 0.95) * 1000,
                    "worst_ms": max(lags) * 1000}
            print(f"change to search on every node, {len(lags)} renames: p50 {lag['p50_ms']:.0f} ms, "
                  f"p95 {lag['p95_ms']:.0f} ms, worst {lag['worst_ms']:.0f} ms (target: p95 ≤ 2000 ms)")
        failures += sum(m.non_2xx + m.socket_errors for _, m in results)
        report["sizes"].append({
            "nodes": size, "baseline_req_s": baseline,
            "baselines": [vars(m) | {"req_s": m.per_second} for m in baselines],
            "pages": [{"name": t.name, "req_s": m.per_second, "ratio": m.per_second / baseline, "p95_ms": m.p95_ms,
                       "cache_hits": hits[t.name], "non_2xx": m.non_2xx, "socket_errors": m.socket_errors}
                      for t, m in results],
            "search_lag": lag})
    print("\nratio to the trivial route (p95 ms), by cluster size:")
    names = [page["name"] for page in report["sizes"][0]["pages"]]
    print(f"{'page':<12}" + "".join(f"{str(s['nodes']) + ' node(s)':>26}" for s in report["sizes"]))
    for index, name in enumerate(names):
        cells = [s["pages"][index] for s in report["sizes"]]
        print(f"{name:<12}" + "".join(f"{c['ratio']:>12.3f}× ({c['p95_ms']:>6.1f} ms)   " for c in cells))
    print(f"{'baseline':<12}" + "".join(f"{s['baseline_req_s']:>14.1f} req/s        " for s in report["sizes"]))
    if any(s["search_lag"]["changes"] for s in report["sizes"]):
        print(f"{'search lag':<12}" + "".join(
            f"{'p95 %.0f ms' % s['search_lag']['p95_ms'] if s['search_lag']['changes'] else '-':>20}      "
            for s in report["sizes"]))
    path = OUT_DIR / "results-cluster.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"Raw figures: {path}")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("Interrupted; the cluster stopped.", file=sys.stderr)
        sys.exit(130)
