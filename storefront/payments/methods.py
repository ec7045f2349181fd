"""The ways to pay, behind one small interface: what the checkout offers and what happens after it.

    method.available(config)   is it offered (its settings present)?
    method.confirms_at_once    cash on delivery: the order is accepted without a payment first
    method.start(order)        after the order is placed (and committed): a URL to send the shopper
                               to, or None
"""
from dataclasses import dataclass
from datetime import timezone

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l

from ..clock import utcnow
from ..errors import DomainError
from ..orders.models import Order, OrderStatus, PaymentMethod
from . import stripe_gateway, vietqr
from .operations import record_checkout_session


class PaymentMethodHandler:
    code: PaymentMethod
    label = ""
    description = ""
    confirms_at_once = False

    def available(self, config) -> bool:
        return True

    def start(self, order: Order) -> str | None:
        return None


class CashOnDelivery(PaymentMethodHandler):
    code = PaymentMethod.CASH_ON_DELIVERY
    label = _l("Cash on delivery")
    description = _l("Pay in cash when you receive the parcel or pick it up.")
    confirms_at_once = True


@dataclass(frozen=True)
class TransferInstructions:
    bank_name: str
    bank_bin: str
    account_number: str
    account_name: str
    amount: int
    reference: str
    payload: str
    qr_svg: str
    app_links: tuple[tuple[str, str], ...] = ()  # (app's name, link opening it with the transfer filled in)


class VietQRTransfer(PaymentMethodHandler):
    code = PaymentMethod.VIETQR
    label = _l("Bank transfer (VietQR)")
    description = _l("Scan the QR code with your banking app; we confirm the order when the transfer arrives.")

    def available(self, config) -> bool:
        return bool(config.get("VIETQR_BANK_BIN") and config.get("VIETQR_ACCOUNT_NUMBER"))

    def instructions(self, order: Order) -> TransferInstructions | None:
        """What the buyer needs to pay `order` by transfer; None unless it is a transfer order still waiting."""
        if order.payment_method is not PaymentMethod.VIETQR or order.status is not OrderStatus.AWAITING_PAYMENT:
            return None
        config = current_app.config
        payload = vietqr.build_payload(bank_bin=config["VIETQR_BANK_BIN"],
                                       account_number=config["VIETQR_ACCOUNT_NUMBER"], amount=order.total,
                                       reference=order.payment_reference)
        return TransferInstructions(
            bank_name=config.get("VIETQR_BANK_NAME") or config["VIETQR_BANK_BIN"],
            bank_bin=config["VIETQR_BANK_BIN"], account_number=config["VIETQR_ACCOUNT_NUMBER"],
            account_name=config.get("VIETQR_ACCOUNT_NAME", ""), amount=order.total,
            reference=order.payment_reference, payload=payload, qr_svg=vietqr.qr_svg(payload),
            app_links=self._app_links(order))

    def _app_links(self, order: Order) -> tuple[tuple[str, str], ...]:
        config = current_app.config
        if not config.get("VIETQR_BANK_CODE"):
            return ()
        back = url_for("orders.order_page", number=order.number, _external=True)
        return tuple((name, vietqr.app_link(app_id, bank_code=config["VIETQR_BANK_CODE"],
                                            account_number=config["VIETQR_ACCOUNT_NUMBER"], amount=order.total,
                                            reference=order.payment_reference,
                                            account_name=config.get("VIETQR_ACCOUNT_NAME", ""), return_url=back))
                     for app_id, name in bank_apps(config))


def bank_apps(config) -> list[tuple[str, str]]:
    """BANK_APPS, "id:Name,id:Name": the banking apps offered a link (VietQR.io's app ids)."""
    apps = []
    for item in (config.get("BANK_APPS") or "").split(","):
        app_id, _, name = item.strip().partition(":")
        if app_id.strip() and name.strip():
            apps.append((app_id.strip().lower(), name.strip()))
    return apps


# Stripe accepts a Checkout Session's expiry from 30 minutes to 24 hours after its creation.
STRIPE_MIN_HOLD_SECONDS = 30 * 60 + 60
STRIPE_MAX_HOLD_SECONDS = 24 * 3600 - 60


class StripeCard(PaymentMethodHandler):
    code = PaymentMethod.CARD
    label = _l("Card (Visa, Mastercard…) through Stripe")
    description = _l("You pay on Stripe’s secure page; your card details never reach this shop.")

    def available(self, config) -> bool:
        return stripe_gateway.card_payments_enabled(config)

    def start(self, order: Order) -> str | None:
        """Open the order's Stripe page and return its URL (None once the order no longer waits for
        payment). Call it with the order committed: Stripe is asked with no transaction open, and the
        page is recorded afterwards. Asking again gives the same page (recorded, or by the idempotency
        key). Raises DomainError, in the shopper's language, when Stripe cannot open it: the order stays
        awaiting payment and its page offers to try again."""
        if order.status is not OrderStatus.AWAITING_PAYMENT:
            return None
        if order.stripe_checkout_url:
            return order.stripe_checkout_url
        number, total, email = order.number, order.total, order.email
        with force_locale(order.lang):  # what Stripe shows is the same whoever asks, as the key needs
            order_url = url_for("orders.order_page", number=number, _external=True, lang=order.lang)
            description = gettext("OCOP Quảng Ngãi order %(number)s", number=number)
        key, expires_at = f"checkout-{number}", None
        if order.expires_at is not None:
            hold = (order.expires_at - order.created_at).total_seconds()
            if STRIPE_MIN_HOLD_SECONDS <= hold <= STRIPE_MAX_HOLD_SECONDS:
                expires_at = int(order.expires_at.replace(tzinfo=timezone.utc).timestamp())
                if (order.expires_at - utcnow()).total_seconds() < STRIPE_MIN_HOLD_SECONDS:
                    # A second try late in the hold: Stripe's page outlives the order (a payment
                    # after the order expired is refunded), under a key of its own.
                    key, expires_at = f"checkout-{number}-late", None
        try:
            session_id, url = stripe_gateway.create_checkout_session(
                order_number=number, amount_vnd=total, description=description, customer_email=email,
                success_url=order_url + "?paid=1", cancel_url=order_url, idempotency_key=key,
                expires_at=expires_at)
        except stripe_gateway.GatewayError as error:
            current_app.logger.warning("card payment for %s could not start: %s", number, error)
            raise DomainError(_l("Stripe’s payment page could not be opened. Your order is kept: try "
                                 "paying again from its page in a few minutes.")) from None
        url = record_checkout_session(order, session_id, url)
        return url if order.status is OrderStatus.AWAITING_PAYMENT else None


METHODS: dict[PaymentMethod, PaymentMethodHandler] = {
    handler.code: handler for handler in (CashOnDelivery(), VietQRTransfer(), StripeCard())}


def available_methods(config) -> list[PaymentMethodHandler]:
    return [handler for handler in METHODS.values() if handler.available(config)]


def method_for(code: PaymentMethod) -> PaymentMethodHandler:
    return METHODS[code]


METHOD_NAMES = {code: handler.label for code, handler in METHODS.items()}
