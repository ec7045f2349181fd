"""The bank-feed services the shop accepts, behind one small interface, each checked as its documentation says.

    feed.enabled(config)                       its secret is configured (else its webhook answers 404)
    feed.authenticate(headers, body, config)   raises Unauthenticated unless the delivery is the service's
    feed.transfers(document)                   the transactions a delivery reports, every field checked
    feed.signed_delivery(transfer, config)     body and headers as the service would send them (the demo
                                               command and the tests use it)

SePay posts one transaction per request: `id`, `gateway`, `transactionDate` ("2023-03-25 14:02:37", Vietnam
time), `accountNumber`, `subAccount`, `code`, `content`, `transferType` ("in" or "out"), `transferAmount`,
`accumulated`, `referenceCode`, `description`. It authenticates with `Authorization: Apikey KEY`, or with
HMAC-SHA256: `X-SePay-Signature: sha256=HEX` over "TIMESTAMP.BODY", `X-SePay-Timestamp` in seconds.

Casso (webhook v2) posts `{"error": 0, "data": {...}}` with `id`, `reference`, `description`, `amount`
(negative when money leaves), `runningBalance`, `transactionDateTime`, `accountNumber`, `bankName`, … and
signs it: `X-Casso-Signature: t=MILLISECONDS,v1=HEX`, HMAC-SHA512 over "t." followed by the body's JSON with
every object's keys sorted.

Both retry a delivery until it is answered with a 2xx status, so every answer after the checks is 200.
"""
import hashlib
import hmac
import json
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from ..clock import LOCAL_TZ

#: A signature older or newer than this is a replayed delivery (or a clock far off).
SIGNATURE_TOLERANCE_SECONDS = 300
#: Larger than any transfer the shop could be paid (a PostgreSQL bigint holds it).
MAX_AMOUNT = 10**15
MAX_BODY_BYTES = 64 * 1024

_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
_ACCOUNT = re.compile(r"[A-Za-z0-9]{1,40}")
_TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


class Unauthenticated(Exception):
    """The delivery does not prove it comes from the service: answered 401, nothing recorded."""


class MalformedTransfer(ValueError):
    """The delivery is not shaped as the service documents it: answered 400, nothing recorded. The
    message names the field."""


@dataclass(frozen=True)
class TransferFacts:
    provider_id: str
    account_number: str
    incoming: bool
    amount: int  # đồng, positive
    description: str
    bank_reference: str
    bank: str
    transferred_at: datetime  # naive UTC
    payment_code: str = ""  # what the service itself recognised as a payment code (SePay's `code`)


# --- field checks, shared by the services ---

def _identifier(obj: dict, name: str) -> str:
    value = obj.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise MalformedTransfer(f"{name} is not an id")
    value = str(value)
    if not _ID.fullmatch(value):
        raise MalformedTransfer(f"{name} is not an id")
    return value


def _amount(obj: dict, name: str) -> int:
    """A whole number of đồng (JSON's 150000.0 is one, 150000.5 is not), its sign kept."""
    value = obj.get(name)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > MAX_AMOUNT:
        raise MalformedTransfer(f"{name} is not a whole number of đồng")
    return value


def _text(obj: dict, name: str, limit: int, required: bool = False) -> str:
    value = obj.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise MalformedTransfer(f"{name} is not text")
    # Control characters (a NUL among them) are no part of a bank's text: they become spaces.
    value = "".join(char if char.isprintable() else " " for char in value).strip()
    if required and not value:
        raise MalformedTransfer(f"{name} is empty")
    return value[:limit]


def _account(obj: dict, name: str) -> str:
    value = obj.get(name)
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value.strip()):
        raise MalformedTransfer(f"{name} is not an account number")
    return value.strip()


def _local_time(obj: dict, name: str) -> datetime:
    """A bank's time of day in Vietnam, as naive UTC."""
    value = obj.get(name)
    if isinstance(value, str):
        for pattern in _TIME_FORMATS:
            try:
                moment = datetime.strptime(value.strip()[:19], pattern)
            except ValueError:
                continue
            if 2000 <= moment.year <= 2100:
                return moment.replace(tzinfo=LOCAL_TZ).astimezone(timezone.utc).replace(tzinfo=None)
    raise MalformedTransfer(f"{name} is not a date and time")


def _signature_time(value: str, per_second: int, now: float) -> None:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 16:
        raise Unauthenticated("the signature's timestamp is not a number")
    moment = int(value) / per_second
    if abs(now - moment) > SIGNATURE_TOLERANCE_SECONDS:
        raise Unauthenticated("the signature's timestamp is too old or too far ahead: a replayed delivery?")


def _local_text(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S")


class BankFeed:
    name = ""
    label = ""

    def enabled(self, config) -> bool:
        raise NotImplementedError

    def authenticate(self, headers, body: bytes, config, now: float | None = None) -> None:
        raise NotImplementedError

    def transfers(self, document) -> list[TransferFacts]:
        raise NotImplementedError

    def signed_delivery(self, transfer: TransferFacts, config, now: float | None = None) -> tuple[bytes, dict]:
        raise NotImplementedError


class SePay(BankFeed):
    name = "sepay"
    label = "SePay"

    def enabled(self, config) -> bool:
        return bool(config.get("SEPAY_WEBHOOK_SECRET") or config.get("SEPAY_API_KEY"))

    def authenticate(self, headers, body, config, now=None):
        """HMAC when a secret is configured (then an API key alone is not enough), else the API key."""
        secret = config.get("SEPAY_WEBHOOK_SECRET")
        if secret:
            timestamp = headers.get("X-SePay-Timestamp", "")
            signature = headers.get("X-SePay-Signature", "")
            _signature_time(timestamp, 1, time.time() if now is None else now)
            expected = "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
                raise Unauthenticated("the signature does not match")
            return
        scheme, _, key = headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "apikey" or not hmac.compare_digest(key.strip().encode(),
                                                                 config["SEPAY_API_KEY"].encode()):
            raise Unauthenticated("the API key is missing or wrong")

    def transfers(self, document):
        if not isinstance(document, dict):
            raise MalformedTransfer("the body is not a transaction")
        direction = document.get("transferType")
        if direction not in ("in", "out"):
            raise MalformedTransfer("transferType is neither in nor out")
        amount = _amount(document, "transferAmount")
        if amount < 0:
            raise MalformedTransfer("transferAmount is negative")
        return [TransferFacts(
            provider_id=_identifier(document, "id"), account_number=_account(document, "accountNumber"),
            incoming=direction == "in", amount=amount,
            description=_text(document, "content", 1000),
            bank_reference=_text(document, "referenceCode", 100),
            bank=_text(document, "gateway", 100),
            transferred_at=_local_time(document, "transactionDate"),
            payment_code=_text(document, "code", 50))]

    def signed_delivery(self, transfer, config, now=None):
        body = json.dumps({
            "id": int(transfer.provider_id) if transfer.provider_id.isdigit() else transfer.provider_id,
            "gateway": transfer.bank, "transactionDate": _local_text(transfer.transferred_at),
            "accountNumber": transfer.account_number, "subAccount": None, "code": transfer.payment_code or None,
            "content": transfer.description, "transferType": "in" if transfer.incoming else "out",
            "transferAmount": transfer.amount, "accumulated": 0, "referenceCode": transfer.bank_reference,
            "description": f"BankAPINotify {transfer.description}"}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if config.get("SEPAY_WEBHOOK_SECRET"):
            timestamp = str(int(time.time() if now is None else now))
            signature = hmac.new(config["SEPAY_WEBHOOK_SECRET"].encode(), timestamp.encode() + b"." + body,
                                 hashlib.sha256).hexdigest()
            headers.update({"X-SePay-Timestamp": timestamp, "X-SePay-Signature": f"sha256={signature}"})
        else:
            headers["Authorization"] = f"Apikey {config['SEPAY_API_KEY']}"
        return body, headers


def _sorted(value):
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    return value


class Casso(BankFeed):
    name = "casso"
    label = "Casso"

    def enabled(self, config) -> bool:
        return bool(config.get("CASSO_WEBHOOK_SECRET"))

    @staticmethod
    def _signature(secret: str, timestamp: str, document) -> str:
        canonical = json.dumps(_sorted(document), separators=(",", ":"), ensure_ascii=False)
        return hmac.new(secret.encode(), f"{timestamp}.{canonical}".encode(), hashlib.sha512).hexdigest()

    def authenticate(self, headers, body, config, now=None):
        parts = dict(part.strip().partition("=")[::2] for part in headers.get("X-Casso-Signature", "").split(","))
        timestamp, signature = parts.get("t", ""), parts.get("v1", "")
        if not timestamp or not signature:
            raise Unauthenticated("the signature is missing")
        _signature_time(timestamp, 1000, time.time() if now is None else now)
        try:
            expected = self._signature(config["CASSO_WEBHOOK_SECRET"], timestamp, json.loads(body))
        except (ValueError, RecursionError):
            raise Unauthenticated("the signed body is not JSON") from None
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise Unauthenticated("the signature does not match")

    def transfers(self, document):
        if not isinstance(document, dict) or document.get("error", 0) != 0:
            raise MalformedTransfer("the body is not a list of transactions")
        data = document.get("data")
        items = data if isinstance(data, list) else [data]  # v2 sends one; v1 sent a list
        if not items or len(items) > 100:
            raise MalformedTransfer("data holds no transaction, or too many")
        facts = []
        for item in items:
            if not isinstance(item, dict):
                raise MalformedTransfer("data holds something that is not a transaction")
            amount = _amount(item, "amount")
            if amount == 0:
                raise MalformedTransfer("amount is zero")
            facts.append(TransferFacts(
                provider_id=_identifier(item, "id"), account_number=_account(item, "accountNumber"),
                incoming=amount > 0, amount=abs(amount), description=_text(item, "description", 1000),
                bank_reference=_text(item, "reference", 100), bank=_text(item, "bankName", 100),
                transferred_at=_local_time(item, "transactionDateTime")))
        if len({fact.provider_id for fact in facts}) != len(facts):
            raise MalformedTransfer("data lists a transaction twice")
        return facts

    def signed_delivery(self, transfer, config, now=None):
        document = {"error": 0, "data": {
            "id": int(transfer.provider_id) if transfer.provider_id.isdigit() else transfer.provider_id,
            "reference": transfer.bank_reference, "description": transfer.description,
            "amount": transfer.amount if transfer.incoming else -transfer.amount, "runningBalance": 0,
            "transactionDateTime": _local_text(transfer.transferred_at), "accountNumber": transfer.account_number,
            "bankName": transfer.bank, "bankAbbreviation": "", "virtualAccountNumber": "",
            "virtualAccountName": "", "counterAccountName": "", "counterAccountNumber": "",
            "counterAccountBankId": "", "counterAccountBankName": ""}}
        timestamp = str(int((time.time() if now is None else now) * 1000))
        signature = self._signature(config["CASSO_WEBHOOK_SECRET"], timestamp, document)
        return (json.dumps(document, ensure_ascii=False).encode(),
                {"Content-Type": "application/json", "X-Casso-Signature": f"t={timestamp},v1={signature}"})


FEEDS: dict[str, BankFeed] = {feed.name: feed for feed in (SePay(), Casso())}


def feeds_enabled(config) -> bool:
    """Whether transfers are confirmed by a bank feed (else by the office, reading the statement)."""
    return any(feed.enabled(config) for feed in FEEDS.values())
