import signal
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from .. import changelog
from ..catalog.models import Product
from ..extensions import db
from . import follow, index

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


@search_cli.command("follow")
@click.option("--once", is_flag=True, help="Catch up once and stop (rebuilding when too far behind).")
def follow_command(once):
    """Keep this node's index up to the database's change log (run one per node when SEARCH_FOLLOW=off).

    Wakes on PostgreSQL's notifications, polls every SEARCH_FOLLOW_POLL_SECONDS, prunes the log now and
    then. A second follower on the same node stands by until the first stops."""
    db.session.remove()
    if once:
        click.echo(f"Search index: {follow.step(wait=True, allow_rebuild=True)}.")
        return
    runner = follow.Follower(current_app._get_current_object())
    signal.signal(signal.SIGTERM, lambda *_: runner.stopping.set())
    click.echo(f"Following the change log into {index.index_dir()} (Ctrl-C stops).")
    try:
        runner.run()
    except KeyboardInterrupt:
        pass


@search_cli.command("prune")
@click.option("--older-than-hours", type=float, default=None,
              help="Default: CONTENT_CHANGE_RETENTION_HOURS.")
def prune_command(older_than_hours):
    """Remove old rows of the content change log (nodes further behind rebuild their index)."""
    hours = current_app.config["CONTENT_CHANGE_RETENTION_HOURS"] if older_than_hours is None else older_than_hours
    click.echo(f"Pruned {changelog.prune(timedelta(hours=hours))} changes older than {hours:g} hours.")


@search_cli.command("status")
def status_command():
    """Where this node's index stands in the change log."""
    with db.engine.connect() as connection:
        last, pruned = changelog.head(connection)
    position = index.read_position()
    click.echo(f"Change log: last change {last}, pruned through {pruned}.")
    if position is None:
        click.echo(f"Index {index.index_dir()}: no position (the follower rebuilds it).")
    else:
        click.echo(f"Index {index.index_dir()}: through change {position['through']}, "
                   f"{len(position['gaps'])} missing ids awaited.")
