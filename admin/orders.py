"""The OCOP office's orders: the list with filters, an order's detail, and the moves it allows.

Every button calls the storefront's order and payment operations (never a copy of their rules) and
records an audit entry."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.audit.operations import record
from storefront.bankfeed.labels import STATE_NAMES as TRANSFER_STATE_NAMES
from storefront.bankfeed.queries import transfers_of_order
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.orders import operations as orders
from storefront.orders import workflow
from storefront.orders.forms import OrderActionForm, has_control_characters
from storefront.orders.models import Order, OrderStatus, PaymentMethod
from storefront.orders.queries import ORDERS_PER_PAGE, OrderFilters, office_orders, order_by_number
from storefront.i18n import format_vnd
from storefront.payments import operations as payments
from storefront.payments.methods import METHOD_NAMES
from storefront.payments.outcalls import commit_and_send_refunds

from .navigation import add, admin_nav
from .paging import page_argument
from .views import bp

add(admin_nav, "admin.orders_list", _l("Orders"), 20)

S = OrderStatus
# The office's buttons: (action, label, the state it leads to).
ACTIONS = {
    "confirm_transfer": (_l("Transfer received: mark paid"), S.PAID),
    "ship": (_l("Mark shipped"), S.SHIPPED),
    "ready": (_l("Mark ready for pickup"), S.READY_FOR_PICKUP),
    "complete": (_l("Mark delivered / picked up"), S.COMPLETED),
    "cancel": (_l("Cancel the order"), S.CANCELLED),
    "refund": (_l("Refund"), S.REFUNDED),
}


def allowed_actions(order: Order) -> list[str]:
    """The buttons the state machine allows for this order, in the order shown."""
    actions = []
    if order.payment_method is PaymentMethod.VIETQR and workflow.can_move(order, S.PAID):
        actions.append("confirm_transfer")
    if order.status in workflow.TO_FULFIL:
        actions.append("ship" if order.fulfilment.value == "delivery" else "ready")
    if workflow.can_move(order, S.COMPLETED):
        actions.append("complete")
    if workflow.can_move(order, S.CANCELLED):
        actions.append("cancel")
    if workflow.can_move(order, S.REFUNDED) and payments.paid_charge(order) is not None:
        actions.append("refund")
    return actions


def _date(raw):
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        abort(400)


def _filters() -> OrderFilters:
    args = request.args
    try:
        status = OrderStatus(args["status"]) if args.get("status") else None
        method = PaymentMethod(args["method"]) if args.get("method") else None
    except ValueError:
        abort(400)
    if has_control_characters(args.get("q")):
        abort(400)
    page = page_argument()
    return OrderFilters(status=status, method=method, since=_date(args.get("since")),
                        until=_date(args.get("until")), search=args.get("q", "").strip()[:40], page=page)


@bp.route("/admin/orders")
def orders_list():
    filters = _filters()
    found, total = office_orders(filters)
    pages = max(1, -(-total // ORDERS_PER_PAGE))
    return render_template("admin/orders/list.html", orders=found, total=total, filters=filters, pages=pages,
                           statuses=list(OrderStatus), methods=list(PaymentMethod),
                           status_names=workflow.STATUS_NAMES, method_names=METHOD_NAMES)


def _order(number: str) -> Order:
    order = order_by_number(number)
    if order is None:
        abort(404)
    return order


@bp.route("/admin/orders/<number>")
def order_detail(number):
    order = _order(number)
    orders.expire_if_due(order)
    # Why the office cannot cancel an order that could otherwise be (a producer has sent a line).
    refusal = workflow.refusal(order, S.CANCELLED) if S.CANCELLED in workflow.ALLOWED[order.status] else None
    return render_template("admin/orders/detail.html", order=order, form=OrderActionForm(), refusal=refusal,
                           actions=[(name, ACTIONS[name][0]) for name in allowed_actions(order)],
                           transactions=payments.transactions_of(order), status_names=workflow.STATUS_NAMES,
                           method_names=METHOD_NAMES, unsent_refunds=payments.unsent_refunds(order.id),
                           bank_transfers=transfers_of_order(order.id), transfer_state_names=TRANSFER_STATE_NAMES)


@bp.route("/admin/orders/<number>/<action>", methods=["POST"])
def order_action(number, action):
    if action not in ACTIONS:
        abort(404)
    order = _order(number)
    form = OrderActionForm()
    if not form.validate_on_submit():
        abort(400)
    note = request.form.get("note", "").strip()[:500]
    if has_control_characters(note):
        flash(_("Remove the unusual characters from the note."), "error")
        return redirect(url_for("admin.order_detail", number=order.number), 303)
    before = order.status
    if action not in allowed_actions(order):
        flash(_("This order is “%(status)s”: that is not possible now.", status=workflow.STATUS_NAMES[order.status]),
              "error")
        return redirect(url_for("admin.order_detail", number=order.number), 303)
    actor = current_user._get_current_object()
    try:
        if action == "confirm_transfer":
            payments.confirm_transfer(order, actor, note=note)
        elif action in ("ship", "ready"):
            orders.fulfil_order(order, actor=actor)
        elif action == "complete":
            payments.complete(order, actor, note=note)
        elif action == "cancel":
            payments.cancel(order, actor=actor, note=note)
        elif action == "refund":
            payments.refund(order, actor, note=note)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("admin.order_detail", number=order.number), 303)
    record(f"order.{action}", order, changes={"status": [before.value, order.status.value]}, note=note)
    flash(_("Order %(number)s is now “%(status)s”.", number=order.number,
            status=workflow.STATUS_NAMES[order.status]), "success")
    if action == "refund":
        _send_refunds(order)  # the refund is committed as pending first, then Stripe is asked
    return redirect(url_for("admin.order_detail", number=order.number), 303)


def _send_refunds(order: Order) -> list:
    attempts = commit_and_send_refunds(order.id)
    for attempt in attempts:
        if attempt.error is not None:
            flash(_("Stripe has not accepted the refund of %(amount)s yet (%(reason)s). It stays pending: "
                    "ask Stripe again from this page later.", amount=format_vnd(attempt.amount),
                    reason=str(attempt.error)), "error")
    return attempts


@bp.route("/admin/orders/<number>/refunds/send", methods=["POST"])
def order_send_refunds(number):
    """Ask Stripe again for the order's card refunds it has not accepted (never refunds twice)."""
    order = _order(number)
    if not OrderActionForm().validate_on_submit():
        abort(400)
    attempts = _send_refunds(order)
    if attempts and all(attempt.error is None for attempt in attempts):
        record("order.refund_sent", order, changes={}, note=", ".join(a.reference or "" for a in attempts))
        flash(_("Stripe accepted the refund."), "success")
    return redirect(url_for("admin.order_detail", number=order.number), 303)
