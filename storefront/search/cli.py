import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from ..catalog.models import Product
from ..extensions import db
from . import index

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("rebuild")
def rebuild_command():
    """Rebuild the search index from the database (the live index keeps answering meanwhile)."""
    total = db.session.scalar(select(func.count()).select_from(Product))
    db.session.rollback()
    with click.progressbar(length=total, label="Indexing products") as bar:
        count = index.rebuild(progress=bar.update)
    if count < 0:
        raise click.ClickException("Another rebuild is running; try again when it has finished.")
    click.echo(f"Indexed {count} products.")
