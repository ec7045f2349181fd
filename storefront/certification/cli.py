"""`flask certificates …`: the certifying body's chores that run from a timer."""
import click
from flask.cli import AppGroup

from ..clock import today
from ..extensions import db
from .operations import producer_addresses, queue_expiry_notice
from .queries import notices_due

certificates_cli = AppGroup("certificates", help="OCOP certificates: expiry notices.")


@certificates_cli.command("notify")
def notify_command():
    """Queue the notice due to each producer whose certificate ends within 90 or 30 days (once per
    certificate and threshold; revoked and renewed certificates need none). Run it daily; `flask
    notifications send` delivers."""
    day = today()
    queued = already = unreachable = 0
    for certificate, threshold in notices_due(day):
        producer = certificate.product.producer
        message = queue_expiry_notice(certificate, threshold, day)
        if message is not None:
            queued += 1
            click.echo(f"Queued the {threshold}-day notice of {certificate.number} "
                       f"({certificate.authority}; ends {certificate.valid_until:%d/%m/%Y}) to {message.recipient}.")
        elif not producer_addresses(producer):
            unreachable += 1
            click.echo(f"No e-mail address for {producer.name} (certificate {certificate.number} ends "
                       f"{certificate.valid_until:%d/%m/%Y}): call {producer.phone or 'them'}.", err=True)
        else:
            already += 1
    db.session.commit()
    click.echo(f"{today():%d/%m/%Y}: queued {queued} notice(s); {already} already sent before; "
               f"{unreachable} producer(s) without an e-mail address.")
