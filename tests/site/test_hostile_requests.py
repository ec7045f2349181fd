"""Addresses and forms as visitors and attackers send them: reserved parameters, NUL bytes, numbers
too large for the database. Every one gets a clean page in the visitor's language, never a 5xx."""
import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role, User
from storefront.extensions import db

# Names that url_for, the language prefix or a route reads as its own when they are passed on blindly.
RESERVED = ["lang=en", "lang=vi", "lang=de", "lang=", "slug=x", "endpoint=catalog.product", "_anchor=x",
            "_external=1", "_scheme=javascript", "_method=DELETE", "number=QN1", "page=", "next=//evil.example"]


@pytest.fixture
def pages(make_product, make_sales_point):
    product = make_product(name_vi="Quế Trà Bồng")
    point = make_sales_point()
    db.session.commit()
    return ["/", "/products", "/cart", "/en/", "/en/products", f"/products/{product.slug}",
            f"/en/products/{product.slug}", f"/producers/{product.producer.slug}", "/search?q=que",
            "/sales-points", f"/sales-points/{point.slug}", "/destinations", "/verify", "/orders/find",
            "/sign-in", "/register", "/ocop-in-figures", "/checkout"]


@pytest.mark.parametrize("parameter", RESERVED)
def test_reserved_parameters_never_break_a_page(client, pages, parameter):
    for page in pages:
        separator = "&" if "?" in page else "?"
        response = client.get(f"{page}{separator}{parameter}")
        assert response.status_code < 500, f"{page}{separator}{parameter}"
        assert "Internal Server Error" not in response.get_data(as_text=True)


def test_a_link_with_lang_en_opens_the_english_page(client, make_product):
    product = make_product()
    db.session.commit()
    response = client.get(f"/products/{product.slug}?lang=en&utm_source=tourism")
    assert response.status_code == 302
    assert response.location == f"/en/products/{product.slug}?utm_source=tourism"
    assert client.get("/en/products?lang=vi&stars=3").location == "/products?stars=3"
    assert client.get("/en/?lang=en").status_code == 200  # already English
    assert client.get("/?lang=fr").status_code == 200  # a language the shop does not have: ignored


def test_links_built_from_the_address_keep_parameters_as_parameters(client, make_product):
    product = make_product()
    db.session.commit()
    html = client.get(f"/products/{product.slug}?slug=other&_external=1&_method=DELETE").get_data(as_text=True)
    assert f'href="/en/products/{product.slug}?slug=other&amp;_external=1&amp;_method=DELETE"' in html


@pytest.mark.parametrize("path, lang_text", [
    ("/orders/%00", "NUL"), ("/en/orders/%00", "NUL"), ("/products/%00", None),
    ("/products?q=%00", "NUL"), ("/en/search?q=a%00b", "NUL"), ("/verify/%00", "NUL")])
def test_a_nul_byte_in_the_address_is_a_clean_400(client, path, lang_text):
    response = client.get(path)
    assert response.status_code in (400, 404)
    html = response.get_data(as_text=True)
    if response.status_code == 400 and lang_text:
        expected = "cannot be used" if path.startswith("/en/") else "không dùng được"
        assert expected in html, html[:2000]


def test_a_nul_byte_in_a_posted_form_is_refused_and_nothing_is_stored(client):
    response = client.post("/register", data={"name": "Lan\x00", "email": "lan@example.vn",
                                              "password": "một-mật-khẩu-rất-dài-9", "confirm": "một-mật-khẩu-rất-dài-9"})
    assert response.status_code == 400
    assert "không dùng được" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 0
    english = client.post("/en/sign-in", data={"email": "a\x00@example.vn", "password": "x"})
    assert english.status_code == 400 and "cannot be used" in english.get_data(as_text=True)


@pytest.fixture
def office(make_user, sign_in):
    return sign_in(make_user(role=Role.ADMIN))


@pytest.mark.parametrize("path", [
    "/admin/audit?page=99999999999999999999999999", "/admin/certificates/?page=99999999999999999999999999",
    "/admin/orders?page=99999999999999999999", "/admin/products/?page=99999999999999999999",
    "/admin/orders/99999999999999999999", "/admin/products/99999999999999999999",
    "/admin/certificates/99999999999999999999", "/admin/certificates/new?product=99999999999999999999",
    "/admin/audit?object_id=99999999999999999999", "/admin/audit?page=²", "/admin/orders/%00",
])
def test_numbers_too_large_for_the_database_are_a_clean_4xx(office, path):
    response = office.get(path)
    assert 400 <= response.status_code < 500 or response.status_code == 200, path
    assert response.status_code != 500


def test_an_error_page_that_cannot_render_falls_back_to_a_plain_one_in_the_visitors_language(app, client,
                                                                                            monkeypatch):
    from storefront import templating

    def broken():
        raise RuntimeError("the layout cannot render")

    monkeypatch.setitem(app.jinja_env.globals, "demo_loaded", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        for path, text in (("/nowhere", "Lỗi 404"), ("/en/nowhere", "Error 404"), ("/en/products", "Error 500")):
            response = client.get(path)
            assert response.status_code == int(text[-3:]), path
            assert text in response.get_data(as_text=True)
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert templating.demo_loaded is not broken


def test_production_asks_browsers_to_keep_to_https(monkeypatch, tmp_path):
    from storefront import create_app
    from storefront.config import ProductionConfig

    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "s" * 40)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'shop.db'}")
    production = create_app(ProductionConfig)
    response = production.test_client().get("/healthz/live")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
