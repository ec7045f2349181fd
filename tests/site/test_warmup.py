"""gunicorn's master loads and warms the app before it forks the workers (deploy/gunicorn.conf.py): the
warm-up renders the first pages of each language into the read models and the page cache, starts no
thread, leaves no database connection to be inherited, and never stops the shop from starting."""
import gc

import pytest

from storefront import warmup
from storefront.extensions import db
from storefront.pagecache import PageCache
from storefront.search import follow


@pytest.fixture
def page_cache(app):
    previous = app.extensions["page_cache"]
    app.extensions["page_cache"] = PageCache(size=50)
    yield app.extensions["page_cache"]
    app.extensions["page_cache"] = previous


@pytest.fixture
def disposals(app, monkeypatch):
    """The engine's pool is emptied (recorded, not done: the tests' in-memory database lives in it)."""
    calls = []
    with app.app_context():
        monkeypatch.setattr(db.engine, "dispose", lambda *args, **kwargs: calls.append(args))
    yield calls
    gc.unfreeze()


def stored_paths(cache: PageCache) -> set[str]:
    return {key[2] for key in cache._pages}


def test_the_warm_up_renders_the_first_pages_of_each_language(app, page_cache, disposals, make_product):
    product = make_product(name_vi="Tỏi đen Lý Sơn", stars=4)
    db.session.commit()
    logged = []
    warmup.warm(app, log=logged.append)

    expected = {"/", "/products", f"/products/{product.slug}", f"/producers/{product.producer.slug}"}
    expected |= {("/en" + path) for path in expected}
    assert {path.rstrip("?") for path in stored_paths(page_cache)} == expected
    assert all(f"{path} 200" in logged[-1] for path in expected), logged
    assert disposals, "a connection opened while warming would be shared by every forked worker"


def test_the_warm_up_of_an_empty_shop_renders_its_home_and_catalogue(app, page_cache, disposals):
    warmup.warm(app, log=lambda line: None)
    assert {path.rstrip("?") for path in stored_paths(page_cache)} == {"/", "/products", "/en/", "/en/products"}


def test_a_failed_warm_up_is_logged_and_the_workers_start_cold(app, page_cache, disposals, monkeypatch):
    def unreachable(app):
        raise ConnectionError("database unreachable")

    monkeypatch.setattr(warmup, "warm_paths", unreachable)
    logged = []
    warmup.warm(app, log=logged.append)
    assert "warm-up stopped" in logged[0] and "database unreachable" in logged[0]
    assert disposals and len(page_cache._pages) == 0


def test_no_search_follower_starts_while_warming(app, monkeypatch):
    started = []
    monkeypatch.setattr(follow.Follower, "start", lambda self: started.append(self))
    with app.test_request_context("/products"):
        with warmup.warming(app):
            assert warmup.is_warming(app)
            follow.start_search_follower()
        assert started == [] and not warmup.is_warming(app)
        follow.start_search_follower()  # a worker's first request
    assert len(started) == 1
