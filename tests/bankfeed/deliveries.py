"""Bank-feed deliveries built from each service's documented format, signed with the test secrets."""
import itertools
import json

from storefront.bankfeed.feeds import FEEDS, TransferFacts
from storefront.clock import utcnow

WEBHOOK = "/payments/bank-feed"
SHOP_ACCOUNT = "0123456789"  # TestConfig's VIETQR_ACCOUNT_NUMBER
_ids = itertools.count(92704)


def transfer(description: str, amount: int, *, provider_id=None, account=SHOP_ACCOUNT, incoming=True,
             when=None) -> TransferFacts:
    return TransferFacts(provider_id=str(provider_id or next(_ids)), account_number=account, incoming=incoming,
                         amount=amount, description=description, bank_reference=f"MBVCB.{next(_ids)}",
                         bank="Vietcombank", transferred_at=when or utcnow())


def bank_text(number: str) -> str:
    """A description as banks pass it on: their words around the number the buyer typed."""
    return f"MBVCB.3278907687.{number}.CT tu 0912345678 NGUYEN VAN AN toi {SHOP_ACCOUNT}"


def signed(app, facts: TransferFacts, feed="sepay", now=None) -> tuple[bytes, dict]:
    return FEEDS[feed].signed_delivery(facts, app.config, now=now)


def deliver(client, app, facts: TransferFacts, feed="sepay", now=None):
    body, headers = signed(app, facts, feed, now)
    return client.post(f"{WEBHOOK}/{feed}", data=body, headers=headers)


def post_raw(client, feed: str, document, headers: dict):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post(f"{WEBHOOK}/{feed}", data=body, headers={"Content-Type": "application/json", **headers})
