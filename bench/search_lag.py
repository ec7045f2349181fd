"""How long a change made on one app node takes to reach search on another node (the target: p95 ≤ 2 s).

    BENCH_DATABASE_URL=postgresql+psycopg://… .venv/bin/python -m bench.search_lag [--changes 50]
    (TEST_DATABASE_URL is used when BENCH_DATABASE_URL is not set.)

Node A is this process: its own app and index folder. Node B is a child process running the follower
exactly as `flask search follow` does (storefront.search.follow.Follower), with an index folder of its
own; it starts empty, so B first rebuilds its index. A then renames one product --changes times, a
commit every 0.1–0.4 s, and after each commit reads B's index folder (read-only, as B's search does)
until the new name is there: the time from A's commit returning to the name being searchable on B is
the lag. The product, its producer and its area are made for the run and deleted after it. Prints
p50, p95 and the worst lag.
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import delete


def _app(index_dir: str):
    from storefront import create_app
    from storefront.config import Config

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        sys.exit("Set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to the database both nodes share.")
    return create_app(type("LagConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_DIR": index_dir, "SEARCH_FOLLOW": "off",
        "PAGE_CACHE_SIZE": 0}))


def follow(index_dir: str) -> None:
    """Node B: the follower, until it is terminated."""
    from storefront.search.follow import Follower

    app = _app(index_dir)
    Follower(app).run()


def _found(index_dir: Path, word: str) -> bool:
    from whoosh import index as whoosh_index
    from whoosh.query import Term

    try:
        ix = whoosh_index.open_dir(index_dir)
        with ix.searcher() as searcher:
            return bool(searcher.search(Term("name", word), limit=1))
    except Exception:  # B is writing or swapping its index at this moment: look again
        return False


def measure(changes: int) -> list[float]:
    from storefront.areas.models import Area, AreaKind, AreaLevel
    from storefront.catalog.models import Producer, ProducerType, Product
    from storefront.extensions import db

    work = Path(tempfile.mkdtemp(prefix="search-lag-"))
    node_b = work / "b" / "index"
    app = _app(str(work / "a" / "index"))
    tag = f"lag{os.getpid()}"
    with app.app_context():
        db.create_all()  # a database made by the migrations has the tables already
        district = Area(name=f"District {tag}", slug=f"district-{tag}", level=AreaLevel.FORMER_DISTRICT,
                        kind=AreaKind.DISTRICT)
        commune = Area(name=f"Commune {tag}", slug=f"commune-{tag}", level=AreaLevel.COMMUNE,
                       kind=AreaKind.COMMUNE, parent=district)
        producer = Producer(name=f"Producer {tag}", slug=f"producer-{tag}", type=ProducerType.COOPERATIVE,
                            area=commune, story_vi="Câu chuyện.")
        product = Product(slug=f"product-{tag}", name_vi="Sản phẩm zqlagstart", name_en="Lag product",
                          producer=producer, group=1, subgroup="processed", price=100_000, stock=1,
                          unit_vi="Hộp", shippable=True)
        db.session.add_all([district, commune, producer, product])
        db.session.commit()
        ids = (product.id, producer.id, commune.id, district.id)
    child = subprocess.Popen([sys.executable, "-m", "bench.search_lag", "--follow", str(node_b)],
                             env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    lags = []
    try:
        deadline = time.monotonic() + 300
        while not (node_b.with_name("index.position").exists() and _found(node_b, "zqlagstart")):
            if time.monotonic() > deadline or child.poll() is not None:
                raise SystemExit("node B did not build its index")
            time.sleep(0.1)
        print(f"Node B built its index; {changes} renames on node A follow.")
        rng = random.Random(7)
        with app.app_context():
            for number in range(changes):
                word = f"zqlag{number}x{rng.randrange(10**6)}"
                db.session.get(Product, ids[0]).name_vi = f"Sản phẩm {word}"
                db.session.commit()
                committed = time.monotonic()
                while not _found(node_b, word):
                    if time.monotonic() - committed > 30:
                        raise SystemExit(f"change {number} did not reach node B within 30 s")
                    time.sleep(0.005)
                lags.append(time.monotonic() - committed)
                db.session.remove()
                time.sleep(rng.uniform(0.1, 0.4))
    finally:
        child.terminate()
        child.wait(10)
        with app.app_context():
            db.session.rollback()
            db.session.execute(delete(Product).where(Product.id == ids[0]))
            db.session.execute(delete(Producer).where(Producer.id == ids[1]))
            db.session.execute(delete(Area).where(Area.id.in_(ids[2:])))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        subprocess.run(["rm", "-rf", str(work)], check=False)
    return lags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--follow", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.follow:
        follow(args.follow)
        return
    lags = sorted(measure(args.changes))
    p95 = lags[max(0, round(0.95 * len(lags)) - 1)]
    print(f"Search lag from node A's commit to node B's index, {len(lags)} changes: "
          f"p50 {statistics.median(lags) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"worst {lags[-1] * 1000:.0f} ms (target: p95 ≤ 2000 ms)")


if __name__ == "__main__":
    main()
