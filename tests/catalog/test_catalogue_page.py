"""The catalogue lists certified, published products only, filters them, and refuses bad input cleanly."""
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from storefront.catalog.models import ProducerType
from storefront.clock import today
from storefront.extensions import db


def listed_slugs(response) -> list[str]:
    return re.findall(r'href="/(?:en/)?products/([a-z0-9-]+)"', response.get_data(as_text=True))


def test_only_certified_published_products_are_listed(client, make_product, make_certificate):
    certified = make_product(name_vi="Tỏi Lý Sơn", stars=4)
    expired = make_product(name_vi="Nước mắm cũ", stars=None)
    make_certificate(expired, stars=3, decision_date=today() - timedelta(days=1200),
                     valid_until=today() - timedelta(days=1))
    revoked = make_product(name_vi="Đường phèn thu hồi", stars=None)
    make_certificate(revoked, stars=3, revoked_at=datetime(2025, 1, 1), revocation_reason="Vi phạm")
    unpublished = make_product(name_vi="Quế ẩn", stars=3, is_published=False)
    never_certified = make_product(name_vi="Chưa xếp hạng", stars=None)
    db.session.commit()

    response = client.get("/products")
    assert response.status_code == 200
    slugs = set(listed_slugs(response))
    assert certified.slug in slugs
    assert not slugs & {expired.slug, revoked.slug, unpublished.slug, never_certified.slug}
    assert "1 sản phẩm được chứng nhận" in response.get_data(as_text=True) or \
        "1 certified product" in response.get_data(as_text=True)


def test_filters_combine_and_facets_count_with_the_other_filters(client, make_product, make_producer):
    household = make_producer(type=ProducerType.HOUSEHOLD)
    garlic = make_product(name_vi="Tỏi đen", stars=4, group=1, producer=household, price=250_000)
    make_product(name_vi="Rượu ngô", stars=3, group=2, price=120_000)
    make_product(name_vi="Tinh dầu quế", stars=4, group=3, price=90_000, sold_online=True)
    db.session.commit()

    response = client.get("/products?stars=4&group=1")
    assert listed_slugs(response) == [garlic.slug]
    html = response.get_data(as_text=True)
    # With group=1 applied, the stars facet still counts 4★ in group 1 only.
    assert re.search(r'name="stars" value="4" checked>\s*4 sao <span class="count">\(1\)', html)

    assert len(listed_slugs(client.get("/products?stars=4"))) == 2
    assert len(listed_slugs(client.get("/products?online=1"))) == 1
    assert listed_slugs(client.get("/products?type=household")) == [garlic.slug]
    assert listed_slugs(client.get("/products?min_price=200000")) == [garlic.slug]
    assert len(listed_slugs(client.get("/products?max_price=100000"))) == 1


def test_sorting_by_price(client, make_product):
    cheap = make_product(price=50_000)
    dear = make_product(price=500_000)
    middle = make_product(price=150_000)
    db.session.commit()
    assert listed_slugs(client.get("/products?sort=price_asc")) == [cheap.slug, middle.slug, dear.slug]
    assert listed_slugs(client.get("/products?sort=price_desc")) == [dear.slug, middle.slug, cheap.slug]


def test_district_filter_uses_the_former_district_of_the_producers_commune(
        client, make_area, make_producer, make_product):
    commune = make_area(name="Bình Châu")
    other = make_product(stars=3)
    here = make_product(stars=3, producer=make_producer(area=commune))
    db.session.commit()
    district_slug = commune.parent.slug
    assert listed_slugs(client.get(f"/products?district={district_slug}")) == [here.slug]
    assert other.slug in listed_slugs(client.get("/products"))


def test_pagination_splits_the_listing_and_counts_every_product(client, make_product):
    for _ in range(30):
        make_product()
    db.session.commit()
    first, second = client.get("/products"), client.get("/products?page=2")
    assert len(listed_slugs(first)) == 24 and len(listed_slugs(second)) == 6
    assert not set(listed_slugs(first)) & set(listed_slugs(second))
    assert "30 sản phẩm được chứng nhận" in first.get_data(as_text=True)
    assert 'rel="next"' in first.get_data(as_text=True)
    assert client.get("/products?page=3").status_code == 404


@pytest.mark.parametrize("query", [
    "stars=2", "stars=abc", "group=7", "group=0", "district=atlantis", "type=corporation",
    "sort=random", "page=-1", "page=0", "page=abc", "page=99999999999", "online=yes",
    "min_price=-5", "max_price=1e9", "min_price=²", "page=١", "stars=" + "4" * 10_000,
])
def test_bad_filter_values_get_a_clean_400_page_in_the_users_language(client, query):
    response = client.get(f"/products?{query}")
    assert response.status_code == 400
    assert "text/html" in response.content_type
    assert "Traceback" not in response.get_data(as_text=True)
    english = client.get(f"/en/products?{query}")
    assert english.status_code == 400
    assert '<html lang="en">' in english.get_data(as_text=True)


def test_prices_typed_the_other_way_round_show_the_products_between_them(client, make_product):
    make_product(slug="cheap", price=50_000)
    make_product(slug="middle", price=300_000)
    make_product(slug="dear", price=900_000)
    db.session.commit()
    for query in ("min_price=500000&max_price=100000", "min_price=100000&max_price=500000",
                  "min_price=500.000&max_price=100.000", "min_price=500,000₫&max_price=100000đ"):
        response = client.get(f"/products?{query}")
        assert response.status_code == 200, query
        assert listed_slugs(response) == ["middle"], query
    assert listed_slugs(client.get("/products?max_price=" + "9" * 30)) == ["cheap", "middle", "dear"]


def test_a_refused_filter_is_named_as_the_form_names_it(client):
    english = client.get("/en/products?min_price=cheap").get_data(as_text=True)
    assert "Price (₫)" in english and "min_price" not in english.split("<main")[1]
    vietnamese = client.get("/products?group=99").get_data(as_text=True)
    assert "Nhóm sản phẩm" in vietnamese and "“group”" not in vietnamese


def test_unknown_parameters_and_a_huge_query_string_are_harmless(client, make_product):
    make_product()
    db.session.commit()
    response = client.get("/products?utm_source=zalo&x=" + "a" * 10_000)
    assert response.status_code == 200


def test_an_empty_result_explains_itself(client, make_product):
    make_product(stars=3)
    db.session.commit()
    html = client.get("/en/products?stars=5").get_data(as_text=True)
    assert "No certified product matches these filters" in html


def count_queries(function):
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_the_catalogue_issues_the_same_number_of_queries_whatever_the_page_size(client, make_product):
    make_product()
    db.session.commit()
    with_one = count_queries(lambda: client.get("/products"))
    for _ in range(20):
        make_product()
    db.session.commit()
    with_many = count_queries(lambda: client.get("/products"))
    assert with_many == with_one


@pytest.mark.parametrize("path", ["/", "/api/v1/products", "/en/products?stars=3"])
def test_listing_pages_do_not_grow_queries_with_the_product_count(client, make_product, path):
    make_product(stars=4)
    db.session.commit()
    with_one = count_queries(lambda: client.get(path))
    for _ in range(12):
        make_product(stars=4)
    db.session.commit()
    assert count_queries(lambda: client.get(path)) == with_one
