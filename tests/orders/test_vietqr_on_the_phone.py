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


def test_banking_apps_open_with_the_transfer_filled_in(app, client, make_buyable, buy, monkeypatch):
    product = make_buyable(price=185_000, stock=4)
    number = buy(client, {product: 1}, payment_method="vietqr").location.rsplit("/", 1)[1]
    page = client.get(f"/orders/{number}").get_data(as_text=True)
    link = (f"https://dl.vietqr.io/pay?app=mb&amp;am=215000&amp;tn={number}&amp;ba=0123456789@vcb"
            f"&amp;bn=TRUNG%20TAM%20OCOP%20QUANG%20NGAI%20%28DEMO%29&amp;url=http://localhost/orders/{number}")
    assert link in page and ">MBBank</a>" in page and ">VietinBank iPay</a>" in page
    assert 'rel="noopener noreferrer"' in page
    # Without the bank's code, or with no app configured, no link is offered.
    monkeypatch.setitem(app.config, "VIETQR_BANK_CODE", "")
    assert "dl.vietqr.io" not in client.get(f"/orders/{number}").get_data(as_text=True)
    monkeypatch.setitem(app.config, "VIETQR_BANK_CODE", "vcb")
    monkeypatch.setitem(app.config, "BANK_APPS", " , :x, mb: ")
    assert "dl.vietqr.io" not in client.get(f"/orders/{number}").get_data(as_text=True)
