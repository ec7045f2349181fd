"""Reads of orders: for the shopper, the producers and the OCOP office."""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..catalog.models import Product
from ..clock import LOCAL_TZ, utcnow
from ..extensions import db
from ..locator.models import SalesPoint, SalesPointStock
from .models import LineStatus, Order, OrderLine, OrderStatus, OrderTransition, PaymentMethod
from .phone import normalize_phone
from .workflow import ONLY_ACCEPTED, TO_FULFIL

ORDERS_PER_PAGE = 30
NUMBER_PATTERN = re.compile(r"[A-Z0-9]{1,20}")


def order_by_number(number: str) -> Order | None:
    """The order with this number as typed (any case, spaces around), or None; what could not be an
    order number is not looked up at all."""
    number = (number or "").strip().upper()
    if not NUMBER_PATTERN.fullmatch(number):
        return None
    return db.session.scalar(
        select(Order).where(Order.number == number)
        .options(selectinload(Order.lines).selectinload(OrderLine.producer), selectinload(Order.transitions)))


def order_for_lookup(number: str, phone: str) -> Order | None:
    """The order with this number whose phone is this one (typed in any accepted form)."""
    order = order_by_number(number)
    normalized = normalize_phone(phone)
    if order is None or normalized is None or order.phone != normalized:
        return None
    return order


def orders_of_user(user_id: int, limit: int = 50) -> list[Order]:
    return list(db.session.scalars(
        select(Order).where(Order.user_id == user_id).order_by(Order.created_at.desc(), Order.id.desc())
        .limit(limit)))


def pickup_points_for(product_ids) -> list[SalesPoint]:
    """Published sales points that keep every one of these products (and have not said they ran out)."""
    product_ids = set(product_ids)
    if not product_ids:
        return []
    return list(db.session.scalars(
        select(SalesPoint)
        .join(SalesPointStock, SalesPointStock.sales_point_id == SalesPoint.id)
        .where(SalesPoint.is_published.is_(True), SalesPointStock.product_id.in_(product_ids),
               or_(SalesPointStock.quantity.is_(None), SalesPointStock.quantity > 0))
        .group_by(SalesPoint.id)
        .having(func.count(SalesPointStock.product_id) == len(product_ids))
        .order_by(SalesPoint.name_vi)))


def due_unpaid_orders(product_ids=None, limit: int = 500) -> list[int]:
    """Ids of unpaid orders whose time ran out (holding any of `product_ids`, when given)."""
    query = select(Order.id).where(Order.status == OrderStatus.AWAITING_PAYMENT, Order.expires_at <= utcnow())
    if product_ids is not None:
        query = query.where(Order.id.in_(select(OrderLine.order_id).where(OrderLine.product_id.in_(product_ids))))
    return list(db.session.scalars(query.order_by(Order.expires_at).limit(limit)))


@dataclass
class OrderFilters:
    status: OrderStatus | None = None
    method: PaymentMethod | None = None
    since: date | None = None
    until: date | None = None
    search: str = ""
    page: int = 1


def _local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)


def office_orders(filters: OrderFilters):
    """(orders of the page, total count) for the office's list, newest first."""
    query = select(Order)
    if filters.status:
        query = query.where(Order.status == filters.status)
    if filters.method:
        query = query.where(Order.payment_method == filters.method)
    if filters.since:
        query = query.where(Order.created_at >= _local_midnight_utc(filters.since))
    if filters.until:
        query = query.where(Order.created_at < _local_midnight_utc(filters.until + timedelta(days=1)))
    if filters.search:
        term = filters.search.strip()
        phone = normalize_phone(term)
        conditions = [Order.number == term.upper(), Order.number.like(f"%{term.upper()[:20]}%")]
        if phone:
            conditions.append(Order.phone == phone)
        elif term.isascii() and term.isdigit():
            conditions.append(Order.phone.like(f"%{term[:15]}%"))
        query = query.where(or_(*conditions))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    orders = list(db.session.scalars(
        query.order_by(Order.created_at.desc(), Order.id.desc())
        .limit(ORDERS_PER_PAGE).offset((filters.page - 1) * ORDERS_PER_PAGE)))
    return orders, total


def producer_lines(producer_id: int, open_only: bool = False, limit: int = 200) -> list[OrderLine]:
    """The order lines of one producer's products (never another's), newest order first, with their
    orders. `open_only`: the lines still to send. Otherwise every order the producer was asked to send,
    including the ones cancelled since; orders never accepted (unpaid, expired, or cancelled unpaid) are
    left out: the producer never heard of them."""
    query = (select(OrderLine).join(Order, Order.id == OrderLine.order_id)
             .where(OrderLine.producer_id == producer_id))
    if open_only:
        query = query.where(Order.status.in_(TO_FULFIL), OrderLine.status == LineStatus.PENDING)
    else:
        was_accepted = exists().where(OrderTransition.order_id == Order.id,
                                      OrderTransition.to_status.in_(TO_FULFIL))
        query = query.where(or_(Order.status.in_(ONLY_ACCEPTED), and_(Order.status == OrderStatus.CANCELLED,
                                                                         was_accepted)))
    return list(db.session.scalars(
        query.options(selectinload(OrderLine.order).selectinload(Order.sales_point))
        .order_by(Order.created_at.desc(), OrderLine.id).limit(limit)))


def products_stocked_at(sales_point_id: int) -> list[Product]:
    return list(db.session.scalars(
        select(Product).join(SalesPointStock, SalesPointStock.product_id == Product.id)
        .where(SalesPointStock.sales_point_id == sales_point_id).order_by(Product.name_vi)))
