"""Who may open the back office: the OCOP office at /admin, each producer at /producer for itself only (the
whole route × role matrix is tests/accounts/test_access_matrix.py)."""

import pytest

from storefront.accounts.models import Role
from storefront.extensions import db

OFFICE = {Role.ADMIN, Role.CERTIFICATE_OFFICER, Role.ORDER_DESK, Role.VIEWER}
PAGES = {"/admin/": OFFICE, "/en/admin/": OFFICE, "/producer/": {Role.PRODUCER}, "/en/producer/": {Role.PRODUCER}}


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in?next=" in response.location and path.rstrip("/") in response.location


@pytest.mark.parametrize("path,roles", PAGES.items())
def test_only_the_right_roles_get_in(app, make_user, path, roles):
    for other in Role:
        client = app.test_client()
        user = make_user(role=other)
        db.session.commit()
        client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
        response = client.get(path)
        assert response.status_code == (200 if other in roles else 403), (path, other)
        if other in roles:
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
