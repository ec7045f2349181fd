"""The verbs of an order. They validate, stage their changes in db.session and never commit.

Stock is taken by a conditional UPDATE (`stock = stock - n WHERE stock >= n`) in the transaction that
inserts the order, so two buyers can never take the same unit; a CHECK constraint keeps it from going
negative whatever happens. It comes back exactly once, when an order holding it is cancelled, expires
or is refunded before it was sent (see workflow.py).
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from ..addresses.rules import delivery_address
from ..areas.models import Area
from ..audit.operations import record
from ..catalog.models import Producer, Product
from ..certification.queries import stars_by_product
from ..clock import today, utcnow
from ..errors import DomainError, FieldError
from ..extensions import db
from ..i18n import localized
from ..locator.models import SalesPoint, SalesPointStock
from ..shipping.queries import quote_for_address
from . import notices, workflow
from .models import (Fulfilment, LineStatus, Order, OrderLine, OrderStatus, OrderTransition, PaymentMethod)
from .phone import normalize_phone
from .queries import due_unpaid_orders, pickup_points_for
from .rules import Problem, problem_message, purchase_problem

S = OrderStatus
NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone


@dataclass(frozen=True)
class RefusedLine:
    """A cart line that cannot be bought, as it stood when refused (the session is rolled back after)."""
    problem: Problem
    name_vi: str = ""
    name_en: str | None = None
    left: int | None = None

    def message(self) -> str:
        """"<product>: <reason>" in the visitor's language, with the units left."""
        reason = problem_message(self.problem, left=self.left)
        return f"{localized(self, 'name')}: {reason}" if self.name_vi else reason


class CartProblem(DomainError):
    """Some lines cannot be bought: `problems` is {product id: problem}, `lines` what to tell of each."""

    def __init__(self, problems: dict[int, Problem], products: dict[int, Product] | None = None):
        super().__init__(_l("Some products in your cart cannot be ordered as they are. Please check your cart."))
        self.problems = problems
        products = products or {}
        self.lines = {
            product_id: RefusedLine(problem, products[product_id].name_vi, products[product_id].name_en,
                                    products[product_id].stock)
            if product_id in products else RefusedLine(problem)
            for product_id, problem in problems.items()}

    def messages(self) -> list[str]:
        return [line.message() for line in self.lines.values()]


@dataclass
class Buyer:
    name: str
    phone: str
    email: str | None
    fulfilment: Fulfilment
    province: str = ""
    commune: str = ""
    street: str = ""
    sales_point_id: int | None = None
    note: str = ""


def new_order_number() -> str:
    return "QN" + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(8))


def place_order(items: dict[int, int], buyer: Buyer, payment_method: PaymentMethod, idempotency_key: str,
                user=None, lang: str = "vi", confirm_at_once: bool = False) -> Order:
    """Place an order of `items` ({product id: quantity}) with prices read now, taking the stock.

    `confirm_at_once`: the payment method needs no payment first (cash on delivery); otherwise the order
    waits for payment and expires after UNPAID_ORDER_MINUTES."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise DomainError(_l("The form expired. Please submit it again."))
    # A token used before is found by the insert's unique key (see _insert): no read here.
    if not items:
        raise DomainError(_l("Your cart is empty."))
    limit = current_app.config["CART_MAX_QUANTITY"]
    if any(not isinstance(q, int) or q < 1 or q > limit for q in items.values()):
        raise DomainError(_l("Each quantity must be a whole number from 1 to %(limit)s.", limit=limit))
    buyer = _checked_buyer(buyer, items)

    products = {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(items)))}
    certified = stars_by_product(list(products))
    problems = _problems(items, products, certified)
    short = [pid for pid, problem in problems.items() if problem in SHORT_OF_STOCK]
    # Orders that ran out of time give their units back before anyone is told a product is sold out.
    if short and _expire_holding(short):
        for product_id in short:
            db.session.refresh(products[product_id])
        problems = _problems(items, products, certified)
    if problems:
        raise CartProblem(problems, products)

    subtotal = sum(products[pid].price * quantity for pid, quantity in items.items())
    # The fee is the zone's for this address, computed here whatever a form may have shown or sent.
    delivery = (quote_for_address(buyer.province, buyer.commune, subtotal)
                if buyer.fulfilment is Fulfilment.DELIVERY else None)
    fee = delivery.fee if delivery else 0
    earliest, latest = delivery.window(today()) if delivery else (None, None)
    status = S.CONFIRMED if confirm_at_once else S.AWAITING_PAYMENT
    expires_at = None if confirm_at_once else utcnow() + timedelta(
        minutes=current_app.config["UNPAID_ORDER_MINUTES"])
    order = Order(
        number=new_order_number(), idempotency_key=idempotency_key, user_id=user.id if user else None,
        status=status, payment_method=payment_method, fulfilment=buyer.fulfilment,
        customer_name=buyer.name, phone=buyer.phone, email=buyer.email, province=buyer.province,
        commune=buyer.commune, street=buyer.street, sales_point_id=buyer.sales_point_id, note=buyer.note,
        subtotal=subtotal, shipping_fee=fee, total=subtotal + fee, lang=lang if lang in ("vi", "en") else "vi",
        delivery_zone=delivery.zone.value if delivery else None, delivery_earliest=earliest,
        delivery_latest=latest, expires_at=expires_at)
    for product_id in sorted(items):
        product, quantity = products[product_id], items[product_id]
        order.lines.append(OrderLine(
            product_id=product.id, producer_id=product.producer_id, product_name_vi=product.name_vi,
            product_name_en=product.name_en, unit_vi=product.unit_vi, unit_en=product.unit_en,
            unit_price=product.price, quantity=quantity, line_total=product.price * quantity))
    order.transitions.append(OrderTransition(
        from_status=None, to_status=status, actor=user, actor_label=user.email if user else "shopper"))
    _insert(order)

    # Ascending product ids: concurrent orders lock rows in one order, so they never deadlock.
    for product_id in sorted(items):
        _take_stock(products[product_id], items[product_id])

    notices.order_received(order)
    if status is S.CONFIRMED:
        notices.producers_new_order(order)
    return order


SHORT_OF_STOCK = frozenset({Problem.OUT_OF_STOCK, Problem.NOT_ENOUGH_STOCK})


def _problems(items, products, certified) -> dict[int, Problem]:
    problems = {}
    for product_id, quantity in items.items():
        problem = purchase_problem(products.get(product_id), product_id in certified, quantity)
        if problem is not None:
            problems[product_id] = problem
    return problems


def _expire_holding(product_ids) -> int:
    """Expire the due unpaid orders holding any of these products (the lazy check); how many."""
    return sum(expire_order(db.session.get(Order, order_id))
               for order_id in due_unpaid_orders(product_ids=list(product_ids)))


def _checked_buyer(buyer: Buyer, items) -> Buyer:
    name = (buyer.name or "").strip()
    if not name or len(name) > 200:
        raise DomainError(_l("Enter your name."))
    phone = normalize_phone(buyer.phone)
    if phone is None:
        raise DomainError(_l("Enter a Vietnamese phone number, like 0912 345 678."))
    buyer.name, buyer.phone = name, phone
    if buyer.fulfilment is Fulfilment.DELIVERY:
        province, commune = delivery_address(buyer.province, buyer.commune)
        if not buyer.street.strip():
            raise FieldError("street", _l("Enter the house number and street, or the village."))
        buyer.province, buyer.commune = province.name, commune.name
        buyer.sales_point_id = None
    else:
        point = db.session.get(SalesPoint, buyer.sales_point_id) if buyer.sales_point_id else None
        if point is None or point not in pickup_points_for(items):
            raise DomainError(_l("This sales point does not keep everything in your cart. "
                                 "Choose another one or home delivery."))
        buyer.province = buyer.commune = buyer.street = ""
    return buyer


def _insert(order: Order) -> None:
    """Insert the order before taking any stock. A concurrent submission of the same form waits here
    for the first one's commit, then fails on the unique idempotency key: the caller rolls back and
    finds the first one's order (`order_for_token`). No savepoint: SQLite's driver would commit it."""
    db.session.add(order)
    db.session.flush()


def order_for_token(idempotency_key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.idempotency_key == idempotency_key))


def _take_stock(product: Product, quantity: int) -> None:
    left = _decrement(product, quantity)
    if left is None and _expire_holding([product.id]):
        left = _decrement(product, quantity)  # units of an order that had run out of time came back
    if left is None:
        db.session.refresh(product)
        raise CartProblem({product.id: purchase_problem(product, True, quantity) or Problem.NOT_ENOUGH_STOCK},
                          {product.id: product})
    _stock_changed(product, left, was_zero=False)


def _decrement(product: Product, quantity: int) -> int | None:
    """The stock left after taking `quantity`, or None (and nothing taken) when there are not enough."""
    return db.session.execute(
        update(Product).where(Product.id == product.id, Product.stock >= quantity)
        .values(stock=Product.stock - quantity).returning(Product.stock),
        execution_options={"synchronize_session": False}).scalar()


def _stock_changed(product: Product, stock: int, was_zero: bool) -> None:
    """Keep the loaded product in step; when it sells out or comes back, public pages must change too."""
    set_committed_value(product, "stock", stock)
    if stock == 0 or was_zero:
        product.updated_at = utcnow()  # a watched change: cached pages stop offering it


def release_stock(order: Order) -> bool:
    """Give back the units of the order's lines not sent yet, once: the flag flips by a conditional
    update, so a second call (or a racing request) gives nothing. A sent line's units are with the
    shopper or on the road, never back on the shelf."""
    db.session.flush()
    released = db.session.execute(
        update(Order).where(Order.id == order.id, Order.stock_released.is_(False)).values(stock_released=True),
        execution_options={"synchronize_session": False})
    if released.rowcount != 1:
        return False
    set_committed_value(order, "stock_released", True)
    unsent = [line for line in order.lines if line.status is LineStatus.PENDING]
    for line in sorted(unsent, key=lambda line: line.product_id):
        stock = db.session.execute(
            update(Product).where(Product.id == line.product_id)
            .values(stock=Product.stock + line.quantity).returning(Product.stock),
            execution_options={"synchronize_session": False}).scalar()
        product = db.session.get(Product, line.product_id)
        if product is not None and stock is not None:
            _stock_changed(product, stock, was_zero=stock == line.quantity)
    return True


def _move(order: Order, to: OrderStatus, actor=None, actor_label=None, note: str = "") -> OrderStatus:
    from_status = workflow.move(order, to, actor=actor, actor_label=actor_label, note=note)
    if workflow.releases_stock(from_status, to):
        release_stock(order)
    if workflow.stops_producers(from_status, to):
        notices.producers_order_stopped(order)
    return from_status


def expire_order(order: Order, due_now: bool = False) -> bool:
    """An unpaid order whose time ran out (or, `due_now`, whose payment page closed): expired, its stock
    back. False if it is not due, or not unpaid any more."""
    if order.status is not S.AWAITING_PAYMENT:
        return False
    if not due_now and (order.expires_at is None or order.expires_at > utcnow()):
        return False
    try:
        _move(order, S.EXPIRED, actor_label="system")
    except workflow.TransitionRefused:
        return False
    notices.status_changed(order)
    return True


def expire_if_due(order: Order) -> bool:
    """The lazy check, made whenever an order is looked at."""
    return expire_order(order)


def expire_unpaid(limit: int = 500) -> int:
    expired = 0
    for order_id in due_unpaid_orders(limit=limit):
        if expire_order(db.session.get(Order, order_id)):
            expired += 1
    return expired


def cancel_order(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    """Cancel an order nobody has paid for (a paid one is refunded instead) and none of whose lines was
    sent (workflow refuses it): its stock comes back, and producers asked to send it are told not to."""
    if order.status is S.PAID:
        raise workflow.TransitionRefused(_l("This order is paid: refund it instead of cancelling it."))
    _move(order, S.CANCELLED, actor=actor, actor_label=actor_label, note=note)
    notices.status_changed(order)


def mark_paid(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    """The payment arrived: the order is accepted and its producers are told."""
    _move(order, S.PAID, actor=actor, actor_label=actor_label, note=note)
    notices.status_changed(order)
    notices.producers_new_order(order)


def mark_refunded(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    _move(order, S.REFUNDED, actor=actor, actor_label=actor_label, note=note)
    notices.status_changed(order)


def complete_order(order: Order, actor=None, actor_label=None, note: str = "") -> None:
    _move(order, S.COMPLETED, actor=actor, actor_label=actor_label, note=note)
    notices.status_changed(order)


def _locked(order: Order) -> Order:
    """The order row locked until the commit (PostgreSQL), so two producers finishing their lines at
    once both see the other's line and the order moves exactly once."""
    db.session.flush()
    return db.session.get(Order, order.id, with_for_update=True, populate_existing=True)


def fulfil_lines(order: Order, lines: list[OrderLine], actor=None, actor_label=None) -> bool:
    """Mark `lines` shipped (delivery) or ready for pickup; when no line is left, the order follows.
    Returns True when the order itself moved."""
    order = _locked(order)
    if order.status not in workflow.TO_FULFIL:
        raise workflow.TransitionRefused(_l("Only a confirmed or paid order can be sent."))
    done = LineStatus.SHIPPED if order.fulfilment is Fulfilment.DELIVERY else LineStatus.READY_FOR_PICKUP
    now = utcnow()
    for line in lines:
        if line.order_id != order.id:
            raise DomainError(_l("This line belongs to another order."))
        if line.status is LineStatus.PENDING:
            line.status, line.fulfilled_at = done, now
    if any(line.status is LineStatus.PENDING for line in order.lines):
        return False
    target = S.SHIPPED if done is LineStatus.SHIPPED else S.READY_FOR_PICKUP
    _move(order, target, actor=actor, actor_label=actor_label)
    notices.status_changed(order)
    return True


def fulfil_order(order: Order, actor=None, actor_label=None) -> None:
    """Every line at once (the office, for an order sent in one parcel)."""
    if not fulfil_lines(order, list(order.lines), actor=actor, actor_label=actor_label):
        raise workflow.TransitionRefused(_l("Some lines of this order are still waiting."))


def assort_sales_points_by_district() -> int:
    """Each published sales point keeps, for pickup, the products sold online that are made in its former
    district (what the demo shop starts with; the office refines it). Returns the pairs added."""
    point_area, producer_area = aliased(Area), aliased(Area)
    pairs = db.session.execute(
        select(SalesPoint.id, Product.id)
        .join_from(SalesPoint, point_area, point_area.id == SalesPoint.area_id)
        .join_from(Product, Producer, Producer.id == Product.producer_id)
        .join(producer_area, producer_area.id == Producer.area_id)
        .where(SalesPoint.is_published.is_(True), Product.sold_online.is_(True), Product.shippable.is_(True),
               func.coalesce(point_area.parent_id, point_area.id) == func.coalesce(producer_area.parent_id,
                                                                                   producer_area.id))).all()
    known = set(db.session.execute(select(SalesPointStock.sales_point_id, SalesPointStock.product_id)).all())
    added = [SalesPointStock(sales_point_id=point, product_id=product) for point, product in pairs
             if (point, product) not in known]
    db.session.add_all(added)
    return len(added)


def join_guest_orders(user) -> list[Order]:
    """Give `user` the orders placed as a guest with its e-mail address and its phone number, once the
    address is confirmed as the owner's: they appear in the account and open without asking for the phone.
    An order of another address or another number, or already in an account, never joins."""
    if user.email_confirmed_at is None or not user.phone or not user.active:
        return []
    joined = []
    guest_orders = db.session.scalars(select(Order).where(
        Order.user_id.is_(None), Order.email == user.email, Order.phone == user.phone).order_by(Order.id))
    for order in guest_orders.all():
        # Conditional, so an order two confirmations race for joins one account, once.
        attached = db.session.execute(update(Order).where(Order.id == order.id, Order.user_id.is_(None))
                                      .values(user_id=user.id).execution_options(synchronize_session=False))
        if attached.rowcount == 1:
            set_committed_value(order, "user_id", user.id)
            record("order.join_account", order, changes={"user_id": [None, user.id]}, actor=user)
            joined.append(order)
    return joined
