"""Paying a VietQR order from the phone that holds the banking app: the code saved as an image, the details to
copy, the time left. Only the order's own browser gets the image, and only while the order waits for it."""
import io

from PIL import Image
from sqlalchemy import select

from storefront.extensions import db
from storefront.orders.models import Order


def test_the_code_is_saved_as_an_image_by_the_orders_browser_only(app, client, make_buyable, buy):
    product = make_buyable(price=185_000, stock=4)
    response = buy(client, {product: 1}, payment_method="vietqr")
    number = response.location.rsplit("/", 1)[1]
    page = client.get(f"/orders/{number}").get_data(as_text=True)
    assert f'href="/orders/{number}/vietqr.png" download' in page
    # The copy buttons wait for a browser that can copy (hidden otherwise), and say what they copy.
    assert 'data-copy="0123456789"' in page and 'data-copy="215000"' in page and f'data-copy="{number}"' in page
    assert page.count("hidden>Sao chép") == 3 and "Sao chép<span class=\"visually-hidden\"> số tiền" in page
    assert 'class="countdown" data-deadline="' in page

    image = client.get(f"/orders/{number}/vietqr.png")
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert image.headers["Content-Disposition"] == f'attachment; filename="vietqr-{number}.png"'
    assert image.headers["Cache-Control"] == "private, no-store"
    width, height = Image.open(io.BytesIO(image.data)).size
    assert width == height >= 300

    assert app.test_client().get(f"/orders/{number}/vietqr.png").status_code == 404  # another browser
    assert client.get("/orders/QN22222222/vietqr.png").status_code == 404
    db.session.scalar(select(Order).where(Order.number == number)).status = "cancelled"
    db.session.commit()
    assert client.get(f"/orders/{number}/vietqr.png").status_code == 404  # nothing to pay any more


def test_a_cash_order_has_no_code(client, make_buyable, buy):
    product = make_buyable(price=185_000, stock=4)
    number = buy(client, {product: 1}).location.rsplit("/", 1)[1]
    assert client.get(f"/orders/{number}/vietqr.png").status_code == 404
    assert "data-copy" not in client.get(f"/orders/{number}").get_data(as_text=True)
