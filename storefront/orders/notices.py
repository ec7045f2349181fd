"""The messages an order sends: to the shopper (in the language they ordered in) and to its producers.

Each is queued in the outbox within the order's transaction, so a failed send never blocks an order
and a rolled-back order sends nothing. Each goes once because the state it reports is entered once."""
from flask import has_request_context, url_for
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from ..accounts.models import Role, User
from ..catalog.models import Producer
from ..extensions import db
from ..i18n import format_vnd
from ..notifications.operations import queue_message
from ..shipping.queries import order_estimate, zone_name
from .models import Order, OrderStatus, PaymentMethod
from .workflow import STATUS_NAMES


def _order_link(order: Order) -> str:
    if not has_request_context():
        return ""
    lang = {} if order.lang == "vi" else {"lang": "en"}
    return url_for("orders.order_page", number=order.number, _external=True, **lang)


def _lines_text(lines, english: bool = False) -> str:
    return "\n".join(
        f"- {(line.product_name_en if english and line.product_name_en else line.product_name_vi)}"
        f" × {line.quantity}: {format_vnd(line.line_total)}" for line in lines)


def _delivery_estimate(order: Order) -> str:
    """"Estimated delivery 12–14/12 (neighbouring province)." or "" (pickup, an older order, one done with)."""
    dates = order_estimate(order)
    if not dates:
        return ""
    zone = zone_name(order.delivery_zone)
    return (_("Estimated delivery %(dates)s (%(zone)s).", dates=dates, zone=zone) if zone
            else _("Estimated delivery %(dates)s.", dates=dates))


def order_received(order: Order) -> None:
    if not order.email:
        return
    with force_locale(order.lang):
        if order.payment_method is PaymentMethod.CASH_ON_DELIVERY:
            payment = _("You pay %(total)s in cash when you receive the order.", total=format_vnd(order.total))
        elif order.payment_method is PaymentMethod.VIETQR:
            payment = _("Please transfer %(total)s with the description %(reference)s; the QR code and the "
                        "bank details are on the order page.", total=format_vnd(order.total),
                        reference=order.payment_reference)
        else:
            payment = _("Please pay %(total)s by card on the order page.", total=format_vnd(order.total))
        body = "\n\n".join(part for part in (
            _("Thank you, %(name)s. We received your order %(number)s.", name=order.customer_name,
              number=order.number),
            _lines_text(order.lines, english=order.lang == "en"),
            _("Total: %(total)s (shipping %(fee)s)", total=format_vnd(order.total), fee=format_vnd(order.shipping_fee)),
            _delivery_estimate(order),
            _("Status: %(status)s", status=STATUS_NAMES[order.status]),
            payment,
            _order_link(order)) if part)
        # Sent once: an order is placed once. (No dedupe key, which would cost a read per message.)
        queue_message("order-received", order.email, _("Your order %(number)s", number=order.number), body)


def status_changed(order: Order) -> None:
    if not order.email:
        return
    with force_locale(order.lang):
        body = "\n\n".join(part for part in (
            _("Your order %(number)s is now: %(status)s.", number=order.number, status=STATUS_NAMES[order.status]),
            _order_link(order)) if part)
        queue_message("order-status", order.email,
                      _("Order %(number)s: %(status)s", number=order.number, status=STATUS_NAMES[order.status]),
                      body)  # once: each state is entered once, by one conditional update


def _by_producer(order: Order) -> dict[int, list]:
    lines: dict[int, list] = {}
    for line in order.lines:
        lines.setdefault(line.producer_id, []).append(line)
    return lines


def _producer_recipients(producer_ids) -> dict[int, set[str]]:
    """Each producer's addresses: its own, and its active producer accounts'."""
    recipients: dict[int, set[str]] = {producer_id: set() for producer_id in producer_ids}
    for producer_id, email in db.session.execute(
            select(Producer.id, Producer.email).where(Producer.id.in_(recipients), Producer.email.isnot(None))):
        if email.strip():
            recipients[producer_id].add(email.strip().lower())
    for producer_id, email in db.session.execute(
            select(User.producer_id, User.email).where(User.role == Role.PRODUCER, User.active.is_(True),
                                                      User.producer_id.in_(recipients))):
        recipients[producer_id].add(email)
    return recipients


def _buyer_note(order: Order) -> str:
    return _("The buyer’s note: %(note)s", note=order.note) if order.note else ""


def producers_new_order(order: Order) -> None:
    """Each producer hears of its own lines only, in Vietnamese, with the buyer's note."""
    by_producer = _by_producer(order)
    recipients_of = _producer_recipients(by_producer)
    with force_locale("vi"):
        for producer_id, lines in by_producer.items():
            if order.fulfilment.value == "pickup" and order.sales_point is not None:
                where = _("Pickup at %(point)s.", point=order.sales_point.name_vi)
            else:
                where = _("Deliver to %(name)s, %(phone)s: %(street)s, %(commune)s, %(province)s.",
                          name=order.customer_name, phone=order.phone, street=order.street,
                          commune=order.commune, province=order.province)
            body = "\n\n".join(part for part in (
                _("New order %(number)s: please prepare these products.", number=order.number),
                _lines_text(lines), where, _delivery_estimate(order), _buyer_note(order)) if part)
            for recipient in sorted(recipients_of[producer_id]):
                # Once: an order is accepted (confirmed or paid) once.
                queue_message("order-producer", recipient, _("New order %(number)s", number=order.number), body)


def producers_order_stopped(order: Order) -> None:
    """An order its producers were asked to send was cancelled or refunded before it was sent: each
    producer with lines in it hears, in Vietnamese, that they must not send them."""
    by_producer = _by_producer(order)
    recipients_of = _producer_recipients(by_producer)
    with force_locale("vi"):
        if order.status is OrderStatus.CANCELLED:
            subject = _("Order %(number)s is cancelled", number=order.number)
            first = _("Order %(number)s is cancelled: please do not send these products.", number=order.number)
        else:
            subject = _("Order %(number)s is refunded", number=order.number)
            first = _("Order %(number)s was refunded to the shopper: please do not send the products not sent "
                      "yet.", number=order.number)
        for producer_id, lines in by_producer.items():
            body = "\n\n".join((first, _lines_text(lines)))
            for recipient in sorted(recipients_of[producer_id]):
                # Once: an order is cancelled or refunded once.
                queue_message("order-producer-stop", recipient, subject, body)
