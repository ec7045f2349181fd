"""The shopper's order pages: the order itself (personal, never cached), cancelling it after a confirmation,
and finding it by number and phone.

An order page opened by a browser that may not see it (the e-mail's link on another phone, a shared
link, a guessed number) asks for the order's phone number: the same page, status and words whether the
number exists or not, so it tells a stranger nothing."""
from flask import Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import ratelimit
from ..errors import DomainError
from ..i18n import LocalizedBlueprint
from ..bankfeed.feeds import feeds_enabled
from ..bankfeed.queries import waiting_transfers_of
from ..payments import operations as payments
from ..payments import vietqr
from ..payments.methods import METHOD_NAMES, method_for
from . import access, workflow
from .forms import LookupForm, OrderActionForm
from .models import PaymentMethod
from .operations import expire_if_due, join_guest_orders
from .queries import order_by_number, order_for_lookup
from .timeline import parcel, timeline

bp = LocalizedBlueprint("orders", __name__)
bp.add_app_template_global(workflow.line_status_name, "line_status")
bp.add_app_template_global(parcel)


@bp.after_request
def personal(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _visible_order(number):
    """The order if this browser may see it, else None (whether it exists or not). A guest order placed with
    the signed-in account's confirmed e-mail and phone joins the account here (see join_guest_orders), so
    the link of its e-mail opens it directly."""
    order = order_by_number(number)
    if order is None:
        return None
    if not access.may_view(order) and order.user_id is None and current_user.is_authenticated:
        join_guest_orders(current_user._get_current_object())
    return order if access.may_view(order) else None


def _ask_for_phone(number, status=200):
    """The lookup form with the number filled in: all a browser that may not see the order is shown."""
    form = LookupForm(formdata=None, number=(number or "")[:20])
    return render_template("storefront/orders/find.html", form=form, asking=True), status


def _order_page(order):
    return redirect(url_for("orders.order_page", number=order.number), 303)


@bp.route("/orders/<number>")
def order_page(number):
    order = _visible_order(number)
    if order is None:
        return _ask_for_phone(number)
    just_paid = request.args.get("paid") == "1"
    if just_paid:
        payments.settle_from_stripe(order)  # back from Stripe's page, maybe before its webhook
    expire_if_due(order)
    transfer = method_for(PaymentMethod.VIETQR).instructions(order)
    return render_template(
        "storefront/orders/order.html", order=order, transfer=transfer,
        status_names=workflow.STATUS_NAMES, method_names=METHOD_NAMES,
        may_cancel=workflow.shopper_may_cancel(order), just_paid=just_paid, timeline=timeline(order),
        waiting_transfers=waiting_transfers_of(order), bank_feed=feeds_enabled(current_app.config))


@bp.route("/orders/<number>/vietqr.png")
def vietqr_image(number):
    """The order's VietQR code as an image to save, for paying from the banking app on the same phone (its
    "scan from the photo library")."""
    order = _visible_order(number)
    if order is None:
        abort(404)
    expire_if_due(order)
    transfer = method_for(PaymentMethod.VIETQR).instructions(order)
    if transfer is None:  # not a transfer order, or nothing left to pay
        abort(404)
    return Response(vietqr.qr_png(transfer.payload, scale=10), mimetype="image/png",
                    headers={"Content-Disposition": f'attachment; filename="vietqr-{order.number}.png"'})


@bp.route("/orders/<number>/status")
def order_status(number):
    """The order's state, for its page to follow while it waits for a payment."""
    order = _visible_order(number)
    if order is None:
        return jsonify(error="not found"), 404
    expire_if_due(order)
    return jsonify(status=order.status.value, label=str(workflow.STATUS_NAMES[order.status]))


@bp.route("/orders/<number>/cancel", methods=["GET", "POST"])
def cancel(number):
    """One tap on the order page asks first; the confirmation page's own form cancels."""
    order = _visible_order(number)
    if order is None:
        return _ask_for_phone(number, 200 if request.method == "GET" else 403)
    expire_if_due(order)
    if not workflow.shopper_may_cancel(order):
        flash(_("This order can no longer be cancelled here. Please contact us."), "error")
        return _order_page(order)
    form = OrderActionForm()
    if request.method == "GET" or request.form.get("confirm") != "yes":
        return render_template("storefront/orders/cancel.html", order=order, form=form,
                               status_names=workflow.STATUS_NAMES)
    if not form.validate_on_submit():
        flash(_("The form expired. Please submit it again."), "error")
        return redirect(url_for("orders.cancel", number=order.number), 303)
    try:
        payments.cancel(order, actor_label="shopper")
    except DomainError as error:
        flash(str(error), "error")
        return _order_page(order)
    flash(_("Your order is cancelled."), "success")
    return _order_page(order)


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
        return _order_page(order)
    status = 400 if form.errors else 200
    return render_template("storefront/orders/find.html", form=form), status
