"""The index follows the database: what is committed is found, what is rolled back never is, and what
is no longer certified today drops out with no write at all."""
from datetime import timedelta

import pytest

from storefront.catalog.models import Product
from storefront.clock import today, utcnow
from storefront.extensions import db
from storefront.search import index


@pytest.fixture(autouse=True)
def fresh_index(app):
    index.rebuild()


def test_a_committed_product_is_found(find, make_product):
    product = make_product(name_vi="Nước mắm Sa Kỳ", name_en="Sa Kỳ fish sauce")
    db.session.commit()
    assert product.id in find("nuoc mam sa ky").ids
    assert product.id in find("Sa Kỳ fish sauce").ids


def test_a_flushed_product_is_not_found_before_its_commit(find, make_product):
    product = make_product(name_vi="Nước mắm Sa Kỳ")
    product_id = product.id
    assert product_id not in find("nuoc mam sa ky").ids  # flushed, not committed
    db.session.commit()
    assert product_id in find("nuoc mam sa ky").ids


def test_a_renamed_product_is_found_by_its_new_name_only(find, make_product):
    product = make_product(name_vi="Mạch nha Thi Phổ", name_en="Thi Phổ malt syrup")
    db.session.commit()
    assert find("mạch nha").ids == [product.id]

    product.name_vi, product.name_en = "Kẹo gương Mộ Đức", "Mộ Đức malt brittle"
    db.session.commit()
    assert find("mạch nha").ids == []
    assert find("Thi Phổ").ids == []
    assert find("keo guong").ids == [product.id]
    assert find("malt brittle").ids == [product.id]


def test_an_unpublished_product_is_gone(find, make_product):
    product = make_product(name_vi="Tỏi đen Lý Sơn")
    db.session.commit()
    assert find("toi den").ids == [product.id]
    product.is_published = False
    db.session.commit()
    assert find("toi den").ids == []
    product.is_published = True
    db.session.commit()
    assert find("toi den").ids == [product.id]


@pytest.mark.parametrize("days_after_valid_until, still_found", [(0, True), (1, False)])
def test_a_certificate_that_expires_drops_the_product_with_no_write(find, make_product, make_certificate,
                                                                      travel_to, days_after_valid_until,
                                                                      still_found):
    lasting = make_product(name_vi="Quế Trà Bồng Hai", stars=None)
    make_certificate(lasting, valid_until=today() + timedelta(days=400))
    expiring = make_product(name_vi="Quế Trà Bồng Một", stars=None)
    certificate = make_certificate(expiring, valid_until=today() + timedelta(days=10))
    db.session.commit()
    assert set(find("que tra bong").ids) == {lasting.id, expiring.id}

    # One journey per test: travel_to patches again only the modules that still hold the real today().
    travel_to(certificate.valid_until + timedelta(days=days_after_valid_until))
    assert set(find("que tra bong").ids) == ({lasting.id, expiring.id} if still_found else {lasting.id})
    assert (expiring.id in find("que tra bong mot").ids) is still_found


def test_a_revoked_certificate_drops_the_product(find, make_product):
    product = make_product(name_vi="Nấm linh chi đỏ")
    db.session.commit()
    assert find("linh chi").ids == [product.id]
    product.certificates[0].revoked_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert find("linh chi").ids == []


def test_a_rolled_back_product_is_never_indexed(find, make_product):
    make_product(name_vi="Bánh tráng mè đen")
    db.session.rollback()
    assert find("banh trang").ids == []
    db.session.commit()  # a later, empty commit does not index what was rolled back
    assert find("banh trang").ids == []
    with index.open_index().searcher() as searcher:
        assert searcher.doc_count() == 0


def test_a_rolled_back_rename_keeps_the_old_name(find, make_product):
    product = make_product(name_vi="Mật ong rừng Minh Long")
    db.session.commit()
    product_id = product.id
    product.name_vi = "Rượu cần Hrê"
    db.session.flush()
    db.session.rollback()
    assert find("mat ong rung").ids == [product_id]
    assert find("ruou can").ids == []

    other = make_product(name_vi="Chè dây")  # the next commit reindexes only what it changed
    db.session.commit()
    assert find("mat ong rung").ids == [product_id]
    assert find("ruou can").ids == []
    assert find("che day").ids == [other.id]


def test_a_renamed_producer_finds_its_products_by_the_new_name(find, make_producer, make_product):
    producer = make_producer(name="HTX Nông nghiệp Bình Minh")
    products = {make_product(producer=producer).id for _ in range(3)}
    bystander = make_product(name_vi="Gạo thơm Bình Minh")
    db.session.commit()
    assert set(find("nong nghiep binh minh").ids) == products

    producer.name = "Công ty Cổ phần Hoàng Sa"
    db.session.commit()
    assert set(find("hoang sa").ids) == products
    assert set(find("Công ty Cổ phần Hoàng Sa").ids) == products
    assert find("nong nghiep binh minh").ids == [bystander.id]  # a partial match, on "Bình Minh"


def test_a_deleted_product_is_gone(find, make_product):
    product = make_product(name_vi="Cá bống sông Trà kho tiêu")
    kept = make_product(name_vi="Cá bống sông Trà rim")
    db.session.commit()
    assert set(find("ca bong song tra").ids) == {product.id, kept.id}
    product_id = product.id
    db.session.delete(product)
    db.session.commit()
    assert find("ca bong song tra").ids == [kept.id]
    with index.open_index().searcher() as searcher:
        assert searcher.document(id=str(product_id)) is None
        assert searcher.doc_count() == 1


def test_a_product_certified_after_its_creation_appears(find, make_product, make_certificate):
    product = make_product(name_vi="Muối hạt Sa Huỳnh", stars=None)
    db.session.commit()
    assert find("muoi sa huynh").ids == []
    make_certificate(product, stars=4)
    db.session.commit()
    assert find("muoi sa huynh").ids == [product.id]
    assert find("muoi sa huynh", stars=(4,)).ids == [product.id]


def test_the_index_holds_one_document_per_product_after_many_edits(find, make_product):
    products = [make_product(name_vi=f"Đường phèn mẻ {n}") for n in range(5)]
    db.session.commit()
    for round_ in range(4):
        for product in products:
            product.summary_vi = f"Lần sửa {round_}"
        db.session.commit()
    with index.open_index().searcher() as searcher:
        assert sorted(int(fields["id"]) for fields in searcher.all_stored_fields()) == sorted(p.id for p in products)
    assert len(find("duong phen").ids) == 5
    assert db.session.get(Product, products[0].id).summary_vi == "Lần sửa 3"


@pytest.fixture
def page_cache(app, monkeypatch):
    """The page cache on, as in production; only this process's changes make it reread the version."""
    cache = app.extensions["page_cache"]
    monkeypatch.setattr(cache, "size", 100)
    monkeypatch.setattr(cache, "version_ttl", 3600.0)
    return cache


def test_a_cached_search_page_follows_the_index(client, make_product, page_cache):
    product = make_product(name_vi="Mật ong rừng Minh Long")
    db.session.commit()
    link = f'href="/products/{product.slug}"'
    assert link in client.get("/search?q=mat+ong").get_data(as_text=True)
    assert link not in client.get("/search?q=ruou+can").get_data(as_text=True)
    assert len(page_cache._pages) == 2

    product.name_vi = "Rượu cần Hrê"
    db.session.commit()
    assert link not in client.get("/search?q=mat+ong").get_data(as_text=True)
    assert link in client.get("/search?q=ruou+can").get_data(as_text=True)
