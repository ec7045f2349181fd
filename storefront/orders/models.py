"""Orders, their lines (grouped by producer) and every change of state they went through."""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalog.models import Producer, Product
from ..clock import utcnow
from ..extensions import db, enum_column
from ..locator.models import SalesPoint
from ..shipping.zones import Zone


class OrderStatus(enum.StrEnum):
    AWAITING_PAYMENT = "awaiting_payment"
    CONFIRMED = "confirmed"  # cash on delivery: accepted, paid when handed over
    PAID = "paid"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # not paid in time
    REFUNDED = "refunded"


class PaymentMethod(enum.StrEnum):
    CASH_ON_DELIVERY = "cod"
    VIETQR = "vietqr"
    CARD = "card"


class Fulfilment(enum.StrEnum):
    DELIVERY = "delivery"
    PICKUP = "pickup"


class LineStatus(enum.StrEnum):
    PENDING = "pending"
    SHIPPED = "shipped"
    READY_FOR_PICKUP = "ready_for_pickup"


DELIVERY_ZONE_KNOWN = "delivery_zone IS NULL OR delivery_zone IN ({})".format(
    ", ".join(f"'{zone.value}'" for zone in Zone))


class Order(db.Model):
    __tablename__ = "customer_order"
    __table_args__ = (
        CheckConstraint("subtotal >= 0 AND shipping_fee >= 0 AND total = subtotal + shipping_fee",
                        name="total_adds_up"),
        CheckConstraint("(fulfilment = 'pickup') = (sales_point_id IS NOT NULL)", name="pickup_has_point"),
        CheckConstraint(DELIVERY_ZONE_KNOWN, name="delivery_zone_known"),
        CheckConstraint("(delivery_earliest IS NULL) = (delivery_latest IS NULL) "
                        "AND (delivery_earliest IS NULL OR delivery_latest >= delivery_earliest)",
                        name="delivery_window_in_order"),
        Index("ix_customer_order_due", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Human-friendly and unguessable: "QN" and eight letters or digits that cannot be misread.
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The checkout form's one-time token: submitting it twice gives the same order.
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), index=True)
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod), index=True)
    fulfilment: Mapped[Fulfilment] = mapped_column(enum_column(Fulfilment))
    customer_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    province: Mapped[str] = mapped_column(String(100), default="")
    commune: Mapped[str] = mapped_column(String(120), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    subtotal: Mapped[int]
    shipping_fee: Mapped[int]
    total: Mapped[int]
    # The delivery zone the fee was charged for ("home", "neighbour", "country", "island": shipping.zones)
    # and the delivery window promised when it was placed. None for pickup, and for orders placed before
    # delivery was priced by zone.
    delivery_zone: Mapped[str | None] = mapped_column(String(20))
    delivery_earliest: Mapped[date | None]
    delivery_latest: Mapped[date | None]
    # The language the shopper ordered in: their messages are written in it.
    lang: Mapped[str] = mapped_column(String(2), default="vi")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # When an unpaid transfer or card order gives its stock back (none for cash on delivery).
    expires_at: Mapped[datetime | None]
    paid_at: Mapped[datetime | None]
    # Set once, by the conditional update that gives the stock back: never twice.
    stock_released: Mapped[bool] = mapped_column(default=False)
    stripe_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_checkout_url: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
    sales_point: Mapped[SalesPoint | None] = relationship()
    lines: Mapped[list["OrderLine"]] = relationship(back_populates="order", order_by="OrderLine.id",
                                                    cascade="all, delete-orphan")
    transitions: Mapped[list["OrderTransition"]] = relationship(
        back_populates="order", order_by="OrderTransition.id", cascade="all, delete-orphan")

    @property
    def payment_reference(self) -> str:
        """What the shopper writes in a bank transfer's description: the number itself."""
        return self.number

    def lines_by_producer(self) -> list[tuple[Producer, list["OrderLine"]]]:
        groups: dict[int, tuple[Producer, list[OrderLine]]] = {}
        for line in self.lines:
            groups.setdefault(line.producer_id, (line.producer, []))[1].append(line)
        return sorted(groups.values(), key=lambda group: group[0].name)

    def __repr__(self):
        return f"<Order {self.number} {self.status}>"


class OrderLine(db.Model):
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0 AND line_total = unit_price * quantity", name="line_total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    # The product as it was bought: a later rename or price change leaves the order as it was.
    product_name_vi: Mapped[str] = mapped_column(String(200))
    product_name_en: Mapped[str | None] = mapped_column(String(200))
    unit_vi: Mapped[str] = mapped_column(String(80), default="")
    unit_en: Mapped[str | None] = mapped_column(String(80))
    unit_price: Mapped[int]
    quantity: Mapped[int]
    line_total: Mapped[int]
    status: Mapped[LineStatus] = mapped_column(enum_column(LineStatus), default=LineStatus.PENDING)
    fulfilled_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    producer: Mapped[Producer] = relationship()


class OrderTransition(db.Model):
    """One change of an order's state: who, when, from, to."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[OrderStatus | None] = mapped_column(enum_column(OrderStatus))
    to_status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # The account's email, "shopper", "stripe" or "system" (an expiry, a command).
    actor_label: Mapped[str] = mapped_column(String(254))
    note: Mapped[str] = mapped_column(String(500), default="")

    order: Mapped[Order] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()
