"""Fixtures: one app per session, an empty database per test, factories that return callables."""
import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import delete, text

from storefront import create_app
from storefront.accounts.models import Role, SecondFactor, User
from storefront.areas.models import Area, AreaKind, AreaLevel
from storefront.catalog.models import Producer, ProducerType, Product
from storefront.certification.models import Certificate, CertificationLevel, default_valid_until
from storefront.clock import today
from storefront.config import TestConfig
from storefront.extensions import db
from storefront.locator.models import Funding, SalesPoint
from storefront.search import index as search_index

from shared import CHECKOUT_FIELDS, DATABASE_URL, ON_POSTGRES, PASSWORD
from shop import ShopClient, demo_shop, enrol_second_factor

pytest_plugins = ["clock_fixture", "payments.fake_stripe"]



@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(type("Config", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "SEARCH_INDEX_DIR": str(tmp_path_factory.mktemp("search") / "index"),
    }))
    app.test_client_class = ShopClient
    with app.app_context():
        db.drop_all()
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def database(app):
    """An empty database for every test, inside an application context."""
    with app.app_context():
        db.session.commit()
        yield db
        db.session.rollback()
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if ON_POSTGRES:
                connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables)
                                        + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))
        app.extensions["page_cache"].clear()
        app.extensions["suggestion_cache"].clear()
        search_index.reset()


@pytest.fixture
def client(app):
    return app.test_client()


_sequence = itertools.count(1)


@pytest.fixture
def make_area():
    def make(name=None, level=AreaLevel.COMMUNE, kind=None, parent=None):
        number = next(_sequence)
        if level == AreaLevel.COMMUNE and parent is None:
            parent = make(level=AreaLevel.FORMER_DISTRICT)
        area = Area(name=name or f"Area {number}", slug=f"area-{number}", level=level,
                    kind=kind or {AreaLevel.PROVINCE: AreaKind.PROVINCE,
                                  AreaLevel.FORMER_DISTRICT: AreaKind.DISTRICT,
                                  AreaLevel.COMMUNE: AreaKind.COMMUNE}[level],
                    parent=parent)
        db.session.add(area)
        db.session.flush()
        return area
    return make


@pytest.fixture
def make_producer(make_area):
    def make(name=None, type=ProducerType.COOPERATIVE, area=None, **fields):
        number = next(_sequence)
        producer = Producer(name=name or f"Producer {number}", slug=f"producer-{number}", type=type,
                            area=area or make_area(), story_vi=fields.pop("story_vi", "Câu chuyện."),
                            **fields)
        db.session.add(producer)
        db.session.flush()
        return producer
    return make


@pytest.fixture
def make_certificate():
    def make(product, stars=3, score=None, decision_date=None, valid_until=None, revoked_at=None, **fields):
        number = next(_sequence)
        decision_date = decision_date or today() - timedelta(days=100)
        certificate = Certificate(
            product=product, number=f"OCOP-{number}", stars=stars,
            score=score if score is not None else {3: 60, 4: 80, 5: 95}[stars],
            decision_number=f"{number}/QĐ-UBND", decision_date=decision_date,
            # 5★ are certified at the central level (a CHECK constraint holds every certificate to it).
            authority="Bộ Nông nghiệp và Môi trường" if stars == 5 else "UBND tỉnh Quảng Ngãi",
            level=CertificationLevel.CENTRAL if stars == 5 else CertificationLevel.PROVINCE,
            valid_from=decision_date, valid_until=valid_until or default_valid_until(decision_date),
            revoked_at=revoked_at, **fields)
        db.session.add(certificate)
        db.session.flush()
        return certificate
    return make


@pytest.fixture
def make_product(make_producer, make_certificate):
    """A published product; certified with `stars` unless stars=None."""
    def make(name_vi=None, stars=3, producer=None, group=1, price=100_000, stock=10, **fields):
        number = next(_sequence)
        product = Product(
            slug=fields.pop("slug", f"product-{number}"), name_vi=name_vi or f"Sản phẩm {number}",
            name_en=fields.pop("name_en", f"Product {number}"),
            producer=producer or make_producer(), group=group, subgroup=fields.pop("subgroup", "processed"),
            price=price, stock=stock, unit_vi=fields.pop("unit_vi", "Hộp 500 g"),
            shippable=fields.pop("shippable", group != 6), **fields)
        db.session.add(product)
        db.session.flush()
        if stars is not None:
            make_certificate(product, stars=stars)
        return product
    return make


@pytest.fixture
def make_buyable(make_product):
    """A certified product sold online, shippable and in stock: what a shopper can put in a cart."""
    def make(**fields):
        fields.setdefault("sold_online", True)
        return make_product(**fields)
    return make


@pytest.fixture
def make_sales_point(make_area):
    def make(name_vi=None, funding=Funding.STATE_SUPPORTED, area=None, **fields):
        number = next(_sequence)
        point = SalesPoint(slug=f"point-{number}", name_vi=name_vi or f"Điểm bán {number}",
                           address=fields.pop("address", "1 Lê Lợi"), area=area or make_area(),
                           latitude=fields.pop("latitude", 15.12), longitude=fields.pop("longitude", 108.8),
                           funding=funding, **fields)
        db.session.add(point)
        db.session.flush()
        return point
    return make


@pytest.fixture
def make_user(make_producer):
    """An account; role "producer" gets a producer of its own unless one is given. An account that must have
    a second factor gets one (the app's secret is shared.TOTP_SECRET) unless second_factor=False."""
    def make(role=Role.CUSTOMER, producer=None, email=None, password=PASSWORD, second_factor=None, **fields):
        role = Role(role)
        if role == Role.PRODUCER and producer is None:
            producer = make_producer()
        user = User(email=email or f"user{next(_sequence)}@example.vn", role=role, producer=producer,
                    name=fields.pop("name", "Người dùng"), **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        if second_factor if second_factor is not None else user.needs_second_factor:
            enrol_second_factor(user)
        return user
    return make


@pytest.fixture
def sign_in(client):
    """Signs `user` in on the test client, a browser the account used before; returns the client."""
    def sign_in(user, password=PASSWORD, lang=""):
        db.session.commit()
        client.know_device_of(user.email)
        response = client.post(f"{lang}/sign-in", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return sign_in


@pytest.fixture
def on_day():
    """A date `days` from today in Quảng Ngãi."""
    return lambda days=0: today() + timedelta(days=days)


# --- demo catalogue (shared by page and browser tests) ---

@pytest.fixture(scope="session")
def demo_app(tmp_path_factory):
    """A second app on its own database, built by the migrations and loaded once by `flask demo load`.

    Shared by every test that asks for it, so tests read it and never change it. Its database is a
    temporary SQLite file, or on PostgreSQL a database named after the test database plus "_demo".
    """
    yield from demo_shop(tmp_path_factory.mktemp("demo"), "demo", PAGE_CACHE_SIZE=0)


@pytest.fixture
def checkout_fields() -> dict:
    """What a shopper types in the checkout form (cash on delivery, home delivery)."""
    return dict(CHECKOUT_FIELDS)


@pytest.fixture
def buy():
    """buy(client, {product: quantity}, **fields) puts the products in `client`'s cart and submits the
    checkout form as a shopper would (the form's own token); returns the checkout response."""

    def buy(client, items, lang="", **fields):
        db.session.commit()
        for product, quantity in items.items():
            response = client.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": quantity})
            assert response.status_code == 303, response.get_data(as_text=True)[:300]
        page = client.get(f"{lang}/checkout")
        assert page.status_code == 200, page.get_data(as_text=True)[:300]
        token = re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]
        return client.post(f"{lang}/checkout", data={**CHECKOUT_FIELDS, "token": token, **fields})
    return buy


DEMO_OFFICE_EMAIL = "office@demo.test"


@pytest.fixture(scope="session")
def demo_office(demo_app):
    """(email, password, id) of an OCOP office account in the demo database, removed when the session ends."""
    with demo_app.app_context():
        user = User(email=DEMO_OFFICE_EMAIL, role=Role.ADMIN, name="Văn phòng OCOP")
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        enrol_second_factor(user)
        db.session.commit()
        user_id = user.id
        db.session.remove()
    yield DEMO_OFFICE_EMAIL, PASSWORD, user_id
    with demo_app.app_context():
        db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
        db.session.delete(db.session.get(User, user_id))
        db.session.commit()
        db.session.remove()


@pytest.fixture
def demo_office_client(demo_app, demo_office):
    """A test client of the demo app, signed in as the OCOP office (through the session, so the sign-in
    rate limits of the shared demo database are not spent)."""
    from storefront.accounts.operations import start_session

    client = demo_app.test_client()
    with demo_app.app_context():
        token = start_session(db.session.get(User, demo_office[2]), user_agent="tests")
        db.session.commit()
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client
