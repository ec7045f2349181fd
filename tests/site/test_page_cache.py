"""Cached pages follow the content: a committed change shows at once, a rolled-back one never counts."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from storefront.clock import today
from storefront.extensions import db
from storefront.pagecache import PageCache, current_version


@pytest.fixture
def page_cache(app):
    cache = PageCache(size=50)
    previous = app.extensions["page_cache"]
    app.extensions["page_cache"] = cache
    yield cache
    app.extensions["page_cache"] = previous


def test_a_committed_change_to_a_product_shows_on_the_next_view(client, page_cache, make_product):
    product = make_product(name_vi="Kẹo gương")
    db.session.commit()
    assert "Kẹo gương" in client.get("/products").get_data(as_text=True)
    product.name_vi = "Kẹo gương Thi Phổ"
    db.session.commit()
    assert "Kẹo gương Thi Phổ" in client.get("/products").get_data(as_text=True)


def test_a_rolled_back_change_does_not_invalidate(page_cache, make_product):
    make_product()
    db.session.commit()
    before = current_version()
    make_product()
    db.session.flush()
    db.session.rollback()
    assert current_version() == before


def test_the_cache_serves_repeat_views_and_is_bounded(client, page_cache, make_product):
    make_product()
    db.session.commit()
    first = client.get("/products?sort=name")
    second = client.get("/products?sort=name")
    assert first.get_data() == second.get_data()
    assert second.headers["Content-Security-Policy"]
    for page in range(1, 80):
        client.get(f"/products?x={page}")
    assert len(page_cache._pages) <= 50


def test_a_visitor_with_a_session_is_never_served_a_shared_page(client, page_cache, make_product):
    make_product()
    db.session.commit()
    client.get("/products")
    with client.session_transaction() as session:
        session["_user_id"] = "7"
    assert len(page_cache._pages) == 1
    client.get("/products?sort=name")
    assert len(page_cache._pages) == 1


def test_a_session_holding_only_a_form_token_or_garbage_still_gets_cached_pages(client, page_cache, make_product):
    make_product()
    db.session.commit()
    client.set_cookie("session", "not-a-signed-session")
    client.get("/products")
    with client.session_transaction() as session:
        session["csrf_token"] = "abc"
    client.get("/products?sort=name")
    assert len(page_cache._pages) == 2


def test_errors_are_not_cached(client, page_cache):
    assert client.get("/products?stars=9").status_code == 400
    assert client.get("/products/none").status_code == 404
    assert len(page_cache._pages) == 0


def test_a_certificate_expiring_overnight_changes_the_page_without_any_write(
        client, page_cache, make_product, make_certificate, travel_to):
    product = make_product(stars=None)
    make_certificate(product, stars=4, valid_until=today())
    db.session.commit()
    assert product.slug in client.get("/products").get_data(as_text=True)

    travel_to(today() + timedelta(days=1))
    assert product.slug not in client.get("/products").get_data(as_text=True)


def test_a_change_made_by_another_worker_shows_once_the_version_is_rechecked(
        client, page_cache, make_product, monkeypatch):
    product = make_product(name_vi="Muối Sa Huỳnh")
    db.session.commit()
    assert "Muối Sa Huỳnh" in client.get("/products").get_data(as_text=True)

    # Another worker's transaction: the rows and the version change, this process commits nothing.
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE product SET name_vi = 'Muối hạt Sa Huỳnh' WHERE id = :id"),
                           {"id": product.id})
        connection.execute(text("INSERT INTO content_change (product_ids, created_at) "
                                "VALUES (:ids, CURRENT_TIMESTAMP)"), {"ids": str(product.id)})
    assert "Muối hạt Sa Huỳnh" not in client.get("/products").get_data(as_text=True)

    clock = time.monotonic() + page_cache.version_ttl
    monkeypatch.setattr("storefront.pagecache.time.monotonic", lambda: clock)
    assert "Muối hạt Sa Huỳnh" in client.get("/products").get_data(as_text=True)


def test_a_cached_page_gives_each_visitor_their_own_form_token(app, page_cache):
    """Forms on cached pages (add to cart, visit requests) keep working for every visitor."""
    from flask import g, render_template_string, session

    from storefront.pagecache import cached_page

    renders = []

    @cached_page
    def page():
        renders.append(1)
        return render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')

    tokens = []
    for visitor in ("first", "second"):
        with app.test_request_context("/token-page"):
            g.pop("csrf_token", None)
            body = page().get_data(as_text=True)
            tokens.append(body.split('value="')[1].split('"')[0])
            raw = session["csrf_token"]
        assert raw not in ("", None)
    assert len(renders) == 1, "the second visitor was served the stored page"
    assert tokens[0] != tokens[1] and "\x00" not in "".join(tokens)
