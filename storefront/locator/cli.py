import click
from flask.cli import AppGroup
from sqlalchemy import select

from ..catalog.models import Producer
from ..extensions import db
from ..i18n import format_date, format_datetime
from . import queries

locator_cli = AppGroup("locator", help="Sales points, places to visit and visit requests.")


@locator_cli.command("visit-requests")
@click.option("--producer", "producer_slug", metavar="SLUG", help="only the requests to this producer's places")
@click.option("--limit", default=50, show_default=True, help="how many of the latest requests")
def visit_requests_command(producer_slug, limit):
    """List the latest visit requests, newest first, for the producer or the provincial office to answer."""
    producer_id = None
    if producer_slug:
        producer_id = db.session.scalar(select(Producer.id).where(Producer.slug == producer_slug))
        if producer_id is None:
            raise click.ClickException(f"No producer has the slug {producer_slug!r}.")
    requests = queries.visit_requests(producer_id, limit=limit)
    if not requests:
        click.echo("No visit request.")
    for visit in requests:
        product = visit.destination.product
        click.echo(f"{format_datetime(visit.created_at)}  {product.name_vi} ({product.producer.name})\n"
                   f"    {format_date(visit.visit_date)}, {visit.party_size} người — {visit.name}, {visit.phone_text}"
                   + (f"\n    {visit.message}" if visit.message else ""))
