"""Why a product cannot be bought is said with its numbers filled in, in the shopper's language, wherever
it is said: the product page, the cart, and a checkout another shopper overtook."""
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from storefront.extensions import db
from storefront.orders.models import Order
from storefront.orders.rules import Problem, problem_message

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def checkout_token(client, lang=""):
    page = client.get(f"{lang}/checkout")
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))[1]


@pytest.mark.parametrize("lang,expected", [
    ("", "Tỏi Lý Sơn: Chỉ còn 2: hãy giảm số lượng."),
    ("/en", "Lý Sơn garlic: Only 2 left: lower the quantity."),
])
def test_the_second_shopper_is_told_how_many_are_left(app, make_buyable, checkout_fields, lang, expected):
    product = make_buyable(name_vi="Tỏi Lý Sơn", name_en="Lý Sơn garlic", stock=5)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    first.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 3})
    second.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 4})
    first_token, second_token = checkout_token(first, lang), checkout_token(second, lang)
    assert first.post(f"{lang}/checkout", data={**checkout_fields, "token": first_token}).status_code == 303

    response = second.post(f"{lang}/checkout", data={**checkout_fields, "token": second_token})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert expected in page
    assert not PLACEHOLDER.search(page)
    assert db.session.scalar(select(func.count(Order.id))) == 1


@pytest.mark.parametrize("lang,expected", [("", "Hiện đang hết hàng."), ("/en", "Out of stock at the moment.")])
def test_the_second_shopper_is_told_when_the_first_bought_everything(app, make_buyable, checkout_fields, lang,
                                                                      expected):
    product = make_buyable(stock=2)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    for shopper in (first, second):
        shopper.post(f"{lang}/cart/add", data={"product_id": product.id, "quantity": 2})
    first_token, second_token = checkout_token(first, lang), checkout_token(second, lang)
    first.post(f"{lang}/checkout", data={**checkout_fields, "token": first_token})
    response = second.post(f"{lang}/checkout", data={**checkout_fields, "token": second_token})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert expected in page and not PLACEHOLDER.search(page)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("problem", list(Problem))
def test_every_reason_is_complete_in_both_languages(app, make_buyable, problem, lang):
    """Whatever a caller passes (the product, the units left, or neither), no placeholder shows."""
    product = make_buyable(stock=3)
    with app.test_request_context(), force_locale(lang):
        for message in (problem_message(problem), problem_message(problem, product),
                        problem_message(problem, left=7)):
            assert message and not PLACEHOLDER.search(message), message
        if problem is Problem.NOT_ENOUGH_STOCK:
            assert "3" in problem_message(problem, product) and "7" in problem_message(problem, left=7)
