"""The shopper's order pages: the order itself (personal, never cached) and finding it by number and phone."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import ratelimit
from ..errors import DomainError
from ..i18n import LocalizedBlueprint
from ..payments import operations as payments
from ..payments.methods import METHOD_NAMES, method_for
from . import access, workflow
from .forms import LookupForm, OrderActionForm
from .models import OrderStatus, PaymentMethod
from .operations import expire_if_due
from .queries import order_by_number, order_for_lookup

bp = LocalizedBlueprint("orders", __name__)
SHOPPER_MAY_CANCEL = frozenset({OrderStatus.AWAITING_PAYMENT, OrderStatus.CONFIRMED})


@bp.after_request
def personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _visible_order(number):
    order = order_by_number(number)
    # Another shopper's order is "not found", exactly like a number that does not exist.
    if order is None or not access.may_view(order):
        abort(404)
    return order


@bp.route("/orders/<number>")
def order_page(number):
    order = _visible_order(number)
    just_paid = request.args.get("paid") == "1"
    if just_paid:
        payments.settle_from_stripe(order)  # back from Stripe's page, maybe before its webhook
    expire_if_due(order)
    transfer = None
    if order.payment_method is PaymentMethod.VIETQR and order.status is OrderStatus.AWAITING_PAYMENT:
        transfer = method_for(PaymentMethod.VIETQR).instructions(order)
    return render_template(
        "storefront/orders/order.html", order=order, transfer=transfer, form=OrderActionForm(),
        status_names=workflow.STATUS_NAMES, method_names=METHOD_NAMES,
        may_cancel=order.status in SHOPPER_MAY_CANCEL, just_paid=just_paid)


@bp.route("/orders/<number>/cancel", methods=["POST"])
def cancel(number):
    order = _visible_order(number)
    form = OrderActionForm()
    if not form.validate_on_submit():
        abort(400)
    if order.status not in SHOPPER_MAY_CANCEL:
        flash(_("This order can no longer be cancelled here. Please contact us."), "error")
        return redirect(url_for("orders.order_page", number=order.number), 303)
    try:
        payments.cancel(order, actor_label="shopper")
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("orders.order_page", number=order.number), 303)
    flash(_("Your order is cancelled."), "success")
    return redirect(url_for("orders.order_page", number=order.number), 303)


@bp.route("/orders/find", methods=["GET", "POST"])
def find():
    form = LookupForm()
    if request.method == "GET" and request.args.get("number"):
        form.number.data = request.args["number"][:20]
    if form.validate_on_submit():
        if not ratelimit.hit("order-lookup", request.remote_addr or "-",
                             current_app.config["ORDER_LOOKUPS_PER_HOUR"], 3600):
            form.form_errors.append(_("Too many attempts. Please try again in an hour."))
            return render_template("storefront/orders/find.html", form=form), 429
        order = order_for_lookup(form.number.data, form.phone.data)
        if order is None:
            form.form_errors.append(_("No order has this number and phone number."))
            return render_template("storefront/orders/find.html", form=form), 404
        access.remember(order)
        return redirect(url_for("orders.order_page", number=order.number), 303)
    status = 400 if form.errors else 200
    return render_template("storefront/orders/find.html", form=form), status
