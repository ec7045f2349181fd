"""Stripe's webhook: verified, stored once per event id, applied in any order of arrival."""
from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from ..extensions import csrf, db
from . import stripe_gateway
from .operations import event_seen, handle_stripe_event

bp = Blueprint("payments", __name__)


@bp.route("/payments/stripe/webhook", methods=["POST"])
@csrf.exempt
def stripe_webhook():
    if not stripe_gateway.card_payments_enabled(current_app.config):
        abort(404)
    try:
        event = stripe_gateway.parse_event(request.get_data(), request.headers.get("Stripe-Signature", ""))
    except stripe_gateway.InvalidWebhook as error:
        current_app.logger.warning("Stripe webhook refused: %s", error)
        return jsonify(error=str(error)), 400
    try:
        outcome, detail = handle_stripe_event(event.to_dict())
    except IntegrityError:
        # A twin delivery committed first: this one is a duplicate (or, if its event is not stored,
        # a concurrent event about the same payment: Stripe delivers it again and it finds the payment).
        db.session.rollback()
        if event_seen(event.id):
            return jsonify(received=True, outcome="duplicate", detail="duplicate delivery")
        return jsonify(error="conflict, try again"), 409
    except stripe_gateway.GatewayError as error:
        # Stripe could not be asked (a late payment's refund): answer 503 and Stripe delivers again.
        current_app.logger.warning("Stripe webhook %s postponed: %s", event.id, error)
        return jsonify(error="try again later"), 503
    return jsonify(received=True, outcome=outcome.value if outcome else "duplicate", detail=detail)
