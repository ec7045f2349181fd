"""A producer's order lines: its own products only, marked shipped or ready for pickup from here."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from storefront.accounts.access import own_producer_id
from storefront.audit.operations import record
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.orders import operations as orders
from storefront.orders import workflow
from storefront.orders.forms import OrderActionForm
from storefront.orders.models import LineStatus, OrderLine
from storefront.orders.queries import producer_lines

from .navigation import add, producer_nav
from .workspace import bp

add(producer_nav, "producer.order_lines", _l("Orders"), 20)


@bp.route("/producer/orders")
def order_lines():
    open_only = request.args.get("show") != "all"
    lines = producer_lines(own_producer_id(), open_only=open_only)
    return render_template("producer/orders.html", lines=lines, open_only=open_only, form=OrderActionForm(),
                           status_names=workflow.STATUS_NAMES, to_fulfil=workflow.TO_FULFIL)


@bp.route("/producer/orders/lines/<int(max=2147483647):line_id>/fulfil", methods=["POST"])
def fulfil_line(line_id):
    line = db.session.get(OrderLine, line_id)
    # Another producer's line is "not found", like a line that does not exist.
    if line is None or line.producer_id != own_producer_id():
        abort(404)
    form = OrderActionForm()
    if not form.validate_on_submit():
        abort(400)
    if line.status is not LineStatus.PENDING:
        flash(_("This line was already marked."), "error")
        return redirect(url_for("producer.order_lines"), 303)
    order = line.order
    before = line.status
    try:
        moved = orders.fulfil_lines(order, [line], actor=current_user._get_current_object())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("producer.order_lines"), 303)
    record("order_line.fulfil", line, changes={"status": [before.value, line.status.value]},
           note=f"order {order.number}")
    if moved:
        flash(_("Order %(number)s: every line is ready; the shopper is told.", number=order.number), "success")
    else:
        flash(_("Order %(number)s: your line is marked.", number=order.number), "success")
    return redirect(url_for("producer.order_lines"), 303)
