"""Who may open the back office: the OCOP office at /admin, each producer at /producer for itself only."""
import re

import pytest

from storefront.accounts.models import Role
from storefront.extensions import db

def back_office_requests(app):
    """(method, path, role it is for) of every /admin and /producer route, parameters filled in."""
    from werkzeug.routing import AnyConverter, IntegerConverter

    def sample(converter) -> str:
        return "999999" if isinstance(converter, IntegerConverter) else "en" if isinstance(converter, AnyConverter) else "x"

    for rule in app.url_map.iter_rules():
        bare = rule.rule.removeprefix("/<any(en):lang>")
        if not re.match(r"/(admin|producer)(/|$)", bare):
            continue
        path = re.sub(r"<(?:[^<>:]+:)?([^<>:]+)>",
                      lambda match: sample(rule._converters[match[1]]), rule.rule)
        role = Role.ADMIN if bare.startswith("/admin") else Role.PRODUCER
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path, role


def test_every_back_office_route_refuses_whoever_it_is_not_for(app, make_user):
    """The matrix: every route × anonymous, customer, a producer, an administrator."""
    requests = list(back_office_requests(app))
    assert len(requests) >= 4
    users = {role: make_user(role=role) for role in Role}
    db.session.commit()
    clients = {None: app.test_client()}
    for role, user in users.items():
        clients[role] = app.test_client()
        clients[role].post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
    for method, path, role in requests:
        response = clients[None].open(path, method=method)
        assert response.status_code == 302 and "/sign-in" in response.location, (method, path, "anonymous")
        for other in Role:
            if other != role:
                response = clients[other].open(path, method=method)
                assert response.status_code == 403, (method, path, other)


PAGES = {"/admin/": Role.ADMIN, "/en/admin/": Role.ADMIN, "/producer/": Role.PRODUCER,
         "/en/producer/": Role.PRODUCER}


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in?next=" in response.location and path.rstrip("/") in response.location


@pytest.mark.parametrize("path,role", PAGES.items())
def test_only_the_right_role_gets_in(app, make_user, path, role):
    for other in Role:
        client = app.test_client()
        user = make_user(role=other)
        db.session.commit()
        client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
        response = client.get(path)
        assert response.status_code == (200 if other == role else 403), (path, other)
        if other == role:
            assert response.headers["Cache-Control"] == "private, no-store"
            assert 'name="robots" content="noindex, nofollow"' in response.get_data(as_text=True)


def test_a_producer_sees_its_own_products_only(make_user, make_product, make_producer, sign_in):
    mine, theirs = make_producer(name="HTX Tỏi Lý Sơn"), make_producer(name="HTX Quế Trà Bồng")
    make_product(name_vi="Tỏi cô đơn", producer=mine, stars=4)
    make_product(name_vi="Quế thanh", producer=theirs, stars=5)
    client = sign_in(make_user(role=Role.PRODUCER, producer=mine))
    page = client.get("/producer/").get_data(as_text=True)
    assert "Tỏi cô đơn" in page and "HTX Tỏi Lý Sơn" in page
    assert "Quế thanh" not in page


def test_the_office_overview_counts_certified_products_only(make_user, make_product, on_day, sign_in):
    make_product(stars=4)
    make_product(stars=None)
    client = sign_in(make_user(role=Role.ADMIN))
    page = client.get("/en/admin/").get_data(as_text=True)
    assert "Certified products</dt><dd>1</dd>" in page
