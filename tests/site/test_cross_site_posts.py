"""A product page's forms (the buy box, the delivery province) carry no per-visitor token, so the page is
the same for every visitor and a shared proxy may keep it. What they post to refuses a post that the
browser says another site made, and changes nothing."""
import pytest

from storefront.extensions import db

# (path, form) of each token-less form; the form's product is filled in by the test.
FORMS = {"cart": ("/cart/add", {"quantity": "1"}), "delivery": ("/delivery/province", {"province": "ha_noi"})}

FOREIGN = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a sister subdomain is another origin all the same
    {"Sec-Fetch-Site": "CROSS-SITE "},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},  # the browser's own word wins
    {"Origin": "https://evil.example"},
    {"Origin": "http://localhost:8080"},  # another port
    {"Origin": "https://localhost"},  # another scheme
    {"Origin": "null"},  # a sandboxed frame or a data: page
    {"Origin": ""},
]
OWN = [{}, {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Site": "none"}, {"Origin": "http://localhost"},
       {"Origin": "HTTP://LOCALHOST"}]


def post(client, form, product, lang="", headers=None):
    path, data = FORMS[form]
    return client.post(lang + path, data={**data, "product_id": product.id, "next": f"/products/{product.slug}"},
                       headers=headers or {}, csrf=False)


def test_a_buyable_product_page_carries_no_form_token_and_is_shared(client, make_buyable):
    product = make_buyable()
    db.session.commit()
    page = client.get(f"/products/{product.slug}")
    body = page.get_data(as_text=True)
    assert 'action="/cart/add"' in body and 'action="/delivery/province"' in body
    assert "csrf_token" not in body
    assert "Set-Cookie" not in page.headers
    assert page.headers["Cache-Control"].startswith("public") and "ETag" in page.headers


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("headers", FOREIGN, ids=repr)
def test_a_post_from_another_site_is_refused_and_changes_nothing(client, make_buyable, form, headers):
    product = make_buyable()
    db.session.commit()
    response = post(client, form, product, headers=headers)
    assert response.status_code == 403
    assert "gửi từ một trang web khác" in response.get_data(as_text=True)
    assert "public" not in response.headers.get("Cache-Control", "") and "Set-Cookie" not in response.headers
    with client.session_transaction() as session:
        assert "cart" not in session and "delivery_province" not in session


@pytest.mark.parametrize("form", FORMS)
def test_the_refusal_speaks_the_visitor_s_language(client, make_buyable, form):
    product = make_buyable()
    db.session.commit()
    response = post(client, form, product, lang="/en", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert "sent from another website" in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", OWN, ids=repr)
def test_a_post_from_the_shop_s_own_page_goes_through(client, make_buyable, headers):
    product = make_buyable()
    db.session.commit()
    assert post(client, "cart", product, headers=headers).status_code == 303
    assert post(client, "delivery", product, headers=headers).status_code == 303
    cart = client.get("/cart").get_data(as_text=True)
    assert product.name_vi in cart


def test_the_other_cart_forms_still_need_their_token(client, make_buyable):
    product = make_buyable()
    db.session.commit()
    assert post(client, "cart", product).status_code == 303
    for path in ("/cart/update", "/cart/quantity", "/cart/remove"):
        response = client.post(path, data={"product_id": product.id, "quantity": "2"}, csrf=False,
                               headers={"Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 400, path
