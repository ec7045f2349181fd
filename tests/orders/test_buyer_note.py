"""The buyer's note for the producers reaches everyone who handles the order."""
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order

NOTE = "Gọi trước khi giao nhé"


def test_the_note_reaches_the_producers_the_office_and_the_buyer(app, client, make_buyable, make_producer,
                                                                 make_user, buy, sign_in):
    mine = make_producer(name="HTX Tỏi Lý Sơn", email="toi@htx.vn")
    theirs = make_producer(name="HTX Quế Trà Bồng", email="que@htx.vn")
    garlic = make_buyable(name_vi="Tỏi cô đơn", producer=mine)
    cinnamon = make_buyable(name_vi="Quế thanh", producer=theirs)
    response = buy(client, {garlic: 1, cinnamon: 1}, note=NOTE)
    assert response.status_code == 303
    order = db.session.scalar(select(Order))
    assert order.note == NOTE

    # Each producer's e-mail.
    for address in ("toi@htx.vn", "que@htx.vn"):
        message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order-producer",
                                                                OutboxMessage.recipient == address))
        assert f"Ghi chú của người mua: {NOTE}" in message.body

    # The buyer's own order page, in both languages.
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "Ghi chú của bạn cho chủ thể sản xuất" in page and NOTE in page
    english = client.get(f"/en/orders/{order.number}").get_data(as_text=True)
    assert "Your note for the producers" in english and NOTE in english

    # The producer's order list.
    producer = app.test_client()
    user = make_user(role=Role.PRODUCER, producer=mine)
    db.session.commit()
    producer.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"})
    lines = producer.get("/producer/orders").get_data(as_text=True)
    assert f"Ghi chú của người mua: {NOTE}" in lines

    # The office's order detail.
    office = sign_in(make_user(role=Role.ADMIN))
    detail = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "Ghi chú của người mua cho chủ thể sản xuất" in detail and NOTE in detail


def test_an_order_without_a_note_says_nothing_of_one(client, make_buyable, buy):
    product = make_buyable(producer=None)
    buy(client, {product: 1})
    order = db.session.scalar(select(Order))
    assert "Ghi chú của bạn" not in client.get(f"/orders/{order.number}").get_data(as_text=True)
    bodies = db.session.scalars(select(OutboxMessage.body)).all()
    assert not any("Ghi chú của người mua" in body for body in bodies)


def test_a_note_in_the_e_mail_is_not_a_way_to_inject_markup(client, make_buyable, make_producer, buy):
    product = make_buyable(producer=make_producer(email="p@htx.vn"))
    buy(client, {product: 1}, note="<script>alert(1)</script>")
    order = db.session.scalar(select(Order))
    page = client.get(f"/orders/{order.number}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
