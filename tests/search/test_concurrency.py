"""Several processes write the index at once (workers committing, direct updates, a rebuild) while another
searches: the index stays whole, one document per product, each as the database has it at the end."""
import multiprocessing
import random
import time
import traceback

import pytest
from sqlalchemy import select
from whoosh.query import Phrase

from storefront import create_app
from storefront.catalog.forms import CatalogueFilters
from storefront.catalog.models import Product
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.search import follow, index, queries
from storefront.search.analysis import EXACT, terms

PRODUCTS = 30
WRITERS = 4
ROUNDS = 20


def _make_app(database_url: str, index_dir: str, media: str):
    return create_app(type("ConcurrentConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"timeout": 30}},
        "SEARCH_INDEX_DIR": index_dir,
        "MEDIA_ROOT": media,
    }))


def _child(role: str, number: int, settings: tuple, start, errors) -> None:
    """Runs in a child process: its own app (engine, sessions) on the same database file and index folder."""
    try:
        app = _make_app(*settings)
        with app.app_context():
            rng = random.Random(number)
            ids = db.session.scalars(select(Product.id).order_by(Product.id)).all()
            start.wait(30)  # everyone starts together, once every app is made
            if role == "writer":
                for round_ in range(ROUNDS):
                    if round_ % 2:
                        # a request's commit: the index follows it after the commit
                        product = db.session.get(Product, rng.choice(ids))
                        product.name_vi = f"Nước mắm ghi {number} lần {round_}"
                        db.session.commit()
                    else:
                        # overlapping ids across the writers
                        index.update_products(rng.sample(ids, 8) + ids[:3])
            elif role == "rebuilder":
                for _ in range(3):
                    assert index.rebuild() in (PRODUCTS, -1)
                    time.sleep(0.5)
            elif role == "reader":
                deadline, answers = time.monotonic() + 4, []
                while time.monotonic() < deadline:
                    with app.test_request_context("/search"):
                        page = queries.search("nuoc mam", CatalogueFilters())
                        answers.append((page.total, page.degraded))
                assert answers and {total for total, _ in answers} == {PRODUCTS}, answers
            db.session.remove()
            db.engine.dispose()
    except BaseException:
        errors.put(f"{role} {number}:\n{traceback.format_exc()}")
        raise


@pytest.fixture
def shared_catalogue(tmp_path, make_product):
    """A SQLite file (so that every process reaches it) with PRODUCTS certified products and their index."""
    settings = (f"sqlite:///{tmp_path / 'shared.db'}", str(tmp_path / "index"), str(tmp_path / "media"))
    app = _make_app(*settings)
    with app.app_context():
        db.create_all()
        for n in range(PRODUCTS):
            make_product(name_vi=f"Nước mắm mẻ {n}")
        db.session.commit()
        assert index.rebuild() == PRODUCTS
        db.session.remove()
    yield app, settings
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_writers_a_rebuild_and_a_reader_at_once_leave_one_document_per_product(shared_catalogue):
    app, settings = shared_catalogue
    # A fork server imports the app once and forks each child from that clean, single-threaded process:
    # the children start at once (spawn costs seconds each) and share nothing with this process, whose
    # threads (the browser tests' server) a plain fork would copy half-way.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["storefront", __name__])
    errors = context.Queue()
    roles = [("writer", n) for n in range(WRITERS)] + [("rebuilder", 100), ("reader", 200)]
    start = context.Barrier(len(roles))
    children = [context.Process(target=_child, args=(role, number, settings, start, errors))
                for role, number in roles]
    try:
        for child in children:
            child.start()
        for child in children:
            child.join(60)
    finally:
        for child in children:
            if child.is_alive():
                child.kill()
                child.join()
    reported = []
    while not errors.empty():
        reported.append(errors.get())
    assert not reported, "\n".join(reported)
    assert [child.exitcode for child in children] == [0] * len(children)

    with app.app_context():
        # A writer that found the index busy left its change to the node's follower: here, this process.
        assert follow.step() in (follow.Outcome.APPLIED, follow.Outcome.CURRENT)
        names = {product.id: product.name_vi for product in db.session.scalars(select(Product))}
        ix = index.open_index()
        with ix.searcher() as searcher:
            documents = list(searcher.all_stored_fields())
            assert searcher.doc_count() == PRODUCTS
        assert sorted(int(document["id"]) for document in documents) == sorted(names)
        with ix.searcher() as searcher:  # each document holds its product's last committed name
            for product_id, name in names.items():
                hits = searcher.search(Phrase("name_exact", terms(EXACT, name)), limit=None)
                assert [int(hit["id"]) for hit in hits] == [product_id], name
        renamed = [product_id for product_id, name in names.items() if "ghi" in name]
        assert renamed  # the writers' commits went through
        with app.test_request_context("/search"):
            page = queries.search(names[renamed[0]], CatalogueFilters())
            assert not page.degraded
            assert page.cards[0].product.id == renamed[0]
            assert queries.search("nuoc mam", CatalogueFilters(per_page=100)).total == PRODUCTS
        assert not list(index.index_dir().parent.glob("index.new-*"))
        assert not list(index.index_dir().parent.glob("index.old-*"))
        assert not index.index_dir().with_name("index.rebuilding").exists()
