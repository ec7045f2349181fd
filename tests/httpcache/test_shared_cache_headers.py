"""Public pages tell a shared proxy how long it may keep them and answer its revalidations with 304;
pages made for one visitor never let a proxy keep them."""
import re
from datetime import timedelta

import pytest
from flask import template_rendered

from storefront import httpcache
from storefront.clock import today
from storefront.extensions import db
from storefront.pagecache import PageCache


@pytest.fixture(params=[0, 50], ids=["page-cache-off", "page-cache-on"])
def page_cache(app, request):
    """The shop as it runs, with the per-worker page cache on, and as the tests run it, off."""
    previous = app.extensions["page_cache"]
    app.extensions["page_cache"] = PageCache(size=request.param)
    yield app.extensions["page_cache"]
    app.extensions["page_cache"] = previous


@pytest.fixture
def rendered(app):
    templates = []

    def record(sender, template, context, **extra):
        templates.append(template.name)

    template_rendered.connect(record, app)
    yield templates
    template_rendered.disconnect(record, app)


def shared(response) -> bool:
    control = response.headers.get("Cache-Control", "")
    return "public" in control and "s-maxage=" in control


def assert_private(response):
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_a_public_page_is_shared_with_a_validator_and_revalidated_with_304(client, page_cache, rendered,
                                                                          make_product):
    make_product(name_vi="Mật ong rừng")
    db.session.commit()
    page = client.get("/products")
    assert page.status_code == 200 and "Mật ong rừng" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert re.fullmatch(r'W/"[0-9a-f]{24}"', page.headers["ETag"])
    assert "Cookie" in page.headers["Vary"]
    assert "Set-Cookie" not in page.headers

    rendered.clear()
    again = client.get("/products", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == page.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    assert rendered == []  # the view did not run

    other = client.get("/products", headers={"If-None-Match": 'W/"0123456789abcdef01234567"'})
    assert other.status_code == 200 and other.headers["ETag"] == page.headers["ETag"]


def test_the_validator_changes_when_public_content_changes(client, page_cache, make_product):
    product = make_product(name_vi="Quế Trà Bồng")
    db.session.commit()
    before = client.get("/products").headers["ETag"]
    product.name_vi = "Quế Trà Bồng loại 1"
    db.session.commit()
    page = client.get("/products", headers={"If-None-Match": before})
    assert page.status_code == 200 and "Quế Trà Bồng loại 1" in page.get_data(as_text=True)
    assert page.headers["ETag"] != before


def test_a_certificate_revoked_changes_the_validator_of_its_product_page(client, page_cache, make_product):
    product = make_product(stars=4, sold_online=False)  # no buy form: a page every visitor shares
    db.session.commit()
    before = client.get(f"/products/{product.slug}")
    assert shared(before)
    certificate = product.certificates[0]
    certificate.revoked_at = certificate.decision_date + timedelta(days=1)
    db.session.commit()
    after = client.get(f"/products/{product.slug}", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code in (200, 404) and after.headers.get("ETag") != before.headers["ETag"]


def test_the_validator_changes_with_the_day(client, page_cache, travel_to, make_product):
    make_product()
    db.session.commit()
    before = client.get("/products").headers["ETag"]
    travel_to(today() + timedelta(days=1))
    page = client.get("/products", headers={"If-None-Match": before})
    assert page.status_code == 200 and page.headers["ETag"] != before


def test_each_language_has_its_own_validator(client, page_cache, make_product):
    make_product()
    db.session.commit()
    vietnamese, english = client.get("/products"), client.get("/en/products")
    assert shared(vietnamese) and shared(english)
    assert vietnamese.headers["ETag"] != english.headers["ETag"]
    # ?lang= leads to the other language's own address, never to a page a proxy keeps under this one.
    switched = client.get("/products?lang=en")
    assert switched.status_code == 302 and "ETag" not in switched.headers


def test_a_new_release_changes_every_validator(app, client, page_cache, make_product):
    make_product()
    db.session.commit()
    before = client.get("/products").headers["ETag"]
    state = app.extensions["http_cache"]
    previous, state["release"] = state["release"], "another-release"
    try:
        assert client.get("/products", headers={"If-None-Match": before}).status_code == 200
    finally:
        state["release"] = previous


def test_the_release_follows_the_templates(tmp_path):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    first = httpcache.release_fingerprint(tmp_path)
    page.write_text("<p>two</p>")
    assert httpcache.release_fingerprint(tmp_path) != first


def test_a_page_that_draws_a_form_token_is_private(app, client, page_cache, make_buyable, monkeypatch):
    from flask_wtf.csrf import generate_csrf

    from storefront.catalog import views

    buyable = make_buyable()
    db.session.commit()
    render = views.render_template
    monkeypatch.setattr(views, "render_template", lambda *args, **kwargs: render(*args, **kwargs) + generate_csrf())
    assert_private(client.get(f"/products/{buyable.slug}"))


@pytest.mark.parametrize("visitor", ["signed in", "cart", "message", "remember cookie"])
def test_a_page_for_a_visitor_the_page_cache_would_not_share_is_private(client, page_cache, make_product,
                                                                        make_user, sign_in, visitor):
    product = make_product(sold_online=False)
    db.session.commit()
    anonymous = client.get("/products").headers["ETag"]
    if visitor == "signed in":
        sign_in(make_user())
    elif visitor == "cart":
        with client.session_transaction() as session:
            session["cart"] = {str(product.id): 1}
    elif visitor == "message":
        with client.session_transaction() as session:
            session["_flashes"] = [("info", "Đã lưu.")]
    else:
        client.set_cookie("remember_token", "a-token-from-another-day")
    page = client.get("/products", headers={"If-None-Match": anonymous})
    assert page.status_code == 200
    assert_private(page)


def test_an_answer_that_writes_the_session_is_private(app, client, page_cache, make_product):
    make_product()
    db.session.commit()
    # A session holding only a form token: the page cache shares pages with it, but the answer writes
    # the session (flask-login marks it), so it is this browser's alone.
    with client.session_transaction() as session:
        session["csrf_token"] = "abc"
    page = client.get("/products")
    assert page.status_code == 200 and "Set-Cookie" in page.headers
    assert_private(page)


def test_errors_and_other_methods_are_not_shared(client, page_cache):
    missing = client.get("/products/no-such-product")
    assert missing.status_code == 404 and not shared(missing)
    assert "ETag" not in missing.headers
    head = client.head("/products")
    assert not shared(head)


def test_the_locator_is_shared_unless_sorted_from_a_position(client, page_cache, make_sales_point):
    make_sales_point()
    db.session.commit()
    listing = client.get("/sales-points")
    assert listing.status_code == 200 and shared(listing)
    assert client.get("/sales-points", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304
    near = client.get("/sales-points?lat=15.12&lng=108.80")
    assert near.status_code == 200
    assert_private(near)


def test_pages_that_need_an_account_stay_private(client, page_cache):
    assert client.get("/cart").headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in client.get("/cart").headers


def test_every_page_the_page_cache_keeps_is_labelled_for_shared_caches(app):
    from storefront.pagecache import cached_page

    marked = {endpoint for endpoint, view in app.view_functions.items() if httpcache._shared_key(view)}
    assert {"catalog.products", "catalog.product", "catalog.producer", "site.home", "search.results",
            "locator.sales_points", "locator.sales_point", "locator.destinations"} <= marked
    assert not {"cart.show", "checkout.checkout", "accounts.account", "site_plain.live"} & marked
    assert httpcache._shared_key(cached_page(lambda: None)) is not None
