"""`flask payments simulate-transfer`: the demo's bank, signed as each service signs, through the real webhook."""
import pytest
from sqlalchemy import select

from storefront.bankfeed.models import BankTransfer, Mismatch
from storefront.extensions import db
from storefront.orders.models import Order, OrderStatus


@pytest.fixture
def number(app, make_buyable, buy):
    product = make_buyable(price=100_000, stock=5)
    response = buy(app.test_client(), {product: 1}, payment_method="vietqr")
    return response.location.rsplit("/", 1)[1]


def status_of(number):
    db.session.expire_all()
    return db.session.scalar(select(Order.status).where(Order.number == number))


@pytest.mark.parametrize("feed", ["sepay", "casso"])
def test_the_command_pays_the_order_through_the_webhook(app, number, feed):
    result = app.test_cli_runner().invoke(args=["payments", "simulate-transfer", number.lower(), "--feed", feed])
    assert result.exit_code == 0, result.output
    assert '"outcome":"matched"' in result.output.replace(" ", "")
    assert status_of(number) is OrderStatus.PAID
    assert db.session.scalars(select(BankTransfer)).one().provider == feed


def test_another_amount_goes_to_the_office(app, number):
    result = app.test_cli_runner().invoke(args=["payments", "simulate-transfer", number, "5000"])
    assert result.exit_code == 0, result.output
    assert status_of(number) is OrderStatus.AWAITING_PAYMENT
    assert db.session.scalars(select(BankTransfer)).one().mismatch is Mismatch.UNDERPAID


def test_an_unknown_order_needs_an_amount_and_a_feed_without_its_secret_is_refused(app, monkeypatch):
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["payments", "simulate-transfer", "QN22222222"])
    assert unknown.exit_code != 0 and "No order has the number" in unknown.output
    assert runner.invoke(args=["payments", "simulate-transfer", "QN22222222", "1000"]).exit_code == 0
    assert db.session.scalars(select(BankTransfer)).one().mismatch is Mismatch.NO_ORDER
    monkeypatch.setitem(app.config, "CASSO_WEBHOOK_SECRET", "")
    off = runner.invoke(args=["payments", "simulate-transfer", "QN22222222", "1000", "--feed", "casso"])
    assert off.exit_code != 0 and "feed is off" in off.output
    assert runner.invoke(args=["payments", "simulate-transfer", "QN22222222", "0"]).exit_code != 0
