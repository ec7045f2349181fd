"""`flask payments simulate-transfer`: a bank feed's delivery, signed as the service signs it, posted to the
shop, so the whole path of a VietQR payment can be seen without a bank."""
import secrets
import urllib.error
import urllib.request

import click
from flask import current_app

from ..clock import utcnow
from ..extensions import db
from ..orders.queries import order_by_number
from ..payments.cli import payments_cli
from .feeds import FEEDS, TransferFacts
from .matching import folded


@payments_cli.command("simulate-transfer")
@click.argument("order_number")
@click.argument("amount", required=False, type=click.IntRange(1, 10**12))
@click.option("--feed", "feed_name", type=click.Choice(sorted(FEEDS)), default="sepay", show_default=True,
              help="The service whose delivery is imitated.")
@click.option("--description", help="The transfer description (default: the order number among a bank's words).")
@click.option("--account", help="The receiving account (default: the shop's VIETQR_ACCOUNT_NUMBER).")
@click.option("--url", help="Post to a running shop (e.g. http://127.0.0.1:5000) rather than through this process.")
def simulate_transfer_command(order_number, amount, feed_name, description, account, url):
    """Post a signed incoming transfer for ORDER_NUMBER of AMOUNT đồng (default: the order's total) to the
    shop's bank-feed webhook, exactly as the service would. Exits with status 1 unless it is accepted."""
    config = current_app.config
    feed = FEEDS[feed_name]
    if not feed.enabled(config):
        raise click.ClickException(f"The {feed.label} feed is off: set its secret first (README, bank transfers).")
    order = order_by_number(folded(order_number))
    if order is None and amount is None:
        raise click.ClickException(f"No order has the number {order_number}: give the AMOUNT to send anyway.")
    number = order.number if order is not None else order_number
    reference = f"FT{secrets.randbelow(10**10):010d}"
    transfer = TransferFacts(
        provider_id=str(secrets.randbelow(10**9) + 10**9), account_number=account or config["VIETQR_ACCOUNT_NUMBER"],
        incoming=True, amount=amount or order.total, bank_reference=reference,
        description=description if description is not None else f"MBVCB.{reference[2:]}.{number}.CT tu 0912345678 "
                                                                 f"NGUYEN VAN AN toi {config['VIETQR_ACCOUNT_NUMBER']}",
        bank=config.get("VIETQR_BANK_NAME") or "Vietcombank", transferred_at=utcnow())
    body, headers = feed.signed_delivery(transfer, config)
    db.session.rollback()  # no transaction is held open while the shop answers (SQLite would wait on it)
    path = f"{config['BANK_FEED_PATH'].rstrip('/')}/{feed.name}"
    if url:
        status, answer = _post_over_http(url.rstrip("/") + path, body, headers)
    else:
        response = current_app.test_client().post(path, data=body, headers=headers)
        status, answer = response.status_code, response.get_data(as_text=True)
    click.echo(f"{feed.label} → {path}: {status} {answer.strip()}")
    if status != 200:
        raise SystemExit(1)


def _post_over_http(url: str, body: bytes, headers: dict) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the operator's own shop)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except (urllib.error.URLError, OSError) as error:
        raise click.ClickException(f"The shop at {url} cannot be reached: {error}") from None
