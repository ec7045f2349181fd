"""The office's order pages and the producers' order lines: filters, buttons that follow the state
machine, the audit log, and a producer who never sees or touches another producer's lines."""
from datetime import timedelta

from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.orders.models import LineStatus, Order, OrderLine, OrderStatus

S = OrderStatus


def the_orders():
    db.session.expire_all()
    return db.session.scalars(select(Order).order_by(Order.id)).all()


def test_the_office_filters_orders(app, client, make_buyable, make_user, buy, sign_in):
    product = make_buyable(stock=50)
    buy(client, {product: 1}, phone="0905 111 222")
    buy(app.test_client(), {product: 1}, payment_method="vietqr", phone="0935 999 888")
    old = the_orders()[0]
    old.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    cod, transfer = the_orders()
    office = sign_in(make_user(role=Role.ADMIN))

    def listed(query=""):
        page = office.get(f"/admin/orders{query}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        return {order.number for order in (cod, transfer) if order.number in text}

    assert listed() == {cod.number, transfer.number}
    assert listed("?status=awaiting_payment") == {transfer.number}
    assert listed("?method=cod") == {cod.number}
    assert listed("?q=0935999888") == {transfer.number}
    assert listed("?q=+84 935 999 888") == {transfer.number}
    assert listed(f"?q={cod.number.lower()}") == {cod.number}
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    assert listed(f"?since={since}") == {transfer.number}
    for bad in ("?status=lost", "?since=yesterday", "?page=0", "?page=abc", "?method=bitcoin"):
        assert office.get(f"/admin/orders{bad}").status_code == 400
    assert office.get("/admin/orders/QN00000000").status_code == 404


def test_the_detail_offers_only_what_the_state_machine_allows(client, make_buyable, make_user, buy, sign_in):
    buy(client, {make_buyable(): 1})
    (order,) = the_orders()
    office = sign_in(make_user(role=Role.ADMIN))
    page = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "/ship" in page and "/cancel" in page
    assert "/refund" not in page and "/confirm_transfer" not in page and "/complete" not in page
    # A button the machine does not allow now changes nothing.
    assert office.post(f"/admin/orders/{order.number}/complete").status_code == 303
    assert office.post(f"/admin/orders/{order.number}/nonsense").status_code == 404
    assert the_orders()[0].status is S.CONFIRMED
    assert office.post(f"/admin/orders/{order.number}/cancel", data={"note": "khách gọi hủy"}).status_code == 303
    order = the_orders()[0]
    assert order.status is S.CANCELLED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order.cancel"))
    assert entry.changes == {"status": ["confirmed", "cancelled"]} and entry.note == "khách gọi hủy"
    detail = office.get(f"/admin/orders/{order.number}").get_data(as_text=True)
    assert "khách gọi hủy" in detail and "Đã hủy" in detail


def test_a_producer_sees_and_marks_its_own_lines_only(app, client, make_buyable, make_producer, make_user, buy,
                                                     sign_in):
    mine, theirs = make_producer(name="HTX Tỏi Lý Sơn"), make_producer(name="HTX Quế Trà Bồng")
    garlic = make_buyable(name_vi="Tỏi cô đơn", producer=mine)
    cinnamon = make_buyable(name_vi="Quế thanh", producer=theirs)
    buy(client, {garlic: 1, cinnamon: 2})
    buy(app.test_client(), {cinnamon: 1})  # an order without my products
    garlic_line = db.session.scalar(select(OrderLine).where(OrderLine.product_id == garlic.id))
    cinnamon_line = db.session.scalar(select(OrderLine).where(OrderLine.product_id == cinnamon.id))
    me = sign_in(make_user(role=Role.PRODUCER, producer=mine))
    page = me.get("/producer/orders").get_data(as_text=True)
    assert "Tỏi cô đơn" in page and "Quế thanh" not in page
    assert page.count("/fulfil") == 1
    # Another producer's line: not found, and untouched.
    assert me.post(f"/producer/orders/lines/{cinnamon_line.id}/fulfil").status_code == 404
    assert me.post(f"/producer/orders/lines/{garlic_line.id}/fulfil").status_code == 303
    db.session.expire_all()
    assert db.session.get(OrderLine, garlic_line.id).status is LineStatus.SHIPPED
    assert db.session.get(OrderLine, cinnamon_line.id).status is LineStatus.PENDING
    assert the_orders()[0].status is S.CONFIRMED  # the other producer's line still waits
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "order_line.fulfil")) is not None
    # Marking twice changes nothing more.
    me.post(f"/producer/orders/lines/{garlic_line.id}/fulfil")
    assert len(the_orders()[0].transitions) == 1


def test_a_producer_cannot_send_an_unpaid_transfer_order(client, make_buyable, make_producer, make_user, buy,
                                                        sign_in):
    mine = make_producer()
    product = make_buyable(producer=mine)
    buy(client, {product: 1}, payment_method="vietqr")
    line = db.session.scalar(select(OrderLine))
    me = sign_in(make_user(role=Role.PRODUCER, producer=mine))
    assert "/fulfil" not in me.get("/producer/orders?show=all").get_data(as_text=True)
    me.post(f"/producer/orders/lines/{line.id}/fulfil")
    db.session.expire_all()
    assert db.session.get(OrderLine, line.id).status is LineStatus.PENDING
