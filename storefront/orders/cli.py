import click
from flask.cli import AppGroup

from ..extensions import db
from .operations import expire_unpaid

orders_cli = AppGroup("orders", help="Orders.")


@orders_cli.command("expire-unpaid")
@click.option("--limit", default=500, show_default=True, help="At most this many orders per run.")
def expire_unpaid_command(limit):
    """Expire the transfer and card orders not paid in time, giving their stock back (run it every few
    minutes from a timer; orders are also checked whenever they are looked at)."""
    expired = expire_unpaid(limit)
    db.session.commit()
    click.echo(f"Expired {expired} unpaid order{'s' if expired != 1 else ''}.")
