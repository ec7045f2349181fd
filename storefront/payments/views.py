"""Stripe's webhook (verified, stored once per event id, applied in any order of arrival) and the
shopper's second try at opening a card order's Stripe page."""
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..errors import DomainError
from ..extensions import csrf, db
from ..i18n import LocalizedBlueprint
from ..orders import access
from ..orders.forms import OrderActionForm
from ..orders.models import OrderStatus, PaymentMethod
from ..orders.queries import order_by_number
from . import stripe_gateway
from .cli import payments_cli
from .methods import method_for
from .operations import event_seen, handle_stripe_event
from .outcalls import commit_and_send_refunds

bp = Blueprint("payments", __name__, cli_group=None)
bp.cli.add_command(payments_cli)  # `flask payments …`
pages = LocalizedBlueprint("pages", __name__)


@bp.route("/payments/stripe/webhook", methods=["POST"])
@csrf.exempt
def stripe_webhook():
    """Answers 200 to every event it has recorded, applied or not: a signed event that is malformed
    stays malformed however often Stripe sends it again (it retries any other answer for days), so it is
    recorded as rejected rather than refused. 400 is for what cannot be Stripe's (no valid signature, no
    event id); 503 asks Stripe to deliver again later (a refund Stripe could not be asked for yet)."""
    if not stripe_gateway.card_payments_enabled(current_app.config):
        abort(404)
    try:
        event = stripe_gateway.verified_event(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except stripe_gateway.InvalidWebhook as error:
        current_app.logger.warning("Stripe webhook refused: %s", error)
        return jsonify(error=str(error)), 400
    try:
        result = handle_stripe_event(event)
        # A late payment's refund, or one not accepted before: committed first, then asked of Stripe.
        attempts = commit_and_send_refunds(result.order_id) if result.order_id is not None else []
    except IntegrityError:
        # A twin delivery committed first: this one is a duplicate (or, if its event is not stored,
        # a concurrent event about the same payment: Stripe delivers it again and it finds the payment).
        db.session.rollback()
        if event_seen(event["id"]):
            return jsonify(received=True, outcome="duplicate", detail="duplicate delivery")
        return jsonify(error="conflict, try again"), 409
    answer = dict(received=True, outcome=result.outcome.value if result.outcome else "duplicate",
                  detail=result.detail)
    if attempts:
        answer["refunds"] = [attempt.reference for attempt in attempts if attempt.reference]
    if any(attempt.error is not None and attempt.error.retryable for attempt in attempts):
        # Recorded and kept pending: Stripe's next delivery (a duplicate) asks for the refund again.
        current_app.logger.warning("Stripe webhook %s: a refund is postponed", event["id"])
        return jsonify(error="a refund could not be asked for, try again later", **answer), 503
    return jsonify(answer)


@pages.route("/orders/<number>/pay", methods=["POST"])
def open_card_payment(number):
    """Open the Stripe page of a card order whose page could not be opened at checkout. The shopper
    comes back to the order page, whose "Pay by card" link leads there (a form may only lead to this
    site: the order page's Content-Security-Policy)."""
    order = order_by_number(number)
    if order is None or not access.may_view(order):
        abort(404)
    if not OrderActionForm().validate_on_submit():
        abort(400)
    if order.payment_method is PaymentMethod.CARD and order.status is OrderStatus.AWAITING_PAYMENT:
        try:
            if method_for(PaymentMethod.CARD).start(order):
                flash(_("Stripe’s payment page is ready: pay with the button below."), "success")
        except DomainError as error:
            flash(str(error), "error")
    return redirect(url_for("orders.order_page", number=order.number), 303)


bp.register_blueprint(pages)
