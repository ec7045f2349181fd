"""A demo shop of the site-wide tests' own, which they may change (the crawler places orders, revokes
certificates…), with the page cache on as in production, and a signed-in client per role."""
import pytest
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.extensions import db

from shared import PASSWORD
from shop import demo_shop, enrol_second_factor

ROLES = {"customer": Role.CUSTOMER, "producer": Role.PRODUCER, "office": Role.ADMIN}


@pytest.fixture(scope="session")
def crawl_app(tmp_path_factory):
    yield from demo_shop(tmp_path_factory.mktemp("crawl"), "crawl", PAGE_CACHE_SIZE=2000)


@pytest.fixture(scope="session")
def crawl_accounts(crawl_app) -> dict:
    """{role: e-mail} of an account per role in the crawler's shop (the producer acts for the first producer)."""
    with crawl_app.app_context():
        producer = db.session.scalars(select(Producer).order_by(Producer.id)).first()
        emails = {}
        for name, role in ROLES.items():
            user = User(email=f"crawler-{name}@example.vn", name=f"Crawler {name}", role=role,
                        producer=producer if role == Role.PRODUCER else None)
            user.set_password(PASSWORD)
            db.session.add(user)
            db.session.flush()
            if user.needs_second_factor:
                enrol_second_factor(user)
            emails[name] = user.email
        db.session.commit()
        db.session.remove()
    return emails


@pytest.fixture(scope="session")
def role_client(crawl_app, crawl_accounts):
    """role_client("office") → a client of the crawler's shop signed in as that role ("guest": anonymous)."""
    def make(role: str):
        client = crawl_app.test_client()
        if role != "guest":
            with crawl_app.app_context():  # the crawler, as the office, may have closed the account
                user = db.session.scalar(select(User).where(User.email == crawl_accounts[role]))
                user.active = True
                user.set_password(PASSWORD)
                db.session.commit()
                db.session.remove()
            response = client.post("/sign-in", data={"email": crawl_accounts[role], "password": PASSWORD})
            assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return make
