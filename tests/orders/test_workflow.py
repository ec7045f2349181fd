"""The one state machine: which moves it allows, that each is recorded, and that the stock follows."""
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from storefront.catalog.models import Product
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.orders import operations, workflow
from storefront.orders.models import Fulfilment, LineStatus, Order, OrderStatus, PaymentMethod
from storefront.orders.operations import Buyer, CartProblem, place_order
from storefront.orders.phone import normalize_phone

S = OrderStatus
BUYER = dict(name="Lê Văn An", phone="0905 123 456", email=None, fulfilment=Fulfilment.DELIVERY,
             province="Quảng Ngãi", commune="Xã Bình Sơn", street="Thôn 3")


def placed(items, method=PaymentMethod.VIETQR, key="k1", **buyer):
    return place_order(items, Buyer(**{**BUYER, **buyer}), method, key,
                       confirm_at_once=method is PaymentMethod.CASH_ON_DELIVERY)


def stock(product) -> int:
    db.session.flush()
    return db.session.scalar(select(Product.stock).where(Product.id == product.id))


def test_every_state_has_its_moves_and_the_final_ones_none():
    assert workflow.FINAL == {S.CANCELLED, S.EXPIRED, S.REFUNDED}
    assert set(workflow.ALLOWED) == set(OrderStatus)
    for state, following in workflow.ALLOWED.items():
        assert state not in following
        assert all(target in workflow.STATUS_NAMES for target in following)


@pytest.mark.parametrize("start,target", [
    (S.AWAITING_PAYMENT, S.SHIPPED), (S.AWAITING_PAYMENT, S.COMPLETED), (S.CONFIRMED, S.PAID),
    (S.SHIPPED, S.CANCELLED), (S.CANCELLED, S.PAID), (S.EXPIRED, S.PAID), (S.REFUNDED, S.PAID),
    (S.COMPLETED, S.CANCELLED),
])
def test_forbidden_moves_are_refused_and_change_nothing(make_buyable, start, target):
    order = placed({make_buyable().id: 1})
    db.session.execute(update(Order).where(Order.id == order.id).values(status=start))
    db.session.refresh(order)
    with pytest.raises(workflow.TransitionRefused):
        workflow.move(order, target)
    db.session.refresh(order)
    assert order.status is start and len(order.transitions) == 1


def test_a_move_from_a_state_the_order_has_left_is_refused(make_buyable):
    """Two requests read the order as unpaid; the second one's conditional update finds no row."""
    order = placed({make_buyable().id: 1})
    db.session.execute(update(Order).where(Order.id == order.id).values(status=S.EXPIRED))
    with pytest.raises(workflow.TransitionRefused):
        workflow.move(order, S.PAID)  # the object still says awaiting_payment
    assert order.status is S.EXPIRED


def test_each_move_is_recorded_with_who_and_from_where(make_buyable, make_user):
    office = make_user(role="admin")
    product = make_buyable(stock=5)
    order = placed({product.id: 2})
    operations.mark_paid(order, actor=office)
    operations.fulfil_order(order, actor=office)
    operations.complete_order(order, actor_label="system")
    assert [(t.from_status, t.to_status, t.actor_label) for t in order.transitions] == [
        (None, S.AWAITING_PAYMENT, "shopper"), (S.AWAITING_PAYMENT, S.PAID, office.email),
        (S.PAID, S.SHIPPED, office.email), (S.SHIPPED, S.COMPLETED, "system")]
    assert all(t.at is not None for t in order.transitions)
    assert stock(product) == 3  # sold: never given back


def test_stock_is_taken_when_placed_and_given_back_once_on_cancel(make_buyable):
    product = make_buyable(stock=5)
    order = placed({product.id: 3}, method=PaymentMethod.CASH_ON_DELIVERY)
    assert order.status is S.CONFIRMED and order.expires_at is None and stock(product) == 2
    operations.cancel_order(order, actor_label="shopper")
    assert stock(product) == 5
    assert operations.release_stock(order) is False
    with pytest.raises(workflow.TransitionRefused):
        operations.cancel_order(order)
    assert stock(product) == 5


def test_a_paid_order_is_refunded_not_cancelled(make_buyable):
    order = placed({make_buyable().id: 1})
    operations.mark_paid(order, actor_label="stripe")
    with pytest.raises(workflow.TransitionRefused):
        operations.cancel_order(order)


def test_place_order_refuses_what_cannot_be_bought(make_product, make_buyable):
    fine = make_buyable(stock=2)
    offline = make_product(sold_online=False)
    lapsed = make_buyable(stars=None)
    for items in ({fine.id: 3}, {offline.id: 1}, {lapsed.id: 1}, {fine.id: 1, 999_999: 1}):
        with pytest.raises(CartProblem):
            placed(items, key=f"k{len(items)}{list(items)[-1]}")
    for bad in ({fine.id: 0}, {fine.id: -1}, {fine.id: 10**9}, {}):
        with pytest.raises(DomainError):
            placed(bad, key="bad")
    assert stock(fine) == 2 and db.session.scalar(select(Order.id)) is None


def test_stock_never_goes_negative_even_written_directly(make_buyable):
    product = make_buyable(stock=1)
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(update(Product).where(Product.id == product.id).values(stock=-1))
        db.session.flush()
    db.session.rollback()


def test_producers_mark_their_own_lines_and_the_order_follows_the_last(make_buyable, make_producer):
    first, second = make_buyable(producer=make_producer()), make_buyable(producer=make_producer())
    order = placed({first.id: 1, second.id: 1}, method=PaymentMethod.CASH_ON_DELIVERY)
    line_one, line_two = order.lines
    assert operations.fulfil_lines(order, [line_one], actor_label="p1") is False
    assert order.status is S.CONFIRMED and line_one.status is LineStatus.SHIPPED
    assert operations.fulfil_lines(order, [line_two], actor_label="p2") is True
    assert order.status is S.SHIPPED


def test_pickup_lines_become_ready_for_pickup(make_buyable, make_sales_point):
    from storefront.locator.models import SalesPointStock

    product = make_buyable()
    point = make_sales_point()
    db.session.add(SalesPointStock(sales_point_id=point.id, product_id=product.id))
    order = placed({product.id: 1}, method=PaymentMethod.CASH_ON_DELIVERY, fulfilment=Fulfilment.PICKUP,
                   sales_point_id=point.id)
    operations.fulfil_order(order, actor_label="office")
    assert order.status is S.READY_FOR_PICKUP and order.lines[0].status is LineStatus.READY_FOR_PICKUP
    assert order.shipping_fee == 0


@pytest.mark.parametrize("raw,expected", [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912 345 678", "0912345678"),
    ("84912345678", "0912345678"), ("0084912345678", "0912345678"), ("+84 0912 345 678", "0912345678"),
    ("(0255) 382 1234", "02553821234"), ("0255.382.1234", "02553821234"), ("035-123-4567", "0351234567"),
    ("0123456789", None), ("091234567", None), ("09123456789", None), ("+1 202 555 0100", None),
    ("", None), (None, None), ("phone", None), ("0912345678x", None), ("0012345678", None),
])
def test_vietnamese_phone_numbers(raw, expected):
    assert normalize_phone(raw) == expected


def test_units_held_by_an_order_that_ran_out_of_time_go_to_the_next_buyer(make_buyable):
    product = make_buyable(stock=3)
    first = placed({product.id: 3}, key="first")
    assert stock(product) == 0
    first.expires_at = first.created_at  # its time ran out; no job has run
    db.session.flush()
    second = placed({product.id: 2}, key="second")
    assert first.status is S.EXPIRED and second.status is S.AWAITING_PAYMENT
    assert stock(product) == 1
    assert [t.to_status for t in first.transitions] == [S.AWAITING_PAYMENT, S.EXPIRED]


def test_an_order_still_in_its_time_keeps_its_units(make_buyable):
    product = make_buyable(stock=3)
    placed({product.id: 3}, key="first")
    with pytest.raises(CartProblem):
        placed({product.id: 1}, key="second")


def test_sales_points_keep_the_online_products_of_their_former_district(make_area, make_buyable, make_product,
                                                                         make_producer, make_sales_point):
    from storefront.areas.models import AreaLevel
    from storefront.locator.models import SalesPointStock
    from storefront.orders.operations import assort_sales_points_by_district

    district, elsewhere = make_area(level=AreaLevel.FORMER_DISTRICT), make_area(level=AreaLevel.FORMER_DISTRICT)
    point = make_sales_point(area=make_area(parent=district))
    near = make_buyable(producer=make_producer(area=make_area(parent=district)))
    make_product(sold_online=False, producer=make_producer(area=make_area(parent=district)))
    make_buyable(producer=make_producer(area=make_area(parent=elsewhere)))
    assert assort_sales_points_by_district() == 1
    assert assort_sales_points_by_district() == 0
    assert db.session.scalars(select(SalesPointStock.product_id).where(
        SalesPointStock.sales_point_id == point.id)).all() == [near.id]
