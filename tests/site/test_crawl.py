"""The whole demo shop crawled as each role, in both languages, with the page cache on: every same-site
link followed, every form submitted with plausible values, every page visited again with hostile
parameters. No answer may be a 5xx, show a raw placeholder, template syntax or a Python value, or speak
the other language's interface."""
import pytest
from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.extensions import db

from shop import demo_shop
from crawling import Crawler, Report, interface_strings
from shared import PASSWORD

ROLES = {
    # role: (where it starts, the part of the site it walks whole; elsewhere a few pages of each kind)
    "guest": (["/", "/en/"], ("/",)),
    "customer": (["/account", "/en/account", "/cart", "/en/cart"], ("/account", "/orders", "/cart", "/checkout")),
    "producer": (["/producer/", "/en/producer/"], ("/producer",)),
    "office": (["/admin/", "/en/admin/"], ("/admin",)),
}


@pytest.fixture(scope="module")
def crawl_app(tmp_path_factory):
    """A demo shop of the crawler's own (it places orders, revokes certificates…), page cache on."""
    yield from demo_shop(tmp_path_factory.mktemp("crawl"), "crawl", PAGE_CACHE_SIZE=2000)


def accounts(app) -> dict:
    with app.app_context():
        producer = db.session.scalars(select(Producer).order_by(Producer.id)).first()
        emails = {}
        for role, kind in (("customer", Role.CUSTOMER), ("producer", Role.PRODUCER), ("office", Role.ADMIN)):
            user = User(email=f"crawler-{role}@example.vn", name=f"Crawler {role}", role=kind,
                        producer=producer if kind == Role.PRODUCER else None)
            user.set_password(PASSWORD)
            db.session.add(user)
            emails[role] = user.email
        db.session.commit()
        db.session.remove()
    return emails


def test_the_whole_shop_in_both_languages_as_each_role(crawl_app):
    english, vietnamese = interface_strings()
    emails = accounts(crawl_app)
    report = Report()
    for role, (starts, whole) in ROLES.items():
        client = crawl_app.test_client()
        if role != "guest":
            signed_in = client.post("/sign-in", data={"email": emails[role], "password": PASSWORD})
            assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
        crawler = Crawler(client, role, report, english, vietnamese, per_endpoint=None if role == "guest" else 6,
                          everything_under=whole)
        crawler.crawl(starts)
        crawler.revisit_with_hostile_parameters()
    print(f"\ncrawl: {len(report.pages)} pages, {report.requests} requests, {report.forms} forms submitted, "
          f"answers by class {dict(sorted(report.statuses.items()))}, "
          f"{report.statuses.get(500, 0)} 5xx, {len(report.problems)} problems")
    assert not report.problems, "\n".join(report.problems[:60])
    assert report.statuses.get(500, 0) == 0
    assert len(report.pages) > 500  # the crawler did reach the catalogue, the back office and the workspace
