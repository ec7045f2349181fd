"""A message flashed after a form is shown on the next page in the language it was written in, never
translated too early into the other language."""
from storefront.extensions import db


def test_a_message_is_shown_on_the_next_page_of_its_language(client, make_buyable):
    product = make_buyable(stock=5)
    db.session.commit()
    client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    page = client.get("/cart").get_data(as_text=True)
    assert page.count('class="flash flash--success"') == 1
    assert 'class="flash' not in client.get("/cart").get_data(as_text=True)  # shown once

    client.post("/en/cart/add", data={"product_id": product.id, "quantity": 1})
    english = client.get("/en/cart").get_data(as_text=True)
    assert english.count('class="flash flash--success"') == 1


def test_a_message_written_in_one_language_never_shows_on_a_page_of_the_other(client, make_buyable):
    product = make_buyable(stock=5)
    db.session.commit()
    client.post("/cart/add", data={"product_id": product.id, "quantity": 1})
    english = client.get("/en/cart").get_data(as_text=True)
    assert 'class="flash' not in english
    assert 'class="flash' not in client.get("/cart").get_data(as_text=True)  # dropped, not kept for later

    client.post("/en/cart/remove", data={"product_id": product.id})
    assert 'class="flash' not in client.get("/cart").get_data(as_text=True)

