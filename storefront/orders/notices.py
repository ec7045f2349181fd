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
from .models import Order, PaymentMethod
from .workflow import STATUS_NAMES


def _order_link(order: Order) -> str:
    if not has_request_context():
        return ""
    lang = {} if order.lang == "vi" else {"lang": "en"}
    return url_for("orders.order_page", number=order.number, _external=True, **lang)


def _lines_text(order: Order, lines) -> str:
    english = order.lang == "en"
    return "\n".join(
        f"- {(line.product_name_en if english and line.product_name_en else line.product_name_vi)}"
        f" × {line.quantity}: {format_vnd(line.line_total)}" for line in lines)


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
            _lines_text(order, order.lines),
            _("Total: %(total)s (shipping %(fee)s)", total=format_vnd(order.total), fee=format_vnd(order.shipping_fee)),
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


def producers_new_order(order: Order) -> None:
    """Each producer hears of its own lines only, in Vietnamese."""
    by_producer: dict[int, list] = {}
    for line in order.lines:
        by_producer.setdefault(line.producer_id, []).append(line)
    recipients_of: dict[int, set[str]] = {producer_id: set() for producer_id in by_producer}
    for producer_id, email in db.session.execute(
            select(Producer.id, Producer.email).where(Producer.id.in_(by_producer), Producer.email.isnot(None))):
        recipients_of[producer_id].add(email.strip().lower())
    for producer_id, email in db.session.execute(
            select(User.producer_id, User.email).where(User.role == Role.PRODUCER, User.active.is_(True),
                                                      User.producer_id.in_(by_producer))):
        recipients_of[producer_id].add(email)
    with force_locale("vi"):
        for producer_id, lines in by_producer.items():
            recipients = recipients_of[producer_id]
            if order.fulfilment.value == "pickup" and order.sales_point is not None:
                where = _("Pickup at %(point)s.", point=order.sales_point.name_vi)
            else:
                where = _("Deliver to %(name)s, %(phone)s: %(street)s, %(commune)s, %(province)s.",
                          name=order.customer_name, phone=order.phone, street=order.street,
                          commune=order.commune, province=order.province)
            body = "\n\n".join((
                _("New order %(number)s: please prepare these products.", number=order.number),
                _lines_text(order, lines), where))
            for recipient in sorted(recipients):
                # Once: an order is accepted (confirmed or paid) once.
                queue_message("order-producer", recipient, _("New order %(number)s", number=order.number), body)

