from datetime import timedelta

import click
from flask.cli import AppGroup

from ..extensions import db
from .operations import clean_cache, prune
from .storage import LocalStore, PostgresStore, media_store

media_cli = AppGroup("media", help="The media store: photos' renditions and scanned decisions.")


@media_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="List what would be removed; remove nothing.")
@click.option("--grace-hours", type=click.FloatRange(min=0), default=24.0, show_default=True,
              help="Leave alone whatever was stored more recently than this (uploads in progress).")
def prune_command(dry_run, grace_hours):
    """Remove the images no product, producer, sales point, certificate or pending edit uses, and the
    stored files no remaining image or certificate names."""
    report = prune(timedelta(hours=grace_hours), dry_run=dry_run)
    verb = "Would remove" if dry_run else "Removed"
    for key in report.images:
        click.echo(f"{verb} image {key}")
    for name in report.files:
        click.echo(f"{verb} file {name}")
    for name in report.kept_unknown:
        click.echo(f"Left {name}: not a file the shop makes")
    click.echo(f"{verb} {len(report.images)} images and {len(report.files)} files"
               f" (nothing stored in the last {grace_hours:g} hours was considered).")


@media_cli.command("clean-cache")
def clean_cache_command():
    """Drop this node's cached files whose blob is no longer in the database (pruned on another node)."""
    removed = clean_cache()
    for name in removed:
        click.echo(f"Removed cached {name}")
    click.echo(f"Removed {len(removed)} cached files.")


@media_cli.command("copy-folder")
@click.argument("folder", type=click.Path(exists=True, file_okay=False), required=False)
def copy_folder_command(folder):
    """Copy the files of a local media folder (MEDIA_ROOT by default) into the configured store: how a
    single-machine shop moves its media into PostgreSQL before it starts a second node."""
    from flask import current_app

    store = media_store()
    source = LocalStore(folder or current_app.config["MEDIA_ROOT"])
    if not isinstance(store, PostgresStore):
        raise click.ClickException("MEDIA_STORE is not postgresql: there is nowhere else to copy the files to.")
    copied = 0
    names = list(source.names())
    with click.progressbar(names, label="Copying media into the database") as bar:
        for name, _stored_at in bar:
            if not store.exists(name):
                store.put(name, source.get(name))
                copied += 1
                if copied % 200 == 0:
                    db.session.commit()
    db.session.commit()
    click.echo(f"Copied {copied} files; {len(names) - copied} were already in the database.")
