"""Transfers reported by a bank feed pay their VietQR order by themselves when they can, and wait in the
office's reconciliation list when they cannot: nothing is lost, nothing is paid twice."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.audit.models import AuditEntry
from storefront.bankfeed.models import BankTransfer, Mismatch, TransferState
from storefront.catalog.models import Product
from storefront.clock import utcnow
from storefront.extensions import db
from storefront.notifications.models import OutboxMessage
from storefront.orders.models import Order, OrderStatus
from storefront.orders.operations import expire_unpaid
from storefront.payments.models import PaymentTransaction, TransactionKind

from bankfeed.deliveries import bank_text, deliver, transfer

S = OrderStatus


def the_order(number: str) -> Order:
    db.session.expire_all()
    return db.session.scalar(select(Order).where(Order.number == number))


def transfers() -> list[BankTransfer]:
    db.session.expire_all()
    return db.session.scalars(select(BankTransfer).order_by(BankTransfer.id)).all()


def charges_of(order: Order) -> list[PaymentTransaction]:
    return db.session.scalars(select(PaymentTransaction).where(
        PaymentTransaction.order_id == order.id, PaymentTransaction.kind == TransactionKind.CHARGE)).all()


def messages(kind: str) -> int:
    return db.session.scalar(select(func.count()).where(OutboxMessage.kind == kind))


@pytest.fixture
def transfer_order(app, make_buyable, make_producer, buy):
    """A guest's VietQR order of 2 units at 100.000 ₫ (stock 5 → 3), 200.000 ₫ + 30.000 ₫ shipping."""
    def place(stock=5, **fields):
        product = make_buyable(price=100_000, stock=stock, producer=make_producer(email="htx@example.vn"))
        shopper = app.test_client()
        response = buy(shopper, {product: 2}, payment_method="vietqr", email="khach@example.vn", **fields)
        number = response.location.rsplit("/", 1)[1]
        order = the_order(number)
        assert order.status is S.AWAITING_PAYMENT and order.total == 230_000
        shopper.number, shopper.product = number, product
        return order, shopper
    return place


@pytest.fixture
def office(app, make_user):
    def sign_in(role=Role.ADMIN):
        user = make_user(role=role)
        db.session.commit()
        client = app.test_client()
        client.know_device_of(user.email)
        assert client.post("/sign-in", data={"email": user.email, "password": "mật-khẩu-đủ-dài-1"}).status_code == 302
        return client
    return sign_in


@pytest.mark.parametrize("feed", ["sepay", "casso"])
def test_the_exact_amount_pays_the_order_and_tells_the_buyer_and_the_producer(app, client, transfer_order, feed):
    order, shopper = transfer_order()
    assert messages("order-producer") == 0
    response = deliver(client, app, transfer(bank_text(order.number.lower()), 230_000), feed=feed)
    assert response.status_code == 200
    assert response.get_json()["success"] is True
    assert response.get_json()["outcome"] == "matched" and response.get_json()["order"] == order.number
    order = the_order(order.number)
    assert order.status is S.PAID and order.paid_at is not None
    [charge] = charges_of(order)
    assert charge.amount == 230_000 and charge.provider_reference == transfers()[0].reference
    assert transfers()[0].state is TransferState.MATCHED
    assert messages("order-producer") == 1 and messages("order-status") == 1
    # The buyer's page and its status answer follow.
    assert shopper.get(f"/orders/{order.number}/status").get_json()["status"] == "paid"
    assert "Đã thanh toán" in shopper.get(f"/orders/{order.number}").get_data(as_text=True)


def test_the_same_transfer_delivered_again_and_again_pays_once(app, client, transfer_order):
    order, _shopper = transfer_order()
    facts = transfer(order.number, 230_000)
    answers = {deliver(client, app, facts).get_json()["outcome"] for _ in range(100)}
    assert answers == {"matched", "duplicate"}
    assert len(transfers()) == 1 and len(charges_of(the_order(order.number))) == 1
    assert messages("order-producer") == 1


@pytest.mark.parametrize("amount, mismatch", [(229_000, Mismatch.UNDERPAID), (230_001, Mismatch.OVERPAID)])
def test_another_amount_waits_for_the_office_and_the_buyer_is_told(app, client, transfer_order, amount, mismatch):
    order, shopper = transfer_order()
    assert deliver(client, app, transfer(order.number, amount)).get_json()["outcome"] == "to_reconcile"
    [waiting] = transfers()
    assert (waiting.state, waiting.mismatch, waiting.order_id) == (TransferState.TO_RECONCILE, mismatch, order.id)
    assert the_order(order.number).status is S.AWAITING_PAYMENT and charges_of(order) == []
    page = shopper.get(f"/orders/{order.number}").get_data(as_text=True)
    assert f"{amount:,}".replace(",", ".") in page and "Chờ thanh toán" in page


def test_a_number_cut_short_by_the_bank_still_pays_its_order(app, client, transfer_order):
    order, _shopper = transfer_order()
    deliver(client, app, transfer(f"MBVCB.3278907687.{order.number[:-2]}", 230_000))
    assert the_order(order.number).status is S.PAID


def test_a_transfer_naming_no_order_waits_for_the_office(app, client, transfer_order):
    order, _shopper = transfer_order()
    deliver(client, app, transfer("chuyen tien mua hang", 230_000))
    deliver(client, app, transfer("QN22222222", 230_000))  # a number no order has
    assert [(t.mismatch, t.order_id) for t in transfers()] == [(Mismatch.NO_ORDER, None)] * 2
    assert the_order(order.number).status is S.AWAITING_PAYMENT


def test_a_transfer_naming_two_orders_pays_neither(app, client, transfer_order):
    first, _ = transfer_order()
    second, _ = transfer_order()
    deliver(client, app, transfer(f"{first.number} {second.number}", 230_000))
    assert transfers()[0].mismatch is Mismatch.SEVERAL_ORDERS
    assert {the_order(first.number).status, the_order(second.number).status} == {S.AWAITING_PAYMENT}


def test_a_transfer_after_the_order_expired_is_kept_and_the_stock_stays_released(app, client, transfer_order):
    order, shopper = transfer_order()
    db.session.get(Order, order.id).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert expire_unpaid() == 1
    assert db.session.get(Product, shopper.product.id).stock == 5
    deliver(client, app, transfer(order.number, 230_000))
    assert (transfers()[0].state, transfers()[0].mismatch) == (TransferState.TO_RECONCILE, Mismatch.ORDER_CLOSED)
    assert the_order(order.number).status is S.EXPIRED and charges_of(order) == []
    db.session.expire_all()
    assert db.session.get(Product, shopper.product.id).stock == 5
    assert "send the money back" in shopper.get(f"/en/orders/{order.number}").get_data(as_text=True)


def test_a_second_payment_of_a_paid_order_waits_to_be_sent_back(app, client, transfer_order):
    order, _shopper = transfer_order()
    deliver(client, app, transfer(order.number, 230_000))
    deliver(client, app, transfer(order.number, 230_000))  # the buyer paid twice
    assert [t.mismatch for t in transfers()] == [None, Mismatch.ALREADY_PAID]
    assert len(charges_of(the_order(order.number))) == 1


def test_an_order_paid_another_way_is_not_paid_by_a_transfer(app, client, make_buyable, buy):
    product = make_buyable(price=100_000, stock=5)
    response = buy(app.test_client(), {product: 1})  # cash on delivery
    number = response.location.rsplit("/", 1)[1]
    deliver(client, app, transfer(number, the_order(number).total))
    assert transfers()[0].mismatch is Mismatch.NOT_A_TRANSFER and the_order(number).status is S.CONFIRMED


def test_a_transfer_the_office_confirmed_by_hand_first_is_linked_not_counted_again(app, client, transfer_order,
                                                                                 office):
    order, _shopper = transfer_order()
    desk = office()
    assert desk.post(f"/admin/orders/{order.number}/confirm_transfer", data={"note": "VCB"}).status_code == 303
    deliver(client, app, transfer(order.number, 230_000))
    [arrived] = transfers()
    assert arrived.state is TransferState.MATCHED
    [charge] = charges_of(the_order(order.number))
    assert charge.provider_reference == arrived.reference


# --- the office ---

def test_the_office_matches_a_transfer_by_hand_and_it_is_audited(app, client, transfer_order, office):
    order, _shopper = transfer_order()
    deliver(client, app, transfer("chuyen khoan cho chi Hoa", 230_000))
    [waiting] = transfers()
    desk = office()
    listed = desk.get("/admin/transfers").get_data(as_text=True)
    assert "chuyen khoan cho chi Hoa" in listed
    response = desk.post(f"/admin/transfers/{waiting.id}/match", data={"order": f" {order.number.lower()} "})
    assert response.status_code == 303
    assert the_order(order.number).status is S.PAID
    [matched] = transfers()
    assert (matched.state, matched.order_id) == (TransferState.MATCHED_BY_HAND, order.id)
    assert matched.resolved_by.endswith("@example.vn") and len(charges_of(the_order(order.number))) == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "bank_transfer.match"))
    assert entry is not None and entry.object_id == matched.id
    assert "chuyen khoan cho chi Hoa" not in desk.get("/admin/transfers").get_data(as_text=True)
    # A second decision on the same transfer is refused.
    again = desk.post(f"/admin/transfers/{waiting.id}/ignore", data={"note": "nhầm"}, follow_redirects=True)
    assert transfers()[0].state is TransferState.MATCHED_BY_HAND
    assert "Giao dịch này đã được xử lý trong lúc đó." in again.get_data(as_text=True)


def test_an_amount_other_than_the_total_is_accepted_by_hand_only_with_a_note(app, client, transfer_order, office):
    order, _shopper = transfer_order()
    deliver(client, app, transfer(order.number, 220_000))
    [waiting] = transfers()
    desk = office()
    desk.post(f"/admin/transfers/{waiting.id}/match", data={"order": order.number})
    assert transfers()[0].state is TransferState.TO_RECONCILE and the_order(order.number).status is S.AWAITING_PAYMENT
    desk.post(f"/admin/transfers/{waiting.id}/match",
              data={"order": order.number, "note": "Khách chuyển thiếu 10.000 ₫, HTX đồng ý"})
    assert transfers()[0].state is TransferState.MATCHED_BY_HAND and the_order(order.number).status is S.PAID
    assert charges_of(the_order(order.number))[0].amount == 220_000


def test_an_expired_order_cannot_be_matched_by_hand_and_the_money_goes_back(app, client, transfer_order, office):
    order, _shopper = transfer_order()
    db.session.get(Order, order.id).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expire_unpaid()
    db.session.commit()
    deliver(client, app, transfer(order.number, 230_000))
    [waiting] = transfers()
    desk = office()
    page = desk.post(f"/admin/transfers/{waiting.id}/match", data={"order": order.number}, follow_redirects=True)
    assert transfers()[0].state is TransferState.TO_RECONCILE and the_order(order.number).status is S.EXPIRED
    assert order.number in page.get_data(as_text=True)
    assert desk.post(f"/admin/transfers/{waiting.id}/refund", data={"note": ""}).status_code == 303
    assert transfers()[0].state is TransferState.TO_RECONCILE  # a note is needed: how it went back
    desk.post(f"/admin/transfers/{waiting.id}/refund", data={"note": "Hoàn lại qua VCB, FT2412041234"})
    assert transfers()[0].state is TransferState.REFUNDED and transfers()[0].note.startswith("Hoàn lại")


def test_matching_an_unknown_order_number_is_refused(app, client, office):
    deliver(client, app, transfer("chuyen tien", 50_000))
    [waiting] = transfers()
    desk = office()
    for typed in ("QN22222222", "'; DROP TABLE bank_transfer; --", "x" * 40):
        desk.post(f"/admin/transfers/{waiting.id}/match", data={"order": typed})
        assert transfers()[0].state is TransferState.TO_RECONCILE


def test_only_the_order_desk_decides_and_every_office_role_reads(app, client, office):
    deliver(client, app, transfer("chuyen tien", 50_000))
    [waiting] = transfers()
    for role in (Role.VIEWER, Role.CERTIFICATE_OFFICER):
        reader = office(role)
        assert reader.get("/admin/transfers").status_code == 200
        assert reader.get(f"/admin/transfers/{waiting.id}").status_code == 200
        assert 'action="/admin/transfers' not in reader.get(f"/admin/transfers/{waiting.id}").get_data(as_text=True)
        assert reader.post(f"/admin/transfers/{waiting.id}/ignore", data={"note": "x"}).status_code == 403
    assert transfers()[0].state is TransferState.TO_RECONCILE
    desk = office(Role.ORDER_DESK)
    assert desk.post(f"/admin/transfers/{waiting.id}/ignore", data={"note": "Chuyển nội bộ"}).status_code == 303
    assert transfers()[0].state is TransferState.IGNORED
    # Guests and shoppers see none of it.
    assert client.get("/admin/transfers").status_code in (302, 403)


def test_odd_addresses_and_forms_of_the_office_pages_are_refused_clearly(app, client, office):
    deliver(client, app, transfer("chuyen tien", 50_000))
    [waiting] = transfers()
    desk = office()
    assert desk.get("/admin/transfers?state=nothing").status_code == 400
    assert desk.get("/admin/transfers?page=-1").status_code == 400
    assert desk.get("/admin/transfers/999999").status_code == 404
    assert desk.post(f"/admin/transfers/{waiting.id}/delete", data={}).status_code == 404
    assert desk.get("/admin/transfers/statement?since=2026-13-01").status_code == 400
    assert desk.get("/admin/transfers/statement?since=2026-12-05&until=2026-12-01").status_code == 400
    assert desk.get("/admin/transfers/statement?since=2020-01-01&until=2026-12-01").status_code == 400
    desk.post(f"/admin/transfers/{waiting.id}/ignore", data={"note": "a\u0007b"})
    assert transfers()[0].state is TransferState.TO_RECONCILE


def test_the_statement_adds_up_each_day_and_exports_every_transfer_safely(app, client, transfer_order, office):
    order, _shopper = transfer_order()
    deliver(client, app, transfer(order.number, 230_000))
    deliver(client, app, transfer("=HYPERLINK(\"http://evil\")", 70_000))
    deliver(client, app, transfer("tien hom qua", 10_000, when=utcnow() - timedelta(days=1)))
    desk = office(Role.VIEWER)
    page = desk.get("/admin/transfers/statement").get_data(as_text=True)
    assert "300.000" in page and "230.000" in page and "70.000" in page and "10.000" in page
    export = desk.get("/admin/transfers/statement.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert text.startswith("\ufeff") and len(text.strip().splitlines()) == 4
    assert order.number in text and "'=HYPERLINK" in text and '\n=HYPERLINK' not in text


def test_the_status_answer_is_for_those_who_may_see_the_order(app, client, transfer_order):
    order, shopper = transfer_order()
    assert shopper.get(f"/orders/{order.number}/status").get_json() == {"status": "awaiting_payment",
                                                                        "label": "Chờ thanh toán"}
    stranger = app.test_client()
    assert stranger.get(f"/orders/{order.number}/status").status_code == 404
    assert stranger.get("/orders/QN22222222/status").status_code == 404
    assert shopper.get(f"/orders/{order.number}/status").headers["Cache-Control"] == "private, no-store"


def test_a_huge_transfer_is_never_an_orders_payment_and_the_overview_counts_what_waits(app, client, transfer_order,
                                                                                      office):
    order, _shopper = transfer_order()
    deliver(client, app, transfer(order.number, 10**13))
    [waiting] = transfers()
    assert waiting.mismatch is Mismatch.OVERPAID and waiting.amount == 10**13
    desk = office()
    overview = desk.get("/admin/").get_data(as_text=True)
    assert "1 giao dịch chuyển khoản đang chờ đối soát." in overview
    page = desk.post(f"/admin/transfers/{waiting.id}/match", data={"order": order.number, "note": "Khách nhầm"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Số tiền này vượt xa mọi đơn hàng" in page
    assert transfers()[0].state is TransferState.TO_RECONCILE and the_order(order.number).status is S.AWAITING_PAYMENT
    desk.post(f"/admin/transfers/{waiting.id}/refund", data={"note": "Hoàn lại FT1"})
    assert 'id="transfers-to-reconcile"' not in desk.get("/admin/").get_data(as_text=True)
