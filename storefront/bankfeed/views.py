"""The bank-feed webhook: BANK_FEED_PATH/<service>, one URL per service (configurable, so an operator may
choose one nobody guesses). Every answer after the checks is 200 with {"success": true}: the services retry
anything else, and a delivery recorded or deliberately left out must not come back."""
import json

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import csrf, db
from ..payments.events import storable
from . import cli as _cli  # noqa: F401  (adds `flask payments simulate-transfer`)
from .feeds import FEEDS, MAX_BODY_BYTES, MalformedTransfer, Unauthenticated
from .models import BankTransfer
from .operations import receive

bp = Blueprint("bankfeed", __name__)


def _answer(status: int, **fields):
    return jsonify(success=status < 400, **fields), status


@csrf.exempt
def webhook(provider):
    feed = FEEDS.get(provider)
    if feed is None or not feed.enabled(current_app.config):
        abort(404)
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _answer(413, error="the body is too large")
    body = request.get_data()
    if len(body) > MAX_BODY_BYTES:
        return _answer(413, error="the body is too large")
    try:
        feed.authenticate(request.headers, body, current_app.config)
    except Unauthenticated as error:
        current_app.logger.warning("%s bank feed refused: %s", feed.label, error)
        return _answer(401, error=str(error))
    try:
        document = json.loads(body)
        transfers = feed.transfers(document)
    except (ValueError, RecursionError) as error:  # MalformedTransfer is a ValueError, as is bad JSON
        message = str(error) if isinstance(error, MalformedTransfer) else "the body is not JSON"
        current_app.logger.warning("%s bank feed delivery malformed: %s", feed.label, message)
        return _answer(400, error=message)
    payloads = document["data"] if isinstance(document.get("data"), list) else [document]
    # One at a time in the order of their ids, so two deliveries listing the same transfers never take
    # their locks in opposite orders.
    results = {}
    try:
        for facts, payload in sorted(zip(transfers, payloads), key=lambda pair: pair[0].provider_id):
            results[facts.provider_id] = receive(feed.name, facts, storable(payload))
    except IntegrityError:
        # A twin delivery committed the same transaction first (its lock was not there: SQLite).
        db.session.rollback()
        if all(_recorded(feed.name, facts.provider_id) for facts in transfers if facts.incoming):
            return _answer(200, outcome="duplicate")
        return _answer(409, error="conflict, try again")
    answer = [_described(facts.provider_id, results[facts.provider_id]) for facts in transfers]
    return _answer(200, **(answer[0] if len(answer) == 1 else {"transactions": answer}))


def _described(provider_id: str, result) -> dict:
    described = {"id": provider_id, "outcome": result.outcome, "detail": result.detail}
    if result.order_number:
        described["order"] = result.order_number
    return described


def _recorded(provider: str, provider_id: str) -> bool:
    return db.session.scalar(select(BankTransfer.id).where(BankTransfer.provider == provider,
                                                           BankTransfer.provider_id == provider_id)) is not None


@bp.record_once
def _register_webhook(state):
    path = state.app.config["BANK_FEED_PATH"].rstrip("/")
    if not path.startswith("/"):
        raise RuntimeError("BANK_FEED_PATH must start with a slash, like /payments/bank-feed.")
    state.add_url_rule(f"{path}/<provider>", "webhook", webhook, methods=["POST"])
