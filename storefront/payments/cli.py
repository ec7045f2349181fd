import sys

import click
from flask.cli import AppGroup

from ..extensions import db
from ..i18n import format_vnd
from .operations import apply_waiting, waiting_intents
from .outcalls import commit_and_send_refunds

payments_cli = AppGroup("payments", help="Payments: card refunds, Stripe's events, simulated bank transfers.")


@payments_cli.command("send-refunds")
@click.option("--limit", default=500, show_default=True, help="At most this many refunds per run.")
def send_refunds_command(limit):
    """Ask Stripe again for the card refunds it has not accepted yet (Stripe was unreachable or
    refused). Safe to repeat: each refund has its own idempotency key, so none is paid twice. Exits
    with status 1 while some are still not accepted."""
    attempts = commit_and_send_refunds(limit=limit)
    for attempt in attempts:
        result = f"accepted ({attempt.reference})" if attempt.error is None else f"NOT accepted: {attempt.error}"
        click.echo(f"{attempt.order_number}: refund of {format_vnd(attempt.amount)} {result}")
    failed = sum(attempt.error is not None for attempt in attempts)
    click.echo(f"{len(attempts) - failed} refund{'s' if len(attempts) - failed != 1 else ''} accepted, "
               f"{failed} still pending.")
    if failed:
        raise SystemExit(1)


@payments_cli.command("apply-waiting")
def apply_waiting_command():
    """Apply the refund events Stripe sent before their payment was recorded, if it is now (the webhook
    does it as the payment arrives; this is the safety net). Events still without their payment wait."""
    intents = waiting_intents()
    applied = 0
    with click.progressbar(intents, label="Payments with waiting events", file=sys.stderr) as bar:
        for intent in bar:
            applied += apply_waiting(intent)
            db.session.commit()
    click.echo(f"Applied {applied} waiting event{'s' if applied != 1 else ''}; "
               f"{len(waiting_intents())} payment(s) still unknown.")
