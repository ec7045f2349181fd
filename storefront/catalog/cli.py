import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from ..clock import today
from ..errors import DomainError
from ..extensions import db
from ..reports.export import certificate_sheet, product_sheet, render
from .import_uploads import forget_expired_uploads
from .importer import apply_plan, dry_run as check_file

catalog_cli = AppGroup("catalog", help="Import the province's OCOP product list; export listings and certificates.")


@catalog_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report the problems; write nothing.")
@click.option("--lang", type=click.Choice(["en", "vi"]), default="en", show_default=True,
              help="Language of the report.")
def import_command(path, dry_run, lang):
    """Import OCOP products and certificates from a CSV or XLSX file (see README for its columns).

    Every row is checked first; the file is imported only if no row has a problem, all in one
    transaction: either every row is imported or none is.
    """
    _import(path, dry_run, lang)


def _import(path: Path, check_only: bool, lang: str) -> None:
    data = path.read_bytes()
    limit = current_app.config["IMPORT_MAX_BYTES"]
    with force_locale(lang):
        if len(data) > limit:
            raise click.ClickException(f"{path.name} is larger than {limit // (1024 * 1024)} MB.")
        report = check_file(data, current_app.config["IMPORT_MAX_UNPACKED_BYTES"])
        for problem in report.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f" [{problem.column}]" if problem.column else ""
            click.echo(f"{path.name}: {where}{column}: {problem.message}", err=True)
        if report.problems:
            db.session.rollback()
            rows = f" in {report.rows_with_problems} of {report.row_count} row(s)" if report.rows_with_problems else ""
            raise click.ClickException(f"{len(report.problems)} problem(s){rows}: nothing was imported.")
        summary = (f"{report.row_count} row(s) checked: {report.new_products} new product(s), "
                   f"{report.new_certificates} certificate(s).")
        if check_only:
            db.session.rollback()
            click.echo(f"Dry run: {summary} Nothing was written.")
            return
        try:
            with click.progressbar(length=len(report.plans), label="Importing", file=sys.stderr) as bar:
                products, certificates = apply_plan(report, path.name, bar.update)
            db.session.commit()
        except (DomainError, IntegrityError) as error:
            db.session.rollback()
            raise click.ClickException(f"The import failed, nothing was imported: {error}") from None
        except BaseException:
            db.session.rollback()
            raise
    click.echo(f"Imported {products} new product(s) and {certificates} certificate(s) from {path.name}.")


@catalog_cli.command("export")
@click.argument("what", type=click.Choice(["products", "certificates"]))
@click.option("--format", "file_format", type=click.Choice(["csv", "xlsx"]), default="xlsx", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write (default: ocop-WHAT-DATE.FORMAT in the current directory; - for standard output).")
def export_command(what, file_format, output):
    """Export every product listing, or every certificate (in the import layout), as CSV or XLSX."""
    day = today()
    sheet = product_sheet(day) if what == "products" else certificate_sheet(day)
    data = render([sheet], file_format)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    output = output or Path(f"ocop-{what}-{day.isoformat()}.{file_format}")
    output.write_bytes(data)
    click.echo(f"Wrote {len(sheet.rows) - 1} {what} to {output}.", err=True)


@catalog_cli.command("forget-uploads")
def forget_uploads_command():
    """Remove the product lists checked in the back office but not confirmed within a day (each new check
    does it too)."""
    removed = forget_expired_uploads()
    db.session.commit()
    click.echo(f"Removed {removed} unconfirmed uploads older than a day.")
