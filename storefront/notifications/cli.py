import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..extensions import db
from .models import MessageStatus, OutboxMessage
from .operations import send_due

notifications_cli = AppGroup("notifications", help="Deliver the messages waiting in the outbox.")


@notifications_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages in one run.")
def send_command(limit):
    """Send the messages that are due (run it every minute from a timer)."""
    sent, failed = send_due(limit)
    waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.status == MessageStatus.PENDING))
    click.echo(f"Sent {sent}, failed {failed} (will retry); {waiting} waiting.")
