"""What the shop reads of a Stripe event's object, checked field by field before anything is written.

A valid signature proves who sent an event, not what shape it has: every field the webhook's handlers
use is read here, once, and anything that is not what Stripe documents (a string where an amount
belongs, a list of strings where refunds belong, an id with a NUL in it, an amount no order can have)
raises `MalformedEvent`. The webhook then records the event as rejected and changes nothing else.

A missing field and a null one mean the same (Stripe leaves out what does not apply).
"""
import math
import re
from dataclasses import dataclass

# Stripe's ids ("cs_test_a1B2…", "pi_…", "ch_…", "re_…"): letters, digits, underscores; short enough
# for a reference built from one to fit its column.
_ID = re.compile(r"[A-Za-z0-9_-]{1,200}")
# Short codes: a currency ("vnd"), a status ("paid", "succeeded").
_CODE = re.compile(r"[A-Za-z_]{1,50}")
#: The largest amount the shop's columns hold (PostgreSQL's integer): no order comes near it.
MAX_AMOUNT = 2**31 - 1


class MalformedEvent(ValueError):
    """The event's object is not shaped as Stripe documents it. The message names the field."""


@dataclass(frozen=True)
class CheckoutSessionFacts:
    id: str
    order_number: str | None  # client_reference_id: the shop's order number
    payment_status: str | None
    amount_total: int | None
    currency: str | None  # lower case
    payment_intent: str | None


@dataclass(frozen=True)
class RefundFacts:
    id: str
    amount: int
    status: str | None  # "succeeded", "pending", "failed", "canceled", …


@dataclass(frozen=True)
class ChargeFacts:
    id: str | None
    payment_intent: str | None
    currency: str  # lower case
    amount_refunded: int
    refunds: tuple[RefundFacts, ...]  # those the event lists (API versions may list none)

    def counted_refunds(self) -> tuple[RefundFacts, ...]:
        """The listed refunds that give money back or are about to (not failed or canceled)."""
        return tuple(refund for refund in self.refunds if refund.status not in ("failed", "canceled"))


def _identifier(obj: dict, name: str, *, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise MalformedEvent(f"{name} is not a Stripe id")
    return value


def _code(obj: dict, name: str, *, required: bool = False) -> str | None:
    value = obj.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise MalformedEvent(f"{name} is not a short code")
    return value.lower()


def _amount(obj: dict, name: str, *, required: bool = False, least: int = 0) -> int | None:
    value = obj.get(name)
    if value is None and not required:
        return None
    # JSON has one kind of number: 510000.0 is the same amount as 510000, 510000.5 is no amount.
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_AMOUNT:
        raise MalformedEvent(f"{name} is not an amount")
    return value


def _text(obj: dict, name: str, limit: int = 255) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if (not isinstance(value, str) or not value or len(value) > limit
            or not value.isprintable() or not value.isascii()):
        raise MalformedEvent(f"{name} is not a short text")
    return value


def checkout_session(obj: dict) -> CheckoutSessionFacts:
    """A `checkout.session.*` event's object."""
    intent = obj.get("payment_intent")
    if isinstance(intent, dict):  # expanded
        intent_id = _identifier(intent, "id", required=True)
    else:
        intent_id = _identifier(obj, "payment_intent")
    return CheckoutSessionFacts(
        id=_identifier(obj, "id", required=True), order_number=_text(obj, "client_reference_id"),
        payment_status=_code(obj, "payment_status"), amount_total=_amount(obj, "amount_total"),
        currency=_code(obj, "currency"), payment_intent=intent_id)


def _refund(item) -> RefundFacts:
    if not isinstance(item, dict):
        raise MalformedEvent("refunds.data holds something that is not a refund")
    amount = _amount(item, "amount", required=True, least=1)
    return RefundFacts(id=_identifier(item, "id", required=True), amount=amount, status=_code(item, "status"))


def charge(obj: dict) -> ChargeFacts:
    """A `charge.*` event's object."""
    refunds = obj.get("refunds")
    listed: tuple[RefundFacts, ...] = ()
    if refunds is not None:
        if not isinstance(refunds, dict):
            raise MalformedEvent("refunds is not a list object")
        data = refunds.get("data")
        if data is not None and not isinstance(data, list):
            raise MalformedEvent("refunds.data is not a list")
        listed = tuple(_refund(item) for item in data or ())
        if len({refund.id for refund in listed}) != len(listed):
            raise MalformedEvent("refunds.data lists a refund twice")
    return ChargeFacts(
        id=_identifier(obj, "id"), payment_intent=_identifier(obj, "payment_intent"),
        currency=_code(obj, "currency", required=True),
        amount_refunded=_amount(obj, "amount_refunded", required=True), refunds=listed)


def storable(value, depth: int = 0):
    """The event as it can be kept in a JSON column: text with NUL or lone surrogates (valid JSON,
    refused by PostgreSQL) mended, nesting cut at a depth no Stripe event reaches."""
    if depth > 32:
        return "…"
    if isinstance(value, str):
        return _mended(value)
    if isinstance(value, dict):
        return {_mended(str(key)): storable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item, depth + 1) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _mended(text: str) -> str:
    if text.isascii() and "\x00" not in text:
        return text
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
