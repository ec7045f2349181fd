"""Rendered pages (page cache off) issue a fixed, small number of SQL statements, and the card read model
they are built from follows the content, the language and the day."""
import itertools
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from storefront.catalog import cards
from storefront.catalog.models import Producer, Product
from storefront.catalog.models import ProductImage
from storefront.clock import today
from storefront.extensions import db
from storefront.media.models import MediaImage

# Statements of a rendered page when this worker's read models are empty (after a content change or at
# midnight): the content version, the demo notice, the listing, the former districts (catalogue), the
# locator's stock and sales points (7, product page), the page's own rows and its cards' fields (2).
PRODUCT_PAGE_COLD = 13
CATALOGUE_PAGE_COLD = 6
# Once the read models are built: a product page reads its product with its producer, places, photos and
# certificate valid today (one statement), and the fields of related cards this worker has not shown
# yet (2); a catalogue page whose cards are known reads nothing.
PRODUCT_PAGE_WARM = 3
CATALOGUE_PAGE_WARM = 0
# A producer page reads the producer with its places, craft village and logo (one statement); its cards
# come from the read models once this worker has shown them.
PRODUCER_PAGE_WARM = 1

_keys = itertools.count(1)


def statements_of(function) -> list[str]:
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    # A worker's request starts with an empty session; the tests' session outlives their requests.
    db.session.expunge_all()
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = function()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return statements


def with_photos(product, count=2):
    for position in range(count):
        image = MediaImage(key=f"{next(_keys):064x}", width=1200, height=900, rendition_widths="320,640,1200")
        db.session.add(image)
        db.session.flush()
        product.images.append(ProductImage(image_id=image.id, position=position, alt_vi=f"Ảnh {position}",
                                           alt_en=f"Photo {position}"))
    return product


@pytest.fixture
def cold(app):
    """Empties this worker's read models, as a content change or midnight does."""
    return lambda: app.extensions["page_cache"].clear()


@pytest.fixture
def shop(make_product, make_producer):
    """A producer with six certified products, each with photos, and 30 more products of the same group."""
    producer = make_producer()
    own = [with_photos(make_product(producer=producer, stars=4)) for _ in range(6)]
    others = [with_photos(make_product(stars=3), count=1) for _ in range(30)]
    db.session.commit()
    return [p.slug for p in own], [p.slug for p in others]


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_rendered_product_page_issues_a_fixed_number_of_statements(client, cold, shop, lang):
    own, _ = shop
    cold()
    first = statements_of(lambda: client.get(f"{lang}/products/{own[0]}"))
    assert len(first) <= PRODUCT_PAGE_COLD, "\n\n".join(first)
    # Another product: its related products' cards are known, the listing too.
    second = statements_of(lambda: client.get(f"{lang}/products/{own[1]}"))
    assert len(second) <= PRODUCT_PAGE_WARM, "\n\n".join(second)


@pytest.mark.parametrize("path", ["/products", "/en/products", "/products?stars=3&sort=price_asc"])
def test_a_rendered_catalogue_page_issues_a_fixed_number_of_statements(client, cold, shop, path):
    cold()
    first = statements_of(lambda: client.get(path))
    assert len(first) <= CATALOGUE_PAGE_COLD, "\n\n".join(first)
    again = statements_of(lambda: client.get(path))
    assert len(again) <= CATALOGUE_PAGE_WARM, "\n\n".join(again)


@pytest.mark.parametrize("lang", ["", "/en"])
def test_a_rendered_producer_page_issues_a_fixed_number_of_statements(client, cold, shop, lang):
    own, _ = shop
    cold()
    client.get(f"{lang}/products/{own[0]}")  # builds the read models and this producer's cards
    slug = db.session.scalar(select(Producer.slug).join(Product, Product.producer_id == Producer.id)
                             .where(Product.slug == own[0]))
    client.get(f"{lang}/producers/{slug}")
    warm = statements_of(lambda: client.get(f"{lang}/producers/{slug}"))
    assert len(warm) <= PRODUCER_PAGE_WARM, "\n\n".join(warm)


def test_the_statements_do_not_grow_with_the_products_shown(client, cold, make_product, make_producer):
    producer = make_producer()
    first = with_photos(make_product(producer=producer)).slug
    db.session.commit()
    cold()
    with_one = len(statements_of(lambda: client.get("/products")))
    product_with_one = len(statements_of(lambda: client.get(f"/products/{first}")))
    for _ in range(30):
        with_photos(make_product(producer=producer), count=3)
    db.session.commit()  # a content change: the read models start again
    assert len(statements_of(lambda: client.get("/products"))) == with_one
    assert len(statements_of(lambda: client.get(f"/products/{first}"))) == product_with_one


def test_a_card_follows_a_change_of_the_product(client, make_product):
    product = make_product(name_vi="Tỏi Lý Sơn", price=120_000)
    db.session.commit()
    assert "Tỏi Lý Sơn" in client.get("/products").get_data(as_text=True)
    product.name_vi = "Tỏi cô đơn Lý Sơn"
    product.price = 150_000
    db.session.commit()
    page = client.get("/products").get_data(as_text=True)
    assert "Tỏi cô đơn Lý Sơn" in page and "150.000" in page and "120.000" not in page


def test_a_card_is_rendered_in_each_language(client, make_product):
    with_photos(make_product(name_vi="Nước mắm Sa Huỳnh", name_en="Sa Huynh fish sauce", unit_vi="Chai",
                             unit_en="Bottle", sold_online=True))
    db.session.commit()
    vietnamese = client.get("/products").get_data(as_text=True)
    english = client.get("/en/products").get_data(as_text=True)
    assert "Nước mắm Sa Huỳnh" in vietnamese and "/ Chai" in vietnamese and 'alt="Ảnh 0"' in vietnamese
    assert "Bán trực tuyến" in vietnamese
    assert "Sa Huynh fish sauce" in english and "/ Bottle" in english and 'alt="Photo 0"' in english
    assert "Sold online" in english and 'href="/en/products/' in english
    assert "Sa Huynh fish sauce" not in vietnamese


def test_a_card_shown_yesterday_loses_a_star_that_expired_at_midnight(
        client, make_product, make_certificate, travel_to):
    """The read models are kept per day: tomorrow's page shows tomorrow's certification, with no write."""
    producer_product = make_product(stars=3)
    product = make_product(stars=3, producer=producer_product.producer, name_vi="Mạch nha Thi Phổ")
    make_certificate(product, stars=5, valid_until=today())
    db.session.commit()
    for path in ("/products", f"/products/{producer_product.slug}"):
        assert "ocop-badge--5" in client.get(path).get_data(as_text=True)

    travel_to(today() + timedelta(days=1))
    for path in ("/products", f"/products/{producer_product.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert "Mạch nha Thi Phổ" in page
        assert "ocop-badge--5" not in page


def test_a_product_page_shows_its_best_certificate_of_the_day(client, make_product, make_certificate, travel_to):
    """The product and its certificate come in one statement: still the best one valid that day."""
    product = make_product(stars=None)
    lasting = make_certificate(product, stars=3)
    best = make_certificate(product, stars=4, valid_until=today())
    db.session.commit()
    slug, lasting_number, best_number = product.slug, lasting.number, best.number
    page = client.get(f"/products/{slug}").get_data(as_text=True)
    assert best_number in page and "ocop-badge--4" in page and lasting_number not in page

    travel_to(today() + timedelta(days=1))
    page = client.get(f"/products/{slug}").get_data(as_text=True)
    assert best_number not in page and "ocop-badge--4" not in page
    assert lasting_number in page and "ocop-badge--3" in page


def test_the_card_stores_are_bounded(app, client, make_product, monkeypatch):
    monkeypatch.setattr(cards, "MAX_CARDS", 8)
    monkeypatch.setattr(cards, "MAX_CARD_HTML", 8)
    for _ in range(30):
        make_product()
    db.session.commit()
    for path in ("/products", "/en/products", "/products?sort=name", "/products?sort=price_desc"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('<article class="card">') == 24
    stores = app.extensions["page_cache"]._derived
    assert len(stores["catalog.card_fields"][1]) <= 24  # the bound, or one page's cards
    assert len(stores["catalog.card_html"][1]) <= 8
